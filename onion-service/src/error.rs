//! Errors of the onion service crate: each variant says when it happens.
//!
//! The causes from arti are kept as boxed sources, so the public type is the same with or
//! without the `arti` feature. Nothing here carries a key or anything a visitor sent.

use std::error::Error as StdError;

/// A cause from the Tor implementation, kept for the error chain.
pub type BoxError = Box<dyn StdError + Send + Sync + 'static>;

/// Why the onion service could not be set up or read.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum OnionError {
    /// This build has no onion service: it was compiled without the `arti` feature
    /// (the gateway's `onion` feature). Rebuild with it, or run C tor in front of the
    /// plain-HTTP listener instead.
    #[error("this build has no onion service (built without the `onion` feature)")]
    NotBuilt,

    /// [`launch`](crate::launch) was called while `[onion] enabled = false`.
    #[error("the onion service is disabled in the configuration ([onion] enabled = false)")]
    Disabled,

    /// A configuration value is out of range or malformed; `field` names it.
    #[error("invalid [onion] {field}: {problem}")]
    InvalidConfig {
        /// The configuration key, as written in the `[onion]` section.
        field: &'static str,
        /// What is wrong with it.
        problem: String,
    },

    /// The Tor implementation refused a step of the set-up: creating or opening the state
    /// and cache directories (permissions: they must not be writable by other users),
    /// opening the keystore, or starting the service.
    #[error("onion service: could not {step}")]
    Setup {
        /// The step that failed, e.g. "open the state directory".
        step: &'static str,
        /// The cause, from the Tor implementation.
        #[source]
        source: BoxError,
    },
}

impl OnionError {
    /// Wrap a failure of the Tor implementation during `step`.
    #[cfg_attr(not(feature = "arti"), allow(dead_code))]
    pub(crate) fn setup(step: &'static str, source: impl Into<BoxError>) -> Self {
        OnionError::Setup {
            step,
            source: source.into(),
        }
    }
}

/// Render an error and all its causes on one line, for a log message.
///
/// Arti's own errors already redact relay addresses when they are displayed.
pub fn report(error: &(dyn StdError + 'static)) -> String {
    let mut text = error.to_string();
    let mut cause = error.source();
    while let Some(inner) = cause {
        let inner_text = inner.to_string();
        // Some wrappers repeat their cause's message; say it once.
        if !text.ends_with(&inner_text) {
            text.push_str(": ");
            text.push_str(&inner_text);
        }
        cause = inner.source();
    }
    text
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    #[test]
    fn setup_error_names_the_step_and_keeps_the_cause_in_the_report() {
        let cause = std::io::Error::new(std::io::ErrorKind::PermissionDenied, "mode 0777");
        let err = OnionError::setup("open the state directory", cause);
        assert_eq!(
            err.to_string(),
            "onion service: could not open the state directory"
        );
        assert_eq!(
            report(&err),
            "onion service: could not open the state directory: mode 0777"
        );
    }

    #[test]
    fn invalid_config_names_the_key_in_the_onion_section() {
        let err = OnionError::InvalidConfig {
            field: "nickname",
            problem: "must not be empty".to_owned(),
        };
        assert_eq!(
            err.to_string(),
            "invalid [onion] nickname: must not be empty"
        );
    }
}
