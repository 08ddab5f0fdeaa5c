//! Dates as writers type them (`2025-09-08`, `2025-09-08 07:00`, RFC 3339, Jekyll's
//! `2025-09-08 07:00:00 +0900`), read in the site's time zone when they carry no offset.

use chrono::{DateTime, FixedOffset, NaiveDate, NaiveDateTime, TimeZone};
use chrono_tz::Tz;

/// Parses `text` as a date; a date or time without an offset is local to `tz`.
pub fn parse_date(text: &str, tz: Tz) -> Option<DateTime<Tz>> {
    let text = text.trim();
    if let Some(d) = parse_with_offset(text) {
        return Some(d.with_timezone(&tz));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(naive) = NaiveDateTime::parse_from_str(text, fmt) {
            return local(naive, tz);
        }
    }
    let date = NaiveDate::parse_from_str(text, "%Y-%m-%d").ok()?;
    local(date.and_hms_opt(0, 0, 0)?, tz)
}

/// `text` (trimmed) as a date and time with its own offset (RFC 3339, Jekyll's
/// `2025-09-08 07:00:00 +0900`…); `None` for one without an offset.
pub fn parse_with_offset(text: &str) -> Option<DateTime<FixedOffset>> {
    if let Ok(d) = DateTime::parse_from_rfc3339(text) {
        return Some(d);
    }
    [
        "%Y-%m-%d %H:%M:%S%.f %z",
        "%Y-%m-%d %H:%M:%S%.f%:z",
        "%Y-%m-%d %H:%M:%S %:z",
        "%Y-%m-%dT%H:%M%:z",
        "%Y-%m-%d %H:%M %z",
    ]
    .iter()
    .find_map(|fmt| DateTime::parse_from_str(text, fmt).ok())
}

/// A wall-clock time in `tz`; in a DST overlap the earlier instant, in a gap none.
fn local(naive: NaiveDateTime, tz: Tz) -> Option<DateTime<Tz>> {
    tz.from_local_datetime(&naive).earliest()
}

/// The `YYYY-MM-DD-` prefix of a file name, if it has one: (date, rest of the name).
pub fn split_date_prefix(stem: &str) -> Option<(NaiveDate, &str)> {
    let prefix = stem.get(..11)?;
    if !prefix.ends_with('-') {
        return None;
    }
    let date = NaiveDate::parse_from_str(&prefix[..10], "%Y-%m-%d").ok()?;
    Some((date, &stem[11..]))
}

/// Midnight of `date` in `tz`.
pub fn start_of_day(date: NaiveDate, tz: Tz) -> Option<DateTime<Tz>> {
    local(date.and_hms_opt(0, 0, 0)?, tz)
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Asia::Seoul;

    fn rfc(text: &str) -> String {
        parse_date(text, Seoul).unwrap().to_rfc3339()
    }

    #[test]
    fn accepts_common_forms() {
        assert_eq!(rfc("2025-09-08"), "2025-09-08T00:00:00+09:00");
        assert_eq!(rfc("2025-09-08 07:30"), "2025-09-08T07:30:00+09:00");
        assert_eq!(
            rfc("2025-09-08T07:00:00+09:00"),
            "2025-09-08T07:00:00+09:00"
        );
        assert_eq!(rfc("2025-09-07T22:00:00Z"), "2025-09-08T07:00:00+09:00");
        assert_eq!(
            rfc("2025-09-08 07:00:00 +0900"),
            "2025-09-08T07:00:00+09:00"
        );
        assert!(parse_date("2025-13-01", Seoul).is_none());
        assert!(parse_date("어제", Seoul).is_none());
    }

    #[test]
    fn file_name_prefix() {
        let (d, rest) = split_date_prefix("2025-09-08-complaints").unwrap();
        assert_eq!(d.to_string(), "2025-09-08");
        assert_eq!(rest, "complaints");
        assert!(split_date_prefix("complaints").is_none());
    }
}
