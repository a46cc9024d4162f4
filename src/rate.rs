//! A token bucket: the building block of the gateway's budgets ([`crate::budget`]), which put one per source
//! in front of one per way in (clear web, onion service). The global bucket bounds the work all clients
//! together can cause (Argon2id runs, envelopes in the outbox, code guesses); the per-source ones keep one
//! client from spending it for everyone. During a flood from many sources a real visitor is asked to wait
//! too: the page says so plainly.

use std::sync::Mutex;
use std::time::{Duration, Instant};

/// A token bucket: `burst` actions at once, refilled at `per_minute`.
#[derive(Debug)]
pub struct RateLimit {
    per_second: f64,
    burst: f64,
    state: Mutex<Bucket>,
}

#[derive(Debug)]
struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateLimit {
    /// A bucket that starts full.
    pub fn new(per_minute: u32, burst: u32) -> RateLimit {
        let burst = f64::from(burst.max(1));
        RateLimit {
            per_second: f64::from(per_minute.max(1)) / 60.0,
            burst,
            state: Mutex::new(Bucket {
                tokens: burst,
                last: Instant::now(),
            }),
        }
    }

    /// Takes one token if there is one; otherwise says how long until there will be.
    pub fn try_take(&self) -> Result<(), Duration> {
        self.try_take_at(Instant::now())
    }

    /// Whether the bucket has refilled to its burst by `now`: no different from a new one.
    pub(crate) fn is_full_at(&self, now: Instant) -> bool {
        let bucket = match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens + elapsed * self.per_second >= self.burst
    }

    pub(crate) fn try_take_at(&self, now: Instant) -> Result<(), Duration> {
        let mut bucket = match self.state.lock() {
            Ok(guard) => guard,
            Err(poisoned) => poisoned.into_inner(),
        };
        let elapsed = now.saturating_duration_since(bucket.last).as_secs_f64();
        bucket.tokens = (bucket.tokens + elapsed * self.per_second).min(self.burst);
        bucket.last = now;
        if bucket.tokens >= 1.0 {
            bucket.tokens -= 1.0;
            Ok(())
        } else {
            let missing = 1.0 - bucket.tokens;
            Err(Duration::from_secs_f64(missing / self.per_second).max(Duration::from_secs(1)))
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn a_burst_passes_then_the_rate_applies() {
        let limit = RateLimit::new(60, 3);
        let start = Instant::now();
        for _ in 0..3 {
            assert!(limit.try_take_at(start).is_ok());
        }
        let wait = limit
            .try_take_at(start)
            .expect_err("the fourth at once is refused");
        assert!(wait >= Duration::from_secs(1));
        assert!(
            limit
                .try_take_at(start + Duration::from_millis(1100))
                .is_ok(),
            "one per second refills"
        );
        assert!(limit
            .try_take_at(start + Duration::from_millis(1200))
            .is_err());
    }
}
