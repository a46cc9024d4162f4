//! The public web side: listeners, TLS, limits, security headers, routing and the visitor's pages.
//!
//! Requests flow one way: [`server`] accepts and bounds connections, [`router`] checks and routes each request,
//! [`pages`] turns it into a call on the domain ([`crate::conversation`]) and renders a template. Nothing here
//! touches storage directly.

pub mod form;
pub mod headers;
pub mod pages;
pub mod router;
pub mod server;
pub mod tls;

use std::sync::Arc;

use crate::app::App;
use headers::SecurityHeaders;

/// What the web layer serves with: the gateway's shared state and what only HTTP needs.
pub struct Web {
    /// The shared state every handler uses.
    pub app: Arc<App>,
    /// The security headers every response carries.
    pub headers: SecurityHeaders,
}

impl Web {
    /// The web layer over `app`, with headers from its configuration.
    pub fn new(app: Arc<App>) -> Arc<Web> {
        let headers = SecurityHeaders::new(
            &porten_templates::style_csp_source(),
            app.config().https.hsts_max_age,
        );
        Arc::new(Web { app, headers })
    }
}
