//! Byte ranges of a download (`Range: bytes=…`, RFC 9110 §14), which an `<audio>` element sends
//! for the WAV to learn its length and to seek: one satisfiable range gets `206 Partial Content`
//! with its `Content-Range`, a range wholly past the end `416`, anything else (no header, one
//! the parser cannot read, several ranges) the whole file, as the RFC allows. Parsed by
//! http-range-header, the parser tower-http uses.

use std::ops::RangeInclusive;

use http_range_header::{RangeUnsatisfiableError, parse_range_header};

/// What of a file of `size` bytes to send.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) enum Part {
    /// All of it, `200 OK`.
    Whole,
    /// These bytes, `206 Partial Content`.
    Bytes(RangeInclusive<u64>),
    /// Nothing: the range starts past the end, `416 Range Not Satisfiable`.
    PastTheEnd,
}

/// The part of a file of `size` bytes that the `Range` header `asked` (if any) asks for.
pub(super) fn part(asked: Option<&str>, size: u64) -> Part {
    let Some(ranges) = asked.and_then(|a| parse_range_header(a.trim()).ok()) else {
        return Part::Whole;
    };
    match ranges.validate(size) {
        Ok(mut valid) if valid.len() == 1 => Part::Bytes(valid.remove(0)),
        Ok(_) => Part::Whole,
        // A start past the end reads as reversed once the end is cut to the file's last byte.
        Err(RangeUnsatisfiableError::RangeReversed) if ranges.ranges.len() == 1 => Part::PastTheEnd,
        // A suffix longer than the file, several ranges that overlap: the whole file.
        Err(_) => Part::Whole,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_range_is_sent_alone() {
        assert_eq!(part(Some("bytes=0-"), 100), Part::Bytes(0..=99));
        assert_eq!(part(Some("bytes=10-19"), 100), Part::Bytes(10..=19));
        assert_eq!(part(Some("bytes=90-500"), 100), Part::Bytes(90..=99));
        assert_eq!(part(Some("bytes=-10"), 100), Part::Bytes(90..=99));
        assert_eq!(part(Some("bytes=-500"), 100), Part::Whole);
    }

    #[test]
    fn a_range_past_the_end_is_not_satisfiable() {
        assert_eq!(part(Some("bytes=100-"), 100), Part::PastTheEnd);
        assert_eq!(part(Some("bytes=200-300"), 100), Part::PastTheEnd);
    }

    #[test]
    fn anything_else_gets_the_whole_file() {
        assert_eq!(part(None, 100), Part::Whole);
        assert_eq!(part(Some("lines=1-2"), 100), Part::Whole);
        assert_eq!(part(Some("bytes=x-y"), 100), Part::Whole);
        assert_eq!(part(Some("bytes=0-9, 20-29"), 100), Part::Whole);
    }
}
