//! Specifications of the store: atomic writes, the outbox's order and acks, replies, deletion and durability.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;

use tempfile::TempDir;

use ring::rand::{SecureRandom, SystemRandom};

use super::*;

const VISITOR: u8 = 0;
const STAFF: u8 = 1;
const T1: [u8; 32] = [1; 32];
const T2: [u8; 32] = [2; 32];

struct Fixture {
    _dir: TempDir,
    path: PathBuf,
    store: Store,
}

fn fixture() -> Fixture {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("porten.redb");
    let store = Store::open(&path).unwrap();
    Fixture {
        _dir: dir,
        path,
        store,
    }
}

fn entry(id: u8, author: u8, text: &str) -> NewEntry {
    NewEntry {
        id: [id; 16],
        author,
        ciphertext: text.as_bytes().to_vec(),
    }
}

/// A queued envelope whose envelope id is derived from its bytes, so a test can name it in an ack.
fn env(sealed: &[u8]) -> QueuedEnvelope {
    QueuedEnvelope {
        id: id_of(sealed),
        sealed: sealed.to_vec(),
    }
}

fn id_of(sealed: &[u8]) -> [u8; 16] {
    let hash = ring::digest::digest(&ring::digest::SHA256, sealed);
    let mut id = [0u8; 16];
    id.copy_from_slice(&hash.as_ref()[..16]);
    id
}

/// Acks `seqs` as the internal side would, with the id of each envelope still pending (an unknown seq gets a
/// made-up id: it names nothing). Returns how many were deleted.
fn ack(store: &Store, seqs: &[u64]) -> usize {
    let pending = pending(store);
    let acks: Vec<(u64, [u8; 16])> = seqs
        .iter()
        .map(|&seq| {
            let id = pending
                .iter()
                .find(|(s, _)| *s == seq)
                .map_or([0; 16], |(_, sealed)| id_of(sealed));
            (seq, id)
        })
        .collect();
    match store.ack(&acks).unwrap() {
        AckOutcome::Deleted(n) => n,
        AckOutcome::WrongEnvelopeId => panic!("the ack was refused"),
    }
}

impl Store {
    /// A first contact whose envelope is already made (the store does not look inside envelopes).
    fn first_contact_sealed(
        &self,
        ticket: &[u8; 32],
        now: i64,
        entry: NewEntry,
        envelope: &QueuedEnvelope,
    ) -> Result<u64, StoreError> {
        self.first_contact(ticket, now, entry, |_| Ok(envelope.clone()))
    }
}

fn pending(store: &Store) -> Vec<(u64, Vec<u8>)> {
    store
        .outbox_after(0, usize::MAX)
        .unwrap()
        .into_iter()
        .map(|item| (item.seq, item.envelope))
        .collect()
}

#[test]
fn first_contact_writes_ticket_entry_and_envelope_together() {
    let f = fixture();
    let seq = f
        .store
        .first_contact_sealed(&T1, 100, entry(7, VISITOR, "hello"), &env(b"sealed-1"))
        .unwrap();
    assert_eq!(seq, 1);
    assert_eq!(pending(&f.store), vec![(1, b"sealed-1".to_vec())]);

    let thread = f.store.open_thread(&T1, 200).unwrap().unwrap();
    assert_eq!(thread.created, 100);
    assert_eq!(thread.last_activity, 100);
    assert_eq!(
        thread.entries,
        vec![StoredEntry {
            seq: 0,
            id: [7; 16],
            author: VISITOR,
            delivered: false,
            ciphertext: b"hello".to_vec(),
        }]
    );
    assert_eq!(
        f.store.counts().unwrap(),
        Counts {
            tickets: 1,
            entries: 1,
            outbox_pending: 1
        }
    );
}

