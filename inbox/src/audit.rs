//! The inbox's audit log: one JSON line per event, each carrying the SHA-256 of the line before it.
//!
//! Staff work is logged so it can be accounted for: which envelope was delivered, which ticket was closed,
//! who replied to which ticket under which display name. The chain makes a removed, reordered or edited line
//! detectable by [`verify`]; a head file beside the log (`<log>.head`: line count and the last line's hash)
//! makes a cut-off end detectable as well, and [`verify`] fails when the head is missing.
//!
//! The head is **signed** (Ed25519) with a key derived from the inbox's age identity ([`HeadKey`]), which is
//! kept apart from the state directory (a systemd credential, or a file outside it): whoever can write the
//! state directory but not read the identity can rewrite lines and recompute every hash, but cannot sign the
//! head that would make the rewrite verify. Each new head is also written to the service's own log
//! (`audit head lines=… head=…`, at info level, i.e. the system journal), a second copy outside the state
//! directory against rolling the log and its head back together to an older signed state. Auditors keep the
//! head key's public half (`porten-inbox audit key`) and verify with it.
//!
//! Tickets are named by the first [`TICKET_PREFIX_LEN`] hex characters of their ref: enough to find the
//! spool files of a case, without the log becoming a list of full refs. No message text is ever logged.
//! Both `porten-inbox run` and `porten-inbox reply` append; an exclusive lock on the log orders them.

use std::fs::{File, OpenOptions};
use std::io::{self, BufRead, BufReader, Read, Seek, SeekFrom, Write};
use std::os::unix::fs::OpenOptionsExt;
use std::path::{Path, PathBuf};

use ring::digest::{digest, SHA256};
use serde::{Deserialize, Serialize};

use porten_protocol::envelope::{ClosedReason, EnvelopeKind};

/// Hex characters of a ticket ref written to the log.
pub const TICKET_PREFIX_LEN: usize = 16;
/// The `prev` of the first line.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";
/// The longest line [`verify`] reads; an appended line is far shorter.
const MAX_LINE: usize = 64 * 1024;

/// One thing that happened.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum AuditEvent {
    /// An envelope was written to the spool (and handed to the webhook, if any).
    Delivered {
        /// The envelope id (the spool file's name).
        envelope_id: String,
        /// First contact or follow-up.
        kind: EnvelopeKind,
        /// The ticket ref's prefix.
        ticket: String,
    },
    /// A closed envelope was delivered and the ticket's reply key forgotten.
    Closed {
        /// The envelope id.
        envelope_id: String,
        /// The ticket ref's prefix.
        ticket: String,
        /// Deleted by the visitor, or expired.
        reason: ClosedReason,
        /// Whether this inbox held a reply key for the ticket (and has now deleted it).
        reply_key_forgotten: bool,
    },
    /// An envelope could not be opened; its sealed bytes were kept in the state directory.
    Unopened {
        /// The file it was kept in.
        file: String,
        /// Why it could not be opened.
        reason: String,
    },
    /// An envelope opened but was refused, because only a gateway that lies could have sent it: a first
    /// contact for a ticket already held, or a follow-up or close without a proof under the ticket's keys.
    /// Nothing of it reached the spool or the webhook; its sealed bytes were kept in the state directory.
    Refused {
        /// The file it was kept in.
        file: String,
        /// What it claims to be.
        kind: EnvelopeKind,
        /// The prefix of the ticket ref it names.
        ticket: String,
        /// Why it was refused.
        reason: String,
    },
    /// A staff reply was pushed to the gateway.
    Replied {
        /// The ticket ref's prefix.
        ticket: String,
        /// The reply id (also its thread entry id).
        reply_id: String,
        /// The display name the visitor sees.
        from: String,
        /// The operating-system user who ran `porten-inbox reply`.
        operator: String,
        /// `stored`, or `duplicate` when a retry found it already stored.
        outcome: String,
    },
    /// A staff member logged in to the desk.
    DeskLogin {
        /// The account (its id, which never changes).
        account: String,
        /// How: `password-totp`.
        method: String,
    },
    /// A desk login was refused. The typed name is not recorded: people type passwords into name fields.
    DeskLoginRefused {
        /// `refused` (wrong name, password or code), `locked` or `busy`.
        reason: String,
    },
    /// A staff member logged out of the desk.
    DeskLogout {
        /// The account.
        account: String,
    },
    /// An account enrolled with its one-time code: it has a password and a TOTP secret now.
    DeskEnrolled {
        /// The account.
        account: String,
    },
    /// An administrator made a desk account.
    DeskAccountCreated {
        /// The administrator's account.
        by: String,
        /// The new account.
        account: String,
        /// Its role.
        role: String,
        /// Its teams (absent in lines written before they were recorded).
        #[serde(default)]
        teams: Vec<String>,
    },
    /// An administrator reset a desk account (new enrolment code; password, TOTP and sessions void).
    DeskAccountReset {
        /// The administrator's account.
        by: String,
        /// The account reset.
        account: String,
    },
    /// An administrator disabled a desk account.
    DeskAccountDisabled {
        /// The administrator's account.
        by: String,
        /// The account disabled.
        account: String,
    },
    /// A staff member changed the display name visitors see on their replies.
    DeskDisplayNameChanged {
        /// The account.
        account: String,
    },
    /// A team lead or administrator read an audit trail at the desk.
    DeskTrailViewed {
        /// The reader's account.
        account: String,
        /// Whose trail: `case <case key prefix>` or `account <account id>`.
        of: String,
    },
    /// A staff member (or the retention sweep) acted on a case at the desk.
    Case {
        /// The account id, or `retention`.
        account: String,
        /// The case key's prefix.
        case: String,
        /// The ticket ref's prefix.
        ticket: String,
        /// What was done: `viewed`, `took`, `assigned`, `note-added`, `reply-recorded`, … .
        action: String,
        /// The account, team, status, partner, reply id or date it concerns; never message or note text.
        detail: Option<String>,
    },
}

