//! The words of each page's text as numbers into a vocabulary: taken while the Markdown is
//! rendered (see `markdown`), kept for every post from reading to the search index, which
//! merges the vocabularies (see `render::search`). Below the Markdown module, which fills it.
//!
//! It knows nothing of the index's format or of the site.

use std::sync::{Arc, Mutex, MutexGuard, PoisonError};

/// The words of a page's text, taken while its Markdown is rendered (see
/// `markdown::text_reader`): their numbers in the vocabulary of the thread that
/// rendered it.
///
/// Every thread numbers the words of the pages it renders in a vocabulary of its own, kept
/// for as long as the thread lives, so that a page's words cost a number each (no string),
/// and no thread waits for another. The index merges the vocabularies its posts use; it is
/// the same however the pages were shared out.
#[derive(Debug, Clone, Default)]
pub struct PageWords {
    pub(crate) vocabulary: Option<SharedVocabulary>,
    pub(crate) numbers: Numbers,
}

/// Word numbers, in two bytes each while the vocabulary is small enough (as it nearly always
/// is): a big blog holds them for every post from reading to the index.
#[derive(Debug, Clone)]
pub(crate) enum Numbers {
    Short(Box<[u16]>),
    Long(Box<[u32]>),
}

impl Default for Numbers {
    fn default() -> Self {
        Numbers::Short(Box::default())
    }
}

impl Numbers {
    fn of(numbers: &[u32]) -> Numbers {
        // Checked first, so that the list is made at its exact size in one allocation.
        if numbers.iter().all(|&n| n <= u32::from(u16::MAX)) {
            Numbers::Short(numbers.iter().map(|&n| n as u16).collect())
        } else {
            Numbers::Long(numbers.into())
        }
    }

    pub(crate) fn len(&self) -> usize {
        match self {
            Numbers::Short(n) => n.len(),
            Numbers::Long(n) => n.len(),
        }
    }

    /// Calls `f` with each number, in order.
    #[inline]
    pub(crate) fn each(&self, mut f: impl FnMut(u32)) {
        match self {
            Numbers::Short(n) => n.iter().for_each(|&n| f(u32::from(n))),
            Numbers::Long(n) => n.iter().for_each(|&n| f(n)),
        }
    }
}

pub(crate) type SharedVocabulary = Arc<Mutex<Vocabulary>>;

thread_local! {
    static VOCABULARY: SharedVocabulary = Arc::default();
    static SCRATCH: std::cell::RefCell<Vec<u32>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// A vocabulary, locked. Only its own thread adds to it, and no one holds it while it waits
/// for other work, so a lock is never waited on for long; a poisoned one is whole (a word is
/// added in full or not at all).
pub(crate) fn lock(v: &SharedVocabulary) -> MutexGuard<'_, Vocabulary> {
    v.lock().unwrap_or_else(PoisonError::into_inner)
}

impl PageWords {
    /// Numbers the words that `words` gives (it pushes each, in order, into the [`Numberer`]
    /// it is handed) in this thread's vocabulary.
    pub fn collect(words: impl FnOnce(Numberer<'_>)) -> PageWords {
        VOCABULARY.with(|shared| {
            SCRATCH.with_borrow_mut(|numbers| {
                numbers.clear();
                words(Numberer {
                    vocabulary: &mut lock(shared),
                    numbers: &mut *numbers,
                });
                PageWords {
                    vocabulary: Some(Arc::clone(shared)),
                    // One allocation of the exact size per page: a list grown by doubling
                    // would leave fresh memory behind for every page a big blog holds.
                    numbers: Numbers::of(numbers),
                }
            })
        })
    }

    /// The words, in order.
    #[cfg(test)]
    pub fn words(&self) -> Vec<String> {
        self.vocabulary.as_ref().map_or_else(Vec::new, |v| {
            let v = lock(v);
            let mut words = Vec::new();
            self.numbers.each(|n| words.push(v.word(n).to_owned()));
            words
        })
    }
}

/// What [`PageWords::collect`] hands its caller to give it a page's words, one by one.
pub struct Numberer<'a> {
    vocabulary: &'a mut Vocabulary,
    numbers: &'a mut Vec<u32>,
}

impl Numberer<'_> {
    /// Adds the page's next word.
    pub fn push(&mut self, word: &str) {
        self.numbers.push(self.vocabulary.number(word));
    }
}

/// Distinct words with how often they occur.
#[derive(Debug, Default)]
pub(crate) struct Words {
    pub(crate) seen: Vocabulary,
    /// How often each word occurs, by its number.
    pub(crate) counts: Vec<u32>,
}

impl Words {
    /// Counts `times` more occurrences of `word`; its number.
    pub(crate) fn count(&mut self, word: &str, times: u32) -> u32 {
        let n = self.seen.number(word);
        if n as usize == self.counts.len() {
            self.counts.push(0);
        }
        self.counts[n as usize] += times;
        n
    }
}

