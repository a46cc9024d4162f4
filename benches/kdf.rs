//! Bare Argon2id derivations per second, as porten runs them for a first contact or a return: the same
//! parameters (the defaults, or `--memory-kib`, `--iterations`), one thread, for `--seconds` (default 10).
//! `benches/run.sh` runs it on the core the gateway ran on, so that first contacts per second can be read as a
//! share of what the derivation alone allows. Prints one JSON object.

use std::time::{Duration, Instant};

use porten::ticket::{Kdf, KdfParams, Pepper, TicketCode};

fn argument(name: &str) -> Option<String> {
    let mut args = std::env::args();
    while let Some(arg) = args.next() {
        if arg == name {
            return args.next();
        }
    }
    None
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let seconds: f64 = argument("--seconds").map_or(Ok(10.0), |s| s.parse())?;
    let mut params = KdfParams::default();
    if let Some(memory) = argument("--memory-kib") {
        params.memory_kib = memory.parse()?;
    }
    if let Some(iterations) = argument("--iterations") {
        params.iterations = iterations.parse()?;
    }
    let kdf = Kdf::new(params, [7; 16], Pepper::from_bytes([9; 32]))?;
    let code = TicketCode::parse("1234 5678 9012 3450", 16)?;
    let budget = Duration::from_secs_f64(seconds);
    let started = Instant::now();
    let mut derivations = 0u64;
    while started.elapsed() < budget {
        std::hint::black_box(kdf.derive(std::hint::black_box(&code))?);
        derivations += 1;
    }
    let elapsed = started.elapsed().as_secs_f64();
    println!(
        "{{\"derivations\": {derivations}, \"seconds\": {elapsed:.3}, \"per_second\": {:.3}, \"ms_each\": {:.2}, \
         \"memory_kib\": {}, \"iterations\": {}}}",
        derivations as f64 / elapsed,
        elapsed * 1000.0 / derivations.max(1) as f64,
        params.memory_kib,
        params.iterations,
    );
    Ok(())
}
