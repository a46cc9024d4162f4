//! Counters for `GET /metrics`, in the Prometheus text format.
//!
//! Counts only, over the whole gateway: how many tickets, entries and pending envelopes the store holds, and
//! how many envelopes were pulled and acked, acks refused, and replies stored since start. Nothing per ticket, no labels that
//! could single out a visitor.

use std::fmt::Write as _;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Event counters since the gateway started.
#[derive(Debug)]
pub struct Metrics {
    started: Instant,
    pulled: AtomicU64,
    acked: AtomicU64,
    acks_refused: AtomicU64,
    replies_stored: AtomicU64,
    replies_duplicate: AtomicU64,
    replies_no_ticket: AtomicU64,
}

/// What the store holds right now.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct StoreCounts {
    /// Live tickets.
    pub tickets: u64,
    /// Thread entries over all tickets.
    pub entries: u64,
    /// Envelopes waiting to be acked.
    pub outbox_pending: u64,
}

impl Default for Metrics {
    fn default() -> Self {
        Self::new()
    }
}

impl Metrics {
    /// All counters at zero, uptime from now.
    pub fn new() -> Metrics {
        Metrics {
            started: Instant::now(),
            pulled: AtomicU64::new(0),
            acked: AtomicU64::new(0),
            acks_refused: AtomicU64::new(0),
            replies_stored: AtomicU64::new(0),
            replies_duplicate: AtomicU64::new(0),
            replies_no_ticket: AtomicU64::new(0),
        }
    }

    /// Envelopes handed out by pulls (an envelope pulled twice counts twice).
    pub fn add_pulled(&self, n: usize) {
        self.pulled.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// Envelopes deleted by acks.
    pub fn add_acked(&self, n: usize) {
        self.acked.fetch_add(n as u64, Ordering::Relaxed);
    }

    /// An ack refused: malformed, without envelope ids, or naming a wrong one.
    pub fn ack_refused(&self) {
        self.acks_refused.fetch_add(1, Ordering::Relaxed);
    }

    /// A reply stored.
    pub fn reply_stored(&self) {
        self.replies_stored.fetch_add(1, Ordering::Relaxed);
    }

    /// A reply refused as a repeat of a stored one.
    pub fn reply_duplicate(&self) {
        self.replies_duplicate.fetch_add(1, Ordering::Relaxed);
    }

    /// A reply for a ticket that no longer exists.
    pub fn reply_no_ticket(&self) {
        self.replies_no_ticket.fetch_add(1, Ordering::Relaxed);
    }

    /// The Prometheus text exposition of the counters and `counts` (absent when the store did not answer).
    pub fn render(&self, counts: Option<StoreCounts>) -> String {
        let mut out = String::with_capacity(1536);
        let mut metric = |name: &str, kind: &str, help: &str, value: u64| {
            // Writing to a String cannot fail.
            let _ = write!(
                out,
                "# HELP {name} {help}\n# TYPE {name} {kind}\n{name} {value}\n"
            );
        };
        if let Some(counts) = counts {
            metric(
                "porten_tickets",
                "gauge",
                "Tickets in the store.",
                counts.tickets,
            );
            metric(
                "porten_thread_entries",
                "gauge",
                "Thread entries in the store, over all tickets.",
                counts.entries,
            );
            metric(
                "porten_outbox_pending",
                "gauge",
                "Envelopes in the outbox waiting to be acked.",
                counts.outbox_pending,
            );
        }
        metric(
            "porten_store_up",
            "gauge",
            "1 when the store answered this scrape.",
            u64::from(counts.is_some()),
        );
        let load = |counter: &AtomicU64| counter.load(Ordering::Relaxed);
        metric(
            "porten_envelopes_pulled_total",
            "counter",
            "Envelopes handed out by pulls since start (repeats included).",
            load(&self.pulled),
        );
        metric(
            "porten_envelopes_acked_total",
            "counter",
            "Envelopes deleted by acks since start.",
            load(&self.acked),
        );
        metric(
            "porten_acks_refused_total",
            "counter",
            "Acks refused since start (malformed, or without the right envelope ids); nothing was deleted.",
            load(&self.acks_refused),
        );
        metric(
            "porten_replies_stored_total",
            "counter",
            "Staff replies stored since start.",
            load(&self.replies_stored),
        );
        metric(
            "porten_replies_duplicate_total",
            "counter",
            "Staff replies pushed again with a known reply id since start (nothing stored).",
            load(&self.replies_duplicate),
        );
        metric(
            "porten_replies_no_ticket_total",
            "counter",
            "Staff replies refused since start because the ticket was gone.",
            load(&self.replies_no_ticket),
        );
        metric(
            "porten_uptime_seconds",
            "gauge",
            "Seconds since the gateway started.",
            self.started.elapsed().as_secs(),
        );
        out
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]

    use super::*;

    #[test]
    fn metrics_render_counts_in_prometheus_text_format() {
        let metrics = Metrics::new();
        metrics.add_pulled(3);
        metrics.add_acked(2);
        metrics.reply_stored();
        metrics.ack_refused();
        let text = metrics.render(Some(StoreCounts {
            tickets: 4,
            entries: 9,
            outbox_pending: 1,
        }));
        assert!(text.contains("\nporten_tickets 4\n"), "{text}");
        assert!(text.contains("\nporten_thread_entries 9\n"), "{text}");
        assert!(text.contains("\nporten_outbox_pending 1\n"), "{text}");
        assert!(
            text.contains("\nporten_envelopes_pulled_total 3\n"),
            "{text}"
        );
        assert!(
            text.contains("\nporten_envelopes_acked_total 2\n"),
            "{text}"
        );
        assert!(text.contains("\nporten_replies_stored_total 1\n"), "{text}");
        assert!(text.contains("\nporten_acks_refused_total 1\n"), "{text}");
        assert!(text.contains("\nporten_store_up 1\n"), "{text}");
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let mut parts = line.split(' ');
            let name = parts.next().unwrap_or_default();
            assert!(
                name.bytes().all(|b| b.is_ascii_lowercase() || b == b'_'),
                "{line}"
            );
            assert!(
                parts.next().is_some_and(|v| v.parse::<u64>().is_ok()),
                "{line}"
            );
            assert!(parts.next().is_none(), "no labels: {line}");
        }
    }

    #[test]
    fn a_store_that_does_not_answer_is_reported_not_hidden() {
        let text = Metrics::new().render(None);
        assert!(text.contains("\nporten_store_up 0\n"), "{text}");
        assert!(!text.contains("porten_tickets "), "{text}");
    }
}
