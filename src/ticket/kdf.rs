//! From a ticket code to the ticket ref and the reply key.
//!
//! Argon2id (version 0x13) over the code's digits, with the installation's salt and its pepper as Argon2's
//! secret input, gives 32 bytes; HKDF-SHA256 expands them into two independent values with distinct `info`
//! strings: the ticket ref (the lookup key in the database) and the reply key (which seals the thread). The
//! memory-hard derivation makes each guess of a code expensive, and without the pepper a guess cannot be
//! tested at all. [`KdfPool`] runs derivations off the async threads and bounds how many run and wait at once.

use std::fmt;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use argon2::{Algorithm, Argon2, Block, Params, Version};
use ring::hkdf;
use serde::Deserialize;
use thiserror::Error;
use zeroize::Zeroizing;

use super::code::TicketCode;
use super::pepper::Pepper;
use super::{ReplyKey, TicketRef};

/// HKDF `info` for the ticket ref.
const TICKET_REF_INFO: &[u8] = b"porten ticket-ref v1";
/// HKDF `info` for the reply key.
const REPLY_KEY_INFO: &[u8] = b"porten reply-key v1";

/// Largest accepted memory cost: 4 GiB per derivation is already far beyond a sensible setting.
const MAX_MEMORY_KIB: u32 = 4 * 1024 * 1024;
/// Largest accepted iteration count.
const MAX_ITERATIONS: u32 = 64;
/// Largest accepted parallelism (lanes; this Argon2 implementation computes them one after another).
const MAX_PARALLELISM: u32 = 16;
/// Below this memory cost a warning is logged: it is the smallest Argon2id setting OWASP recommends.
const WEAK_MEMORY_KIB: u32 = 19 * 1024;

/// Argon2id cost parameters, from the `[kdf]` section of the configuration.
///
/// Changing any of them after tickets exist makes those tickets unreachable: the same code then derives other
/// keys.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct KdfParams {
    /// Memory per derivation in KiB. Default 65536 (64 MiB).
    pub memory_kib: u32,
    /// Passes over the memory. Default 3.
    pub iterations: u32,
    /// Lanes. Default 1.
    pub parallelism: u32,
}

impl Default for KdfParams {
    fn default() -> Self {
        KdfParams {
            memory_kib: 65536,
            iterations: 3,
            parallelism: 1,
        }
    }
}

/// Why a derivation did not produce keys.
#[derive(Debug, Error)]
pub enum KdfError {
    /// The configured parameters are out of range (at start-up).
    #[error("invalid key derivation parameters: {0}")]
    InvalidParams(String),
    /// Too many derivations are already running and waiting; the visitor is asked to try again shortly.
    #[error("too many codes are being checked at once; try again shortly")]
    Busy,
    /// Argon2 or HKDF refused its input; the text says which rule was broken and names no secret.
    #[error("the key derivation failed: {0}")]
    Failed(String),
    /// The blocking task that ran the derivation panicked or was cancelled.
    #[error("the key derivation task did not finish")]
    TaskFailed,
}

/// What a ticket code derives to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TicketKeys {
    /// Where the ticket is stored.
    pub ticket_ref: TicketRef,
    /// What seals its thread.
    pub reply_key: ReplyKey,
}

/// The key derivation of one installation: parameters, salt and pepper.
pub struct Kdf {
    params: Params,
    salt: [u8; 16],
    pepper: Pepper,
}

impl Kdf {
    /// A key derivation with checked parameters.
    ///
    /// # Errors
    ///
    /// [`KdfError::InvalidParams`] when a parameter is out of range: memory 8 × parallelism ..= 4 GiB,
    /// iterations 1..=64, parallelism 1..=16.
    pub fn new(params: KdfParams, salt: [u8; 16], pepper: Pepper) -> Result<Kdf, KdfError> {
        let KdfParams {
            memory_kib,
            iterations,
            parallelism,
        } = params;
        if !(1..=MAX_PARALLELISM).contains(&parallelism) {
            return Err(KdfError::InvalidParams(format!(
                "parallelism is {parallelism}, but must be 1..={MAX_PARALLELISM}"
            )));
        }
        if !(1..=MAX_ITERATIONS).contains(&iterations) {
            return Err(KdfError::InvalidParams(format!(
                "iterations is {iterations}, but must be 1..={MAX_ITERATIONS}"
            )));
        }
        let min_memory = 8 * parallelism;
        if !(min_memory..=MAX_MEMORY_KIB).contains(&memory_kib) {
            return Err(KdfError::InvalidParams(format!(
                "memory_kib is {memory_kib}, but must be {min_memory}..={MAX_MEMORY_KIB}"
            )));
        }
        let params = Params::new(memory_kib, iterations, parallelism, Some(32))
            .map_err(|e| KdfError::InvalidParams(e.to_string()))?;
        if memory_kib < WEAK_MEMORY_KIB {
            tracing::warn!(
                memory_kib,
                "the key derivation uses less than 19 MiB of memory: guessing codes is cheaper than it should be"
            );
        }
        Ok(Kdf {
            params,
            salt,
            pepper,
        })
    }

