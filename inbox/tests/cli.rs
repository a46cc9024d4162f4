//! The command line as a newcomer meets it: what `--help` shows must run as shown.
//!
//! (Its other integration tests run it against a real gateway: `tests/internal_side.rs` at the top of the
//! workspace. This file also makes `cargo test --workspace` build the `porten-inbox` binary they start.)

#![allow(clippy::expect_used, clippy::unwrap_used)]

use std::process::Command;

fn inbox(args: &[&str]) -> std::process::Output {
    Command::new(env!("CARGO_BIN_EXE_porten-inbox"))
        .args(args)
        .output()
        .expect("run porten-inbox")
}

#[test]
fn the_reply_example_in_the_help_names_the_configuration_it_needs() {
    let help = inbox(&["--help"]);
    assert!(help.status.success());
    let text = String::from_utf8(help.stdout).expect("utf-8");
    let example = text
        .split("porten-inbox reply ")
        .nth(1)
        .expect("the help shows how to reply");
    let example = example.split("\n\n").next().unwrap_or_default();
    assert!(example.contains("--from"), "{example}");
    assert!(example.contains("--config"), "{example}");
}

#[test]
fn a_reply_without_a_configuration_says_which_option_is_missing() {
    let output = inbox(&["reply", "0123456789abcdef", "--from", "Sara"]);
    assert_eq!(output.status.code(), Some(2), "a usage error");
    let text = String::from_utf8_lossy(&output.stderr);
    assert!(text.contains("--config"), "{text}");
}
