//! The code and `sv.ftl` agree: every message id the code asks for exists in Swedish, and every Swedish message
//! is used somewhere.

use super::*;

/// The message ids the code asks for: every string literal right after `msg(` or `msg_args(` in `src/`.
fn ids_used_in_code() -> BTreeSet<String> {
    fn visit(dir: &std::path::Path, used: &mut BTreeSet<String>) {
        let entries = std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display()));
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                visit(&path, used);
            } else if path.extension().is_some_and(|ext| ext == "rs") {
                let source = std::fs::read_to_string(&path).unwrap_or_default();
                for call in ["msg(\"", "msg_args(\""] {
                    for (at, _) in source.match_indices(call) {
                        let rest = &source[at + call.len()..];
                        let id = &rest[..rest.find('"').unwrap_or(0)];
                        used.insert(id.to_owned());
                    }
                }
            }
        }
    }
    let mut used = BTreeSet::new();
    visit(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut used,
    );
    used
}

#[test]
fn every_message_id_used_in_the_code_exists_in_swedish() {
    let swedish: BTreeSet<String> = crate::i18n::tests::ids(crate::i18n::source(Lang::Sv))
        .into_iter()
        .collect();
    let used = ids_used_in_code();
    assert!(used.len() > 50, "the scan found the calls: {}", used.len());
    let test_only = ["no-such-message", "only-en", "only-sv", "also-good"];
    let missing: Vec<_> = used
        .iter()
        .filter(|id| !swedish.contains(*id) && !test_only.contains(&id.as_str()))
        .collect();
    assert!(missing.is_empty(), "used but not in sv.ftl: {missing:?}");
}

#[test]
fn every_swedish_message_is_used() {
    let used = ids_used_in_code();
    let unused: Vec<String> = crate::i18n::tests::ids(crate::i18n::source(Lang::Sv))
        .into_iter()
        .filter(|id| !used.contains(id) && !field_errors::ALL.contains(&id.as_str()))
        .collect();
    assert!(unused.is_empty(), "in sv.ftl but never used: {unused:?}");
}