    /// Memory one derivation uses, in KiB.
    pub fn memory_kib(&self) -> u32 {
        self.params.m_cost()
    }

    /// Derives the ticket ref and reply key from a code. Blocking and memory-hard: call it through [`KdfPool`]
    /// from async code.
    ///
    /// # Errors
    ///
    /// [`KdfError::Failed`] if Argon2 refuses its input, which the checked parameters and code rule out.
    pub fn derive(&self, code: &TicketCode) -> Result<TicketKeys, KdfError> {
        let argon2 = Argon2::new_with_secret(
            self.pepper.as_bytes(),
            Algorithm::Argon2id,
            Version::V0x13,
            self.params.clone(),
        )
        .map_err(|e| KdfError::Failed(e.to_string()))?;
        // Argon2's working memory holds values derived from the code: own it, so it is wiped afterwards.
        let mut memory = Zeroizing::new(vec![Block::default(); self.params.block_count()]);
        let mut master = Zeroizing::new([0u8; 32]);
        argon2
            .hash_password_into_with_memory(
                code.digits().as_bytes(),
                &self.salt,
                &mut master[..],
                &mut memory[..],
            )
            .map_err(|e| KdfError::Failed(e.to_string()))?;
        drop(memory);

        // The Argon2 output is already salted and uniformly distributed; extract with HKDF's default salt.
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[]).extract(&master[..]);
        // Expanded straight into the wiping containers, so no stray copy of a key is left on the stack.
        let mut keys = TicketKeys {
            ticket_ref: TicketRef::from_bytes([0; 32]),
            reply_key: ReplyKey::from_bytes([0; 32]),
        };
        expand(&prk, TICKET_REF_INFO, keys.ticket_ref.as_mut_bytes())?;
        expand(&prk, REPLY_KEY_INFO, keys.reply_key.as_mut_bytes())?;
        Ok(keys)
    }
}

/// The output length for `hkdf::Prk::expand`.
struct Len32;

impl hkdf::KeyType for Len32 {
    fn len(&self) -> usize {
        32
    }
}

fn expand(prk: &hkdf::Prk, info: &'static [u8], out: &mut [u8; 32]) -> Result<(), KdfError> {
    // Expanding 32 bytes from SHA-256 cannot fail (the limit is 255 × 32).
    prk.expand(&[info], Len32)
        .and_then(|okm| okm.fill(out))
        .map_err(|_| KdfError::Failed(String::from("HKDF output too long")))
}

impl fmt::Debug for Kdf {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kdf")
            .field("memory_kib", &self.params.m_cost())
            .field("iterations", &self.params.t_cost())
            .field("parallelism", &self.params.p_cost())
            .finish_non_exhaustive()
    }
}

/// Runs derivations on threads of their own, at most `permits` at once, with at most `max_waiting` callers
/// queued.
///
/// Memory is bounded by permits × the memory cost: only the `permits` threads derive, and each holds one
/// derivation's memory at a time. A caller beyond the queue gets [`KdfError::Busy`] at once, so a burst of
/// requests is answered "busy, try again" instead of queueing without end. The queue is the threads' own
/// channel: a thread that finishes takes the next job itself, without waiting for the async runtime to hand it
/// over, so under load the derivation threads never idle while jobs wait (the runtime may be busy serving
/// pages, which is what it should be doing). The threads run at a lower scheduling priority than the ones
/// serving pages (ten steps nicer, on Linux): a flood of codes to check then slows checking codes, not the
/// pages everyone else loads.
pub struct KdfPool {
    kdf: Arc<Kdf>,
    permits: usize,
    max_waiting: usize,
    /// Jobs sent and not yet finished: queued or being derived.
    pending: Arc<AtomicUsize>,
    jobs: Mutex<std::sync::mpsc::Sender<Job>>,
}

