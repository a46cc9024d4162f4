//! Budgets that one client cannot spend for everyone: a token bucket per source in front of the global one.
//!
//! A source is where a request comes from, as far as the gateway can tell without keeping it: a network on the
//! clear web (the /24 of an IPv4 address, the /56 of an IPv6 one, so that one household or one small provider
//! shares a budget and rotating through a block buys nothing), or one rendezvous circuit on the onion service
//! (every stream of a circuit comes from the same Tor client). Sources are never stored or logged: the table
//! is keyed by HMAC-SHA256 of the source under a random key held only in memory and replaced every hour, when
//! the table is emptied, so the table itself cannot be matched against an address list after the fact.
//!
//! A request first takes from its source's bucket, then from its network's global one (which bounds the total
//! work, such as key derivations), so a client that spends its own budget stops itself, not the others. The
//! clear web and the onion service have global buckets of their own, so a flood over one does not close the
//! other. Requests whose source is unknown (the plain-HTTP listener, behind a local C tor or proxy that passes
//! no address) have only the onion side's global bucket: sharing one per-source bucket among all of them would
//! let one client stop all the others.
//!
//! Connections are bounded the same way: [`ConnectionShares`] counts the connections each source holds, so one
//! network cannot take every connection slot.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;
use std::time::{Duration, Instant};

use ring::hmac;

use crate::rate::RateLimit;

/// How long one table key lives; the table is emptied with it.
const KEY_LIFETIME: Duration = Duration::from_secs(3600);
/// The most sources remembered at once. Beyond it, sources with full buckets (no different from a new
/// source) are forgotten; if none is, new sources share one overflow bucket until the next key.
pub const MAX_SOURCES: usize = 65_536;

/// Where a request comes from, as far as budgets go. Never logged: it is not `Debug`.
#[derive(Clone, Copy)]
pub enum Source {
    /// A clear-web client: its network (/24 or /56) is what counts.
    Address(IpAddr),
    /// A rendezvous circuit of the onion service, by a number the onion service gives it.
    Circuit(u64),
    /// Nothing known (a local plain-HTTP client behind a C tor or proxy that passes no address): only the
    /// global bucket applies.
    Unknown,
}

impl Source {
    /// Whether the source counts against the onion service's global buckets.
    fn is_onion_side(self) -> bool {
        matches!(self, Source::Circuit(_) | Source::Unknown)
    }

    /// The bytes that name the source's budget: a kind byte, then the network prefix or the circuit number.
    fn label(self) -> ([u8; 9], usize) {
        let mut out = [0u8; 9];
        match self {
            Source::Address(IpAddr::V4(v4)) => {
                out[0] = 4;
                out[1..4].copy_from_slice(&v4.octets()[..3]);
                (out, 4)
            }
            Source::Address(IpAddr::V6(v6)) => match v6.to_ipv4_mapped() {
                Some(v4) => Source::Address(IpAddr::V4(v4)).label(),
                None => {
                    out[0] = 6;
                    out[1..8].copy_from_slice(&v6.octets()[..7]);
                    (out, 8)
                }
            },
            Source::Circuit(id) => {
                out[0] = 0xc;
                out[1..9].copy_from_slice(&id.to_be_bytes());
                (out, 9)
            }
            Source::Unknown => (out, 1),
        }
    }
}

/// Per-source buckets and the key that names them.
struct Table {
    key: hmac::Key,
    created: Instant,
    buckets: HashMap<[u8; 16], RateLimit>,
    overflow: RateLimit,
}

/// One kind of action's budget: per source, then per network (clear web or onion service).
pub struct Budget {
    per_minute: u32,
    burst: u32,
    clear_web: RateLimit,
    onion: RateLimit,
    table: Mutex<Table>,
    max_sources: usize,
}

impl Budget {
    /// `per_source_per_minute` and `per_source_burst` for each source, `global_per_minute` and `global_burst`
    /// over all the clear web's sources, and as much again over the onion service's.
    ///
    /// # Panics
    ///
    /// If the operating system's random number generator fails.
    pub fn new(
        per_source_per_minute: u32,
        per_source_burst: u32,
        global_per_minute: u32,
        global_burst: u32,
    ) -> Budget {
        Budget::with_max_sources(
            per_source_per_minute,
            per_source_burst,
            global_per_minute,
            global_burst,
            MAX_SOURCES,
        )
    }

