//! Helpers for the hardening suites (`hostile_input`, `exhaustion`, `crash_safety`): what the shared harness in
//! `tests/common` does not do because a well-behaved browser never needs it.
//!
//! [`raw`] writes bytes no HTTP client would send, over TCP or TLS, and reads whatever comes back;
//! [`slow`] holds connections open the way a slowloris attack does; [`visitor`] is a client that reports
//! failures instead of panicking, for runs where the gateway is flooded or killed on purpose; [`outbox`] reads
//! what the gateway stored once it has stopped; [`process`] watches and kills the gateway's process.

#![allow(dead_code, unreachable_pub, missing_docs)]

pub mod outbox;
pub mod process;
pub mod raw;
pub mod slow;
pub mod visitor;
