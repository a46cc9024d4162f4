#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]

pub mod envelope;
pub mod fsutil;
mod keys;
pub mod logging;
mod padding;
pub mod pin;
pub mod secret;
pub mod thread;
pub mod time;
pub mod tls;
pub mod wire;

pub use keys::{fill_random, ExpiryKey, ReplyKey, TicketRef};
pub use secret::Sensitive;
pub use thread::EntryId;
