//! porten: an anonymous contact gateway for a resource centre against honour-related violence.
//!
//! The public side (`porten serve`) takes first contacts and follow-ups from visitors, seals each one for the
//! centre's internal side with age, and keeps it in a one-way outbox that the internal side pulls over mutual
//! TLS. The internal side (`porten-inbox`) alone holds the age identity. See `DESIGN.md` in the repository for
//! the whole picture and `threat-model/` for what it defends against.

pub mod app;
pub mod budget;
pub mod config;
pub mod content;
pub mod conversation;
pub mod display_time;
pub mod envelope;
pub mod fsutil;
pub mod http;
pub mod inbox;
pub mod internal_api;
pub mod logging;
pub mod onion;
pub mod preflight;
pub mod secret;
pub mod serve;
pub mod store;
pub mod thread;
pub mod ticket;
pub mod token;
