//! The gateway as a process: its memory and open files as the kernel reports them, and the hard kill that a
//! power cut or an out-of-memory killer would deal it.

use std::time::Duration;

/// A `/proc/PID/status` field in KiB (`VmRSS`, `VmHWM`, …).
pub fn status_kib(pid: u32, field: &str) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find_map(|line| {
        let rest = line.strip_prefix(field)?.strip_prefix(':')?;
        rest.trim().trim_end_matches("kB").trim().parse().ok()
    })
}

/// Resident memory now, in KiB.
pub fn rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmRSS").unwrap_or_else(|| panic!("no VmRSS for process {pid}"))
}

/// The most resident memory the process ever had, in KiB.
pub fn peak_rss_kib(pid: u32) -> u64 {
    status_kib(pid, "VmHWM").unwrap_or_else(|| panic!("no VmHWM for process {pid}"))
}

/// Open file descriptors (sockets included).
pub fn open_fds(pid: u32) -> usize {
    std::fs::read_dir(format!("/proc/{pid}/fd"))
        .map(|d| d.count())
        .unwrap_or(0)
}

/// SIGKILL: no destructor, no flush, no goodbye.
pub fn kill_hard(pid: u32) {
    let status = std::process::Command::new("kill")
        .arg("-KILL")
        .arg(pid.to_string())
        .status()
        .expect("run kill");
    assert!(status.success(), "kill -KILL {pid} failed");
}

/// The median of some durations (the upper one of the middle two).
pub fn median(values: &[Duration]) -> Duration {
    let mut sorted = values.to_vec();
    sorted.sort();
    sorted.get(sorted.len() / 2).copied().unwrap_or_default()
}

/// The largest of some durations.
pub fn max(values: &[Duration]) -> Duration {
    values.iter().copied().max().unwrap_or_default()
}

/// A small deterministic generator (xorshift64*), so that a failing run can be repeated from its seed.
pub struct Rng(u64);

impl Rng {
    /// From `PORTEN_TEST_SEED` if set, else from the clock; the seed is printed either way.
    pub fn from_env(name: &str) -> Rng {
        let seed = std::env::var("PORTEN_TEST_SEED")
            .ok()
            .and_then(|s| s.parse().ok())
            .unwrap_or_else(|| {
                std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map(|d| d.as_nanos() as u64)
                    .unwrap_or(1)
            });
        eprintln!("{name}: PORTEN_TEST_SEED={seed}");
        Rng(seed.max(1))
    }

    /// The next number.
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    /// A number in `0..bound`.
    pub fn below(&mut self, bound: u64) -> u64 {
        self.next() % bound.max(1)
    }
}
