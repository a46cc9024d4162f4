//! Tests of the desk's store: sealed rows, and a data key that does not match its database.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use super::*;
use age::x25519::Identity;

#[test]
fn a_sealed_row_round_trips_and_survives_reopening() {
    let dir = tempfile::tempdir().unwrap();
    let identity = Identity::generate();
    {
        let store = DeskStore::open(dir.path(), std::slice::from_ref(&identity)).unwrap();
        store
            .write(|w| w.put(SESSIONS, b"k", &"a value".to_string()))
            .unwrap();
    }
    let store = DeskStore::open(dir.path(), std::slice::from_ref(&identity)).unwrap();
    let value: Option<String> = store.read(|r| r.get(SESSIONS, b"k")).unwrap();
    assert_eq!(value.as_deref(), Some("a value"));
    assert!(!porten_protocol::fsutil::is_shared(&dir.path().join("desk/desk.redb")).unwrap());
}

#[test]
fn a_database_without_its_data_key_is_refused_not_given_a_new_key() {
    let dir = tempfile::tempdir().unwrap();
    let identity = Identity::generate();
    drop(DeskStore::open(dir.path(), std::slice::from_ref(&identity)).unwrap());
    let key = DeskStore::dir(dir.path()).join(DATA_KEY_FILE);
    std::fs::remove_file(&key).unwrap();
    assert!(matches!(
        DeskStore::open(dir.path(), std::slice::from_ref(&identity)),
        Err(DeskStoreError::DataKeyMissing(_))
    ));
    assert!(!key.exists());
}

#[test]
fn a_data_key_from_another_installation_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let other = tempfile::tempdir().unwrap();
    let identity = Identity::generate();
    drop(DeskStore::open(dir.path(), std::slice::from_ref(&identity)).unwrap());
    drop(DeskStore::open(other.path(), std::slice::from_ref(&identity)).unwrap());
    let key = DATA_KEY_FILE;
    std::fs::copy(
        DeskStore::dir(other.path()).join(key),
        DeskStore::dir(dir.path()).join(key),
    )
    .unwrap();
    assert!(matches!(
        DeskStore::open(dir.path(), std::slice::from_ref(&identity)),
        Err(DeskStoreError::DataKeyMismatch)
    ));
}

#[test]
fn a_row_moved_to_another_key_does_not_open() {
    let dir = tempfile::tempdir().unwrap();
    let store = DeskStore::open(dir.path(), &[Identity::generate()]).unwrap();
    store
        .write(|w| w.put(SESSIONS, b"mine", &"secret".to_string()))
        .unwrap();
    // Copy the sealed bytes under another key, as someone with write access to the file could.
    let txn = store.db.begin_write().unwrap();
    {
        let mut table = txn.open_table(SESSIONS.definition()).unwrap();
        let sealed = table.get(&b"mine"[..]).unwrap().unwrap().value().to_vec();
        table.insert(&b"theirs"[..], sealed.as_slice()).unwrap();
    }
    txn.commit().unwrap();
    let moved: Result<Option<String>, _> = store.read(|r| r.get(SESSIONS, b"theirs"));
    assert!(matches!(
        moved,
        Err(DeskStoreError::Vault(VaultError::Tampered("session")))
    ));
}
