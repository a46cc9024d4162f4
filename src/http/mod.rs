//! The public web side: listeners, TLS, limits, security headers, routing and the visitor's pages.
//!
//! Requests flow one way: [`server`] accepts and bounds connections, [`router`] checks and routes each request,
//! [`pages`] turns it into a call on the domain ([`crate::conversation`]) and renders a template. Nothing here
//! touches storage directly.

pub mod form;
pub mod headers;
pub mod page_cache;
pub mod pages;
pub mod rate;
pub mod router;
pub mod server;
pub mod tls;
