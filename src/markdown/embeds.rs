//! Videos in a post (issue 26, item 5): a top-level paragraph that is only a YouTube or
//! Vimeo address becomes a lazy, privacy-enhanced embed that keeps a plain link to the video
//! (for feed readers, which drop frames), and an image whose file is an `.mp4` or `.webm`
//! becomes a `<video>`.
//!
//! Only a paragraph of the body's top level, as Hugo's `{{< youtube >}}` is a line of its
//! own: an address in a list, a quote or a sentence stays a link, and so does an address
//! that is not exactly a video's (a channel, a playlist, an ID of the wrong shape). The
//! frames' size is the theme's (`.video-embed` in its `style.css`); nothing here knows a
//! page or a theme, and a stranger's Markdown (a comment) never gets here.

use std::collections::VecDeque;

use pulldown_cmark::{CowStr, Event, Tag, TagEnd};

use crate::html::push_escaped_html;

/// `events` with their video addresses and video files made players.
pub(super) struct Embeds<'a, I> {
    events: I,
    /// Whether the Markdown may hold a video address: when it has no address at all, only
    /// images are looked at.
    addresses: bool,
    /// How many tags are open among the events taken from `events`.
    depth: usize,
    /// Events taken and looked at, to be given out as they were.
    pending: VecDeque<Event<'a>>,
    /// An event taken but not yet looked at.
    next_up: Option<Event<'a>>,
}

impl<'a, I: Iterator<Item = Event<'a>>> Embeds<'a, I> {
    /// `events` with their videos made players, for Markdown that [may hold a
    /// video](may_hold_video); `addresses` says whether it may hold an address.
    pub(super) fn new(events: I, addresses: bool) -> Self {
        Embeds {
            events,
            addresses,
            depth: 0,
            pending: VecDeque::new(),
            next_up: None,
        }
    }

    /// The next event of `events`, counting the tags it opens and closes.
    fn take(&mut self) -> Option<Event<'a>> {
        let event = self.events.next()?;
        match event {
            Event::Start(_) => self.depth += 1,
            Event::End(_) => self.depth = self.depth.saturating_sub(1),
            _ => {}
        }
        Some(event)
    }

    /// The events of a top-level paragraph, whose start was just taken: the embed when it is
    /// only a link whose text is its video address, else the paragraph's start (the events
    /// looked at wait in `pending`).
    fn paragraph(&mut self, start: Event<'a>) -> Event<'a> {
        let mut address: Option<CowStr<'a>> = None;
        for step in 0..4 {
            let Some(event) = self.take() else { break };
            let fits = match (step, &event) {
                (0, Event::Start(Tag::Link { dest_url, .. })) => {
                    address = Video::of(dest_url).map(|_| dest_url.clone());
                    address.is_some()
                }
                (1, Event::Text(text)) => address
                    .as_ref()
                    .is_some_and(|dest| shows_address(text, dest)),
                (2, Event::End(TagEnd::Link)) | (3, Event::End(TagEnd::Paragraph)) => true,
                _ => false,
            };
            if !fits {
                self.next_up = Some(event);
                break;
            }
            self.pending.push_back(event);
        }
        match address.as_deref().and_then(Video::of) {
            Some(video) if self.pending.len() == 4 => {
                self.pending.clear();
                Event::Html(video.embed_html().into())
            }
            _ => start,
        }
    }

    /// A video file's player, for the image whose start (to `dest_url`) was just taken: its
    /// alt text, read up to the image's end, is the player's fallback link.
    fn video_file(&mut self, dest_url: &str, title: &str) -> Event<'a> {
        let mut alt = String::new();
        let mut open = 1;
        while let Some(event) = self.take() {
            match event {
                Event::Start(Tag::Image { .. }) => open += 1,
                Event::End(TagEnd::Image) if open == 1 => break,
                Event::End(TagEnd::Image) => open -= 1,
                Event::Text(text) | Event::Code(text) => alt.push_str(&text),
                Event::SoftBreak | Event::HardBreak => alt.push(' '),
                _ => {}
            }
        }
        Event::InlineHtml(video_file_html(dest_url, title, &alt).into())
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Iterator for Embeds<'a, I> {
    type Item = Event<'a>;

    fn next(&mut self) -> Option<Event<'a>> {
        if !self.addresses {
            let event = self.events.next()?;
            return Some(self.unless_video_file(event));
        }
        if let Some(event) = self.pending.pop_front() {
            return Some(event);
        }
        let depth = self.depth;
        let event = match self.next_up.take() {
            Some(event) => event,
            None => self.take()?,
        };
        Some(match event {
            Event::Start(Tag::Paragraph) if depth == 0 => self.paragraph(event),
            other => self.unless_video_file(other),
        })
    }
}