#[test]
fn a_taken_ticket_ref_is_refused_and_nothing_is_written() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 100, entry(1, VISITOR, "first"), &env(b"env-1"))
        .unwrap();
    let again = f
        .store
        .first_contact_sealed(&T1, 150, entry(2, VISITOR, "second"), &env(b"env-2"));
    assert!(matches!(again, Err(StoreError::TicketExists)));

    assert_eq!(pending(&f.store), vec![(1, b"env-1".to_vec())]);
    let thread = f.store.open_thread(&T1, 200).unwrap().unwrap();
    assert_eq!(thread.created, 100);
    assert_eq!(thread.entries.len(), 1);
    assert_eq!(thread.entries[0].ciphertext, b"first");
    // The refused attempt did not consume an outbox seq either.
    let next = f
        .store
        .follow_up(&T1, 300, entry(3, VISITOR, "more"), &env(b"env-3"))
        .unwrap();
    assert_eq!(next, 2);
}

#[test]
fn follow_up_appends_to_the_thread_and_needs_a_ticket() {
    let f = fixture();
    assert!(matches!(
        f.store
            .follow_up(&T1, 100, entry(1, VISITOR, "x"), &env(b"env")),
        Err(StoreError::NoSuchTicket)
    ));
    assert_eq!(f.store.counts().unwrap().outbox_pending, 0);

    f.store
        .first_contact_sealed(&T1, 100, entry(1, VISITOR, "one"), &env(b"env-1"))
        .unwrap();
    f.store
        .follow_up(&T1, 500, entry(2, VISITOR, "two"), &env(b"env-2"))
        .unwrap();
    let thread = f.store.open_thread(&T1, 600).unwrap().unwrap();
    assert_eq!(thread.last_activity, 500);
    let seqs: Vec<_> = thread.entries.iter().map(|e| (e.seq, e.id[0])).collect();
    assert_eq!(seqs, vec![(0, 1), (1, 2)]);
}

#[test]
fn outbox_is_read_in_order_and_seqs_are_never_reused_after_ack() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store
        .first_contact_sealed(&T2, 2, entry(2, VISITOR, "b"), &env(b"e2"))
        .unwrap();
    f.store
        .follow_up(&T1, 3, entry(3, VISITOR, "c"), &env(b"e3"))
        .unwrap();

    let page = f.store.outbox_after(1, 1).unwrap();
    assert_eq!(
        page,
        vec![OutboxItem {
            seq: 2,
            envelope: b"e2".to_vec()
        }]
    );
    assert!(f.store.outbox_after(3, 10).unwrap().is_empty());
    assert!(f.store.outbox_after(u64::MAX, 10).unwrap().is_empty());
    assert!(f.store.outbox_after(0, 0).unwrap().is_empty());

    assert_eq!(ack(&f.store, &[1, 2, 3]), 3);
    assert_eq!(f.store.outbox_pending().unwrap(), 0);
    let seq = f
        .store
        .follow_up(&T2, 4, entry(4, VISITOR, "d"), &env(b"e4"))
        .unwrap();
    assert_eq!(seq, 4);

    // Also across a reopen of the file.
    drop(f.store);
    let store = Store::open(&f.path).unwrap();
    assert_eq!(ack(&store, &[4]), 1);
    let seq = store
        .follow_up(&T2, 5, entry(5, VISITOR, "e"), &env(b"e5"))
        .unwrap();
    assert_eq!(seq, 5);
}

#[test]
fn ack_marks_the_entry_delivered_and_is_idempotent() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store
        .follow_up(&T1, 2, entry(2, VISITOR, "b"), &env(b"e2"))
        .unwrap();

    assert_eq!(ack(&f.store, &[2, 99]), 1);
    assert_eq!(ack(&f.store, &[2]), 0);
    assert_eq!(ack(&f.store, &[]), 0);

    let thread = f.store.open_thread(&T1, 3).unwrap().unwrap();
    let delivered: Vec<_> = thread.entries.iter().map(|e| e.delivered).collect();
    assert_eq!(delivered, vec![false, true]);
    assert_eq!(thread.entries[1].ciphertext, b"b");
    assert_eq!(pending(&f.store), vec![(1, b"e1".to_vec())]);
}