/// One derivation for a worker thread: the code, its place in the count of pending jobs (given back when the
/// job is dropped, derived or not), and where the result goes.
struct Job {
    code: TicketCode,
    _pending: Pending,
    result: tokio::sync::oneshot::Sender<Result<TicketKeys, KdfError>>,
    /// In tests: the thread that takes the job waits here first, to stand for a long derivation.
    #[cfg(test)]
    gate: Option<std::sync::mpsc::Receiver<()>>,
}

/// Counts a job as pending until it is dropped.
struct Pending(Arc<AtomicUsize>);

impl Drop for Pending {
    fn drop(&mut self) {
        self.0.fetch_sub(1, Ordering::SeqCst);
    }
}

/// How much lower the derivation threads run than the process that starts them (nice 0 → 10).
const WORKER_NICENESS: i32 = 10;

/// A derivation thread: lowers its own priority, then derives until the pool is dropped. A derivation that
/// panics answers [`KdfError::TaskFailed`] and the thread goes on.
fn worker(kdf: Arc<Kdf>, jobs: Arc<Mutex<std::sync::mpsc::Receiver<Job>>>) {
    // On Linux a thread id names one thread for setpriority, and a new thread starts at its creator's
    // niceness; should either call fail, derivations still run.
    let base = rustix::process::getpriority_process(None).unwrap_or(0);
    let _ = rustix::process::setpriority_process(
        Some(rustix::thread::gettid()),
        (base + WORKER_NICENESS).min(19),
    );
    loop {
        let job = match jobs.lock() {
            Ok(receiver) => receiver.recv(),
            Err(poisoned) => poisoned.into_inner().recv(),
        };
        let Ok(job) = job else {
            return;
        };
        #[cfg(test)]
        if let Some(gate) = &job.gate {
            let _ = gate.recv();
        }
        // The caller went away while the job waited (its page was abandoned): nothing to derive for.
        if job.result.is_closed() {
            continue;
        }
        let derived =
            std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| kdf.derive(&job.code)))
                .unwrap_or(Err(KdfError::TaskFailed));
        // The caller may have gone away; the permit is released when the job is dropped here.
        let _ = job.result.send(derived);
    }
}

impl KdfPool {
    /// A pool that runs at most `permits` derivations at once (0 is taken as 1) on as many threads of its
    /// own, and lets at most `max_waiting` more callers wait for a turn.
    ///
    /// # Panics
    ///
    /// If the operating system cannot start a thread.
    pub fn new(kdf: Arc<Kdf>, permits: usize, max_waiting: usize) -> KdfPool {
        let permits = permits.clamp(1, 256);
        let (sender, receiver) = std::sync::mpsc::channel();
        let receiver = Arc::new(Mutex::new(receiver));
        for index in 0..permits {
            let kdf = Arc::clone(&kdf);
            let receiver = Arc::clone(&receiver);
            #[allow(clippy::expect_used)]
            // Reason: at start-up, before any visitor; no thread, no gateway.
            std::thread::Builder::new()
                .name(format!("porten-kdf-{index}"))
                .spawn(move || worker(kdf, receiver))
                .expect("start a key derivation thread");
        }
        KdfPool {
            kdf,
            permits,
            max_waiting,
            pending: Arc::new(AtomicUsize::new(0)),
            jobs: Mutex::new(sender),
        }
    }

    /// The most memory the running derivations can hold together, in KiB.
    pub fn memory_bound_kib(&self) -> u64 {
        self.permits as u64 * u64::from(self.kdf.memory_kib())
    }

    /// Derives the keys for `code` on one of the pool's threads.
    ///
    /// # Errors
    ///
    /// [`KdfError::Busy`] at once when all permits are taken and `max_waiting` callers already wait;
    /// [`KdfError::TaskFailed`] if the derivation panicked; the errors of [`Kdf::derive`].
    pub async fn derive(&self, code: TicketCode) -> Result<TicketKeys, KdfError> {
        let before = self.pending.fetch_add(1, Ordering::SeqCst);
        let pending = Pending(Arc::clone(&self.pending));
        if before >= self.permits.saturating_add(self.max_waiting) {
            return Err(KdfError::Busy);
        }
        let (result, answer) = tokio::sync::oneshot::channel();
        // The count moves into the job: if the caller goes away, the job stays counted until a thread has
        // taken it and dropped it, so at most `permits + max_waiting` jobs ever exist.
        let job = Job {
            code,
            _pending: pending,
            result,
            #[cfg(test)]
            gate: None,
        };
        let sent = match self.jobs.lock() {
            Ok(jobs) => jobs.send(job),
            Err(poisoned) => poisoned.into_inner().send(job),
        };
        sent.map_err(|_| KdfError::TaskFailed)?;
        answer.await.map_err(|_| KdfError::TaskFailed)?
    }
}