impl<'a, I: Iterator<Item = Event<'a>>> Embeds<'a, I> {
    /// `event`, or the player of the video file whose image it starts.
    fn unless_video_file(&mut self, event: Event<'a>) -> Event<'a> {
        match event {
            Event::Start(Tag::Image {
                ref dest_url,
                ref title,
                ..
            }) if is_video_file(dest_url) => {
                let (dest_url, title): (CowStr, CowStr) = (dest_url.clone(), title.clone());
                self.video_file(&dest_url, &title)
            }
            other => other,
        }
    }
}

/// Whether a link's text is its address as written: `https://youtu.be/…`, or a bare
/// `www.youtube.com/…` whose link the build wrote with `http://`.
fn shows_address(text: &str, dest: &str) -> bool {
    text == dest || dest.strip_prefix("http://") == Some(text)
}

/// Whether Markdown may hold a video: a video line holds an address (`addresses`, said by
/// `Autolinks::may_hold_address`), a video file is named by its extension. Most posts have
/// neither, and their events are written without this layer: even passing them through
/// unchanged cost 1% of a build's instructions.
pub(super) fn may_hold_video(source: &str, addresses: bool) -> bool {
    addresses || may_name_video_file(source)
}

/// Whether `text` names a video file: `.mp4` or `.webm` in any case. (One vectorised
/// search for `4`, `b` and `B`: Korean text has few, and a post without them costs no more.)
fn may_name_video_file(text: &str) -> bool {
    let bytes = text.as_bytes();
    memchr::memchr3_iter(b'4', b'b', b'B', bytes).any(|i| {
        let (from, to) = if bytes[i] == b'4' { (3, 1) } else { (3, 2) };
        i.checked_sub(from)
            .and_then(|start| bytes.get(start..i + to))
            .is_some_and(|name| {
                name.eq_ignore_ascii_case(b".mp4") || name.eq_ignore_ascii_case(b".webm")
            })
    })
}

/// Whether `address` is of a file a `<video>` plays: `.mp4` or `.webm`, in any case (phones
/// name files `IMG_0001.MP4`), before any `?query` or `#fragment`.
fn is_video_file(address: &str) -> bool {
    let path = address.split(['?', '#']).next().unwrap_or("").as_bytes();
    [&b".mp4"[..], b".webm"].iter().any(|ext| {
        path.len() > ext.len() && path[path.len() - ext.len()..].eq_ignore_ascii_case(ext)
    })
}

/// A video file's player: the browser fetches only its first frames and length until it is
/// played, and `playsinline` keeps an iPhone from opening it full screen. The alt text is
/// the link a browser without video shows, the title (if any) its tooltip.
fn video_file_html(src: &str, title: &str, alt: &str) -> String {
    let mut html = String::with_capacity(128 + 2 * src.len() + alt.len());
    html.push_str("<video controls preload=\"metadata\" playsinline src=\"");
    push_escaped_href(&mut html, src);
    html.push('"');
    if !title.is_empty() {
        html.push_str(" title=\"");
        push_escaped_html(&mut html, title);
        html.push('"');
    }
    html.push_str("><a href=\"");
    push_escaped_href(&mut html, src);
    html.push_str("\">");
    push_escaped_html(&mut html, if alt.is_empty() { src } else { alt });
    html.push_str("</a></video>");
    html
}