#[test]
fn a_reply_pushed_twice_is_stored_once() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "help"), &env(b"e1"))
        .unwrap();
    let reply = entry(9, STAFF, "we are here");
    assert_eq!(
        f.store.add_reply(&T1, 50, reply.clone()).unwrap(),
        ReplyOutcome::Stored
    );
    assert_eq!(
        f.store.add_reply(&T1, 60, reply).unwrap(),
        ReplyOutcome::Duplicate
    );

    let thread = f.store.open_thread(&T1, 70).unwrap().unwrap();
    assert_eq!(thread.entries.len(), 2);
    let staff = &thread.entries[1];
    assert_eq!((staff.seq, staff.id, staff.author), (1, [9; 16], STAFF));
    assert!(staff.delivered);
    assert_eq!(thread.last_activity, 50);
    // A reply is not an envelope for the internal side.
    assert_eq!(f.store.outbox_pending().unwrap(), 1);
}

#[test]
fn a_reply_for_a_missing_ticket_is_not_stored() {
    let f = fixture();
    assert_eq!(
        f.store.add_reply(&T1, 1, entry(9, STAFF, "x")).unwrap(),
        ReplyOutcome::NoSuchTicket
    );
    assert_eq!(f.store.counts().unwrap().entries, 0);
}

#[test]
fn burn_removes_the_thread_keeps_pending_envelopes_and_queues_the_closed_one() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store.add_reply(&T1, 2, entry(9, STAFF, "r")).unwrap();
    f.store
        .first_contact_sealed(&T2, 3, entry(2, VISITOR, "other"), &env(b"e2"))
        .unwrap();

    assert!(f.store.burn(&T1, &env(b"closed-1")).unwrap());
    assert!(f.store.open_thread(&T1, 4).unwrap().is_none());
    assert_eq!(
        pending(&f.store),
        vec![
            (1, b"e1".to_vec()),
            (2, b"e2".to_vec()),
            (3, b"closed-1".to_vec())
        ]
    );
    let counts = f.store.counts().unwrap();
    assert_eq!((counts.tickets, counts.entries), (1, 1));
    // The other ticket is untouched; acking the burned ticket's envelope is still fine.
    assert_eq!(ack(&f.store, &[1]), 1);
    assert_eq!(
        f.store.open_thread(&T2, 5).unwrap().unwrap().entries.len(),
        1
    );

    // Its reply ids went with it.
    assert_eq!(
        f.store.add_reply(&T1, 6, entry(9, STAFF, "r")).unwrap(),
        ReplyOutcome::NoSuchTicket
    );
    assert!(!f.store.burn(&T1, &env(b"closed-again")).unwrap());
    assert_eq!(f.store.outbox_pending().unwrap(), 2);
}

#[test]
fn an_ack_after_the_ref_is_reused_does_not_touch_the_new_thread() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "old"), &env(b"e1"))
        .unwrap();
    f.store.burn(&T1, &env(b"closed")).unwrap();
    f.store
        .first_contact_sealed(&T1, 2, entry(2, VISITOR, "new"), &env(b"e3"))
        .unwrap();
    ack(&f.store, &[1]);
    let thread = f.store.open_thread(&T1, 3).unwrap().unwrap();
    assert!(!thread.entries[0].delivered);
}

#[test]
fn expiry_lists_idle_tickets_and_skips_one_touched_after_the_cutoff() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 100, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store
        .first_contact_sealed(&T2, 100, entry(2, VISITOR, "b"), &env(b"e2"))
        .unwrap();

    let now = 1_000;
    let idle = 500;
    let cutoff = now - idle;
    let mut listed = f.store.expired(now, idle, 10).unwrap();
    listed.sort();
    assert_eq!(listed, vec![T1, T2]);
    assert_eq!(f.store.expired(now, idle, 1).unwrap().len(), 1);
    assert!(f.store.expired(now, 900, 10).unwrap().is_empty());

    // The visitor of T2 comes back between listing and sweeping.
    f.store.open_thread(&T2, 990).unwrap().unwrap();

    assert!(f.store.expire(&T1, cutoff, &env(b"closed-1")).unwrap());
    assert!(!f.store.expire(&T2, cutoff, &env(b"closed-2")).unwrap());
    assert!(!f.store.expire(&T1, cutoff, &env(b"closed-1")).unwrap());

    assert!(f.store.open_thread(&T1, now).unwrap().is_none());
    assert!(f.store.open_thread(&T2, now).unwrap().is_some());
    let envelopes: Vec<_> = pending(&f.store).into_iter().map(|(_, e)| e).collect();
    assert_eq!(
        envelopes,
        vec![b"e1".to_vec(), b"e2".to_vec(), b"closed-1".to_vec()]
    );
}

