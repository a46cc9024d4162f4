//! Time at the only precision porten keeps: the minute.
//!
//! Every time that is stored or sealed (a ticket's activity, a thread entry, an envelope's received time) is
//! rounded down to the minute first, so the record says little about when exactly someone wrote.

use time::OffsetDateTime;

/// Unix seconds of `now`, rounded down to the minute.
pub fn minute(now: OffsetDateTime) -> i64 {
    let seconds = now.unix_timestamp();
    seconds - seconds.rem_euclid(60)
}

/// `now` in UTC, rounded down to the minute.
pub fn minute_of(now: OffsetDateTime) -> OffsetDateTime {
    // The rounded value lies within `now`'s own range, so it always converts back.
    OffsetDateTime::from_unix_timestamp(minute(now)).unwrap_or(OffsetDateTime::UNIX_EPOCH)
}

#[cfg(test)]
mod tests {
    use time::macros::datetime;

    use super::*;

    #[test]
    fn times_are_rounded_down_to_the_minute_in_utc() {
        assert_eq!(minute(datetime!(1970-01-01 00:01:59 UTC)), 60);
        assert_eq!(minute(datetime!(1970-01-01 00:02:00 UTC)), 120);
        assert_eq!(minute(datetime!(1969-12-31 23:59:30 UTC)), -60);
        assert_eq!(
            minute_of(datetime!(2025-03-01 14:07:59.999 +02:00)),
            datetime!(2025-03-01 12:07:00 UTC)
        );
    }
}
