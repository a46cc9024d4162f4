//! `porten-inbox reply`: a staff member's answer, sealed with the ticket's reply key and pushed to the gateway.
//!
//! The text is sealed as a thread entry (ChaCha20-Poly1305 under the reply key, bound to the ticket ref, the
//! entry id and the author kind "staff") with the display name the visitor will see. The entry id is a fresh
//! random reply id; every retry within one run sends the same id, and the gateway stores a reply id once,
//! so a retry after a lost answer cannot post the reply twice. Only the visitor, with the code, can read it.

use std::time::Duration;

use zeroize::Zeroizing;

use super::audit::{ticket_prefix, AuditEvent, AuditLog};
use super::client::{ClientError, GatewayClient};
use super::config::InboxConfig;
use super::reply_keys::{ReplyKeys, TicketKey};
use super::InboxError;
use porten_protocol::thread::{self, AuthorKind, EntryId, EntryPlain};
use porten_protocol::wire::{ReplyOutcome, ReplyRequest, MAX_REPLY_CIPHERTEXT};

/// The longest reply, in characters.
pub const MAX_REPLY_CHARS: usize = 20_000;
/// The longest display name, in characters.
pub const MAX_FROM_CHARS: usize = 80;
/// Attempts at pushing one reply.
const ATTEMPTS: u32 = 6;

/// What `reply` did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReplyReceipt {
    /// The reply id (hex), also its thread entry id.
    pub reply_id: String,
    /// Stored now, or found already stored (a retry).
    pub outcome: ReplyOutcome,
    /// The ticket ref's prefix, as in the audit log.
    pub ticket: String,
}

/// Checks the display name: 1 to [`MAX_FROM_CHARS`] characters, no control characters.
pub fn check_from(from: &str) -> Result<&str, InboxError> {
    let from = from.trim();
    if from.is_empty()
        || from.chars().count() > MAX_FROM_CHARS
        || from.chars().any(char::is_control)
    {
        return Err(InboxError::BadReply(
            "--from must be a display name of 1 to 80 characters without line breaks, e.g. \"Sara, socialsekreterare\"",
        ));
    }
    Ok(from)
}

/// Checks the text: not blank, at most [`MAX_REPLY_CHARS`] characters.
pub fn check_text(text: &str) -> Result<(), InboxError> {
    if text.trim().is_empty() {
        return Err(InboxError::BadReply("the reply is empty"));
    }
    if text.chars().count() > MAX_REPLY_CHARS {
        return Err(InboxError::BadReply(
            "the reply is longer than 20000 characters; split it in two",
        ));
    }
    Ok(())
}

/// The operating-system user running this, for the audit log.
pub fn operator() -> String {
    use std::os::unix::fs::MetadataExt;
    let uid = std::fs::metadata("/proc/self")
        .map(|m| m.uid().to_string())
        .unwrap_or_else(|_| "?".into());
    match std::env::var("USER").or_else(|_| std::env::var("LOGNAME")) {
        Ok(name) if !name.is_empty() => format!("{name} (uid {uid})"),
        _ => format!("uid {uid}"),
    }
}

/// Seals `text` as the thread entry `entry_id` of the ticket `key`, under the display name `from`, ready to
/// push. The same id on every retry: the gateway stores a reply id once.
pub(crate) fn sealed_request(
    key: &TicketKey,
    entry_id: &EntryId,
    from: &str,
    text: &str,
) -> Result<ReplyRequest, InboxError> {
    let plain = EntryPlain {
        author_name: Some(from.to_owned()),
        written: porten_protocol::time::minute(time::OffsetDateTime::now_utc()),
        text: text.to_owned(),
    };
    let ciphertext = thread::seal_entry(
        &key.reply_key,
        &key.ticket_ref,
        entry_id,
        AuthorKind::Staff,
        &plain,
    )?;
    if ciphertext.len() > MAX_REPLY_CIPHERTEXT {
        return Err(InboxError::BadReply(
            "the sealed reply is over the gateway's limit; shorten it",
        ));
    }
    Ok(ReplyRequest::new(
        entry_id.as_bytes(),
        key.ticket_ref.as_bytes(),
        &ciphertext,
    ))
}

/// Pushes a sealed reply, retrying transient failures (1 s, doubling, [`ATTEMPTS`] in all).
pub(crate) async fn push(
    client: &mut GatewayClient,
    request: &ReplyRequest,
) -> Result<ReplyOutcome, InboxError> {
    let mut pause = Duration::from_secs(1);
    let mut attempt = 1;
    loop {
        match client.push_reply(request).await {
            Ok(outcome) => return Ok(outcome),
            Err(error) if error.is_transient() && attempt < ATTEMPTS => {
                tracing::warn!(%error, attempt, "pushing the reply failed; trying again with the same reply id");
                tokio::time::sleep(pause).await;
                pause *= 2;
                attempt += 1;
            }
            Err(ClientError::NoSuchTicket) => return Err(InboxError::TicketGone),
            Err(error) => return Err(error.into()),
        }
    }
}

/// Seals `text` for the ticket and pushes it, retrying transient failures with the same reply id.
pub async fn reply(
    config: &InboxConfig,
    ticket: &str,
    from: &str,
    text: Zeroizing<String>,
) -> Result<ReplyReceipt, InboxError> {
    let from = check_from(from)?;
    check_text(&text)?;
    let keys = ReplyKeys::open(&config.state_dir)?;
    let key = keys.find(ticket)?;
    let entry_id = EntryId::random();
    let request = sealed_request(&key, &entry_id, from, &text)?;
    let mut client = GatewayClient::new(&config.gateway, config.client_tls())?;
    let outcome = push(&mut client, &request).await?;
    let ticket_hex = key.ticket_ref.to_hex();
    let receipt = ReplyReceipt {
        reply_id: entry_id.to_hex(),
        outcome,
        ticket: ticket_prefix(&ticket_hex),
    };
    let identities = crate::run::load_identities(&config.identity)?;
    AuditLog::signed(config.audit_log_path(), &identities).append(&AuditEvent::Replied {
        ticket: receipt.ticket.clone(),
        reply_id: receipt.reply_id.clone(),
        from: from.to_owned(),
        operator: operator(),
        outcome: match outcome {
            ReplyOutcome::Stored => "stored".into(),
            ReplyOutcome::Duplicate => "duplicate".into(),
        },
    })?;
    Ok(receipt)
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn a_display_name_is_one_line_of_sensible_length() {
        assert_eq!(
            check_from("  Sara, socialsekreterare ").ok(),
            Some("Sara, socialsekreterare")
        );
        assert!(check_from("").is_err());
        assert!(check_from("Sara\nInjected: line").is_err());
        assert!(check_from(&"x".repeat(81)).is_err());
    }

    #[test]
    fn a_reply_is_neither_blank_nor_endless() {
        assert!(check_text("Hej! Vi finns här.").is_ok());
        assert!(check_text(" \n\t").is_err());
        assert!(check_text(&"å".repeat(MAX_REPLY_CHARS + 1)).is_err());
        assert!(check_text(&"å".repeat(MAX_REPLY_CHARS)).is_ok());
    }
}