#[test]
fn open_thread_returns_the_previous_open_and_records_this_one() {
    let f = fixture();
    assert!(f.store.open_thread(&T1, 10).unwrap().is_none());
    f.store
        .first_contact_sealed(&T1, 10, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();

    let first = f.store.open_thread(&T1, 20).unwrap().unwrap();
    assert_eq!(first.previous_open, None);
    let second = f.store.open_thread(&T1, 30).unwrap().unwrap();
    assert_eq!(second.previous_open, Some(20));
    assert_eq!(second.last_activity, 20);
    assert_eq!(second.created, 10);
}

#[test]
fn everything_survives_closing_and_reopening_the_file() {
    let f = fixture();
    let salt = f.store.salt();
    f.store
        .first_contact_sealed(&T1, 10, entry(1, VISITOR, "kept"), &env(b"e1"))
        .unwrap();
    f.store
        .add_reply(&T1, 11, entry(9, STAFF, "reply"))
        .unwrap();
    f.store.open_thread(&T1, 12).unwrap().unwrap();
    drop(f.store);

    let store = Store::open(&f.path).unwrap();
    assert_eq!(store.salt(), salt);
    let thread = store.open_thread(&T1, 13).unwrap().unwrap();
    assert_eq!(thread.previous_open, Some(12));
    let texts: Vec<_> = thread
        .entries
        .iter()
        .map(|e| e.ciphertext.clone())
        .collect();
    assert_eq!(texts, vec![b"kept".to_vec(), b"reply".to_vec()]);
    assert_eq!(pending(&store), vec![(1, b"e1".to_vec())]);
    assert_eq!(
        store.add_reply(&T1, 14, entry(9, STAFF, "reply")).unwrap(),
        ReplyOutcome::Duplicate
    );
}

#[test]
fn each_installation_gets_its_own_salt() {
    let a = fixture();
    let b = fixture();
    assert_ne!(a.store.salt(), b.store.salt());
    assert_ne!(a.store.salt(), [0; 16]);
}

#[test]
fn a_file_of_another_schema_version_is_refused() {
    let f = fixture();
    drop(f.store);
    {
        let db = Database::create(&f.path).unwrap();
        let txn = db.begin_write().unwrap();
        txn.open_table(META)
            .unwrap()
            .insert(SCHEMA_KEY, 2u64.to_le_bytes().as_slice())
            .unwrap();
        txn.commit().unwrap();
    }
    // Schema 2 held unpadded thread entries: refused as a whole at start, not entry by entry later.
    let refused = Store::open(&f.path);
    assert!(
        matches!(
            refused,
            Err(StoreError::Schema {
                found: 2,
                expected: 3
            })
        ),
        "{refused:?}"
    );
    let text = refused.err().map(|e| e.to_string()).unwrap_or_default();
    assert!(text.contains("Upgrading the storage"), "{text}");
}

#[test]
fn a_file_that_is_not_a_database_is_an_error_not_a_panic() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("porten.redb");
    std::fs::write(&path, vec![0x5a; 64 * 1024]).unwrap();
    assert!(Store::open(&path).is_err());
}

#[test]
fn a_second_open_of_the_same_file_is_refused() {
    let f = fixture();
    assert!(matches!(Store::open(&f.path), Err(StoreError::AlreadyOpen)));
}