#[cfg(test)]
impl KdfPool {
    /// Occupies one thread as a long derivation would, until the returned gate is dropped.
    fn occupy(&self) -> Result<std::sync::mpsc::Sender<()>, KdfError> {
        self.pending.fetch_add(1, Ordering::SeqCst);
        let (open, gate) = std::sync::mpsc::channel();
        let (result, answer) = tokio::sync::oneshot::channel();
        // The answer is never read; kept open so the thread does not skip the job before the gate.
        std::mem::forget(answer);
        let job = Job {
            code: TicketCode::generate(16),
            _pending: Pending(Arc::clone(&self.pending)),
            result,
            gate: Some(gate),
        };
        let jobs = self.jobs.lock().map_err(|_| KdfError::TaskFailed)?;
        jobs.send(job).map_err(|_| KdfError::TaskFailed)?;
        Ok(open)
    }

    /// Waits until no job is pending.
    async fn settled(&self) {
        while self.pending.load(Ordering::SeqCst) != 0 {
            tokio::time::sleep(std::time::Duration::from_millis(1)).await;
        }
    }
}

impl fmt::Debug for KdfPool {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KdfPool")
            .field("kdf", &self.kdf)
            .field("permits", &self.permits)
            .field("max_waiting", &self.max_waiting)
            .finish_non_exhaustive()
    }
}

#[cfg(test)]
mod tests {
    use std::time::{Duration, Instant};

    use super::*;

    type TestResult = Result<(), Box<dyn std::error::Error>>;

    const SMALL: KdfParams = KdfParams {
        memory_kib: 256,
        iterations: 1,
        parallelism: 1,
    };
    const SALT: [u8; 16] = [3; 16];

    fn kdf(params: KdfParams, salt: [u8; 16], pepper: [u8; 32]) -> Result<Kdf, KdfError> {
        Kdf::new(params, salt, Pepper::from_bytes(pepper))
    }

    fn code() -> Result<TicketCode, Box<dyn std::error::Error>> {
        Ok(TicketCode::parse("1234 5678 9012 3450", 16)?)
    }

    #[test]
    fn same_code_salt_and_pepper_give_the_same_keys() -> TestResult {
        let a = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        let b = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        assert_eq!(a, b);
        assert_eq!(a.ticket_ref.as_bytes(), b.ticket_ref.as_bytes());
        assert_eq!(a.reply_key.as_bytes(), b.reply_key.as_bytes());
        Ok(())
    }

    #[test]
    fn another_pepper_gives_other_keys_so_the_database_alone_is_useless() -> TestResult {
        let a = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        let b = kdf(SMALL, SALT, [2; 32])?.derive(&code()?)?;
        assert_ne!(a.ticket_ref.as_bytes(), b.ticket_ref.as_bytes());
        assert_ne!(a.reply_key.as_bytes(), b.reply_key.as_bytes());
        Ok(())
    }

    #[test]
    fn another_salt_gives_other_keys() -> TestResult {
        let a = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        let b = kdf(SMALL, [4; 16], [1; 32])?.derive(&code()?)?;
        assert_ne!(a.ticket_ref.as_bytes(), b.ticket_ref.as_bytes());
        assert_ne!(a.reply_key.as_bytes(), b.reply_key.as_bytes());
        Ok(())
    }

    #[test]
    fn another_code_gives_other_keys() -> TestResult {
        let kdf = kdf(SMALL, SALT, [1; 32])?;
        let a = kdf.derive(&code()?)?;
        let b = kdf.derive(&TicketCode::generate(16))?;
        assert_ne!(a.ticket_ref.as_bytes(), b.ticket_ref.as_bytes());
        assert_ne!(a.reply_key.as_bytes(), b.reply_key.as_bytes());
        Ok(())
    }

    #[test]
    fn other_parameters_give_other_keys() -> TestResult {
        let a = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        let more = KdfParams {
            iterations: 2,
            ..SMALL
        };
        let b = kdf(more, SALT, [1; 32])?.derive(&code()?)?;
        assert_ne!(a.ticket_ref.as_bytes(), b.ticket_ref.as_bytes());
        Ok(())
    }