/// Distinct words, numbered from 0 in the order they were first given.
///
/// A hash table made for this one job (millions of lookups of a few thousand short words):
/// the words are kept end to end in one string, and the table holds their numbers. A word of
/// at most 16 bytes (nearly every Korean word) is known by its first and last eight bytes and
/// its length, which its lookup reads once, for its hash and to compare: it touches one slot
/// and one entry, and neither the text nor a call to `memcmp`.
#[derive(Debug, Default)]
pub(crate) struct Vocabulary {
    /// The words end to end.
    text: String,
    /// Each word by number.
    words: Vec<Entry>,
    /// Open addressing with linear probing: a word's number + 1 in each used slot, 0 in the
    /// empty ones. Its length is a power of two, at least twice the number of words.
    slots: Vec<u32>,
}

/// A word of the [`Vocabulary`]: its [`ends`], its length and its place in the text.
#[derive(Debug, Clone, Copy)]
struct Entry {
    head: u64,
    tail: u64,
    len: u32,
    start: u32,
}

/// The longest word that its [`ends`] tell apart from every other word of its length.
const SHORT: usize = 16;

/// Looks for a word in `slots` (see [`Vocabulary::slots`]) by linear probing from the home
/// slot of its `hash`: the number of the first word there that `is_it`, or else the empty slot
/// that ended the search (0 in a table without slots).
#[inline(always)]
fn probe(slots: &[u32], hash: u64, mut is_it: impl FnMut(u32) -> bool) -> Result<u32, usize> {
    // (An empty table has no slots: the mask is then all ones and `get` finds none.)
    let mask = slots.len().wrapping_sub(1);
    // The high bits of the hash are its best mixed.
    let mut slot = (hash >> 32) as usize & mask;
    while let Some(&used) = slots.get(slot) {
        let Some(n) = used.checked_sub(1) else {
            return Err(slot);
        };
        if is_it(n) {
            return Ok(n);
        }
        slot = (slot + 1) & mask;
    }
    Err(0)
}

/// The empty slot where a word of `hash` goes, in a table that has one.
fn free_slot(slots: &[u32], hash: u64) -> usize {
    match probe(slots, hash, |_| false) {
        Err(slot) => slot,
        Ok(_) => unreachable!("a search that accepts no word ends at an empty slot"),
    }
}

impl Vocabulary {
    /// The number of `word`, given a new one if it is new.
    #[inline]
    fn number(&mut self, word: &str) -> u32 {
        let bytes = word.as_bytes();
        if bytes.len() > SHORT {
            return self.number_long(word);
        }
        let (head, tail) = ends(bytes);
        let len = bytes.len() as u32;
        let hash = mix(head, tail, len);
        let words = &self.words;
        // For a word this short, its ends and length are the whole word.
        let found = probe(&self.slots, hash, |n| {
            let e = &words[n as usize];
            e.head == head && e.tail == tail && e.len == len
        });
        match found {
            Ok(n) => n,
            Err(_) => self.add(word, hash),
        }
    }

    /// [`Vocabulary::number`] for a word longer than [`SHORT`], compared in full.
    #[cold]
    #[inline(never)]
    fn number_long(&mut self, word: &str) -> u32 {
        let hash = word_hash(word.as_bytes());
        match probe(&self.slots, hash, |n| self.word(n) == word) {
            Ok(n) => n,
            Err(_) => self.add(word, hash),
        }
    }