/// An address for an attribute, written as pulldown-cmark writes a link's.
fn push_escaped_href(out: &mut String, address: &str) {
    // Writing into a String cannot fail.
    let _ = pulldown_cmark_escape::escape_href(&mut *out, address);
}

/// A video on YouTube or Vimeo, as its address names it; the ID is checked, the start time
/// kept in seconds, anything else of the address (tracking `si=`, `feature=`) dropped.
#[derive(Debug, PartialEq, Eq)]
pub(super) enum Video<'s> {
    YouTube {
        id: &'s str,
        start: Option<u32>,
    },
    /// `hash` is an unlisted video's key (`vimeo.com/123/abcdef`).
    Vimeo {
        id: &'s str,
        hash: Option<&'s str>,
    },
}

impl<'s> Video<'s> {
    /// The video `address` is, if it is one: `https://www.youtube.com/watch?v=ID` (also
    /// `m.` and bare `youtube.com`), `https://youtu.be/ID`, `…/shorts/ID`, `…/embed/ID`,
    /// `…/live/ID`, with `t=`/`start=` kept; `https://vimeo.com/ID` (also `/ID/HASH`).
    pub(super) fn of(address: &'s str) -> Option<Video<'s>> {
        let rest = strip_prefix_ignoring_case(address, "https://")
            .or_else(|| strip_prefix_ignoring_case(address, "http://"))?;
        let rest = rest.split('#').next().unwrap_or("");
        let (rest, query) = rest.split_once('?').unwrap_or((rest, ""));
        let (host, path) = rest.split_once('/').unwrap_or((rest, ""));
        let host = host.to_ascii_lowercase();
        let path = path.strip_suffix('/').unwrap_or(path);
        let youtube = |id: &'s str| {
            is_youtube_id(id).then(|| Video::YouTube {
                id,
                start: start_of(query),
            })
        };
        match (host.as_str(), path.split_once('/')) {
            ("youtu.be" | "www.youtu.be", None) => youtube(path),
            ("youtube.com" | "www.youtube.com" | "m.youtube.com", None) if path == "watch" => {
                youtube(query_value(query, "v")?)
            }
            (
                "youtube.com" | "www.youtube.com" | "m.youtube.com",
                Some(("shorts" | "embed" | "live", id)),
            ) => youtube(id),
            ("vimeo.com" | "www.vimeo.com", split) => {
                let (id, hash) = split.map_or((path, None), |(id, hash)| (id, Some(hash)));
                let digits = |s: &str| {
                    !s.is_empty() && s.len() <= 12 && s.bytes().all(|b| b.is_ascii_digit())
                };
                let key = |h: &str| {
                    !h.is_empty() && h.len() <= 32 && h.bytes().all(|b| b.is_ascii_hexdigit())
                };
                (digits(id) && hash.is_none_or(key)).then_some(Video::Vimeo { id, hash })
            }
            _ => None,
        }
    }

