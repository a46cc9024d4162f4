//! Slow clients (slowloris): connections that open, start a request or a TLS handshake, and then send one
//! byte or one header line every few seconds without ever finishing, to hold the gateway's connection slots.
//!
//! Every client stops when the swarm is stopped or dropped; none runs past the test. Counters say how many
//! are connected now and how many the gateway has closed.

use std::net::SocketAddr;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;
use tokio::task::JoinHandle;

/// What a slow client drags out.
#[derive(Clone, Copy, Debug)]
pub enum Drag {
    /// A plain HTTP request head, one header line per interval, never the blank line that ends it.
    RequestHead,
    /// A TLS ClientHello, one byte per interval.
    TlsHandshake,
    /// Nothing at all: the connection is opened and left idle.
    Silent,
}

/// Counts shared by the clients of one swarm.
#[derive(Default)]
pub struct Counts {
    /// Connections open now.
    pub held: AtomicUsize,
    /// Connections the gateway closed (end of stream, reset, or a reply).
    pub closed_by_gateway: AtomicUsize,
    /// Connections opened in all.
    pub opened: AtomicUsize,
}

/// A running swarm of slow clients.
pub struct Swarm {
    pub counts: Arc<Counts>,
    stop: watch::Sender<bool>,
    tasks: Vec<JoinHandle<()>>,
}

impl Swarm {
    /// Starts `count` slow clients against `address`, each sending a little every `interval`. With
    /// `reconnect`, a client the gateway closes connects again at once, as a real attacker's would.
    pub fn start(
        address: SocketAddr,
        count: usize,
        drag: Drag,
        interval: Duration,
        reconnect: bool,
    ) -> Swarm {
        let counts = Arc::new(Counts::default());
        let (stop, stopped) = watch::channel(false);
        let tasks = (0..count)
            .map(|_| {
                let counts = Arc::clone(&counts);
                let stopped = stopped.clone();
                tokio::spawn(client(address, drag, interval, reconnect, counts, stopped))
            })
            .collect();
        Swarm {
            counts,
            stop,
            tasks,
        }
    }

    /// Connections open now.
    pub fn held(&self) -> usize {
        self.counts.held.load(Ordering::SeqCst)
    }

    /// Connections the gateway has closed so far.
    pub fn closed_by_gateway(&self) -> usize {
        self.counts.closed_by_gateway.load(Ordering::SeqCst)
    }

    /// Connections opened so far.
    pub fn opened(&self) -> usize {
        self.counts.opened.load(Ordering::SeqCst)
    }

    /// Waits until `count` clients are connected, or `timeout` passes; returns how many are.
    pub async fn wait_held(&self, count: usize, timeout: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.held() < count && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.held()
    }

    /// Waits until `count` connections have been opened in all, or `timeout` passes; returns how many were.
    pub async fn wait_opened(&self, count: usize, timeout: Duration) -> usize {
        let deadline = tokio::time::Instant::now() + timeout;
        while self.opened() < count && tokio::time::Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
        self.opened()
    }

    /// Stops every client and waits for them.
    pub async fn stop(mut self) {
        let _ = self.stop.send(true);
        for task in self.tasks.drain(..) {
            let _ = task.await;
        }
    }
}

impl Drop for Swarm {
    fn drop(&mut self) {
        let _ = self.stop.send(true);
        for task in &self.tasks {
            task.abort();
        }
    }
}

async fn client(
    address: SocketAddr,
    drag: Drag,
    interval: Duration,
    reconnect: bool,
    counts: Arc<Counts>,
    mut stopped: watch::Receiver<bool>,
) {
    let trickle: Vec<Vec<u8>> = match drag {
        Drag::RequestHead => std::iter::once(b"GET /sv/ HTTP/1.1\r\nHost: localhost\r\n".to_vec())
            .chain((0..10_000).map(|i| format!("X-Slow-{i}: a\r\n").into_bytes()))
            .collect(),
        Drag::TlsHandshake => super::raw::legacy_client_hello(0x0303)
            .into_iter()
            .map(|b| vec![b])
            .collect(),
        Drag::Silent => Vec::new(),
    };
    loop {
        if *stopped.borrow() {
            return;
        }
        let Ok(mut stream) = TcpStream::connect(address).await else {
            tokio::time::sleep(interval).await;
            continue;
        };
        counts.opened.fetch_add(1, Ordering::SeqCst);
        counts.held.fetch_add(1, Ordering::SeqCst);
        let mut closed = false;
        let mut buffer = [0u8; 1024];
        if trickle.is_empty() {
            tokio::select! {
                _ = stream.read(&mut buffer) => closed = true,
                _ = stopped.changed() => {}
            }
        }
        for piece in &trickle {
            if stream.write_all(piece).await.is_err() {
                closed = true;
                break;
            }
            tokio::select! {
                _ = tokio::time::sleep(interval) => {}
                read = stream.read(&mut buffer) => {
                    // Whatever the gateway says (a 408, an alert) or end of stream: it has let go.
                    let _ = read;
                    closed = true;
                    break;
                }
                _ = stopped.changed() => break,
            }
        }
        counts.held.fetch_sub(1, Ordering::SeqCst);
        if closed {
            counts.closed_by_gateway.fetch_add(1, Ordering::SeqCst);
        }
        if !closed || !reconnect {
            return;
        }
    }
}
