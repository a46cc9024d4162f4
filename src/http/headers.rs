//! The security headers every response carries, whatever the route or status.
//!
//! Kept in one place so that error pages, redirects and the exit get the same treatment as pages; a test walks
//! every route and checks the whole set.

use hyper::header::{self, HeaderMap, HeaderName, HeaderValue};

/// How the request arrived, which decides the transport-specific headers.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// The public HTTPS listener.
    Https,
    /// The plain-HTTP loopback listener (reverse proxy, C tor onion service).
    Http,
    /// The in-process onion service.
    Onion,
}

impl Transport {
    /// The URL scheme the visitor's browser uses for this transport.
    pub fn scheme(self) -> &'static str {
        match self {
            Transport::Https => "https",
            Transport::Http | Transport::Onion => "http",
        }
    }
}

/// The header values that depend on configuration, computed once at start.
#[derive(Debug, Clone)]
pub struct SecurityHeaders {
    csp: HeaderValue,
    hsts: HeaderValue,
}

const PERMISSIONS_POLICY: &str = "accelerometer=(), ambient-light-sensor=(), autoplay=(), battery=(), \
camera=(), display-capture=(), document-domain=(), encrypted-media=(), fullscreen=(), geolocation=(), \
gyroscope=(), hid=(), idle-detection=(), magnetometer=(), microphone=(), midi=(), payment=(), \
picture-in-picture=(), publickey-credentials-get=(), screen-wake-lock=(), serial=(), usb=(), \
web-share=(), xr-spatial-tracking=()";

impl SecurityHeaders {
    /// Builds the header values; `style_source` is the CSP source of the inline style (`'sha256-…'`).
    pub fn new(style_source: &str, hsts_max_age: u64) -> SecurityHeaders {
        let csp = format!(
            "default-src 'none'; style-src {style_source}; form-action 'self'; \
             frame-ancestors 'none'; base-uri 'none'"
        );
        SecurityHeaders {
            csp: HeaderValue::from_str(&csp)
                .unwrap_or(HeaderValue::from_static("default-src 'none'")),
            hsts: HeaderValue::from_str(&format!("max-age={hsts_max_age}"))
                .unwrap_or(HeaderValue::from_static("max-age=31536000")),
        }
    }

    /// Adds the whole set to `headers`, replacing any value already there.
    pub fn apply(
        &self,
        headers: &mut HeaderMap,
        transport: Transport,
        onion_location: Option<HeaderValue>,
    ) {
        headers.insert(header::CONTENT_SECURITY_POLICY, self.csp.clone());
        headers.insert(
            header::REFERRER_POLICY,
            HeaderValue::from_static("no-referrer"),
        );
        headers.insert(
            header::X_CONTENT_TYPE_OPTIONS,
            HeaderValue::from_static("nosniff"),
        );
        headers.insert(header::X_FRAME_OPTIONS, HeaderValue::from_static("DENY"));
        headers.insert(
            HeaderName::from_static("cross-origin-opener-policy"),
            HeaderValue::from_static("same-origin"),
        );
        headers.insert(
            HeaderName::from_static("cross-origin-resource-policy"),
            HeaderValue::from_static("same-origin"),
        );
        headers.insert(
            HeaderName::from_static("permissions-policy"),
            HeaderValue::from_static(PERMISSIONS_POLICY),
        );
        headers.insert(header::CACHE_CONTROL, HeaderValue::from_static("no-store"));
        headers.remove(header::SERVER);
        headers.remove(header::SET_COOKIE); // never a cookie, whatever a handler added
        if transport == Transport::Https {
            headers.insert(header::STRICT_TRANSPORT_SECURITY, self.hsts.clone());
            if let Some(location) = onion_location {
                headers.insert(HeaderName::from_static("onion-location"), location);
            }
        }
    }
}