/// A line as written: number, time, the event's fields, and the previous line's hash.
#[derive(Serialize)]
struct Line<'a> {
    n: u64,
    time: String,
    #[serde(flatten)]
    event: &'a AuditEvent,
    prev: String,
}

/// A line as read back: its number, its time and its event.
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
pub struct Logged {
    /// The line's number, from 1.
    pub n: u64,
    /// When it was written (RFC 3339, UTC).
    pub time: String,
    /// What happened.
    #[serde(flatten)]
    pub event: AuditEvent,
}

/// Lines read back from the log ([`AuditLog::read`]).
#[derive(Debug, Default)]
pub struct Trail {
    /// The lines kept, in order.
    pub lines: Vec<Logged>,
    /// Lines that could not be read as events.
    pub unreadable: u64,
}

/// What every line must have for the chain to be checked.
#[derive(Deserialize)]
struct ChainFields {
    n: u64,
    prev: String,
}

/// The head file: how long the log is and how it ends, and the head key's signature over both.
#[derive(Debug, Serialize, Deserialize, PartialEq, Eq)]
struct Head {
    lines: u64,
    last: String,
    /// The head key's public half, hex; absent in a head written without a key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key: Option<String>,
    /// Ed25519 signature over [`Head::signed_text`], hex.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    sig: Option<String>,
}

impl Head {
    /// What the signature covers: a label, the line count and the last line's hash.
    fn signed_text(lines: u64, last: &str) -> Vec<u8> {
        format!("porten-inbox audit head v1\n{lines}\n{last}\n").into_bytes()
    }
}

/// The key that signs the audit log's head: Ed25519, derived with HKDF-SHA256 from the inbox's (first) age
/// identity, so it exists wherever the identity is and nowhere else, and needs no file of its own.
pub struct HeadKey {
    pair: ring::signature::Ed25519KeyPair,
}

impl std::fmt::Debug for HeadKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("HeadKey")
            .field("public", &self.public_hex())
            .finish_non_exhaustive()
    }
}

/// The HKDF label of the head key.
const HEAD_KEY_INFO: &[u8] = b"porten-inbox audit head key v1";

