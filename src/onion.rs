//! The gateway's side of the onion service: start it with the gateway, advertise its address.
//!
//! The onion service itself lives in the `porten-onion` crate; arti is compiled in only with the `onion`
//! feature.

use std::process::ExitCode;

use crate::config::Config;

/// `porten onion-address`.
pub fn print_address(_config: &Config) -> ExitCode {
    eprintln!("porten: this build has no onion service (build with --features onion)");
    ExitCode::FAILURE
}
