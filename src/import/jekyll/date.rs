//! Dates as Jekyll 4 reads them for a post's address: the date at the start of the file
//! name (`2020-3-4-x.md` too), else the front matter's `date:` as Ruby's `Time.parse` reads
//! it (`2018/9/11 10:00`, `Sep 13 2018 01:02:03 +0900`, `2018-07-08 23:30:00 KST`…) in the
//! site's `timezone:`, except an unquoted YAML timestamp without an offset, which YAML
//! reads as UTC. Pure: text in, instant out; no file is read here.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, NaiveTime, TimeZone};
use chrono_tz::Tz;

/// Jekyll's `DATE_FILENAME_MATCHER` on a file's stem: `(\d{2,4}-\d{1,2}-\d{1,2})-(.*)`,
/// as (the date, the rest of the name). `None` when the name holds no date, or one that
/// is not a day of the calendar.
pub(super) fn file_name_date(stem: &str) -> Option<(NaiveDate, &str)> {
    let mut parts = stem.splitn(4, '-');
    let (y, m, d) = (parts.next()?, parts.next()?, parts.next()?);
    let rest = parts.next()?;
    let digits = |s: &str, min: usize, max: usize| {
        (min..=max).contains(&s.len()) && s.bytes().all(|b| b.is_ascii_digit())
    };
    if !(digits(y, 2, 4) && digits(m, 1, 2) && digits(d, 1, 2)) {
        return None;
    }
    let date = NaiveDate::from_ymd_opt(full_year(y)?, m.parse().ok()?, d.parse().ok()?)?;
    Some((date, rest))
}

/// The instant Jekyll gives a `date:` of the front matter, in `tz`; `quoted` when the YAML
/// value was in quotes (then it is a string for `Time.parse`, not a YAML timestamp).
pub(super) fn front_matter_date(text: &str, quoted: bool, tz: Tz) -> Option<DateTime<Tz>> {
    let parsed = parse(text.trim())?;
    let instant = match parsed.offset {
        Some(offset) => offset
            .from_local_datetime(&parsed.local)
            .single()?
            .with_timezone(&tz),
        None if !quoted && is_yaml_timestamp(text.trim()) => chrono::Utc
            .from_utc_datetime(&parsed.local)
            .with_timezone(&tz),
        None => tz.from_local_datetime(&parsed.local).earliest()?,
    };
    Some(instant)
}

/// Midnight of a file name's date in `tz`, as `Time.parse("2020-3-4")` gives it.
pub(super) fn midnight(date: NaiveDate, tz: Tz) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&date.and_time(NaiveTime::MIN))
        .earliest()
}

struct Parsed {
    local: NaiveDateTime,
    offset: Option<FixedOffset>,
}

/// A subset of `Time.parse` wide enough for the dates people write: a numeric date
/// (`-`, `/` or `.` between parts, or `YYYYMMDD`) or an English month name with a day and
/// a year, an optional time (`T` or a space before it), and an optional zone.
fn parse(text: &str) -> Option<Parsed> {
    let mut date: Option<(i32, u32, u32)> = None;
    let (mut month, mut day, mut year) = (None, None, None);
    let mut time = NaiveTime::MIN;
    let mut offset = None;
    for token in text.split([' ', ',', '\t']).filter(|t| !t.is_empty()) {
        let (head, tail) = split_date_time(token);
        if let Some(d) = numeric_date(head) {
            date = Some(d);
            if let Some(t) = tail {
                (time, offset) = clock(t).map(|(t, o)| (t, o.or(offset)))?;
            }
        } else if token.contains(':') && token.starts_with(|c: char| c.is_ascii_digit()) {
            (time, offset) = clock(token).map(|(t, o)| (t, o.or(offset)))?;
        } else if let Some(o) = zone(token) {
            offset = Some(o);
        } else if let Some(m) = month_number(token) {
            month = Some(m);
        } else if token.bytes().all(|b| b.is_ascii_digit()) {
            match token.len() {
                1 | 2 => day = Some(token.parse().ok()?),
                4 => year = Some(token.parse().ok()?),
                _ => return None,
            }
        } else if weekday(token) {
            continue;
        } else {
            return None;
        }
    }
    let (y, m, d) = date.or_else(|| Some((year?, month?, day?)))?;
    let local = NaiveDate::from_ymd_opt(y, m, d)?.and_time(time);
    Some(Parsed { local, offset })
}

