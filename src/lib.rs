#![doc = include_str!("../README.md")]
#![forbid(unsafe_code)]
//!
//! # This crate
//!
//! `porten` is the gateway, the public side: configuration, the HTTP layer and the visitor's pages, tickets
//! and their keys, the conversation (what a visitor can do), the outbox (what the internal side can do), the
//! store, form tokens, the internal API's listener and the onion service's wiring. It is **not** the internal
//! side: it depends on `porten-protocol`, which can seal an envelope but not open one, and never on
//! `porten-inbox`, so nothing built from this crate can read what it forwards.

pub mod app;
pub mod budget;
pub mod config;
pub mod content;
pub mod conversation;
pub mod display_time;
pub mod http;
pub mod internal_api;
pub mod onion;
pub mod outbox;
pub mod page_cache;
pub mod preflight;
pub mod rate;
pub mod serve;
pub mod store;
pub mod ticket;
pub mod token;

// The shared formats under the paths the visitor pages know them by.
use porten_protocol::{envelope, thread};