    /// The player and the link to the video, as the body's HTML (a block of its own).
    pub(super) fn embed_html(&self) -> String {
        let (player, title, allow, link) = match *self {
            Video::YouTube { id, start } => (
                format!(
                    "https://www.youtube-nocookie.com/embed/{id}{}",
                    start.map_or(String::new(), |s| format!("?start={s}"))
                ),
                "YouTube video",
                "accelerometer; autoplay; clipboard-write; encrypted-media; gyroscope; \
                 picture-in-picture; web-share",
                format!(
                    "https://www.youtube.com/watch?v={id}{}",
                    start.map_or(String::new(), |s| format!("&t={s}s"))
                ),
            ),
            Video::Vimeo { id, hash } => (
                match hash {
                    Some(h) => format!("https://player.vimeo.com/video/{id}?h={h}&dnt=1"),
                    None => format!("https://player.vimeo.com/video/{id}?dnt=1"),
                },
                "Vimeo video",
                "autoplay; fullscreen; picture-in-picture",
                match hash {
                    Some(h) => format!("https://vimeo.com/{id}/{h}"),
                    None => format!("https://vimeo.com/{id}"),
                },
            ),
        };
        // The IDs, keys and numbers were checked to be letters, digits, `-` and `_`; only
        // the `&` between query parameters needs escaping.
        let (player, link) = (player.replace('&', "&amp;"), link.replace('&', "&amp;"));
        format!(
            "<figure class=\"video-embed\"><iframe src=\"{player}\" title=\"{title}\" \
             loading=\"lazy\" allow=\"{allow}\" referrerpolicy=\"strict-origin-when-cross-origin\" \
             allowfullscreen></iframe><p class=\"video-link\"><a href=\"{link}\">{link}</a></p>\
             </figure>\n"
        )
    }
}

fn strip_prefix_ignoring_case<'t>(text: &'t str, prefix: &str) -> Option<&'t str> {
    let head = text.get(..prefix.len())?;
    head.eq_ignore_ascii_case(prefix)
        .then(|| &text[prefix.len()..])
}

/// YouTube's video IDs: eleven of `A–Z a–z 0–9 - _`.
fn is_youtube_id(id: &str) -> bool {
    id.len() == 11
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
}

/// The value of `key` in a `a=1&b=2` query.
fn query_value<'q>(query: &'q str, key: &str) -> Option<&'q str> {
    query
        .split('&')
        .find_map(|pair| pair.strip_prefix(key)?.strip_prefix('='))
}

