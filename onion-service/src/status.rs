//! The onion service's state as the operator sees it, and the log line for each change.
//!
//! The arti side maps its own, finer states onto [`OnionStatus`]; this file decides what is
//! worth a log line, so the wording can be tested without a Tor network.

use std::fmt;

/// Where the onion service stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum OnionStatus {
    /// Connecting to the Tor network (downloading the directory, building first circuits).
    Bootstrapping,
    /// Connected; setting up introduction points and publishing the descriptor.
    Publishing,
    /// Descriptor published, introduction points working: reachable.
    Running,
    /// Reachable, but some introduction points or descriptor uploads are failing.
    Degraded,
    /// Probably unreachable for now; retrying on its own.
    Recovering,
    /// Not working and not expected to recover by itself soon; still retrying.
    Broken,
    /// Shut down (the service handle was dropped).
    Stopped,
}

impl OnionStatus {
    /// Whether clients can be expected to reach the service in this state.
    pub fn is_reachable(self) -> bool {
        matches!(self, OnionStatus::Running | OnionStatus::Degraded)
    }
}

impl fmt::Display for OnionStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            OnionStatus::Bootstrapping => "bootstrapping",
            OnionStatus::Publishing => "publishing",
            OnionStatus::Running => "running",
            OnionStatus::Degraded => "degraded",
            OnionStatus::Recovering => "recovering",
            OnionStatus::Broken => "broken",
            OnionStatus::Stopped => "stopped",
        })
    }
}

/// How loud a status log line is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[cfg_attr(not(feature = "arti"), allow(dead_code))]
pub(crate) enum Loudness {
    /// Normal progress.
    Info,
    /// The operator may want to look.
    Warn,
    /// The operator should look.
    Error,
}

/// Follows the status, smooths arti's start-up and re-upload noise, and says which changes
/// deserve a log line.
#[derive(Debug)]
#[cfg_attr(not(feature = "arti"), allow(dead_code))]
pub(crate) struct StatusLog {
    /// The status last reported.
    current: OnionStatus,
    /// Whether the service has been reachable at least once: the first time is "descriptor
    /// published", later ones are "recovered".
    ever_reachable: bool,
}

#[cfg_attr(not(feature = "arti"), allow(dead_code))]
impl StatusLog {
    /// Start following, from bootstrapping.
    pub(crate) fn new() -> Self {
        StatusLog {
            current: OnionStatus::Bootstrapping,
            ever_reachable: false,
        }
    }

    /// Take the status arti reports now; return the status to show and, if it changed, the
    /// log line for the change.
    pub(crate) fn update(
        &mut self,
        reported: OnionStatus,
    ) -> (OnionStatus, Option<(Loudness, &'static str)>) {
        let next = self.settle(reported);
        let previous = self.current;
        if previous == next {
            return (next, None);
        }
        self.current = next;
        let first = !self.ever_reachable;
        let after_trouble = matches!(previous, OnionStatus::Recovering | OnionStatus::Broken);
        let line = match next {
            OnionStatus::Bootstrapping => (Loudness::Info, "connecting to the Tor network"),
            OnionStatus::Publishing => (
                Loudness::Info,
                "connected to the Tor network; publishing the onion service descriptor",
            ),
            OnionStatus::Running if first => (
                Loudness::Info,
                "onion service descriptor published; onion service running",
            ),
            OnionStatus::Running => (Loudness::Info, "onion service recovered; running"),
            OnionStatus::Degraded if first => (
                Loudness::Info,
                "onion service descriptor published; running, degraded (not every introduction point or descriptor upload has succeeded yet)",
            ),
            OnionStatus::Degraded if after_trouble => (
                Loudness::Info,
                "onion service recovered; reachable, still degraded",
            ),
            OnionStatus::Degraded => (
                Loudness::Warn,
                "onion service degraded: some introduction points or descriptor uploads failing; still reachable",
            ),
            OnionStatus::Recovering => (
                Loudness::Warn,
                "onion service degraded: no working introduction points, probably unreachable; recovering",
            ),
            OnionStatus::Broken => (
                Loudness::Error,
                "onion service broken: not reachable; retrying",
            ),
            OnionStatus::Stopped => (Loudness::Info, "onion service stopped"),
        };
        if next.is_reachable() {
            self.ever_reachable = true;
        }
        (next, Some(line))
    }

    /// Arti reports some passing states that would mislead an operator.
    fn settle(&self, reported: OnionStatus) -> OnionStatus {
        match reported {
            // At start the introduction point manager says "recovering" until its first
            // introduction points are up: that is still publishing.
            OnionStatus::Recovering if !self.ever_reachable => OnionStatus::Publishing,
            // Once published, a scheduled re-upload (new consensus, changed introduction
            // points) shows as bootstrapping, yet the published descriptor stays valid.
            OnionStatus::Bootstrapping | OnionStatus::Publishing if self.ever_reachable => {
                self.current
            }
            other => other,
        }
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used)]
mod tests {
    use super::*;

