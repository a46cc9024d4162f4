//! Proofs: why the internal side can believe a follow-up or a close is about a ticket the sender can reach.
//!
//! A gateway that an attacker controls can seal anything to the internal side's recipients, so an envelope
//! that opens proves nothing about who made it. Follow-ups and closes therefore carry a [`Proof`]: an
//! HMAC-SHA256 under a key only the ticket's own holders have, which the inbox checks against the keys it was
//! given with the ticket's first contact:
//!
//! - a follow-up and a visitor's close ("delete my conversation") are signed under a key derived from the
//!   **reply key**, which the gateway has only while the visitor is there with the code;
//! - an expiry close, sent by the sweeper that has no code, is signed under a key derived from the ticket's
//!   **expiry key** (itself derived from the ticket's random storage key in the gateway's key slot).
//!
//! Each proof key is HKDF-SHA256 of its key with a label of its own, so a proof under one can never pass as
//! the other. What is signed is an unambiguous encoding of every field the inbox acts on: a label, the
//! envelope id, the ticket ref, the kind, the received minute, and then the message, entry id, urgency and
//! language of a follow-up or the reason of a close. Every variable-length field is preceded by its length.
//! Checking uses `ring::hmac::verify`, which compares in constant time.

use std::fmt;

use ring::{hkdf, hmac};
use zeroize::Zeroizing;

use super::payload::{ClosedReason, Content, EnvelopeKind, Payload};
use crate::keys::{ExpiryKey, ReplyKey};

/// HKDF info of the proof key derived from a reply key.
const VISITOR_PROOF_INFO: &[u8] = b"porten envelope proof key v1: from the reply key";
/// HKDF info of the proof key derived from an expiry key.
const EXPIRY_PROOF_INFO: &[u8] = b"porten envelope proof key v1: from the expiry key";
/// The first bytes of every signed message.
const MESSAGE_LABEL: &[u8] = b"porten envelope proof v1";

/// An HMAC-SHA256 tag over an envelope's fields. Not secret: it says nothing about the key or the message.
#[derive(Clone, Copy, PartialEq, Eq)]
pub struct Proof([u8; 32]);

impl Proof {
    /// A proof from its 32 bytes.
    pub fn from_bytes(bytes: [u8; 32]) -> Proof {
        Proof(bytes)
    }

    /// The 32 bytes.
    pub fn as_bytes(&self) -> &[u8; 32] {
        &self.0
    }
}

impl fmt::Debug for Proof {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Proof({})", hex::encode(self.0))
    }
}

/// The key a proof is made and checked under.
#[derive(Clone, Copy)]
pub(super) enum ProofKey<'a> {
    /// Follow-ups and visitor closes: the ticket's reply key.
    Visitor(&'a ReplyKey),
    /// Expiry closes: the ticket's expiry key.
    Expiry(&'a ExpiryKey),
}

impl ProofKey<'_> {
    /// The HMAC key; `None` only if HKDF refuses to expand 32 bytes, which it does not (its limit is
    /// 255 × 32).
    fn hmac_key(self) -> Option<hmac::Key> {
        let (ikm, info) = match self {
            ProofKey::Visitor(key) => (&key.as_bytes()[..], VISITOR_PROOF_INFO),
            ProofKey::Expiry(key) => (&key.as_bytes()[..], EXPIRY_PROOF_INFO),
        };
        // The input keys are uniformly random 32 bytes: extract with HKDF's default salt.
        let prk = hkdf::Salt::new(hkdf::HKDF_SHA256, &[]).extract(ikm);
        prk.expand(&[info], hmac::HMAC_SHA256)
            .ok()
            .map(hmac::Key::from)
    }
}

/// Signs `payload`'s fields (its own proof, if any, is not among them). Should HKDF ever fail, the proof is
/// all zeros, which no check accepts.
pub(super) fn sign(payload: &Payload, key: ProofKey<'_>) -> Proof {
    let mut bytes = [0u8; 32];
    if let Some(key) = key.hmac_key() {
        bytes.copy_from_slice(hmac::sign(&key, &message(payload)).as_ref());
    }
    Proof(bytes)
}

/// Whether `proof` was made over `payload`'s fields under `key`, compared in constant time.
pub(super) fn verify(payload: &Payload, proof: &Proof, key: ProofKey<'_>) -> bool {
    key.hmac_key()
        .is_some_and(|key| hmac::verify(&key, &message(payload), &proof.0).is_ok())
}

/// The signed message: fixed-size fields as they are, variable-size ones after their length (u64, big
/// endian), in one fixed order. The buffer holds the message text, so it is wiped when dropped.
fn message(payload: &Payload) -> Zeroizing<Vec<u8>> {
    let visitor = payload.visitor();
    let capacity = 160 + visitor.map_or(0, |v| v.message.expose().len());
    let mut out = Zeroizing::new(Vec::with_capacity(capacity));
    out.extend_from_slice(MESSAGE_LABEL);
    out.extend_from_slice(payload.envelope_id.as_bytes());
    out.extend_from_slice(payload.ticket_ref.as_bytes());
    let kind = match payload.kind() {
        EnvelopeKind::FirstContact => "first-contact",
        EnvelopeKind::FollowUp => "follow-up",
        EnvelopeKind::Closed => "closed",
    };
    with_length(&mut out, kind.as_bytes());
    out.extend_from_slice(&payload.received.unix_timestamp().to_be_bytes());
    match &payload.content {
        Content::FirstContact { .. } => {}
        Content::FollowUp { visitor, .. } => {
            out.extend_from_slice(visitor.entry_id.as_bytes());
            out.push(u8::from(visitor.urgent));
            match &visitor.language {
                None => out.push(0),
                Some(language) => {
                    out.push(1);
                    with_length(&mut out, language.as_str().as_bytes());
                }
            }
            with_length(&mut out, visitor.message.expose().as_bytes());
        }
        Content::Closed { reason, .. } => {
            let reason = match reason {
                ClosedReason::Visitor => "visitor",
                ClosedReason::Expired => "expired",
            };
            with_length(&mut out, reason.as_bytes());
        }
    }
    out
}

fn with_length(out: &mut Vec<u8>, bytes: &[u8]) {
    out.extend_from_slice(&(bytes.len() as u64).to_be_bytes());
    out.extend_from_slice(bytes);
}