#[cfg(unix)]
#[test]
fn the_database_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let f = fixture();
    let mode = std::fs::metadata(&f.path).unwrap().permissions().mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn compaction_keeps_the_data() {
    let f = fixture();
    for i in 0..50u8 {
        let mut ticket = [0u8; 32];
        ticket[0] = i;
        f.store
            .first_contact_sealed(
                &ticket,
                1,
                entry(i, VISITOR, &"x".repeat(4000)),
                &env(&[i; 4000]),
            )
            .unwrap();
    }
    let seqs: Vec<u64> = (1..=50).collect();
    assert_eq!(ack(&f.store, &seqs), 50);
    f.store.compact().unwrap();
    assert_eq!(f.store.counts().unwrap().entries, 50);
    assert_eq!(f.store.outbox_pending().unwrap(), 0);
}

fn key_file(f: &Fixture) -> Vec<u8> {
    std::fs::read(Store::key_file_path(&f.path)).unwrap()
}

fn holds(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

/// A ref that appears nowhere by chance (unlike `[1; 32]`, whose bytes could occur in redb's own pages).
fn random_ref() -> [u8; 32] {
    let mut ticket = [0u8; 32];
    SystemRandom::new().fill(&mut ticket).unwrap();
    ticket
}

#[test]
fn the_database_holds_no_ticket_ref_only_the_key_file_does() {
    let f = fixture();
    let ticket = random_ref();
    f.store
        .first_contact_sealed(&ticket, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store.add_reply(&ticket, 2, entry(9, STAFF, "r")).unwrap();
    f.store.open_thread(&ticket, 3).unwrap().unwrap();
    assert!(!holds(&std::fs::read(&f.path).unwrap(), &ticket));
    assert!(holds(&key_file(&f), &ticket));
}

#[test]
fn burn_and_expiry_overwrite_the_slot_with_zeros() {
    let f = fixture();
    let (a, b) = (random_ref(), random_ref());
    f.store
        .first_contact_sealed(&a, 100, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store
        .first_contact_sealed(&b, 100, entry(2, VISITOR, "b"), &env(b"e2"))
        .unwrap();
    let before = key_file(&f);
    assert_eq!(before.len(), 2 * keys::SLOT_LEN);
    assert!(holds(&before, &a) && holds(&before, &b));

    assert!(f.store.burn(&a, &env(b"closed-a")).unwrap());
    let after_burn = key_file(&f);
    assert!(!holds(&after_burn, &a));
    assert!(after_burn[..keys::SLOT_LEN].iter().all(|&x| x == 0));
    assert_eq!(after_burn[keys::SLOT_LEN..], before[keys::SLOT_LEN..]);

    assert!(f.store.expire(&b, 1_000, &env(b"closed-b")).unwrap());
    assert!(key_file(&f).iter().all(|&x| x == 0));
    // A freed slot is used again, so the file grows only with the peak number of tickets.
    f.store
        .first_contact_sealed(&random_ref(), 200, entry(3, VISITOR, "c"), &env(b"e3"))
        .unwrap();
    assert_eq!(key_file(&f).len(), 2 * keys::SLOT_LEN);
}

#[test]
fn a_slot_written_without_its_rows_is_erased_at_the_next_start() {
    // As after a crash between syncing a new ticket's slot and committing its rows.
    let f = fixture();
    let ticket = random_ref();
    f.store.keys.create(&ticket).unwrap().unwrap();
    assert!(holds(&key_file(&f), &ticket));
    drop(f.store);

    let store = Store::open(&f.path).unwrap();
    assert!(store.open_thread(&ticket, 1).unwrap().is_none());
    assert!(std::fs::read(Store::key_file_path(&f.path))
        .unwrap()
        .iter()
        .all(|&x| x == 0));
}

#[test]
fn a_deleted_tickets_slot_left_by_a_crash_is_erased_at_the_next_start() {
    // As after a crash between committing a burn and overwriting the slot.
    let f = fixture();
    let ticket = random_ref();
    f.store
        .first_contact_sealed(&ticket, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    let slot_bytes = key_file(&f);
    f.store.burn(&ticket, &env(b"closed")).unwrap();
    drop(f.store);
    std::fs::write(Store::key_file_path(&f.path), &slot_bytes).unwrap();

    let store = Store::open(&f.path).unwrap();
    assert!(store.open_thread(&ticket, 2).unwrap().is_none());
    drop(store);
    assert!(std::fs::read(Store::key_file_path(&f.path))
        .unwrap()
        .iter()
        .all(|&x| x == 0));
}

#[test]
fn a_torn_slot_is_erased_and_the_others_are_kept() {
    let f = fixture();
    let (a, b) = (random_ref(), random_ref());
    f.store
        .first_contact_sealed(&a, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store
        .first_contact_sealed(&b, 1, entry(2, VISITOR, "b"), &env(b"e2"))
        .unwrap();
    drop(f.store);
    let path = Store::key_file_path(&f.path);
    let mut bytes = std::fs::read(&path).unwrap();
    // Half of the first slot overwritten with zeros, as a crash mid-erasure could leave it; and a partial
    // slot appended, as a crash mid-append could.
    bytes[40..keys::SLOT_LEN].fill(0);
    bytes.extend_from_slice(&[7; 50]);
    std::fs::write(&path, &bytes).unwrap();

    let store = Store::open(&f.path).unwrap();
    assert!(store.open_thread(&a, 2).unwrap().is_none());
    assert_eq!(store.open_thread(&b, 2).unwrap().unwrap().entries.len(), 1);
    assert_eq!(store.counts().unwrap().tickets, 1);
    drop(store);
    let bytes = std::fs::read(&path).unwrap();
    assert_eq!(bytes.len(), 2 * keys::SLOT_LEN);
    assert!(bytes[..keys::SLOT_LEN].iter().all(|&x| x == 0));
}

#[test]
fn rows_that_no_slot_opens_are_deleted_at_start() {
    let f = fixture();
    f.store
        .first_contact_sealed(&random_ref(), 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    drop(f.store);
    let path = Store::key_file_path(&f.path);
    let len = std::fs::metadata(&path).unwrap().len() as usize;
    std::fs::write(&path, vec![0u8; len]).unwrap();

    let store = Store::open(&f.path).unwrap();
    let counts = store.counts().unwrap();
    assert_eq!((counts.tickets, counts.entries), (0, 0));
    // The envelope already queued is still delivered.
    assert_eq!(counts.outbox_pending, 1);
}

#[test]
fn a_missing_key_file_is_refused_while_the_database_holds_tickets() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    drop(f.store);
    let path = Store::key_file_path(&f.path);
    std::fs::remove_file(&path).unwrap();
    let refused = Store::open(&f.path);
    assert!(
        matches!(refused, Err(StoreError::KeyFileMissing(_))),
        "{refused:?}"
    );
    assert!(!path.exists(), "no empty key file is made in its place");
}

#[cfg(unix)]
#[test]
fn the_key_file_is_private_to_its_owner() {
    use std::os::unix::fs::PermissionsExt;
    let f = fixture();
    let mode = std::fs::metadata(Store::key_file_path(&f.path))
        .unwrap()
        .permissions()
        .mode();
    assert_eq!(mode & 0o777, 0o600);
}

#[test]
fn an_entry_moved_between_rows_is_unreadable_and_the_rest_shows() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "one"), &env(b"e1"))
        .unwrap();
    f.store
        .follow_up(&T1, 2, entry(2, VISITOR, "two"), &env(b"e2"))
        .unwrap();
    {
        let db = f.store.db();
        let txn = db.begin_write().unwrap();
        {
            let mut entries = txn.open_table(tables::ENTRIES).unwrap();
            let id = f.store.keys.by_ref(&T1).unwrap().id;
            let first = entries.get((&id, 0)).unwrap().unwrap().value().4.to_vec();
            entries
                .insert(
                    (&id, 1),
                    (&[2; 16], VISITOR, false, Some(2), first.as_slice()),
                )
                .unwrap();
        }
        txn.commit().unwrap();
    }
    let thread = f.store.open_thread(&T1, 3).unwrap().unwrap();
    assert_eq!(thread.entries[0].ciphertext, b"one");
    assert!(thread.entries[1].ciphertext.is_empty());
}

#[test]
fn compaction_after_acks_and_burns_leaves_no_acknowledged_envelope_in_the_file() {
    // Envelopes are stored as given, so their bytes can be looked for in the file; an entry's bytes cannot
    // (they are sealed under a fresh nonce each time they are written).
    let f = fixture();
    let marker = |i: u32| [&b"acked-envelope-"[..], &i.to_be_bytes()[..], &[0xa5; 13]].concat();
    let mut tickets = Vec::new();
    for i in 0..60u32 {
        let ticket = random_ref();
        let envelope = marker(i).repeat(64);
        f.store
            .first_contact_sealed(
                &ticket,
                1,
                entry(1, VISITOR, &"x".repeat(1000)),
                &env(&envelope),
            )
            .unwrap();
        tickets.push(ticket);
    }
    // The internal side acknowledges the even tickets' envelopes, and those visitors delete their conversation.
    let even_seqs: Vec<u64> = (0..60u64).step_by(2).map(|i| i + 1).collect();
    assert_eq!(ack(&f.store, &even_seqs), 30);
    for ticket in tickets.iter().step_by(2) {
        assert!(f.store.burn(ticket, &env(b"closed")).unwrap());
    }
    let remaining = |bytes: &[u8]| {
        (0..60u32)
            .step_by(2)
            .filter(|&i| holds(bytes, &marker(i)))
            .count()
    };
    let before = std::fs::read(&f.path).unwrap();
    assert!(
        remaining(&before) > 0,
        "freed pages keep acknowledged envelopes"
    );

    assert!(f.store.compact().unwrap());
    let after = std::fs::read(&f.path).unwrap();
    assert_eq!(remaining(&after), 0);
    assert!(after.len() < before.len());
    // The odd tickets are untouched.
    assert_eq!(f.store.counts().unwrap().tickets, 30);
    assert_eq!(f.store.outbox_pending().unwrap(), 30 + 30);
    assert!(holds(&after, &marker(1)));
}

#[cfg(unix)]
#[test]
fn a_key_file_that_is_a_symbolic_link_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("porten.redb");
    let elsewhere = dir.path().join("elsewhere");
    std::fs::write(&elsewhere, b"").unwrap();
    std::os::unix::fs::symlink(&elsewhere, Store::key_file_path(&path)).unwrap();
    assert!(matches!(Store::open(&path), Err(StoreError::KeyFile(_))));
    assert!(std::fs::read(&elsewhere).unwrap().is_empty());
}

#[test]
fn compaction_is_due_after_a_deletion_and_waits_for_a_quiet_moment() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    assert_eq!(
        f.store.compact_if_due().unwrap(),
        None,
        "nothing deleted yet"
    );
    f.store.burn(&T1, &env(b"closed")).unwrap();
    {
        let _busy = f.store.db();
        assert_eq!(f.store.compact_if_due().unwrap(), None, "a call is running");
    }
    assert!(f.store.compact_if_due().unwrap().is_some());
    assert_eq!(
        f.store.compact_if_due().unwrap(),
        None,
        "done until the next deletion"
    );
    ack(&f.store, &[1]);
    assert!(f.store.compact_if_due().unwrap().is_some());
}

