//! Erasure that holds on disk: a copy of the data directory taken after a visitor deleted the conversation, or
//! after it expired, yields nothing of it, even to someone who holds the code and the pepper.
//!
//! The conversations are made, burned and expired by the gateway's own domain code (`Conversations`, as
//! `porten serve` runs it; the staff reply is stored as the internal API stores it), and the data directory
//! is copied file by file at each step, as a seizure would. Each copy is then searched the way an attacker
//! with the code, the pepper and the salt would search it:
//!
//! 1. the raw bytes of every file, for the ticket ref in every form the gateway has ever written it (raw, hex,
//!    base64);
//! 2. the key file's slots, for one that names the ticket ref (the only way the design leads from a code to a
//!    ticket's rows and their key);
//! 3. the design's own reader: the copy opened as the gateway opens it, the thread read by the ticket ref and
//!    each entry opened with the reply key;
//! 4. every byte window of every file tried as a thread entry sealed under the reply key alone (format v1:
//!    version byte, nonce, ciphertext, tag), and as a stored entry sealed under the storage key of any slot
//!    step 2 found.
//!
//! A copy taken before the deletion must show the conversation through every step that can show it, so the
//! search is known to see; a ticket that stays live must show in every copy.

#![allow(clippy::expect_used, clippy::unwrap_used)]

mod common;
mod forensics;

use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use time::OffsetDateTime;
use zeroize::Zeroizing;

use porten::conversation::{Conversations, FollowUp, NewContact};
use porten::store::{NewEntry, Store};
use porten::ticket::{Kdf, KdfParams, KdfPool, Pepper, TicketCode};
use porten_protocol::envelope::{generate_identity, Group, Recipients};
use porten_protocol::thread::{self, AuthorKind, EntryId, EntryPlain};

use common::{code_from_page, Gateway};
use forensics::{
    count, entries_in, old_ciphertext, search, slots_naming, Conversation, DiskCopy, Hits, Known,
};
use hyper::StatusCode;

/// The test configuration's key derivation (tests/common's TEST_KDF).
const PARAMS: KdfParams = KdfParams {
    memory_kib: 1024,
    iterations: 1,
    parallelism: 1,
};
const IDLE_DAYS: u64 = 30;

struct World {
    _dir: tempfile::TempDir,
    data: PathBuf,
    store: Arc<Store>,
    conversations: Conversations,
    kdf: Kdf,
    /// The internal side's age identity, to open envelopes and ack them as the inbox does.
    identity: Zeroizing<String>,
}

fn world() -> World {
    let dir = tempfile::tempdir().expect("temp dir");
    let data = dir.path().join("data");
    porten_protocol::fsutil::create_private_dir(&data).expect("data dir");
    let pepper = Pepper::load_or_create(&data.join("pepper")).expect("pepper");
    let store = Arc::new(Store::open(&data.join("porten.redb")).expect("store"));
    let kdf = Kdf::new(PARAMS, store.salt(), pepper.clone()).expect("kdf");
    let pool = KdfPool::new(
        Arc::new(Kdf::new(PARAMS, store.salt(), pepper).expect("kdf")),
        2,
        8,
    );
    // The internal side's identity stays out of the data directory, as in a real installation.
    let (identity, recipient) = generate_identity();
    let conversations = Conversations::new(
        Arc::clone(&store),
        Arc::new(tokio::sync::Notify::new()),
        pool,
        Recipients::parse(&[recipient]).expect("recipient"),
        16,
        Duration::from_secs(IDLE_DAYS * 86_400),
    );
    World {
        _dir: dir,
        data,
        store,
        conversations,
        kdf,
        identity: Zeroizing::new(identity.expose().clone()),
    }
}