/// `2018-09-01T10:00+09:00` → (`2018-09-01`, `10:00+09:00`).
fn split_date_time(token: &str) -> (&str, Option<&str>) {
    match token.find(['T', 't']) {
        Some(i)
            if token[..i]
                .bytes()
                .all(|b| b.is_ascii_digit() || b"-/.".contains(&b)) =>
        {
            (&token[..i], Some(&token[i + 1..]))
        }
        _ => (token, None),
    }
}

fn numeric_date(token: &str) -> Option<(i32, u32, u32)> {
    if token.len() == 8 && token.bytes().all(|b| b.is_ascii_digit()) {
        return Some((
            token[..4].parse().ok()?,
            token[4..6].parse().ok()?,
            token[6..].parse().ok()?,
        ));
    }
    let sep = ['-', '/', '.'].into_iter().find(|&s| token.contains(s))?;
    let parts: Vec<&str> = token.split(sep).collect();
    let [y, m, d] = parts[..] else { return None };
    let all_digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !(all_digits(y) && all_digits(m) && all_digits(d)) || y.len() < 2 || y.len() > 4 {
        return None;
    }
    Some((full_year(y)?, m.parse().ok()?, d.parse().ok()?))
}

/// A year of two digits as Ruby completes it: `17` → 2017, `85` → 1985.
fn full_year(y: &str) -> Option<i32> {
    let n: i32 = y.parse().ok()?;
    Some(match y.len() {
        2 if n < 69 => 2000 + n,
        2 => 1900 + n,
        _ => n,
    })
}

/// `10:00`, `23:30:00.5`, with a zone stuck to it (`10:00+09:00`, `10:00:00Z`).
fn clock(token: &str) -> Option<(NaiveTime, Option<FixedOffset>)> {
    let end = token
        .find(|c: char| !(c.is_ascii_digit() || c == ':' || c == '.'))
        .unwrap_or(token.len());
    let (clock, rest) = token.split_at(end);
    let offset = if rest.is_empty() {
        None
    } else {
        Some(zone(rest)?)
    };
    let mut parts = clock.split(':');
    let h: u32 = parts.next()?.parse().ok()?;
    let m: u32 = parts.next()?.parse().ok()?;
    let (s, nanos) = match parts.next() {
        Some(sec) => {
            let (whole, frac) = sec.split_once('.').unwrap_or((sec, ""));
            let frac = format!("{frac:0<9}");
            (whole.parse().ok()?, frac.get(..9)?.parse().ok()?)
        }
        None => (0, 0),
    };
    Some((NaiveTime::from_hms_nano_opt(h, m, s, nanos)?, offset))
}

/// `Z`, `UTC`, `GMT`, `KST`, `JST`, `+0900`, `+09:00`, `-5`.
fn zone(token: &str) -> Option<FixedOffset> {
    let hours = |h: i32| FixedOffset::east_opt(h * 3600);
    match token.to_ascii_uppercase().as_str() {
        "Z" | "UTC" | "GMT" | "UT" => return hours(0),
        "KST" | "JST" => return hours(9),
        _ => {}
    }
    let sign = match token.as_bytes().first()? {
        b'+' => 1,
        b'-' => -1,
        _ => return None,
    };
    let digits: String = token[1..].chars().filter(|&c| c != ':').collect();
    if digits.is_empty() || digits.len() > 4 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    let (h, m) = if digits.len() <= 2 {
        (digits.parse::<i32>().ok()?, 0)
    } else {
        let split = digits.len() - 2;
        (digits[..split].parse().ok()?, digits[split..].parse().ok()?)
    };
    FixedOffset::east_opt(sign * (h * 3600 + m * 60))
}

const MONTHS: [&str; 12] = [
    "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
];

fn month_number(token: &str) -> Option<u32> {
    let lower = token.trim_end_matches('.').to_ascii_lowercase();
    let i = MONTHS
        .iter()
        .position(|m| lower.starts_with(m) && lower.len() >= 3)?;
    u32::try_from(i + 1).ok()
}

