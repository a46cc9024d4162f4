//! What the gateway stored, read from its data directory once it has stopped: the outbox's envelopes opened
//! with the development identity, as the internal side would open them.

use std::path::Path;

use porten::store::Store;
use porten_protocol::envelope::Payload;

/// Opens the database (the gateway must have stopped: redb allows one process at a time). Opening checks
/// the file's integrity, so a file a crash left damaged fails here.
pub fn open_store(data_dir: &Path) -> Store {
    Store::open(&data_dir.join("porten.redb"))
        .unwrap_or_else(|error| panic!("the database does not open cleanly: {error}"))
}

/// How many envelopes wait in the outbox.
pub fn pending(data_dir: &Path) -> u64 {
    open_store(data_dir)
        .outbox_pending()
        .expect("count the outbox")
}

/// Every envelope in the outbox, opened.
pub fn payloads(data_dir: &Path) -> Vec<Payload> {
    let identity_text = std::fs::read_to_string(data_dir.join(porten::app::DEV_IDENTITY_FILE))
        .expect("the development identity");
    let identities = porten_inbox::open::parse_identity_file(&identity_text).expect("identity");
    let store = open_store(data_dir);
    store
        .outbox_after(0, usize::MAX)
        .expect("read the outbox")
        .into_iter()
        .map(|item| {
            porten_inbox::open::open_with_any(&item.envelope, &identities).expect("envelope opens")
        })
        .collect()
}

/// The visitors' texts in the outbox, in order.
pub fn messages(data_dir: &Path) -> Vec<String> {
    payloads(data_dir)
        .into_iter()
        .filter_map(|p| p.visitor().map(|v| v.message.expose().clone()))
        .collect()
}
