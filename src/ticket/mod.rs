//! Tickets: how a visitor comes back to their own conversation without an account, a cookie or a name.
//!
//! On first contact the gateway makes a **ticket code** ([`TicketCode`]: 16 decimal digits, the last a Damm
//! check digit) and shows it once. The code is never stored. Argon2id over the code, keyed with the
//! installation's salt and secret **pepper** ([`Pepper`], a file outside the database), followed by HKDF,
//! gives two values ([`TicketKeys`]):
//!
//! - the **ticket ref** ([`TicketRef`]), the key under which the ticket and its thread are stored;
//! - the **reply key** ([`ReplyKey`]), the ChaCha20-Poly1305 key that seals the thread's entries. The gateway
//!   keeps it only in memory while a visitor's request is served.
//!
//! A copy of the database alone therefore neither reads a thread nor guesses a code: without the pepper no
//! guess can even be tested. [`KdfPool`] bounds how many Argon2 runs (and so how much memory) run at once.

pub mod code;
pub mod damm;
pub mod kdf;
pub mod pepper;

pub use code::{CodeError, TicketCode};
pub use kdf::{Kdf, KdfError, KdfParams, KdfPool, TicketKeys};
pub use pepper::{Pepper, PepperError};
pub use porten_protocol::{ReplyKey, TicketRef};

pub(crate) use porten_protocol::fill_random;
