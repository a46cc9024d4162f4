//! Times as visitors read them: the centre's local time (Sweden: CET, CEST in summer), to the minute.
//!
//! The gateway stores only whole minutes in UTC. Sweden follows the EU rule — summer time from 01:00 UTC on
//! the last Sunday of March to 01:00 UTC on the last Sunday of October — which is simple enough to compute
//! here rather than ship a time-zone database.

use time::{Date, Month, OffsetDateTime, Time, UtcOffset, Weekday};

fn last_sunday_0100_utc(year: i32, month: Month) -> Option<OffsetDateTime> {
    let mut day = Date::from_calendar_date(year, month, 31).ok()?;
    while day.weekday() != Weekday::Sunday {
        day = day.previous_day()?;
    }
    Some(day.with_time(Time::from_hms(1, 0, 0).ok()?).assume_utc())
}

/// The centre's UTC offset at a moment.
fn offset_at(moment: OffsetDateTime) -> UtcOffset {
    let year = moment.year();
    let summer = match (
        last_sunday_0100_utc(year, Month::March),
        last_sunday_0100_utc(year, Month::October),
    ) {
        (Some(start), Some(end)) => moment >= start && moment < end,
        _ => false,
    };
    let hours = if summer { 2 } else { 1 };
    UtcOffset::from_hms(hours, 0, 0).unwrap_or(UtcOffset::UTC)
}

/// Formats unix seconds as `YYYY-MM-DD HH:MM` in the centre's local time.
pub fn format(unix_seconds: i64) -> String {
    let Ok(utc) = OffsetDateTime::from_unix_timestamp(unix_seconds) else {
        return String::from("—");
    };
    let local = utc.to_offset(offset_at(utc));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        local.year(),
        u8::from(local.month()),
        local.day(),
        local.hour(),
        local.minute()
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winter_is_utc_plus_one_and_summer_utc_plus_two() {
        // 2026-01-15 12:00 UTC and 2026-07-15 12:00 UTC.
        assert_eq!(format(1_768_478_400), "2026-01-15 13:00");
        assert_eq!(format(1_784_116_800), "2026-07-15 14:00");
    }

    #[test]
    fn summer_time_starts_on_the_last_sunday_of_march_at_one_utc() {
        // 2026-03-29 is the last Sunday of March. 00:59 UTC is still winter; 01:00 UTC is summer.
        assert_eq!(format(1_774_745_940), "2026-03-29 01:59");
        assert_eq!(format(1_774_746_000), "2026-03-29 03:00");
    }
}