#[test]
fn compaction_cuts_free_slots_off_the_end_of_the_key_file() {
    let f = fixture();
    let tickets: Vec<[u8; 32]> = (0..3).map(|_| random_ref()).collect();
    for (i, ticket) in tickets.iter().enumerate() {
        f.store
            .first_contact_sealed(ticket, 1, entry(i as u8, VISITOR, "a"), &env(b"e"))
            .unwrap();
    }
    f.store.burn(&tickets[1], &env(b"closed")).unwrap();
    f.store.burn(&tickets[2], &env(b"closed")).unwrap();
    assert_eq!(key_file(&f).len(), 3 * keys::SLOT_LEN);
    f.store.compact().unwrap();
    assert_eq!(key_file(&f).len(), keys::SLOT_LEN);
    assert!(f.store.open_thread(&tickets[0], 2).unwrap().is_some());
    // The file grows again from there, and survives a reopen.
    let next = random_ref();
    f.store
        .first_contact_sealed(&next, 3, entry(9, VISITOR, "b"), &env(b"e"))
        .unwrap();
    assert_eq!(key_file(&f).len(), 2 * keys::SLOT_LEN);
    drop(f.store);
    let store = Store::open(&f.path).unwrap();
    assert!(store.open_thread(&next, 4).unwrap().is_some());
    assert!(store.open_thread(&tickets[0], 4).unwrap().is_some());
}