    fn with_max_sources(
        per_minute: u32,
        burst: u32,
        global_per_minute: u32,
        global_burst: u32,
        max_sources: usize,
    ) -> Budget {
        Budget {
            per_minute,
            burst,
            clear_web: RateLimit::new(global_per_minute, global_burst),
            onion: RateLimit::new(global_per_minute, global_burst),
            table: Mutex::new(Table::new(per_minute, burst, Instant::now())),
            max_sources: max_sources.max(1),
        }
    }

    /// Takes one action's worth from `source`'s bucket and then from the global one; otherwise says how long
    /// until there is room.
    pub fn try_take(&self, source: Source) -> Result<(), Duration> {
        self.try_take_at(source, Instant::now())
    }

    fn try_take_at(&self, source: Source, now: Instant) -> Result<(), Duration> {
        let global = if source.is_onion_side() {
            &self.onion
        } else {
            &self.clear_web
        };
        if matches!(source, Source::Unknown) {
            return global.try_take_at(now);
        }
        {
            let mut table = lock(&self.table);
            if now.saturating_duration_since(table.created) >= KEY_LIFETIME {
                *table = Table::new(self.per_minute, self.burst, now);
            }
            let name = table.name(source);
            if !table.buckets.contains_key(&name) && table.buckets.len() >= self.max_sources {
                table.buckets.retain(|_, bucket| !bucket.is_full_at(now));
            }
            let room = table.buckets.contains_key(&name) || table.buckets.len() < self.max_sources;
            let bucket = if room {
                table
                    .buckets
                    .entry(name)
                    .or_insert_with(|| RateLimit::new(self.per_minute, self.burst))
            } else {
                &table.overflow
            };
            bucket.try_take_at(now)?;
        }
        global.try_take_at(now)
    }
}

impl Table {
    fn new(per_minute: u32, burst: u32, now: Instant) -> Table {
        Table {
            key: fresh_key(),
            created: now,
            buckets: HashMap::new(),
            overflow: RateLimit::new(per_minute, burst),
        }
    }

    fn name(&self, source: Source) -> [u8; 16] {
        name_of(&self.key, source)
    }
}

/// How many connections each source holds, bounded per source.
///
/// A connection enters with [`ConnectionShares::try_enter`] after it is accepted and before anything is read
/// from it, and leaves when its [`ConnectionShare`] is dropped. Counts are kept only while a source has a
/// connection open, under the same hourly keyed names as the buckets; after a new key, connections opened
/// under the old one are no longer counted, so for at most one connection lifetime a source may hold up to
/// twice its share.
pub struct ConnectionShares {
    per_source: u32,
    table: Mutex<Shares>,
}

struct Shares {
    key: hmac::Key,
    created: Instant,
    generation: u64,
    counts: HashMap<[u8; 16], u32>,
}

/// One connection's place in its source's share; gives it back when dropped.
pub struct ConnectionShare {
    shares: std::sync::Arc<ConnectionShares>,
    /// The source's name and the key generation it was made under; `None` for a source that is not counted.
    counted: Option<([u8; 16], u64)>,
}

impl ConnectionShares {
    /// At most `per_source` connections at once from one source.
    pub fn new(per_source: u32) -> std::sync::Arc<ConnectionShares> {
        std::sync::Arc::new(ConnectionShares {
            per_source: per_source.max(1),
            table: Mutex::new(Shares::new(Instant::now(), 0)),
        })
    }

    /// A place for one more connection from `source`, or `None` when the source holds its share already.
    /// Sources that are not known are not counted (the listener's own bound applies to them).
    pub fn try_enter(self: &std::sync::Arc<Self>, source: Source) -> Option<ConnectionShare> {
        self.try_enter_at(source, Instant::now())
    }

    fn try_enter_at(
        self: &std::sync::Arc<Self>,
        source: Source,
        now: Instant,
    ) -> Option<ConnectionShare> {
        if matches!(source, Source::Unknown) {
            return Some(ConnectionShare {
                shares: std::sync::Arc::clone(self),
                counted: None,
            });
        }
        let mut table = lock(&self.table);
        if now.saturating_duration_since(table.created) >= KEY_LIFETIME {
            let generation = table.generation.wrapping_add(1);
            *table = Shares::new(now, generation);
        }
        let name = name_of(&table.key, source);
        let generation = table.generation;
        let count = table.counts.entry(name).or_insert(0);
        if *count >= self.per_source {
            return None;
        }
        *count += 1;
        Some(ConnectionShare {
            shares: std::sync::Arc::clone(self),
            counted: Some((name, generation)),
        })
    }

    #[cfg(test)]
    fn sources(&self) -> usize {
        lock(&self.table).counts.len()
    }
}