    /// Gives `word` (with its `hash`), which is not in the table, the next number. Kept out
    /// of [`Vocabulary::number`]: a blog repeats its words, so few lookups end here.
    #[cold]
    #[inline(never)]
    fn add(&mut self, word: &str, hash: u64) -> u32 {
        if (self.words.len() + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let slot = free_slot(&self.slots, hash);
        let n = self.words.len() as u32;
        let (head, tail) = ends(word.as_bytes());
        self.words.push(Entry {
            head,
            tail,
            len: word.len() as u32,
            start: self.text.len() as u32,
        });
        self.text.push_str(word);
        self.slots[slot] = n + 1;
        n
    }

    /// Doubles the table (or makes the first one) and places every word again.
    fn grow(&mut self) {
        let len = (self.slots.len() * 2).max(1024);
        let mut slots = vec![0; len];
        for n in 0..self.words.len() as u32 {
            let slot = free_slot(&slots, word_hash(self.word(n).as_bytes()));
            slots[slot] = n + 1;
        }
        self.slots = slots;
    }

    /// Word number `n`.
    pub(crate) fn word(&self, n: u32) -> &str {
        let e = &self.words[n as usize];
        &self.text[e.start as usize..(e.start + e.len) as usize]
    }

    pub(crate) fn len(&self) -> usize {
        self.words.len()
    }

    /// Each word with its number.
    pub(crate) fn iter(&self) -> impl Iterator<Item = (&str, u32)> {
        (0..self.words.len() as u32).map(|n| (self.word(n), n))
    }
}

/// The hash that places `word` in a [`Vocabulary`]'s table: [`mix`] for a short word, as
/// [`Vocabulary::number`] computes it inline.
fn word_hash(word: &[u8]) -> u64 {
    if word.len() > SHORT {
        use std::hash::Hasher;
        let mut h = rustc_hash::FxHasher::default();
        h.write(word);
        h.finish()
    } else {
        let (head, tail) = ends(word);
        mix(head, tail, word.len() as u32)
    }
}

/// The first and the last eight bytes of `word` (four, if it is shorter than eight bytes;
/// its first, middle and last byte if shorter than four), which overlap in a word of fewer
/// than 16 bytes: with its length, they are the whole of a word of at most 16 bytes.
#[inline]
fn ends(word: &[u8]) -> (u64, u64) {
    let n = word.len();
    let u64_at = |i: usize| word[i..i + 8].try_into().map_or(0, u64::from_le_bytes);
    let u32_at = |i: usize| word[i..i + 4].try_into().map_or(0, u32::from_le_bytes);
    match n {
        8.. => (u64_at(0), u64_at(n - 8)),
        4..=7 => (u64::from(u32_at(0)), u64::from(u32_at(n - 4))),
        1..=3 => (
            u64::from(word[0]) | u64::from(word[n / 2]) << 8 | u64::from(word[n - 1]) << 16,
            0,
        ),
        0 => (0, 0),
    }
}

/// A short word's hash, from its [`ends`] and length: one folded multiplication (as
/// rustc-hash's for bytes).
#[inline]
fn mix(head: u64, tail: u64, len: u32) -> u64 {
    let product = u128::from(head ^ 0x243f_6a88_85a3_08d3)
        * u128::from(tail ^ 0x1319_8a2e_0370_7344 ^ u64::from(len));
    (product as u64) ^ (product >> 64) as u64
}

#[cfg(test)]
mod tests {
    use super::{ends, Numbers, Vocabulary};

    #[test]
    fn the_ends_of_a_short_word_and_its_length_tell_it_apart() {
        let text = "가나다라마바사아자차카타파하 abcdefghijklmnopqrstuvwxyz";
        let words: Vec<&[u8]> = (0..=text.len())
            .flat_map(|i| (i..=text.len()).map(move |j| &text.as_bytes()[i..j]))
            .filter(|w| w.len() <= super::SHORT)
            .collect();
        for a in &words {
            for b in words.iter().filter(|b| b.len() == a.len()) {
                assert_eq!(ends(a) == ends(b), a == b, "{a:?} {b:?}");
            }
        }
    }

    #[test]
    fn word_numbers_take_two_bytes_unless_one_needs_more() {
        let listed = |n: &Numbers| {
            let mut out = Vec::new();
            n.each(|x| out.push(x));
            out
        };
        let short = Numbers::of(&[0, 7, 65_535]);
        assert!(matches!(short, Numbers::Short(_)));
        assert_eq!(listed(&short), [0, 7, 65_535]);
        let long = Numbers::of(&[3, 65_536, u32::MAX]);
        assert!(matches!(long, Numbers::Long(_)));
        assert_eq!(listed(&long), [3, 65_536, u32::MAX]);
        assert_eq!(
            (short.len(), long.len(), Numbers::default().len()),
            (3, 3, 0)
        );
    }

    #[test]
    fn vocabulary_numbers_words_in_the_order_first_seen() {
        let mut v = Vocabulary::default();
        assert_eq!(v.number("고객"), 0);
        assert_eq!(v.number("응대"), 1);
        assert_eq!(v.number("고객"), 0);
        assert_eq!(v.number(""), 2);
        // Past several growths of the table, every word keeps its number.
        let words: Vec<String> = (0..5000).map(|i| format!("낱말{i}")).collect();
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.number(w), 3 + i as u32);
        }
        for (i, w) in words.iter().enumerate().rev() {
            assert_eq!(v.number(w), 3 + i as u32);
        }
        assert_eq!(v.number("응대"), 1);
        let listed: Vec<(&str, u32)> = v.iter().take(3).collect();
        assert_eq!(listed, [("고객", 0), ("응대", 1), ("", 2)]);
        assert_eq!(v.iter().count(), 5003);
    }

    #[test]
    fn vocabulary_tells_apart_words_of_any_length_that_differ_in_one_byte() {
        let mut v = Vocabulary::default();
        let mut words = Vec::new();
        for len in 1..40 {
            for at in 0..len {
                let mut w = vec![b'a'; len];
                w[at] = b'b';
                words.push(String::from_utf8(w).unwrap_or_default());
            }
            words.push("a".repeat(len));
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.number(w), i as u32, "{w}");
        }
        for (i, w) in words.iter().enumerate() {
            assert_eq!(v.number(w), i as u32, "{w}");
        }
    }
}
