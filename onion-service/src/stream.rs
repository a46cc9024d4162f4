//! What the gateway receives: [`Incoming`], the queue of accepted onion connections, and
//! [`OnionStream`], one connection, which reads and writes like a TCP stream.
//!
//! Each stream holds one permit of the service-wide stream bound; the permit returns when the
//! gateway drops the stream.

use std::io;
use std::pin::Pin;
use std::task::{Context, Poll};

use tokio::io::{AsyncRead, AsyncWrite, ReadBuf};
use tokio::sync::mpsc;

/// One accepted connection to port 80 of the onion service.
///
/// Serve it like an accepted TCP stream, e.g. through `hyper_util::rt::TokioIo`. There is no
/// peer address: onion clients have none.
#[derive(Debug)]
pub struct OnionStream {
    /// The Tor stream.
    #[cfg(feature = "arti")]
    inner: arti_client::DataStream,
    /// The rendezvous circuit it came on, numbered by this process.
    #[cfg(feature = "arti")]
    circuit: u64,
    /// This stream's share of `max_concurrent_streams`, released on drop.
    #[cfg(feature = "arti")]
    _permit: tokio::sync::OwnedSemaphorePermit,
    /// Without arti no stream can exist.
    #[cfg(not(feature = "arti"))]
    never: std::convert::Infallible,
}

#[cfg(feature = "arti")]
impl OnionStream {
    /// Wrap an accepted Tor stream together with its permit.
    pub(crate) fn new(
        inner: arti_client::DataStream,
        circuit: u64,
        permit: tokio::sync::OwnedSemaphorePermit,
    ) -> Self {
        OnionStream {
            inner,
            circuit,
            _permit: permit,
        }
    }
}

impl OnionStream {
    /// The rendezvous circuit this stream came on: every stream of one circuit comes from one Tor
    /// client. A number this process gave the circuit, meaningless outside it; never log it.
    pub fn circuit(&self) -> u64 {
        #[cfg(feature = "arti")]
        {
            self.circuit
        }
        #[cfg(not(feature = "arti"))]
        {
            match self.never {}
        }
    }
}

impl AsyncRead for OnionStream {
    fn poll_read(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &mut ReadBuf<'_>,
    ) -> Poll<io::Result<()>> {
        #[cfg(feature = "arti")]
        {
            Pin::new(&mut self.get_mut().inner).poll_read(cx, buf)
        }
        #[cfg(not(feature = "arti"))]
        {
            let _ = (cx, buf);
            match self.never {}
        }
    }
}

impl AsyncWrite for OnionStream {
    fn poll_write(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
        buf: &[u8],
    ) -> Poll<io::Result<usize>> {
        #[cfg(feature = "arti")]
        {
            Pin::new(&mut self.get_mut().inner).poll_write(cx, buf)
        }
        #[cfg(not(feature = "arti"))]
        {
            let _ = (cx, buf);
            match self.never {}
        }
    }

    fn poll_flush(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        #[cfg(feature = "arti")]
        {
            Pin::new(&mut self.get_mut().inner).poll_flush(cx)
        }
        #[cfg(not(feature = "arti"))]
        {
            let _ = cx;
            match self.never {}
        }
    }

    fn poll_shutdown(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<io::Result<()>> {
        #[cfg(feature = "arti")]
        {
            Pin::new(&mut self.get_mut().inner).poll_shutdown(cx)
        }
        #[cfg(not(feature = "arti"))]
        {
            let _ = cx;
            match self.never {}
        }
    }
}

/// The accepted onion connections, in arrival order.
///
/// Ends (`accept` returns `None`) once the [`OnionService`](crate::OnionService) is dropped.
/// While Tor is unreachable it simply yields nothing; it does not end.
#[derive(Debug)]
pub struct Incoming {
    /// Filled by the service's accept task.
    receiver: mpsc::Receiver<OnionStream>,
}

impl Incoming {
    /// Wrap the receiving end of the accept task's queue.
    #[cfg_attr(not(feature = "arti"), allow(dead_code))]
    pub(crate) fn new(receiver: mpsc::Receiver<OnionStream>) -> Self {
        Incoming { receiver }
    }

    /// Wait for the next accepted connection; `None` once the service has stopped.
    pub async fn accept(&mut self) -> Option<OnionStream> {
        self.receiver.recv().await
    }
}