struct Seed;

impl ring::hkdf::KeyType for Seed {
    fn len(&self) -> usize {
        32
    }
}

impl HeadKey {
    /// The head key of `identities` (the first one signs). `None` when there is no identity.
    pub fn from_identities(identities: &[age::x25519::Identity]) -> Option<HeadKey> {
        use age::secrecy::ExposeSecret as _;
        let identity = identities.first()?;
        let secret = identity.to_string();
        let salt = ring::hkdf::Salt::new(ring::hkdf::HKDF_SHA256, b"porten-inbox");
        let prk = salt.extract(secret.expose_secret().as_bytes());
        let mut seed = zeroize::Zeroizing::new([0u8; 32]);
        prk.expand(&[HEAD_KEY_INFO], Seed)
            .and_then(|okm| okm.fill(&mut seed[..]))
            .ok()?;
        let pair = ring::signature::Ed25519KeyPair::from_seed_unchecked(&seed[..]).ok()?;
        Some(HeadKey { pair })
    }

    /// The public half, hex: what auditors keep and verify with.
    pub fn public_hex(&self) -> String {
        use ring::signature::KeyPair as _;
        hex::encode(self.pair.public_key().as_ref())
    }

    fn sign(&self, lines: u64, last: &str) -> String {
        hex::encode(self.pair.sign(&Head::signed_text(lines, last)).as_ref())
    }
}

/// How [`verify`] treats the head's signature.
#[derive(Debug, Clone, Copy)]
pub enum HeadCheck<'a> {
    /// The head must be signed by the key with this public half (hex, from [`HeadKey::public_hex`]).
    SignedBy(&'a str),
    /// The signature is not checked (no key at hand); the result says so.
    Unsigned,
}

/// Why an event could not be appended.
#[derive(Debug, thiserror::Error)]
pub enum AuditError {
    /// The log could not be opened, locked, read or written.
    #[error("audit log {path}: {source}")]
    Io {
        /// The log.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The log's last line is not a chain line, so the next one cannot be chained to it.
    #[error("audit log {path}: the last line is damaged; run `porten-inbox audit verify` and restore the log")]
    DamagedTail {
        /// The log.
        path: PathBuf,
    },
}

/// Where and how the chain is broken.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("line {line}: {problem}")]
pub struct ChainBreak {
    /// The first line (counting from 1) that does not fit; for a cut-off end, the line after the last.
    pub line: u64,
    /// What is wrong with it.
    pub problem: String,
}

/// The result of a successful [`verify`].
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verified {
    /// Lines in the log.
    pub lines: u64,
    /// Whether the head's signature was checked against the given key (and held).
    pub signature_checked: bool,
    /// The last line's hash, as the head names it (the genesis value for an empty log): compare it with the
    /// `audit head` lines in the service's journal.
    pub head: String,
}

/// The audit log at a path.
#[derive(Debug, Clone)]
pub struct AuditLog {
    path: PathBuf,
    key: Option<std::sync::Arc<HeadKey>>,
}

/// The ticket ref's prefix as logged.
pub fn ticket_prefix(ticket_ref_hex: &str) -> String {
    ticket_ref_hex.chars().take(TICKET_PREFIX_LEN).collect()
}

/// Lowercase hex SHA-256 of one line, without its newline.
fn line_hash(line: &[u8]) -> String {
    hex::encode(digest(&SHA256, line))
}

fn head_path(log: &Path) -> PathBuf {
    let mut name = log.as_os_str().to_owned();
    name.push(".head");
    PathBuf::from(name)
}

impl AuditLog {
    /// The log at `path`, its head unsigned; created (with its directory) on the first append. For tests and
    /// tools: the service signs its heads ([`AuditLog::signed`]).
    pub fn new(path: PathBuf) -> AuditLog {
        AuditLog { path, key: None }
    }

    /// The log at `path`, its head signed with the head key of `identities` (unsigned if there is none).
    pub fn signed(path: PathBuf, identities: &[age::x25519::Identity]) -> AuditLog {
        AuditLog {
            path,
            key: HeadKey::from_identities(identities).map(std::sync::Arc::new),
        }
    }

