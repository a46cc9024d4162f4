//! The one overall limit on guessing, shared by login and enrolment: a token bucket of
//! `desk.attempts_per_minute` (default 30), with bursts of up to as many.
//!
//! Every login attempt takes a token, and so does every enrolment step with a code the desk does not hold
//! (mistyped, made up, used, expired). Sharing one bucket means that an attacker who moves from guessing
//! passwords to flooding the enrolment pages gains nothing, and that neither costs more than a bounded number
//! of database reads a minute. Its state lives in memory: a restart fills it.

use std::sync::{Mutex, MutexGuard};

use super::config::DeskConfig;

/// One attempt, in bucket units: the bucket counts 1/60 attempts, so that refilling `per_minute` attempts
/// a minute is whole numbers a second.
const ATTEMPT: i64 = 60;

/// The overall bucket. Share it behind an `Arc`.
pub(super) struct Attempts(Mutex<Bucket>);

struct Bucket {
    level: i64,
    capacity: i64,
    refill_per_sec: i64,
    /// When `level` was last brought up to date (Unix seconds).
    time: i64,
}

impl Attempts {
    pub(super) fn new(config: &DeskConfig, now: i64) -> Attempts {
        let per_minute = i64::from(config.attempts_per_minute);
        Attempts(Mutex::new(Bucket {
            level: per_minute * ATTEMPT,
            capacity: per_minute * ATTEMPT,
            refill_per_sec: per_minute,
            time: now,
        }))
    }

    /// Whether an attempt may start now; takes nothing.
    pub(super) fn has_room(&self, now: i64) -> bool {
        self.bucket(now).level >= ATTEMPT
    }

    /// Takes a token for an attempt: `false` (and nothing taken) when the bucket is empty.
    pub(super) fn take(&self, now: i64) -> bool {
        let mut bucket = self.bucket(now);
        if bucket.level < ATTEMPT {
            return false;
        }
        bucket.level -= ATTEMPT;
        true
    }

    /// Counts an attempt that failed after [`Attempts::has_room`] let it start. With the bucket emptied
    /// meanwhile by other attempts, it stays empty.
    pub(super) fn spend(&self, now: i64) {
        let mut bucket = self.bucket(now);
        bucket.level = (bucket.level - ATTEMPT).max(0);
    }

    /// The bucket, refilled up to `now`.
    fn bucket(&self, now: i64) -> MutexGuard<'_, Bucket> {
        // The bucket is consistent after every statement; a panic elsewhere cannot break it.
        let mut bucket = match self.0.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let elapsed = now.saturating_sub(bucket.time).max(0);
        bucket.level = bucket
            .level
            .saturating_add(elapsed.saturating_mul(bucket.refill_per_sec))
            .min(bucket.capacity);
        // A clock that steps back does not move the refill's starting point back with it.
        bucket.time = bucket.time.max(now);
        bucket
    }
}

impl std::fmt::Debug for Attempts {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Attempts")
    }
}