#[test]
fn a_tickets_expiry_key_is_the_one_its_first_contact_carried_and_ends_with_the_ticket() {
    let f = fixture();
    let mut handed = None;
    f.store
        .first_contact(
            &T1,
            1,
            entry(1, VISITOR, "a"),
            |key: &porten_protocol::ExpiryKey| {
                handed = Some(key.clone());
                Ok::<_, StoreError>(env(b"e1"))
            },
        )
        .unwrap();
    f.store
        .first_contact_sealed(&T2, 1, entry(2, VISITOR, "b"), &env(b"e2"))
        .unwrap();
    let handed = handed.expect("the envelope was made from the expiry key");
    assert!(f.store.expiry_key(&T1) == Some(handed.clone()));
    assert!(f.store.expiry_key(&T2).is_some_and(|other| other != handed));
    assert!(
        !handed.as_bytes().iter().all(|&b| b == 0),
        "a key, not zeros"
    );

    f.store.burn(&T1, &env(b"closed")).unwrap();
    assert!(f.store.expiry_key(&T1).is_none(), "gone with the slot");
}

#[test]
fn a_first_contact_whose_envelope_cannot_be_made_writes_nothing() {
    let f = fixture();
    let failed = f.store.first_contact(&T1, 1, entry(1, VISITOR, "a"), |_| {
        Err(StoreError::Corrupt("sealing failed"))
    });
    assert!(failed.is_err());
    assert!(f.store.open_thread(&T1, 2).unwrap().is_none());
    assert!(f.store.expiry_key(&T1).is_none(), "the slot was given up");
    assert!(pending(&f.store).is_empty());
}