    /// The log's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// The public half of the key that signs the head (hex), if the log is signed.
    pub fn head_key_hex(&self) -> Option<String> {
        self.key.as_ref().map(|key| key.public_hex())
    }

    /// [`verify`] and [`AuditLog::read`] together, while no line can be appended (a shared lock against
    /// the appenders' exclusive one), so the check and the lines shown are of the same log. `None` for the
    /// check: the log is not written yet.
    pub fn read_verified(
        &self,
        check: HeadCheck<'_>,
        wanted: impl Fn(&AuditEvent) -> bool,
    ) -> Result<(Trail, Option<Result<Verified, VerifyError>>), AuditError> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => {
                return Ok((Trail::default(), None))
            }
            Err(error) => return Err(self.io(error)),
        };
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockShared)
            .map_err(|e| self.io(e.into()))?;
        let verified = verify(&self.path, check);
        let trail = self.read(wanted)?;
        drop(file);
        Ok((trail, Some(verified)))
    }

    /// The log's lines that `wanted` keeps, in order, read as events: what the desk's audit trail pages
    /// show. Lines that are not events this build knows (damaged, or written by a newer build) are
    /// counted, not shown; [`verify`] says whether the chain holds. A log not yet written is empty.
    pub fn read(&self, wanted: impl Fn(&AuditEvent) -> bool) -> Result<Trail, AuditError> {
        let file = match File::open(&self.path) {
            Ok(file) => file,
            Err(error) if error.kind() == io::ErrorKind::NotFound => return Ok(Trail::default()),
            Err(error) => return Err(self.io(error)),
        };
        let mut trail = Trail::default();
        let mut reader = BufReader::new(file);
        let mut buffer = Vec::new();
        loop {
            buffer.clear();
            let read = (&mut reader)
                .take(MAX_LINE as u64 + 1)
                .read_until(b'\n', &mut buffer)
                .map_err(|e| self.io(e))?;
            if read == 0 {
                break;
            }
            match serde_json::from_slice::<Logged>(&buffer) {
                Ok(logged) if wanted(&logged.event) => trail.lines.push(logged),
                Ok(_) => {}
                Err(_) => trail.unreadable = trail.unreadable.saturating_add(1),
            }
        }
        Ok(trail)
    }

    fn io(&self, source: io::Error) -> AuditError {
        AuditError::Io {
            path: self.path.clone(),
            source,
        }
    }

    /// Appends one event, chained to the last line, and makes it durable. Returns its line number.
    pub fn append(&self, event: &AuditEvent) -> Result<u64, AuditError> {
        self.append_all(std::slice::from_ref(event))
    }

    /// Appends events in order, each chained to the one before, with one write and one fsync. Returns the
    /// last line's number (the current count when `events` is empty).
    pub fn append_all(&self, events: &[AuditEvent]) -> Result<u64, AuditError> {
        if let Some(dir) = self.path.parent().filter(|d| !d.as_os_str().is_empty()) {
            porten_protocol::fsutil::create_private_dir(dir).map_err(|e| self.io(e))?;
        }
        let mut file = OpenOptions::new()
            .read(true)
            .append(true)
            .create(true)
            .mode(0o600)
            .open(&self.path)
            .map_err(|e| self.io(e))?;
        // Held until `file` is dropped at the end of this call: appends from `run` and `reply` never interleave.
        rustix::fs::flock(&file, rustix::fs::FlockOperation::LockExclusive)
            .map_err(|e| self.io(e.into()))?;
        let (mut n, mut prev) = match last_line(&mut file).map_err(|e| self.io(e))? {
            None => (0, GENESIS.to_owned()),
            Some(last) => {
                let fields: ChainFields =
                    serde_json::from_slice(&last).map_err(|_| AuditError::DamagedTail {
                        path: self.path.clone(),
                    })?;
                (fields.n, line_hash(&last))
            }
        };
        if events.is_empty() {
            return Ok(n);
        }
        let time = time::OffsetDateTime::now_utc()
            .format(&time::format_description::well_known::Rfc3339)
            .unwrap_or_default();
        let mut text = Vec::new();
        for event in events {
            n = n.saturating_add(1);
            let line = serde_json::to_vec(&Line {
                n,
                time: time.clone(),
                event,
                prev: prev.clone(),
            })
            .map_err(|e| self.io(io::Error::other(e)))?;
            prev = line_hash(&line);
            text.extend_from_slice(&line);
            text.push(b'\n');
        }
        file.write_all(&text).map_err(|e| self.io(e))?;
        file.sync_data().map_err(|e| self.io(e))?;
        let head = serde_json::to_vec(&Head {
            lines: n,
            key: self.key.as_ref().map(|key| key.public_hex()),
            sig: self.key.as_ref().map(|key| key.sign(n, &prev)),
            last: prev.clone(),
        })
        .map_err(|e| self.io(io::Error::other(e)))?;
        porten_protocol::fsutil::write_private_file(&head_path(&self.path), &head)
            .map_err(|e| self.io(e))?;
        // The anchor outside the state directory: the journal keeps every head the log had.
        tracing::info!(lines = n, head = %prev, "audit head");
        Ok(n)
    }
}

