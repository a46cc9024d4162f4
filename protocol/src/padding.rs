//! Size buckets: what keeps the length of sealed bytes from telling how long a message is.
//!
//! Encryption hides what a message says but not how long it is: unpadded, a sealed entry is its JSON plus 29
//! bytes and an envelope its JSON plus age's fixed overhead, so anyone who sees sealed bytes (a copy of the
//! gateway's disk, the internal API's TLS records) reads every message's length to the byte. Before
//! encryption, every thread entry, staff reply and envelope is therefore padded up to a **bucket**: the
//! smallest power of two that holds it, and no smaller than a floor (512 bytes for a sealed entry, 1 KiB for
//! an envelope's JSON). The sealed length then says only which bucket the message fell in.
//!
//! Why powers of two: a visitor's message is at most 5,000 characters by default (`limits.max_message_chars`),
//! which is at most 20,000 bytes of UTF-8; a staff reply at most 20,000 characters. The whole range from an
//! empty message to the longest allowed one collapses into eight buckets (512 B to 64 KiB), about three bits,
//! and most messages (a few lines to a page) share the two or three smallest. The cost is at most twice the
//! size, a few kilobytes per message, cheap beside what the length would give away. A finer scheme (Padmé)
//! wastes less on long messages but leaks more on the short ones that dominate here. The floor sits above what
//! a short message takes, so "a few words" and "a paragraph" look the same. Powers of two also make the
//! gateway's largest stored reply (`wire::MAX_REPLY_CIPHERTEXT`, 128 KiB) an exact bucket.

use std::io::{self, Write};

/// The bucket for `len` bytes: the smallest power of two that is at least `len` and at least `floor`.
/// `None` if that does not fit in `usize`.
pub(crate) fn bucket(len: usize, floor: usize) -> Option<usize> {
    len.max(floor).checked_next_power_of_two()
}

/// Whether `len` is a bucket with the given floor.
pub(crate) fn is_bucket(len: usize, floor: usize) -> bool {
    len >= floor && len.is_power_of_two()
}

/// Counts what would be written, to size a buffer exactly before a secret is written into it: a buffer that
/// reallocates leaves an unwiped copy behind in freed memory.
#[derive(Default)]
pub(crate) struct ByteCounter(pub(crate) usize);

impl Write for ByteCounter {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        self.0 = self.0.saturating_add(buf.len());
        Ok(buf.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_round_up_to_the_next_power_of_two_above_the_floor() {
        assert_eq!(bucket(0, 512), Some(512));
        assert_eq!(bucket(1, 512), Some(512));
        assert_eq!(bucket(512, 512), Some(512));
        assert_eq!(bucket(513, 512), Some(1024));
        assert_eq!(bucket(20_000, 512), Some(32_768));
        assert_eq!(bucket(usize::MAX, 512), None);
        assert!(is_bucket(512, 512) && is_bucket(131_072, 512));
        assert!(!is_bucket(256, 512) && !is_bucket(513, 512) && !is_bucket(0, 512));
    }
}
