//! Pushing the replies written at the desk: each one sealed with its ticket's reply key and sent to the
//! gateway by `porten-inbox run`, then its outcome recorded in the case and the audit log.
//!
//! The case page records a reply (the intent, in the desk and the audit log) before it hands it here, so a
//! reply is never pushed without a record of who wrote it. The push retries transient failures under the
//! reply's own id; the gateway stores a reply id once, so a retry after a lost answer, or a push again after
//! a restart ([`Cases::unsent_replies`]), cannot post it twice. A ticket the gateway no longer has (the
//! visitor deleted the conversation, or it expired) or an error that retrying cannot mend records the reply
//! as failed: the case page says the visitor has not got it.

use std::sync::mpsc::SyncSender;
use std::time::Duration;

use tokio::sync::{mpsc, watch};

use super::{CaseFact, Cases, FactBy, ReplyIntent};
use crate::audit::AuditLog;
use crate::client::GatewayClient;
use crate::config::InboxConfig;
use crate::durable::PendingWrites;
use crate::reply::{push, sealed_request};
use crate::reply_keys::ReplyKeys;
use crate::InboxError;

/// Replies waiting to be pushed, at most. A full queue leaves a reply recorded and not sent; the next start
/// pushes it.
pub(crate) const QUEUE: usize = 256;
/// How long the case page waits for a push before it shows the reply as stored and not yet sent.
pub(crate) const PAGE_WAIT: Duration = Duration::from_secs(8);

/// One reply to push, and where to say that its outcome is on record.
#[derive(Debug)]
pub(crate) struct PushRequest {
    /// The recorded reply.
    pub(crate) intent: ReplyIntent,
    /// Told `true` once the reply was pushed and `false` once it failed, after the outcome is recorded.
    pub(crate) done: Option<SyncSender<bool>>,
}

/// Pushes every reply sent to `requests` until `stop` turns true; first, the replies a previous run
/// recorded and did not push.
pub(crate) async fn run(
    config: InboxConfig,
    cases: Cases,
    audit: AuditLog,
    mut requests: mpsc::Receiver<PushRequest>,
    mut stop: watch::Receiver<bool>,
) {
    let pusher = Pusher {
        config,
        cases,
        audit,
    };
    let unsent = {
        let cases = pusher.cases.clone();
        tokio::task::spawn_blocking(move || cases.unsent_replies()).await
    };
    match unsent {
        Ok(Ok(unsent)) => {
            if !unsent.is_empty() {
                tracing::info!(
                    replies = unsent.len(),
                    "pushing replies the desk recorded before the last stop"
                );
            }
            for intent in unsent {
                if *stop.borrow() {
                    return;
                }
                pusher.push(PushRequest { intent, done: None }).await;
            }
        }
        Ok(Err(error)) => {
            tracing::error!(%error, "the desk's unsent replies could not be read; they stay unsent")
        }
        Err(_) => tracing::error!("reading the desk's unsent replies failed"),
    }
    loop {
        let request = tokio::select! {
            request = requests.recv() => request,
            _ = stop.changed() => return,
        };
        let Some(request) = request else { return };
        tokio::select! {
            () = pusher.push(request) => {}
            // The reply stays recorded and is pushed again at the next start.
            _ = stop.changed() => return,
        }
    }
}

struct Pusher {
    config: InboxConfig,
    cases: Cases,
    audit: AuditLog,
}

impl Pusher {
    async fn push(&self, request: PushRequest) {
        let PushRequest { intent, done } = request;
        let pushed = match self.send(&intent).await {
            Ok(()) => true,
            Err(error) => {
                tracing::warn!(
                    %error,
                    case = %intent.fact.case.prefix(),
                    "a desk reply could not be pushed; the case shows it as not sent"
                );
                false
            }
        };
        let FactBy::Account(actor) = intent.fact.by else {
            return;
        };
        let cases = self.cases.clone();
        let key = intent.fact.case;
        let reply_id = intent.reply_id;
        let recorded = tokio::task::spawn_blocking(move || {
            if pushed {
                cases.reply_pushed(actor, &key, reply_id)
            } else {
                cases.reply_failed(actor, &key, reply_id)
            }
        })
        .await;
        match recorded {
            Ok(Ok(fact)) => self.log(&fact),
            Ok(Err(error)) => {
                tracing::error!(%error, "the outcome of a desk reply's push could not be recorded")
            }
            Err(_) => tracing::error!("recording the outcome of a desk reply's push failed"),
        }
        if let Some(done) = done {
            // The page may have stopped waiting; then nobody listens, which is fine.
            let _ = done.try_send(pushed);
        }
    }

    async fn send(&self, intent: &ReplyIntent) -> Result<(), InboxError> {
        let keys = ReplyKeys::open(&self.config.state_dir)?;
        // Looked up by the full ticket ref, never by a name that could end up in an error message.
        let key = keys
            .held(&intent.ticket_ref, &PendingWrites::new())?
            .ok_or(InboxError::TicketGone)?;
        let request = sealed_request(
            &key,
            &intent.reply_id,
            intent.display_name.as_str(),
            intent.text.expose(),
        )?;
        let mut client = GatewayClient::new(&self.config.gateway, self.config.client_tls())?;
        push(&mut client, &request).await?;
        Ok(())
    }

    fn log(&self, fact: &CaseFact) {
        if let Err(error) = self.audit.append(&fact.audit_event()) {
            tracing::error!(%error, "the audit log could not be written");
        }
    }
}