impl World {
    /// A conversation: the visitor's first contact, a staff reply, a follow-up, and an open of the thread.
    async fn conversation(&self, name: &str, at: OffsetDateTime) -> Conversation {
        let first = format!("{name}: first message, pappa har tagit mitt pass");
        let code = self
            .conversations
            .open_ticket(
                NewContact {
                    group: Group::Exposed,
                    urgent: false,
                    language: "sv".into(),
                    message: Zeroizing::new(first),
                },
                at,
            )
            .await
            .expect("first contact");
        let keys = self.kdf.derive(&code).expect("derive");
        let reply_id = EntryId::random();
        let plain = EntryPlain {
            author_name: Some("Sara".into()),
            written: at.unix_timestamp(),
            text: format!("{name}: a reply from the centre"),
        };
        let ciphertext = thread::seal_entry(
            &keys.reply_key,
            &keys.ticket_ref,
            &reply_id,
            AuthorKind::Staff,
            &plain,
        )
        .expect("seal");
        self.store
            .add_reply(
                keys.ticket_ref.as_bytes(),
                at.unix_timestamp(),
                NewEntry {
                    id: *reply_id.as_bytes(),
                    author: AuthorKind::Staff.as_byte(),
                    ciphertext,
                },
            )
            .expect("reply");
        let follow_up = format!("{name}: I can talk on Thursday");
        assert!(self
            .conversations
            .follow_up(
                &keys,
                FollowUp {
                    message: Zeroizing::new(follow_up),
                    urgent: false,
                },
                at,
            )
            .await
            .expect("follow-up"));
        let opened = self
            .conversations
            .open_thread(&keys, at)
            .await
            .expect("open")
            .expect("the thread exists");
        assert_eq!(opened.entries.len(), 3);
        let record = self
            .store
            .read_thread(keys.ticket_ref.as_bytes())
            .expect("read")
            .expect("thread");
        let entries = record
            .entries
            .iter()
            .zip(&opened.entries)
            .map(|(stored, opened)| Known {
                seq: stored.seq,
                id: stored.id,
                author: stored.author,
                inner_len: stored.ciphertext.len(),
                text: opened.plain.text.clone(),
            })
            .collect();
        Conversation { code, entries }
    }
}

#[tokio::test]
async fn a_copy_taken_after_a_burn_or_an_expiry_yields_nothing_of_it_even_with_the_code_and_the_pepper(
) {
    let w = world();
    let now = OffsetDateTime::now_utc();
    let long_ago = now - Duration::from_secs((IDLE_DAYS + 10) * 86_400);
    let burned = w.conversation("burned", now).await;
    let expired = w.conversation("expired", long_ago).await;
    let kept = w.conversation("kept", now).await;

    let before = DiskCopy::take("before", &w.data);
    let burned_keys = w.kdf.derive(&burned.code).expect("derive");
    let burned_slot = slots_naming(
        &std::fs::read(before.dir.path().join("porten.keys")).expect("key file"),
        burned_keys.ticket_ref.as_bytes(),
    )[0];
    let expired_keys = w.kdf.derive(&expired.code).expect("derive");
    let expired_slot = slots_naming(
        &std::fs::read(before.dir.path().join("porten.keys")).expect("key file"),
        expired_keys.ticket_ref.as_bytes(),
    )[0];

    assert!(w.conversations.burn(&burned_keys, now).await.expect("burn"));
    let after_burn = DiskCopy::take("after burn", &w.data);
    assert_eq!(w.conversations.sweep(now).await.expect("sweep"), 1);
    let after_expiry = DiskCopy::take("after expiry", &w.data);
    // The internal side pulls, opens and acknowledges every envelope, the closed ones included.
    let identities = porten_inbox::open::parse_identity_file(&w.identity).expect("identity");
    let acks: Vec<(u64, [u8; 16])> = w
        .store
        .outbox_after(0, usize::MAX)
        .expect("outbox")
        .iter()
        .map(|item| {
            let payload =
                porten_inbox::open::open_with_any(&item.envelope, &identities).expect("opens");
            (item.seq, *payload.envelope_id.as_bytes())
        })
        .collect();
    assert_eq!(
        w.store.ack(&acks).expect("ack"),
        porten::store::AckOutcome::Deleted(acks.len())
    );
    let after_ack = DiskCopy::take("after ack", &w.data);
    let shrank = w.store.compact().expect("compact");
    let after_compaction = DiskCopy::take("after compaction", &w.data);

    let mut report = Vec::new();
    for copy in [
        &before,
        &after_burn,
        &after_expiry,
        &after_ack,
        &after_compaction,
    ] {
        let burned_hits = search(copy, &burned, &w.kdf);
        let expired_hits = search(copy, &expired, &w.kdf);
        let kept_hits = search(copy, &kept, &w.kdf);
        report.push(format!(
            "{:>16}: {} bytes searched (porten.redb {}, porten.keys {}); burned {:?}; expired {:?}; kept {:?}; \
             old ciphertext of the burned ticket under its erased key {}, of the expired one {}; \
             age envelopes in the file {}",
            copy.label,
            copy.bytes(),
            copy.file_len("porten.redb"),
            copy.file_len("porten.keys"),
            burned_hits,
            expired_hits,
            kept_hits,
            old_ciphertext(copy, &burned_slot, &burned.entries),
            old_ciphertext(copy, &expired_slot, &expired.entries),
            copy.files()
                .iter()
                .map(|(_, bytes)| count(bytes, b"age-encryption.org/v1\n"))
                .sum::<usize>(),
        ));

        // The live ticket shows in every copy: the search sees what is there.
        assert_eq!(kept_hits.slots, 1, "{}", copy.label);
        assert_eq!(kept_hits.read_entries, 3, "{}", copy.label);
        assert!(kept_hits.storage_key_windows >= 3, "{}", copy.label);
        // No entry is ever on disk under the reply key alone.
        assert_eq!(kept_hits.reply_key_windows, 0, "{}", copy.label);

        let burned_gone = copy.label != "before";
        let expired_gone = burned_gone && copy.label != "after burn";
        for (gone, hits, what) in [
            (burned_gone, burned_hits, "burned"),
            (expired_gone, expired_hits, "expired"),
        ] {
            if gone {
                assert_eq!(hits, Hits::default(), "{}: the {what} ticket", copy.label);
            } else {
                assert!(hits.ref_forms >= 1, "{}: {what}", copy.label);
                assert_eq!(hits.slots, 1, "{}: {what}", copy.label);
                assert_eq!(hits.read_entries, 3, "{}: {what}", copy.label);
                assert!(hits.storage_key_windows >= 3, "{}: {what}", copy.label);
                assert!(hits.total() > 0);
            }
        }
    }
    report.push(format!("compaction shrank the file: {shrank}"));
    eprintln!("erasure on disk:\n{}", report.join("\n"));
}