    fn message(log: &mut StatusLog, next: OnionStatus) -> Option<&'static str> {
        log.update(next).1.map(|(_, text)| text)
    }

    #[test]
    fn first_reachable_state_says_descriptor_published() {
        let mut log = StatusLog::new();
        assert!(message(&mut log, OnionStatus::Publishing)
            .unwrap()
            .contains("connected to the Tor network"));
        assert!(message(&mut log, OnionStatus::Running)
            .unwrap()
            .contains("descriptor published"));
    }

    #[test]
    fn degraded_first_publication_also_says_descriptor_published() {
        let mut log = StatusLog::new();
        let (shown, line) = log.update(OnionStatus::Degraded);
        assert_eq!(shown, OnionStatus::Degraded);
        let (loudness, text) = line.unwrap();
        assert_eq!(loudness, Loudness::Info);
        assert!(text.contains("descriptor published"));
    }

    #[test]
    fn return_to_running_after_trouble_says_recovered() {
        let mut log = StatusLog::new();
        log.update(OnionStatus::Running);
        let (shown, line) = log.update(OnionStatus::Recovering);
        assert_eq!(shown, OnionStatus::Recovering);
        let (loudness, text) = line.unwrap();
        assert_eq!(loudness, Loudness::Warn);
        assert!(text.contains("degraded"));
        assert!(message(&mut log, OnionStatus::Running)
            .unwrap()
            .contains("recovered"));
    }

    #[test]
    fn recovering_before_first_publication_is_still_publishing() {
        let mut log = StatusLog::new();
        log.update(OnionStatus::Publishing);
        assert_eq!(
            log.update(OnionStatus::Recovering),
            (OnionStatus::Publishing, None)
        );
    }

    #[test]
    fn reupload_after_publication_keeps_the_reachable_status() {
        let mut log = StatusLog::new();
        log.update(OnionStatus::Running);
        assert_eq!(
            log.update(OnionStatus::Publishing),
            (OnionStatus::Running, None)
        );
        assert_eq!(
            log.update(OnionStatus::Bootstrapping),
            (OnionStatus::Running, None)
        );
    }

    #[test]
    fn unchanged_status_is_not_logged_again() {
        let mut log = StatusLog::new();
        assert!(log.update(OnionStatus::Bootstrapping).1.is_none());
        assert!(log.update(OnionStatus::Running).1.is_some());
        assert!(log.update(OnionStatus::Running).1.is_none());
    }

    #[test]
    fn broken_is_an_error() {
        let mut log = StatusLog::new();
        assert_eq!(
            log.update(OnionStatus::Broken).1.unwrap().0,
            Loudness::Error
        );
    }

    #[test]
    fn only_running_and_degraded_count_as_reachable() {
        let reachable: Vec<_> = [
            OnionStatus::Bootstrapping,
            OnionStatus::Publishing,
            OnionStatus::Running,
            OnionStatus::Degraded,
            OnionStatus::Recovering,
            OnionStatus::Broken,
            OnionStatus::Stopped,
        ]
        .into_iter()
        .filter(|s| s.is_reachable())
        .collect();
        assert_eq!(reachable, [OnionStatus::Running, OnionStatus::Degraded]);
    }
}
