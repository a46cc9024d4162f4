//! The desk's web front door: an HTTPS listener with the pages for login, enrolment, the start page, the
//! profile and account administration, the case queue ([`queue`]), the case page ([`case`]) and the audit
//! trail pages ([`trail`]), served by `porten-inbox run` on `desk.listen` (default
//! `127.0.0.1:8443`).
//!
//! Data flows one way: [`server`] (TLS, limits, timeouts) → [`router`] (language, route, session, CSRF) →
//! the desk's library (`Accounts`, `Login`, `Sessions`) and the audit log; [`pages`] turn what a handler
//! decided into HTML with words from [`text`], and [`http`] adds the security headers and the cookie to
//! every reply. The pages need no JavaScript; the only cookie is the session's, `__Host-desk`
//! (Secure, HttpOnly, SameSite=Strict).
//!
//! redb lets one process open the desk's database, so the running inbox opens the desk once, here, and
//! `porten-inbox desk …` commands need the inbox stopped.

mod case;
mod case_page;
#[cfg(test)]
mod case_tests;
mod http;
mod pages;
mod queue;
mod router;
mod server;
mod style;
#[cfg(test)]
mod tests;
mod text;
mod tls;
mod trail;

use std::sync::Arc;
use std::time::Duration;

use tokio::sync::watch;

use super::{Desk, DeskError};
use crate::audit::AuditLog;
use crate::config::InboxConfig;
use crate::InboxError;
pub use tls::DeskTlsError;

/// How often ended sessions are swept from the database (they are refused from the moment they end; the
/// sweep only removes their rows).
const SWEEP_EVERY: Duration = Duration::from_secs(600);

/// Why the desk's web pages could not be served.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum DeskWebError {
    /// `desk.listen` is not an address (the configuration check normally catches this first).
    #[error("desk.listen {0:?} is not an IP address and port")]
    Address(String),
    /// The address could not be bound: in use, or not this host's.
    #[error("the staff desk cannot listen on {address}: {source}")]
    Bind {
        /// The address.
        address: String,
        /// What the operating system said.
        source: std::io::Error,
    },
    /// The certificate could not be read or made.
    #[error("staff desk TLS: {0}")]
    Tls(#[from] DeskTlsError),
    /// The desk's database could not be opened.
    #[error("staff desk: {0}")]
    Desk(#[from] DeskError),
    /// The system random number generator failed while setting up the form tokens.
    #[error("the system random number generator failed")]
    Random,
}

/// What every request handler shares.
pub(super) struct Web {
    desk: Desk,
    audit: AuditLog,
    tokens: http::FormTokens,
    headers: http::SecurityHeaders,
    /// Where each reply recorded at the case page goes to be pushed to the gateway (encrypted with the
    /// ticket's reply key) by [`super::push`], which records the outcome with `Cases::reply_pushed` or
    /// `Cases::reply_failed`. `None` (in tests of the pages alone): replies are recorded (the intent, in
    /// the desk and the audit log) and shown as stored at the desk, not yet sent. A full or closed queue
    /// leaves the reply recorded and not sent, as if there were no pusher; the next start pushes it.
    replies: Option<tokio::sync::mpsc::Sender<super::push::PushRequest>>,
    /// How long the reply form waits for the push's outcome ([`super::push::PAGE_WAIT`]).
    push_wait: Duration,
}

impl Web {
    fn new(desk: Desk, audit: AuditLog) -> Result<Web, DeskWebError> {
        Ok(Web {
            desk,
            audit,
            tokens: http::FormTokens::new().ok_or(DeskWebError::Random)?,
            headers: http::SecurityHeaders::new(&style::style_csp_source()),
            replies: None,
            push_wait: super::push::PAGE_WAIT,
        })
    }

    fn now(&self) -> i64 {
        self.desk.accounts.clock.now()
    }

    /// A new token for a form shown before login.
    fn form_token(&self) -> String {
        self.tokens.issue(self.now())
    }
}

/// Binds `desk.listen` and serves the desk's pages on a task of their own until `stop` turns true; replies
/// written there go to `replies`. Returns once the listener is bound, so a taken port stops
/// `porten-inbox run` at start.
pub(crate) async fn start(
    config: &InboxConfig,
    desk: Desk,
    audit: AuditLog,
    replies: tokio::sync::mpsc::Sender<super::push::PushRequest>,
    stop: watch::Receiver<bool>,
) -> Result<tokio::task::JoinHandle<()>, InboxError> {
    let address = config
        .desk
        .listen_addr()
        .ok_or_else(|| DeskWebError::Address(config.desk.listen.clone()))?;
    let files = tls::CertificateFiles::resolve(
        config.desk.cert.as_deref(),
        config.desk.key.as_deref(),
        &super::DeskStore::dir(&config.state_dir),
    )
    .map_err(DeskWebError::from)?;
    let acceptor =
        tokio_rustls::TlsAcceptor::from(tls::server_config(&files).map_err(DeskWebError::from)?);
    let socket = tokio::net::TcpListener::bind(address)
        .await
        .map_err(|source| DeskWebError::Bind {
            address: address.to_string(),
            source,
        })?;
    if files.development {
        tracing::warn!(
            cert = %files.cert.display(),
            "desk.cert and desk.key are not set: the staff desk uses a self-signed DEVELOPMENT certificate; \
             browsers will warn, and staff must not get used to clicking through that warning in production"
        );
    }
    // The address bound, so a port of the kernel's choice (`:0`) is logged as the one to use.
    let address = socket.local_addr().unwrap_or(address);
    tracing::info!(%address, "the staff desk is served at https://{address}/");
    let mut web = Web::new(desk, audit)?;
    web.replies = Some(replies);
    let web = Arc::new(web);
    let sessions = web.desk.sessions.clone();
    let mut sweep_stop = stop.clone();
    tokio::spawn(async move {
        loop {
            tokio::select! {
                _ = tokio::time::sleep(SWEEP_EVERY) => {}
                _ = sweep_stop.changed() => return,
            }
            let sessions = sessions.clone();
            if let Ok(Err(error)) = tokio::task::spawn_blocking(move || sessions.sweep()).await {
                tracing::warn!(%error, "ended desk sessions could not be swept");
            }
        }
    });
    Ok(tokio::spawn(server::run(socket, acceptor, web, stop)))
}