/// Where a YouTube address starts the video, in seconds: `t=` (`90`, `90s`, `1m30s`,
/// `1h2m3s`) or `start=` (seconds). A value of another shape is left out, not guessed.
fn start_of(query: &str) -> Option<u32> {
    let value = query_value(query, "t").or_else(|| query_value(query, "start"))?;
    if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
        return value.parse().ok().filter(|&s| s > 0);
    }
    let mut seconds: u32 = 0;
    let mut number = String::new();
    let mut last_unit = 0;
    for c in value.chars() {
        let unit = match c {
            '0'..='9' => {
                number.push(c);
                continue;
            }
            'h' => 3600,
            'm' => 60,
            's' => 1,
            _ => return None,
        };
        // Units come in order, each once, each after a number: `1h2m3s`, not `3s1m` or `hs`.
        if number.is_empty() || (last_unit != 0 && unit >= last_unit) {
            return None;
        }
        let n: u32 = number.parse().ok()?;
        seconds = seconds.checked_add(n.checked_mul(unit)?)?;
        number.clear();
        last_unit = unit;
    }
    (number.is_empty() && seconds > 0).then_some(seconds)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::markdown::tests::render_to_string;

    fn youtube(id: &str, start: Option<u32>) -> Option<Video<'_>> {
        Some(Video::YouTube { id, start })
    }

    #[test]
    fn youtube_addresses_in_their_usual_shapes() {
        let id = "dQw4w9WgXcQ";
        for address in [
            "https://www.youtube.com/watch?v=dQw4w9WgXcQ",
            "http://youtube.com/watch?feature=share&v=dQw4w9WgXcQ",
            "https://m.youtube.com/watch?v=dQw4w9WgXcQ&si=tracking123",
            "HTTPS://WWW.YOUTUBE.COM/watch?v=dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ",
            "https://youtu.be/dQw4w9WgXcQ?si=abc#comments",
            "https://www.youtube.com/shorts/dQw4w9WgXcQ",
            "https://www.youtube.com/embed/dQw4w9WgXcQ/",
            "https://www.youtube.com/live/dQw4w9WgXcQ",
        ] {
            assert_eq!(Video::of(address), youtube(id, None), "{address}");
        }
    }

    #[test]
    fn a_youtube_start_time_is_kept_in_seconds() {
        let id = "dQw4w9WgXcQ";
        for (address, start) in [
            ("https://youtu.be/dQw4w9WgXcQ?t=90", Some(90)),
            ("https://youtu.be/dQw4w9WgXcQ?t=90s", Some(90)),
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1m30s",
                Some(90),
            ),
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&t=1h2m3s",
                Some(3723),
            ),
            (
                "https://www.youtube.com/watch?v=dQw4w9WgXcQ&start=42",
                Some(42),
            ),
            ("https://youtu.be/dQw4w9WgXcQ?t=0", None),
            ("https://youtu.be/dQw4w9WgXcQ?t=3s1m", None),
            ("https://youtu.be/dQw4w9WgXcQ?t=1m30", None),
            ("https://youtu.be/dQw4w9WgXcQ?t=soon", None),
            ("https://youtu.be/dQw4w9WgXcQ?t=99999999999", None),
        ] {
            assert_eq!(Video::of(address), youtube(id, start), "{address}");
        }
    }

    #[test]
    fn vimeo_addresses_and_unlisted_keys() {
        assert_eq!(
            Video::of("https://vimeo.com/76979871"),
            Some(Video::Vimeo {
                id: "76979871",
                hash: None
            })
        );
        assert_eq!(
            Video::of("https://www.vimeo.com/76979871/a1b2c3d4e5"),
            Some(Video::Vimeo {
                id: "76979871",
                hash: Some("a1b2c3d4e5")
            })
        );
    }

    #[test]
    fn addresses_that_are_not_one_video_stay_links() {
        for address in [
            "https://www.youtube.com/watch?v=tooshort",
            "https://www.youtube.com/watch?v=dQw4w9WgXcQX",
            "https://www.youtube.com/watch?v=dQw4w9WgX\"Q",
            "https://www.youtube.com/@shopchannel",
            "https://www.youtube.com/playlist?list=PL0123456789",
            "https://www.youtube.com/watch?vv=dQw4w9WgXcQ",
            "https://youtu.be/",
            "https://youtu.be/dQw4w9WgXcQ/extra",
            "https://notyoutube.com/watch?v=dQw4w9WgXcQ",
            "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
            "ftp://youtu.be/dQw4w9WgXcQ",
            "https://vimeo.com/channels/staffpicks",
            "https://vimeo.com/12345678901234",
            "https://vimeo.com/123/not-a-key",
            "https://vimeo.com/",
            "https://example.com/clip.mp4",
        ] {
            assert_eq!(Video::of(address), None, "{address}");
        }
    }

    #[test]
    fn the_embed_is_privacy_enhanced_lazy_and_keeps_a_link() {
        let html = youtube("dQw4w9WgXcQ", Some(90)).unwrap().embed_html();
        assert!(html.starts_with("<figure class=\"video-embed\"><iframe src=\"https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ?start=90\" title=\"YouTube video\" loading=\"lazy\""), "{html}");
        assert!(html.contains(" allowfullscreen></iframe>"), "{html}");
        assert!(html.contains("<p class=\"video-link\"><a href=\"https://www.youtube.com/watch?v=dQw4w9WgXcQ&amp;t=90s\">"), "{html}");
        let vimeo = Video::Vimeo {
            id: "76979871",
            hash: Some("abc"),
        }
        .embed_html();
        assert!(
            vimeo.contains("src=\"https://player.vimeo.com/video/76979871?h=abc&amp;dnt=1\""),
            "{vimeo}"
        );
        assert!(
            vimeo.contains("<a href=\"https://vimeo.com/76979871/abc\">"),
            "{vimeo}"
        );
    }

    #[test]
    fn only_a_top_level_paragraph_of_just_the_address_is_embedded() {
        let embedded = |md: &str| render_to_string(md).html.contains("video-embed");
        assert!(embedded("https://youtu.be/dQw4w9WgXcQ\n"));
        assert!(embedded("<https://youtu.be/dQw4w9WgXcQ>\n"));
        assert!(embedded(
            "[https://youtu.be/dQw4w9WgXcQ](https://youtu.be/dQw4w9WgXcQ)\n"
        ));
        assert!(embedded("www.youtube.com/watch?v=dQw4w9WgXcQ\n"));
        assert!(embedded(
            "앞 문단.\n\n  https://vimeo.com/76979871  \n\n뒤 문단."
        ));
        assert!(!embedded("영상: https://youtu.be/dQw4w9WgXcQ\n"));
        assert!(!embedded("https://youtu.be/dQw4w9WgXcQ 을 보세요\n"));
        assert!(!embedded("[영상](https://youtu.be/dQw4w9WgXcQ)\n"));
        assert!(!embedded("- https://youtu.be/dQw4w9WgXcQ\n"));
        assert!(!embedded("> https://youtu.be/dQw4w9WgXcQ\n"));
        assert!(!embedded("    https://youtu.be/dQw4w9WgXcQ\n"));
        assert!(!embedded("`https://youtu.be/dQw4w9WgXcQ`\n"));
        assert!(!embedded(
            "https://youtu.be/dQw4w9WgXcQ\nhttps://youtu.be/dQw4w9WgXcQ\n"
        ));
    }

    #[test]
    fn a_non_video_address_paragraph_is_written_as_before() {
        for md in [
            "https://www.youtube.com/@shopchannel\n",
            "https://youtu.be/short\n\n사진은 *나중에*\n",
            "https://vimeo.com/channels/x 와 https://youtu.be/dQw4w9WgXcQ\n",
            "**https://youtu.be/dQw4w9WgXcQ**\n",
        ] {
            let without = crate::markdown::html::to_html(
                crate::markdown::autolink::Autolinks::new(
                    md,
                    pulldown_cmark::Parser::new_ext(md, crate::markdown::options()),
                ),
                md.len(),
            );
            assert_eq!(render_to_string(md).html, without, "{md}");
        }
    }

    #[test]
    fn a_video_file_becomes_a_player_with_its_alt_text_as_fallback() {
        let html = render_to_string("![가게 *소개* 영상](clip.mp4 \"제목\")\n").html;
        assert_eq!(
            html,
            "<p><video controls preload=\"metadata\" playsinline src=\"clip.mp4\" title=\"제목\">\
             <a href=\"clip.mp4\">가게 소개 영상</a></video></p>\n"
        );
        let html = render_to_string("- ![\"x\"](a%20b/IMG_0001.MP4?v=1)\n").html;
        assert!(html.contains("src=\"a%20b/IMG_0001.MP4?v=1\""), "{html}");
        assert!(html.contains(">&quot;x&quot;</a></video>"), "{html}");
        let html = render_to_string("![](<clip \"1\".webm>)\n").html;
        assert!(html.contains("src=\"clip%20%221%22.webm\""), "{html}");
        let photo = render_to_string("![사진](a.jpg)\n");
        assert!(photo.html.contains("<img src=\"a.jpg\""), "{}", photo.html);
        assert_eq!(photo.first_image.as_deref(), Some("a.jpg"));
        assert_eq!(render_to_string("![영상](a.mp4)\n").first_image, None);
    }

    #[test]
    fn video_files_by_extension() {
        for yes in ["a.mp4", "b/C.MP4", "c.webm?x=1", "d.WEBM#t=3", "영상.Mp4"] {
            assert!(is_video_file(yes), "{yes}");
            assert!(may_name_video_file(&format!("![]({yes})")), "{yes}");
        }
        for no in [
            ".mp4",
            "a.mp4x",
            "a_mp4",
            "a.mp4/b.jpg",
            "a.png",
            "한.mp",
            "가4",
            "b",
        ] {
            assert!(!is_video_file(no), "{no}");
        }
        for no in ["2024년 4월", "mp4", "web", "bB4", "한글.mp한4"] {
            assert!(!may_name_video_file(no), "{no}");
        }
    }
}