/// The last complete line of the file (without its newline), or `None` for an empty file.
fn last_line(file: &mut File) -> io::Result<Option<Vec<u8>>> {
    let len = file.seek(SeekFrom::End(0))?;
    if len == 0 {
        return Ok(None);
    }
    let start = len.saturating_sub(MAX_LINE as u64 + 1);
    file.seek(SeekFrom::Start(start))?;
    let mut tail = Vec::with_capacity((len - start) as usize);
    file.read_to_end(&mut tail)?;
    let body = tail.strip_suffix(b"\n").unwrap_or(&tail);
    let from = body
        .iter()
        .rposition(|b| *b == b'\n')
        .map_or(0, |at| at + 1);
    Ok(body.get(from..).map(<[u8]>::to_vec))
}

/// Checks the whole chain: line numbers count up from 1, each `prev` is the hash of the line before, the head
/// file is there and names the last line, and (with [`HeadCheck::SignedBy`]) the head is signed by that key.
/// The error names the first line that does not fit.
pub fn verify(path: &Path, check: HeadCheck<'_>) -> Result<Verified, VerifyError> {
    let file = File::open(path).map_err(|source| VerifyError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut reader = BufReader::new(file);
    let mut expected_prev = GENESIS.to_owned();
    let mut lines = 0u64;
    let mut buffer = Vec::new();
    loop {
        buffer.clear();
        let read = (&mut reader)
            .take(MAX_LINE as u64 + 1)
            .read_until(b'\n', &mut buffer)
            .map_err(|source| VerifyError::Io {
                path: path.to_owned(),
                source,
            })?;
        if read == 0 {
            break;
        }
        let number = lines + 1;
        let broken = |problem: &str| {
            VerifyError::Broken(ChainBreak {
                line: number,
                problem: problem.to_owned(),
            })
        };
        let Some(line) = buffer.strip_suffix(b"\n") else {
            return Err(broken(
                "is cut off (no newline at its end) or longer than any line the inbox writes",
            ));
        };
        let fields: ChainFields = serde_json::from_slice(line).map_err(|_| {
            broken("is not a JSON object with `n` and `prev`: it was edited or damaged")
        })?;
        if fields.n != number {
            return Err(broken(&format!(
                "says it is line {}: lines before it were removed, or lines were reordered",
                fields.n
            )));
        }
        if fields.prev != expected_prev {
            return Err(broken(
                "does not carry the hash of the line before it: that line was edited, removed or moved",
            ));
        }
        expected_prev = line_hash(line);
        lines = number;
    }
    let broken_head = |problem: &str| {
        VerifyError::Broken(ChainBreak {
            line: lines + 1,
            problem: problem.to_owned(),
        })
    };
    let head = match std::fs::read(head_path(path)) {
        Ok(bytes) => serde_json::from_slice::<Head>(&bytes)
            .map_err(|_| broken_head("the head file beside the log is damaged"))?,
        Err(error) if error.kind() == io::ErrorKind::NotFound => {
            return Err(broken_head(
                "the head file beside the log is missing: lines cut off at the end could not be found, so the \
                 log does not verify (restore the head from a backup, and compare with the journal's \
                 `audit head` lines)",
            ))
        }
        Err(source) => {
            return Err(VerifyError::Io {
                path: head_path(path),
                source,
            })
        }
    };
    let signature_checked = match check {
        HeadCheck::Unsigned => false,
        HeadCheck::SignedBy(public_hex) => {
            let public = hex::decode(public_hex)
                .map_err(|_| broken_head("the head key given to check with is not hex"))?;
            let sig = head
                .sig
                .as_deref()
                .and_then(|sig| hex::decode(sig).ok())
                .ok_or_else(|| broken_head("the head file carries no signature"))?;
            ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, &public)
                .verify(&Head::signed_text(head.lines, &head.last), &sig)
                .map_err(|_| {
                    broken_head(
                        "the head's signature does not hold under the head key: the log and its head were \
                         rewritten by someone without the inbox's identity",
                    )
                })?;
            true
        }
    };
    {
        let head = &head;
        if head.lines != lines || (lines > 0 && head.last != expected_prev) {
            return Err(VerifyError::Broken(ChainBreak {
                // Equal counts: the last line was edited. Otherwise the first line missing or extra.
                line: if head.lines == lines {
                    lines
                } else {
                    lines.min(head.lines) + 1
                },
                problem: format!(
                    "the head file says the log has {} lines ending in another line than it does: lines at \
                     the end were removed or the last line was edited (or the inbox crashed while appending)",
                    head.lines
                ),
            }));
        }
    }
    Ok(Verified {
        lines,
        signature_checked,
        head: head.last,
    })
}

