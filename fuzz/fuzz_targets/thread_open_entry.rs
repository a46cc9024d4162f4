//! Fuzz target: the thread-entry opener (`thread::open_entry`), which reads staff replies and the visitor's
//! own entries from storage, with any bytes.
//!
//! It must never panic. The first byte chooses arbitrary bytes as a sealed entry, or a genuine entry with the
//! rest of the input XORed into it, which must then be refused for every author.

#![no_main]

use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;
use porten_protocol::thread::{self, AuthorKind, EntryId, EntryPlain};
use porten_protocol::{ReplyKey, TicketRef};

const AUTHORS: [AuthorKind; 2] = [AuthorKind::Visitor, AuthorKind::Staff];

struct Fixture {
    key: ReplyKey,
    ticket: TicketRef,
    id: EntryId,
    genuine: Vec<u8>,
}

fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let key = ReplyKey::from_bytes([5; 32]);
        let ticket = TicketRef::from_bytes([6; 32]);
        let id = EntryId::from_bytes([7; 16]);
        let plain = EntryPlain::new(
            Some("Samira".into()),
            time::OffsetDateTime::now_utc(),
            "Hej, vi finns här.".into(),
        );
        let genuine =
            thread::seal_entry(&key, &ticket, &id, AuthorKind::Staff, &plain).expect("seal");
        Fixture {
            key,
            ticket,
            id,
            genuine,
        }
    })
}

fuzz_target!(|data: &[u8]| {
    let fixture = fixture();
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    if mode % 2 == 0 {
        for author in AUTHORS {
            let _ = thread::open_entry(&fixture.key, &fixture.ticket, &fixture.id, author, rest);
        }
        return;
    }
    let mut altered = fixture.genuine.clone();
    for (i, x) in rest.iter().enumerate() {
        if let Some(byte) = altered.get_mut(i % fixture.genuine.len()) {
            *byte ^= x;
        }
    }
    if altered != fixture.genuine {
        for author in AUTHORS {
            assert!(
                thread::open_entry(&fixture.key, &fixture.ticket, &fixture.id, author, &altered)
                    .is_err(),
                "an altered entry opened"
            );
        }
    }
});