    #[test]
    fn ticket_ref_and_reply_key_are_independent() -> TestResult {
        let keys = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        assert_ne!(keys.ticket_ref.as_bytes(), keys.reply_key.as_bytes());
        Ok(())
    }

    #[test]
    fn derivation_matches_argon2id_then_hkdf_sha256() -> TestResult {
        // Recomputed step by step, so that a change to the construction (and so to every ticket) is noticed.
        let code = code()?;
        let keys = kdf(SMALL, SALT, [1; 32])?.derive(&code)?;
        let params = Params::new(256, 1, 1, Some(32)).map_err(|e| e.to_string())?;
        let argon2 = Argon2::new_with_secret(&[1; 32], Algorithm::Argon2id, Version::V0x13, params)
            .map_err(|e| e.to_string())?;
        let mut master = [0u8; 32];
        argon2
            .hash_password_into(b"1234567890123450", &SALT, &mut master)
            .map_err(|e| e.to_string())?;
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[]).extract(&master);
        let mut expected = [0u8; 32];
        expand(&prk, b"porten ticket-ref v1", &mut expected)?;
        assert_eq!(keys.ticket_ref.as_bytes(), &expected);
        expand(&prk, b"porten reply-key v1", &mut expected)?;
        assert_eq!(keys.reply_key.as_bytes(), &expected);
        Ok(())
    }

    #[test]
    fn default_parameters_are_64_mib_three_passes_one_lane() -> TestResult {
        let defaults = KdfParams::default();
        assert_eq!(
            (
                defaults.memory_kib,
                defaults.iterations,
                defaults.parallelism
            ),
            (65536, 3, 1)
        );
        let started = Instant::now();
        let keys = kdf(defaults, SALT, [1; 32])?.derive(&code()?)?;
        let elapsed = started.elapsed();
        assert_ne!(keys.ticket_ref.as_bytes(), &[0; 32]);
        assert!(
            elapsed < Duration::from_secs(10),
            "one derivation took {elapsed:?}"
        );
        Ok(())
    }

    #[test]
    fn parameters_out_of_range_are_refused() {
        for params in [
            KdfParams {
                memory_kib: 7,
                ..SMALL
            },
            KdfParams {
                memory_kib: 4 * 1024 * 1024 + 1,
                ..SMALL
            },
            KdfParams {
                iterations: 0,
                ..SMALL
            },
            KdfParams {
                iterations: 65,
                ..SMALL
            },
            KdfParams {
                parallelism: 0,
                ..SMALL
            },
            KdfParams {
                parallelism: 17,
                ..SMALL
            },
            KdfParams {
                memory_kib: 64,
                iterations: 1,
                parallelism: 16,
            },
        ] {
            let result = kdf(params, SALT, [1; 32]);
            assert!(
                matches!(result, Err(KdfError::InvalidParams(_))),
                "{params:?}"
            );
        }
    }

    #[test]
    fn configuration_may_omit_fields_but_not_misspell_them() -> TestResult {
        let params: KdfParams = serde_json::from_str(r#"{"memory_kib": 1024}"#)?;
        assert_eq!(
            params,
            KdfParams {
                memory_kib: 1024,
                ..KdfParams::default()
            }
        );
        assert!(serde_json::from_str::<KdfParams>(r#"{"memory": 1024}"#).is_err());
        Ok(())
    }

    #[test]
    fn ticket_ref_hex_round_trip_and_refusals() -> TestResult {
        let keys = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        let hex = keys.ticket_ref.to_hex();
        assert_eq!(hex.len(), 64);
        assert_eq!(TicketRef::from_hex(&hex), Some(keys.ticket_ref.clone()));
        assert_eq!(TicketRef::from_hex(&hex[..62]), None);
        assert_eq!(TicketRef::from_hex(&format!("{hex}00")), None);
        assert_eq!(TicketRef::from_hex(&format!("{}zz", &hex[..62])), None);
        Ok(())
    }

    #[test]
    fn debug_never_shows_keys() -> TestResult {
        let keys = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        let shown = format!("{keys:?}");
        assert!(!shown.contains(&keys.ticket_ref.to_hex()[..8]), "{shown}");
        assert!(
            !shown.contains(&hex::encode(&keys.reply_key.as_bytes()[..4])),
            "{shown}"
        );
        assert!(shown.contains("[redacted]"));
        Ok(())
    }

    fn pool(permits: usize, max_waiting: usize) -> Result<KdfPool, KdfError> {
        Ok(KdfPool::new(
            Arc::new(kdf(SMALL, SALT, [1; 32])?),
            permits,
            max_waiting,
        ))
    }

    #[tokio::test]
    async fn pool_gives_the_same_keys_as_a_direct_derivation() -> TestResult {
        let pool = pool(2, 2)?;
        let direct = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        assert_eq!(pool.derive(code()?).await?, direct);
        assert_eq!(pool.memory_bound_kib(), 512);
        Ok(())
    }

    #[cfg(target_os = "linux")]
    #[tokio::test]
    async fn derivations_run_on_their_own_threads_below_the_pages_priority() -> TestResult {
        let pool = pool(1, 0)?;
        pool.derive(code()?).await?;
        let mut found = Vec::new();
        for task in std::fs::read_dir("/proc/self/task")? {
            let task = task?.path();
            let name = std::fs::read_to_string(task.join("comm"))?;
            if name.trim() == "porten-kdf-0" {
                // Field 19 of stat is the nice value; the name (field 2) is in parentheses and has no space.
                let stat = std::fs::read_to_string(task.join("stat"))?;
                let after_name = stat.rsplit_once(')').map(|(_, rest)| rest).unwrap_or("");
                let nice: i32 = after_name
                    .split_whitespace()
                    .nth(16)
                    .unwrap_or("")
                    .parse()?;
                found.push(nice);
            }
        }
        let ours = rustix::process::getpriority_process(None)?;
        assert!(!found.is_empty(), "a thread of the pool's own");
        assert!(
            found
                .iter()
                .all(|nice| *nice == (ours + WORKER_NICENESS).min(19)),
            "{found:?}, this thread at {ours}"
        );
        Ok(())
    }

    #[tokio::test]
    async fn pool_with_no_room_to_wait_answers_busy_at_once() -> TestResult {
        let pool = pool(1, 0)?;
        // A derivation in progress holds the only thread.
        let running = pool.occupy()?;
        let second = tokio::time::timeout(Duration::from_secs(5), pool.derive(code()?)).await?;
        assert!(matches!(second, Err(KdfError::Busy)), "{second:?}");
        drop(running);
        tokio::time::timeout(Duration::from_secs(5), pool.settled()).await?;
        assert!(pool.derive(code()?).await.is_ok());
        Ok(())
    }

    #[tokio::test]
    async fn pool_lets_max_waiting_callers_wait_and_refuses_the_next() -> TestResult {
        let pool = Arc::new(pool(1, 1)?);
        let running = pool.occupy()?;
        let waiter = tokio::spawn({
            let pool = Arc::clone(&pool);
            let code = code()?;
            async move { pool.derive(code).await }
        });
        while pool.pending.load(Ordering::SeqCst) < 2 {
            tokio::task::yield_now().await;
        }
        assert!(matches!(pool.derive(code()?).await, Err(KdfError::Busy)));
        drop(running);
        assert!(waiter.await?.is_ok(), "the waiting caller gets its turn");
        tokio::time::timeout(Duration::from_secs(5), pool.settled()).await?;
        Ok(())
    }

    #[tokio::test]
    async fn a_caller_that_gives_up_while_waiting_frees_its_place() -> TestResult {
        let pool = pool(1, 1)?;
        let running = pool.occupy()?;
        let gave_up = tokio::time::timeout(Duration::from_millis(20), pool.derive(code()?)).await;
        assert!(gave_up.is_err(), "the caller waited");
        drop(running);
        // The thread drops the abandoned job without deriving, and its place is free again.
        tokio::time::timeout(Duration::from_secs(5), pool.settled()).await?;
        assert!(pool.derive(code()?).await.is_ok());
        Ok(())
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_callers_within_the_bounds_all_succeed() -> TestResult {
        let pool = Arc::new(pool(1, 8)?);
        let mut tasks = Vec::new();
        for _ in 0..6 {
            let pool = Arc::clone(&pool);
            let code = code()?;
            tasks.push(tokio::spawn(async move { pool.derive(code).await }));
        }
        let expected = kdf(SMALL, SALT, [1; 32])?.derive(&code()?)?;
        for task in tasks {
            assert_eq!(task.await??, expected);
        }
        Ok(())
    }
}
