//! The optional webhook: each delivered envelope's document POSTed to the case system.
//!
//! A 2xx answer is success. Anything else, or no answer, is retried with exponential back-off (0.5 s, 1 s,
//! 2 s, … at most 30 s between attempts) up to `max_attempts`; then the delivery is reported as failed and
//! the inbox leaves the envelope un-acked, so it comes back on a later pull and the webhook is tried again.
//! The webhook therefore sees every envelope at least once and may see one twice: the `X-Porten-Envelope-Id`
//! header (also the document's `envelope_id`) lets the receiver drop repeats.
//!
//! `http://` is accepted for an endpoint on the internal network, which the documents never leave; anything
//! further away should be `https://` with its CA configured.

use std::sync::Arc;
use std::time::Duration;

use bytes::Bytes;
use http_body_util::Full;
use hyper::{header, Method, Request};
use tokio::sync::watch;

use super::client::client_tls_config;
use super::config::WebhookConfig;
use super::endpoint::{self, Endpoint, Scheme};

/// The first pause between attempts; it doubles each time.
const FIRST_BACKOFF: Duration = Duration::from_millis(500);
/// The longest pause between attempts.
const MAX_BACKOFF: Duration = Duration::from_secs(30);
/// The most of the webhook's answer that is read.
const MAX_ANSWER: usize = 64 * 1024;

/// Why the webhook could not be set up or did not take a document.
#[derive(Debug, thiserror::Error)]
pub enum WebhookError {
    /// The URL or CA is unusable.
    #[error("webhook: {0}")]
    Config(String),
    /// Every attempt failed; the last failure is given.
    #[error("the webhook did not accept the envelope after {attempts} attempts; last: {last}")]
    Failed {
        /// Attempts made.
        attempts: u32,
        /// What happened on the last one.
        last: String,
    },
    /// The inbox is stopping.
    #[error("stopping")]
    Stopping,
}

/// A configured webhook.
pub struct Webhook {
    endpoint: Endpoint,
    tls: Option<Arc<rustls::ClientConfig>>,
    max_attempts: u32,
    timeout: Duration,
}

impl Webhook {
    /// Checks the URL and loads the CA.
    pub fn new(config: &WebhookConfig) -> Result<Webhook, WebhookError> {
        let endpoint = Endpoint::parse(&config.url).map_err(WebhookError::Config)?;
        let tls = match (endpoint.scheme, &config.ca) {
            (Scheme::Https, Some(ca)) => Some(Arc::new(
                client_tls_config(ca, None).map_err(|e| WebhookError::Config(e.to_string()))?,
            )),
            (Scheme::Https, None) => {
                return Err(WebhookError::Config(
                    "an https:// webhook needs webhook.ca".into(),
                ))
            }
            (Scheme::Http, _) => None,
        };
        Ok(Webhook {
            endpoint,
            tls,
            max_attempts: config.max_attempts.max(1),
            timeout: Duration::from_secs(config.timeout_secs),
        })
    }

    /// POSTs `document` until the webhook answers 2xx, at most `max_attempts` times. Gives up early with
    /// [`WebhookError::Stopping`] when `stop` turns true.
    pub async fn deliver(
        &self,
        envelope_id: &str,
        document: &[u8],
        stop: &mut watch::Receiver<bool>,
    ) -> Result<(), WebhookError> {
        let mut pause = FIRST_BACKOFF;
        let mut last = String::new();
        for attempt in 1..=self.max_attempts {
            match self.attempt(envelope_id, document).await {
                Ok(()) => return Ok(()),
                Err(reason) => {
                    tracing::warn!(attempt, %reason, "webhook attempt failed");
                    last = reason;
                }
            }
            if attempt == self.max_attempts {
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(pause) => {}
                _ = stop.changed() => return Err(WebhookError::Stopping),
            }
            pause = (pause * 2).min(MAX_BACKOFF);
        }
        Err(WebhookError::Failed {
            attempts: self.max_attempts,
            last,
        })
    }

    async fn attempt(&self, envelope_id: &str, document: &[u8]) -> Result<(), String> {
        let work = async {
            let mut sender = endpoint::connect(&self.endpoint, self.tls.as_ref())
                .await
                .map_err(|e| e.to_string())?;
            let request = Request::builder()
                .method(Method::POST)
                .uri(self.endpoint.path.as_str())
                .header(header::HOST, self.endpoint.authority())
                .header(header::CONTENT_TYPE, "application/json")
                .header("x-porten-envelope-id", envelope_id)
                .body(Full::new(Bytes::copy_from_slice(document)))
                .map_err(|e| e.to_string())?;
            let answer = endpoint::exchange(&mut sender, request, self.timeout, MAX_ANSWER)
                .await
                .map_err(|e| e.to_string())?;
            if answer.status.is_success() {
                Ok(())
            } else {
                Err(format!("the webhook answered {}", answer.status))
            }
        };
        match tokio::time::timeout(self.timeout + endpoint::CONNECT_TIMEOUT, work).await {
            Ok(result) => result,
            Err(_) => Err("timed out".into()),
        }
    }
}