#[test]
fn an_ack_without_the_sealed_envelope_id_deletes_nothing() {
    let f = fixture();
    f.store
        .first_contact_sealed(&T1, 1, entry(1, VISITOR, "a"), &env(b"e1"))
        .unwrap();
    f.store
        .first_contact_sealed(&T2, 1, entry(2, VISITOR, "b"), &env(b"e2"))
        .unwrap();
    // One right id and one guessed: the whole ack is refused, the right one included.
    let refused = f.store.ack(&[(1, id_of(b"e1")), (2, [0x42; 16])]).unwrap();
    assert_eq!(refused, AckOutcome::WrongEnvelopeId);
    // The id of another pending envelope is as wrong as a guessed one.
    let swapped = f.store.ack(&[(1, id_of(b"e2"))]).unwrap();
    assert_eq!(swapped, AckOutcome::WrongEnvelopeId);
    assert_eq!(
        pending(&f.store),
        vec![(1, b"e1".to_vec()), (2, b"e2".to_vec())]
    );
    let thread = f.store.open_thread(&T1, 2).unwrap().unwrap();
    assert!(!thread.entries[0].delivered, "not marked delivered either");

    let right = f
        .store
        .ack(&[(1, id_of(b"e1")), (2, id_of(b"e2"))])
        .unwrap();
    assert_eq!(right, AckOutcome::Deleted(2));
    assert!(pending(&f.store).is_empty());
}