fn weekday(token: &str) -> bool {
    let lower = token.trim_end_matches('.').to_ascii_lowercase();
    ["mon", "tue", "wed", "thu", "fri", "sat", "sun"]
        .iter()
        .any(|d| lower.starts_with(d))
}

/// YAML 1.1's timestamp with a time (`2018-07-08 23:30:00`, `2018-7-8t23:30:00.5`), which
/// YAML reads as UTC when it has no zone; `2018-07-08 23:30` (no seconds) is a string.
fn is_yaml_timestamp(text: &str) -> bool {
    let Some(i) = text.find([' ', 'T', 't', '\t']) else {
        return false;
    };
    let (date, rest) = text.split_at(i);
    let mut parts = date.splitn(3, '-');
    let ok_date = parts.next().is_some_and(|y| y.len() == 4)
        && parts.all(|p| (1..=2).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_digit()));
    let clock = rest[1..].trim_start();
    let hms: Vec<&str> = clock.split(':').collect();
    ok_date
        && hms.len() == 3
        && (1..=2).contains(&hms[0].len())
        && hms[1].len() == 2
        && hms[2]
            .get(..2)
            .is_some_and(|s| s.bytes().all(|b| b.is_ascii_digit()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str, quoted: bool) -> String {
        front_matter_date(text, quoted, chrono_tz::Asia::Seoul)
            .map(|d| d.format("%Y-%m-%d %H:%M:%S %z").to_string())
            .unwrap_or_default()
    }

    /// What `TZ=Asia/Seoul ruby -rtime -e 'puts Time.parse(ARGV[0]).localtime'` prints.
    #[test]
    fn reads_dates_as_ruby_time_parse() {
        for (text, time) in [
            ("2018-08-09 23:30", "2018-08-09 23:30:00 +0900"),
            ("2018/9/11 10:00", "2018-09-11 10:00:00 +0900"),
            ("17-3-5", "2017-03-05 00:00:00 +0900"),
            ("Sep 13 2018 01:02:03 +0900", "2018-09-13 01:02:03 +0900"),
            ("2018-07-08 23:30:00 KST", "2018-07-08 23:30:00 +0900"),
            ("13 September 2018", "2018-09-13 00:00:00 +0900"),
            ("2018-9-1T10:00+09:00", "2018-09-01 10:00:00 +0900"),
            ("2018.09.11", "2018-09-11 00:00:00 +0900"),
            (
                "Thu, 13 Sep 2018 01:02:03 +0900",
                "2018-09-13 01:02:03 +0900",
            ),
            ("20180911", "2018-09-11 00:00:00 +0900"),
            ("2018-09-11 10:00:00.5 Z", "2018-09-11 19:00:00 +0900"),
            ("2018-09-11 25:00", ""),
            ("어제", ""),
        ] {
            assert_eq!(read(text, true), time, "{text}");
        }
    }

    #[test]
    fn an_unquoted_timestamp_without_zone_is_utc() {
        assert_eq!(
            read("2018-07-08 23:30:00", false),
            "2018-07-09 08:30:00 +0900"
        );
        assert_eq!(
            read("2018-07-08 23:30:00", true),
            "2018-07-08 23:30:00 +0900"
        );
        assert_eq!(read("2018-07-08 23:30", false), "2018-07-08 23:30:00 +0900");
        assert_eq!(read("2018-07-08", false), "2018-07-08 00:00:00 +0900");
    }

    #[test]
    fn file_names_hold_dates_of_one_or_two_digits() {
        let day = |y, m, d| NaiveDate::from_ymd_opt(y, m, d).unwrap();
        assert_eq!(
            file_name_date("2020-3-4-short"),
            Some((day(2020, 3, 4), "short"))
        );
        assert_eq!(
            file_name_date("2019-01-01-a-b"),
            Some((day(2019, 1, 1), "a-b"))
        );
        assert_eq!(file_name_date("2019-02-30-x"), None);
        assert_eq!(file_name_date("about"), None);
        assert_eq!(file_name_date("2019-01-01"), None);
    }
}