#[tokio::test]
async fn a_conversation_deleted_through_the_gateway_leaves_nothing_for_the_code_and_the_pepper() {
    let (_identity, recipient) = generate_identity();
    let gateway = Gateway::start(&format!("[outbox]\nrecipients = [\"{recipient}\"]\n"));
    let form = gateway.open_contact().await;
    let first = "Min bror följer efter mig till skolan";
    let page = gateway
        .post(
            "/sv/contact",
            &[
                ("token", &form.hidden("token")),
                ("group", "exposed"),
                ("message", first),
            ],
        )
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let code_text = code_from_page(&page.body);
    let thread_page = open_thread(&gateway, &code_text).await;
    let follow_up = "Jag kan prata på torsdag";
    let written = gateway
        .post(
            "/sv/thread/write",
            &[
                ("token", &thread_page.hidden("token")),
                ("message", follow_up),
            ],
        )
        .await;
    assert_eq!(written.status, StatusCode::OK);
    let before = DiskCopy::take("before", &gateway.data_dir());

    let thread_page = open_thread(&gateway, &code_text).await;
    let burned = gateway
        .post(
            "/sv/thread/delete",
            &[("token", &thread_page.hidden("token")), ("confirm", "yes")],
        )
        .await;
    assert_eq!(burned.status, StatusCode::OK);
    let after = DiskCopy::take("after burn", &gateway.data_dir());
    let data_dir = gateway.data_dir();
    let _dir = gateway.stop();
    let stopped = DiskCopy::take("after stop", &data_dir);

    // What the searcher holds: the code, the pepper and the salt, all taken from the copy and the visitor.
    let pepper = Pepper::load_or_create(&before.dir.path().join("pepper")).expect("pepper");
    let salt = {
        let scratch = DiskCopy::take("scratch", before.dir.path());
        Store::open(&scratch.dir.path().join("porten.redb"))
            .expect("opens")
            .salt()
    };
    let kdf = Kdf::new(PARAMS, salt, pepper).expect("kdf");
    let code = TicketCode::parse(&code_text, 16).expect("code");
    let keys = kdf.derive(&code).expect("derive");
    let entries = entries_in(&before, &keys);
    assert_eq!(entries.len(), 2);
    assert!(entries.iter().any(|e| e.text == first));
    let conversation = Conversation { code, entries };

    let mut report = Vec::new();
    for copy in [&before, &after, &stopped] {
        let hits = search(copy, &conversation, &kdf);
        report.push(format!(
            "{:>10}: {} bytes searched; {hits:?}",
            copy.label,
            copy.bytes()
        ));
        if copy.label == "before" {
            assert_eq!(hits.slots, 1);
            assert_eq!(hits.read_entries, 2);
            assert!(hits.storage_key_windows >= 2);
        } else {
            assert_eq!(hits, Hits::default(), "{}", copy.label);
        }
    }
    eprintln!("erasure through the gateway:\n{}", report.join("\n"));
}

/// The thread page for a code, as a returning visitor opens it.
async fn open_thread(gateway: &Gateway, code: &str) -> common::Reply {
    let landing = gateway.open_return().await;
    gateway
        .post(
            "/sv/return",
            &[("token", &landing.hidden("token")), ("code", code)],
        )
        .await
}
