//! [`OnionService`]: the handle the gateway keeps while the onion service runs. Dropping it
//! stops the service (no new descriptor uploads or introductions; open streams finish).

use std::fmt;

use tokio::sync::watch;

use crate::status::OnionStatus;

/// A launched onion service.
///
/// Bootstrapping, publishing and recovery run in the background; read the state with
/// [`status`](Self::status). Drop it to stop the service.
pub struct OnionService {
    /// "xxx.onion", known from launch on (the key is loaded or made before bootstrapping).
    address: Option<String>,
    /// The latest status, kept up to date by the background monitor.
    status: watch::Receiver<OnionStatus>,
    /// The Tor client, the running service and their background tasks.
    #[cfg(feature = "arti")]
    _running: crate::arti::Running,
}

impl OnionService {
    /// Assemble the handle from a launched service.
    #[cfg(feature = "arti")]
    pub(crate) fn new(
        address: Option<String>,
        status: watch::Receiver<OnionStatus>,
        running: crate::arti::Running,
    ) -> Self {
        OnionService {
            address,
            status,
            _running: running,
        }
    }

    /// The onion address, `"<56 characters>.onion"`. Public by design: it may be logged,
    /// printed and sent as `Onion-Location`.
    pub fn address(&self) -> Option<String> {
        self.address.clone()
    }

    /// The current status.
    pub fn status(&self) -> OnionStatus {
        *self.status.borrow()
    }

    /// A receiver that sees every status change, e.g. to react when the service becomes
    /// reachable. The crate already logs each change.
    pub fn status_updates(&self) -> watch::Receiver<OnionStatus> {
        self.status.clone()
    }
}

impl fmt::Debug for OnionService {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("OnionService")
            .field("address", &self.address)
            .field("status", &self.status())
            .finish_non_exhaustive()
    }
}