impl Drop for ConnectionShare {
    fn drop(&mut self) {
        let Some((name, generation)) = self.counted else {
            return;
        };
        let mut table = lock(&self.shares.table);
        if table.generation != generation {
            return;
        }
        if let Some(count) = table.counts.get_mut(&name) {
            *count = count.saturating_sub(1);
            if *count == 0 {
                table.counts.remove(&name);
            }
        }
    }
}

impl Shares {
    fn new(now: Instant, generation: u64) -> Shares {
        Shares {
            key: fresh_key(),
            created: now,
            generation,
            counts: HashMap::new(),
        }
    }
}

fn lock<T>(mutex: &Mutex<T>) -> std::sync::MutexGuard<'_, T> {
    match mutex.lock() {
        Ok(guard) => guard,
        Err(poisoned) => poisoned.into_inner(),
    }
}

/// A new random key for naming sources, held only in memory.
fn fresh_key() -> hmac::Key {
    let mut key = zeroize::Zeroizing::new([0u8; 32]);
    crate::ticket::fill_random(&mut key[..]);
    hmac::Key::new(hmac::HMAC_SHA256, &key[..])
}

/// The name a source's budget goes by under `key`: the first 16 bytes of its label's HMAC.
fn name_of(key: &hmac::Key, source: Source) -> [u8; 16] {
    let (label, len) = source.label();
    let tag = hmac::sign(key, &label[..len]);
    let mut name = [0u8; 16];
    name.copy_from_slice(&tag.as_ref()[..16]);
    name
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn v4(text: &str) -> Source {
        Source::Address(text.parse().unwrap_or(IpAddr::from([0, 0, 0, 0])))
    }

    #[test]
    fn one_network_spending_its_budget_does_not_spend_another_networks() {
        let budget = Budget::new(60, 3, 6000, 1000);
        let now = Instant::now();
        for _ in 0..3 {
            assert!(budget.try_take_at(v4("203.0.113.7"), now).is_ok());
        }
        assert!(
            budget.try_take_at(v4("203.0.113.200"), now).is_err(),
            "same /24"
        );
        assert!(
            budget.try_take_at(v4("198.51.100.7"), now).is_ok(),
            "another network"
        );
    }

    #[test]
    fn an_ipv6_client_cannot_escape_its_budget_inside_its_56() {
        let budget = Budget::new(60, 1, 6000, 1000);
        let now = Instant::now();
        let a = Source::Address(
            "2001:db8:aa:bb00::1"
                .parse()
                .unwrap_or(IpAddr::from([0u8; 16])),
        );
        let b = Source::Address(
            "2001:db8:aa:bbff:1234::9"
                .parse()
                .unwrap_or(IpAddr::from([0u8; 16])),
        );
        let c = Source::Address(
            "2001:db8:aa:cc00::1"
                .parse()
                .unwrap_or(IpAddr::from([0u8; 16])),
        );
        assert!(budget.try_take_at(a, now).is_ok());
        assert!(budget.try_take_at(b, now).is_err(), "same /56");
        assert!(budget.try_take_at(c, now).is_ok(), "another /56");
    }

    #[test]
    fn circuits_have_budgets_of_their_own() {
        let budget = Budget::new(60, 1, 6000, 1000);
        let now = Instant::now();
        assert!(budget.try_take_at(Source::Circuit(1), now).is_ok());
        assert!(budget.try_take_at(Source::Circuit(1), now).is_err());
        assert!(budget.try_take_at(Source::Circuit(2), now).is_ok());
    }

    #[test]
    fn the_global_bucket_still_bounds_the_total() {
        let budget = Budget::new(60, 5, 60, 2);
        let now = Instant::now();
        assert!(budget.try_take_at(v4("192.0.2.1"), now).is_ok());
        assert!(budget.try_take_at(v4("198.51.100.1"), now).is_ok());
        assert!(budget.try_take_at(v4("203.0.113.1"), now).is_err());
    }

    #[test]
    fn a_source_refused_by_its_own_bucket_spends_nothing_of_the_global_one() {
        let budget = Budget::new(60, 1, 60, 2);
        let now = Instant::now();
        assert!(budget.try_take_at(v4("192.0.2.1"), now).is_ok());
        for _ in 0..10 {
            assert!(budget.try_take_at(v4("192.0.2.1"), now).is_err());
        }
        assert!(
            budget.try_take_at(v4("198.51.100.1"), now).is_ok(),
            "the global bucket was untouched"
        );
    }

    #[test]
    fn the_table_is_bounded_and_forgets_sources_that_are_back_to_full() {
        let budget = Budget::with_max_sources(60, 1, 600_000, 100_000, 4);
        let now = Instant::now();
        for i in 0..4u64 {
            assert!(budget.try_take_at(Source::Circuit(i), now).is_ok());
        }
        // Full of spent sources: a new one shares the overflow bucket.
        assert!(budget.try_take_at(Source::Circuit(10), now).is_ok());
        assert!(
            budget.try_take_at(Source::Circuit(11), now).is_err(),
            "the overflow bucket is spent"
        );
        // A second later every bucket is full again and may be forgotten.
        let later = now + Duration::from_secs(2);
        assert!(budget.try_take_at(Source::Circuit(12), later).is_ok());
        let table = budget
            .table
            .lock()
            .map(|t| t.buckets.len())
            .unwrap_or(usize::MAX);
        assert!(table <= 4, "{table}");
    }

    #[test]
    fn the_table_is_emptied_with_its_hourly_key() {
        let budget = Budget::new(60, 1, 6000, 1000);
        let now = Instant::now();
        assert!(budget.try_take_at(Source::Circuit(7), now).is_ok());
        assert!(budget.try_take_at(Source::Circuit(7), now).is_err());
        let next_hour = now + KEY_LIFETIME + Duration::from_secs(1);
        assert!(budget.try_take_at(Source::Circuit(7), next_hour).is_ok());
        let table = budget.table.lock().map(|t| t.buckets.len()).unwrap_or(0);
        assert_eq!(table, 1);
    }

    #[test]
    fn the_table_holds_no_address() {
        let budget = Budget::new(60, 1, 6000, 1000);
        let _ = budget.try_take(v4("203.0.113.7"));
        let table = budget
            .table
            .lock()
            .map(|t| t.buckets.keys().copied().collect::<Vec<_>>())
            .unwrap_or_default();
        for name in table {
            assert!(!name.windows(3).any(|w| w == [203, 0, 113]));
        }
    }

    #[test]
    fn unknown_sources_share_only_the_global_bucket() {
        let budget = Budget::new(60, 1, 60, 3);
        let now = Instant::now();
        for _ in 0..3 {
            assert!(budget.try_take_at(Source::Unknown, now).is_ok());
        }
        assert!(budget.try_take_at(Source::Unknown, now).is_err());
    }

    #[test]
    fn a_flood_over_the_onion_service_leaves_the_clear_webs_global_budget_alone() {
        let budget = Budget::new(600, 100, 60, 3);
        let now = Instant::now();
        for circuit in 0..10u64 {
            let _ = budget.try_take_at(Source::Circuit(circuit), now);
        }
        assert!(budget.try_take_at(Source::Circuit(99), now).is_err());
        assert!(budget.try_take_at(v4("192.0.2.1"), now).is_ok());
    }

    #[test]
    fn one_network_holds_at_most_its_share_of_connections_and_gets_it_back() {
        let shares = ConnectionShares::new(2);
        let now = Instant::now();
        let a = shares.try_enter_at(v4("203.0.113.1"), now);
        let b = shares.try_enter_at(v4("203.0.113.2"), now);
        assert!(a.is_some() && b.is_some());
        assert!(
            shares.try_enter_at(v4("203.0.113.3"), now).is_none(),
            "the /24 holds its share"
        );
        assert!(
            shares.try_enter_at(v4("198.51.100.3"), now).is_some(),
            "another network is not affected"
        );
        drop(a);
        assert!(shares.try_enter_at(v4("203.0.113.3"), now).is_some());
        drop(b);
        assert_eq!(
            shares.sources(),
            0,
            "nothing is kept of a source without connections"
        );
    }

    #[test]
    fn connections_from_unknown_sources_are_not_counted() {
        let shares = ConnectionShares::new(1);
        let held: Vec<_> = (0..5).map(|_| shares.try_enter(Source::Unknown)).collect();
        assert!(held.iter().all(Option::is_some));
        assert_eq!(shares.sources(), 0);
    }

    #[test]
    fn a_share_from_before_a_new_key_is_given_back_without_harm() {
        let shares = ConnectionShares::new(1);
        let now = Instant::now();
        let old = shares.try_enter_at(Source::Circuit(3), now);
        assert!(old.is_some());
        let later = now + KEY_LIFETIME + Duration::from_secs(1);
        let new = shares.try_enter_at(Source::Circuit(3), later);
        assert!(new.is_some(), "counted afresh under the new key");
        drop(old);
        assert!(
            shares.try_enter_at(Source::Circuit(3), later).is_none(),
            "dropping the old share did not free the new one's place"
        );
    }
}