/// Why [`verify`] failed.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The log or its head could not be read.
    #[error("cannot read {path}: {source}")]
    Io {
        /// The file.
        path: PathBuf,
        /// What the operating system said.
        source: io::Error,
    },
    /// The chain is broken.
    #[error("{0}")]
    Broken(ChainBreak),
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    fn delivered(i: u8) -> AuditEvent {
        AuditEvent::Delivered {
            envelope_id: hex::encode([i; 16]),
            kind: EnvelopeKind::FirstContact,
            ticket: ticket_prefix(&hex::encode([i; 32])),
        }
    }

    fn log_with(lines: u8) -> (tempfile::TempDir, AuditLog) {
        let dir = tempfile::tempdir().expect("temp dir");
        let log = AuditLog::new(dir.path().join("logs").join("audit.jsonl"));
        for i in 1..=lines {
            assert_eq!(log.append(&delivered(i)).expect("append"), u64::from(i));
        }
        (dir, log)
    }

    fn rewrite(log: &AuditLog, edit: impl FnOnce(&mut Vec<String>)) {
        let text = std::fs::read_to_string(log.path()).expect("read");
        let mut lines: Vec<String> = text.lines().map(str::to_owned).collect();
        edit(&mut lines);
        let mut out = lines.join("\n");
        out.push('\n');
        std::fs::write(log.path(), out).expect("write");
    }

    fn broken_line(log: &AuditLog) -> u64 {
        match verify(log.path(), HeadCheck::Unsigned) {
            Err(VerifyError::Broken(ChainBreak { line, .. })) => line,
            other => panic!("expected a broken chain, got {other:?}"),
        }
    }

    #[test]
    fn an_untouched_log_verifies_with_its_head() {
        let (_dir, log) = log_with(5);
        let verified = verify(log.path(), HeadCheck::Unsigned).expect("intact");
        assert_eq!(verified.lines, 5);
        assert!(!verified.signature_checked);
    }

    fn signed_log_with(lines: u8) -> (tempfile::TempDir, AuditLog, String) {
        let dir = tempfile::tempdir().expect("temp dir");
        let identity = age::x25519::Identity::generate();
        let key = HeadKey::from_identities(std::slice::from_ref(&identity)).expect("head key");
        let log = AuditLog::signed(
            dir.path().join("audit.jsonl"),
            std::slice::from_ref(&identity),
        );
        for i in 1..=lines {
            log.append(&delivered(i)).expect("append");
        }
        (dir, log, key.public_hex())
    }

    /// What someone who can write the state directory but not read the identity can do: edit a line, then
    /// recompute every later hash and the head, so that the chain alone is consistent again.
    fn rewrite_consistently(log: &AuditLog, sign_with: Option<&HeadKey>) {
        let text = std::fs::read_to_string(log.path()).expect("read");
        let mut prev = GENESIS.to_owned();
        let mut out = String::new();
        for (index, line) in text.lines().enumerate() {
            let mut value: serde_json::Value = serde_json::from_str(line).expect("json");
            if index == 1 {
                value["kind"] = serde_json::Value::from("follow-up");
            }
            value["prev"] = serde_json::Value::from(prev.clone());
            let line = serde_json::to_string(&value).expect("json");
            prev = line_hash(line.as_bytes());
            out.push_str(&line);
            out.push('\n');
        }
        std::fs::write(log.path(), out).expect("write");
        let lines = u64::try_from(text.lines().count()).expect("count");
        let head = Head {
            lines,
            key: sign_with.map(HeadKey::public_hex),
            sig: sign_with.map(|key| key.sign(lines, &prev)),
            last: prev,
        };
        std::fs::write(
            head_path(log.path()),
            serde_json::to_vec(&head).expect("json"),
        )
        .expect("write head");
    }

    #[test]
    fn a_signed_log_verifies_with_its_head_key_and_names_its_head() {
        let (_dir, log, public) = signed_log_with(4);
        let verified = verify(log.path(), HeadCheck::SignedBy(&public)).expect("intact");
        assert_eq!(verified.lines, 4);
        assert!(verified.signature_checked);
        let head: Head =
            serde_json::from_slice(&std::fs::read(head_path(log.path())).expect("head"))
                .expect("json");
        assert_eq!(verified.head, head.last);
    }

    #[test]
    fn a_log_rewritten_without_the_identity_fails_under_the_head_key() {
        let (_dir, log, public) = signed_log_with(4);
        // Without a signature: the chain alone is consistent, the head key is not satisfied.
        rewrite_consistently(&log, None);
        assert!(
            verify(log.path(), HeadCheck::Unsigned).is_ok(),
            "the rewrite is consistent as a chain"
        );
        assert!(matches!(
            verify(log.path(), HeadCheck::SignedBy(&public)),
            Err(VerifyError::Broken(_))
        ));
        // Signed with a key of the forger's own: refused too.
        let forger = HeadKey::from_identities(&[age::x25519::Identity::generate()]).expect("key");
        rewrite_consistently(&log, Some(&forger));
        assert!(matches!(
            verify(log.path(), HeadCheck::SignedBy(&public)),
            Err(VerifyError::Broken(_))
        ));
    }

    #[test]
    fn a_missing_head_fails_verification() {
        let (_dir, log) = log_with(3);
        std::fs::remove_file(head_path(log.path())).expect("remove head");
        assert_eq!(broken_line(&log), 4);
    }

    #[test]
    fn the_head_key_follows_the_identity() {
        let identity = age::x25519::Identity::generate();
        let a = HeadKey::from_identities(std::slice::from_ref(&identity)).expect("key");
        let b = HeadKey::from_identities(std::slice::from_ref(&identity)).expect("key");
        let other = HeadKey::from_identities(&[age::x25519::Identity::generate()]).expect("key");
        assert_eq!(a.public_hex(), b.public_hex());
        assert_ne!(a.public_hex(), other.public_hex());
        assert!(HeadKey::from_identities(&[]).is_none());
    }

    #[test]
    fn an_edited_line_is_found_at_the_line_after_it() {
        let (_dir, log) = log_with(5);
        rewrite(&log, |lines| {
            lines[2] = lines[2].replace("first-contact", "follow-up")
        });
        assert_eq!(broken_line(&log), 4);
    }

    #[test]
    fn a_removed_line_is_found() {
        let (_dir, log) = log_with(5);
        rewrite(&log, |lines| {
            lines.remove(1);
        });
        assert_eq!(broken_line(&log), 2);
    }

    #[test]
    fn reordered_lines_are_found() {
        let (_dir, log) = log_with(5);
        rewrite(&log, |lines| lines.swap(1, 3));
        assert_eq!(broken_line(&log), 2);
    }

    #[test]
    fn a_cut_off_end_or_an_edited_last_line_is_found_through_the_head() {
        let (_dir, log) = log_with(5);
        rewrite(&log, |lines| {
            lines.pop();
        });
        assert_eq!(broken_line(&log), 5);
        let (_dir, log) = log_with(3);
        rewrite(&log, |lines| {
            lines[2] = lines[2].replace("first-contact", "follow-up")
        });
        assert_eq!(broken_line(&log), 3);
    }

    #[test]
    fn appending_continues_the_chain_across_processes_and_restarts() {
        let (_dir, log) = log_with(2);
        let again = AuditLog::new(log.path().to_owned());
        assert_eq!(again.append(&delivered(9)).expect("append"), 3);
        assert_eq!(
            verify(log.path(), HeadCheck::Unsigned)
                .expect("intact")
                .lines,
            3
        );
    }

    #[test]
    fn a_batch_of_events_is_chained_like_single_appends() {
        let (_dir, log) = log_with(1);
        let last = log
            .append_all(&[delivered(2), delivered(3), delivered(4)])
            .expect("append");
        assert_eq!(last, 4);
        assert_eq!(log.append_all(&[]).expect("nothing"), 4);
        assert_eq!(
            verify(log.path(), HeadCheck::Unsigned)
                .expect("intact")
                .lines,
            4
        );
    }

    #[test]
    fn the_log_and_its_head_are_owner_only() {
        let (_dir, log) = log_with(1);
        assert!(!porten_protocol::fsutil::is_shared(log.path()).expect("stat"));
        assert!(!porten_protocol::fsutil::is_shared(&head_path(log.path())).expect("stat"));
    }

    #[test]
    fn a_damaged_last_line_stops_appending_instead_of_forking_the_chain() {
        let (_dir, log) = log_with(2);
        let mut file = OpenOptions::new()
            .append(true)
            .open(log.path())
            .expect("open");
        file.write_all(b"garbage\n").expect("write");
        assert!(matches!(
            log.append(&delivered(3)),
            Err(AuditError::DamagedTail { .. })
        ));
    }

    #[test]
    fn reading_while_lines_are_appended_sees_a_log_whose_chain_holds() {
        let (_dir, log) = log_with(3);
        let writer = {
            let log = log.clone();
            std::thread::spawn(move || {
                for i in 0..300u32 {
                    log.append(&delivered((i % 250) as u8)).expect("append");
                }
            })
        };
        let mut reads = 0;
        while !writer.is_finished() || reads < 50 {
            let (trail, verified) = log
                .read_verified(HeadCheck::Unsigned, |_| true)
                .expect("read");
            let verified = verified
                .expect("written")
                .expect("the chain holds at every read");
            assert_eq!(verified.lines, trail.lines.len() as u64);
            reads += 1;
        }
        writer.join().unwrap();
    }

    #[test]
    fn read_keeps_the_lines_wanted_in_order_and_counts_lines_it_cannot_read() {
        let (_dir, log) = log_with(4);
        rewrite(&log, |lines| {
            lines.insert(2, "{\"n\":99,\"event\":\"from-the-future\"}".into())
        });
        let trail = log
            .read(|event| matches!(event, AuditEvent::Delivered { envelope_id, .. } if envelope_id != &hex::encode([2u8; 16])))
            .expect("read");
        let numbers: Vec<u64> = trail.lines.iter().map(|line| line.n).collect();
        assert_eq!(numbers, [1, 3, 4]);
        assert_eq!(trail.unreadable, 1);
    }
}
