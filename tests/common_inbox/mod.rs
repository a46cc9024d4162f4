//! Test harness for the internal side: development certificates and an age identity made by the real
//! `porten-inbox`, a gateway configured with them, the inbox as a real process, an mTLS client for the
//! internal API, and a TCP relay that can hold back what the inbox sends.

#![allow(dead_code, unreachable_pub, missing_docs)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use porten_inbox::client::{ClientTls, GatewayClient};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

use super::common::Gateway;

/// The `porten-inbox` binary, which cargo builds beside the gateway's for a workspace test run.
pub fn inbox_binary() -> PathBuf {
    let path = PathBuf::from(env!("CARGO_BIN_EXE_porten")).with_file_name("porten-inbox");
    assert!(
        path.exists(),
        "{} is missing: run these tests with `cargo test --workspace`, which builds it",
        path.display()
    );
    path
}

/// The internal side's files: certificates, identity, state, spool.
pub struct InboxSide {
    pub dir: tempfile::TempDir,
    pub recipient: String,
}

impl InboxSide {
    /// Runs `porten-inbox certs` and `porten-inbox keygen` as an operator would.
    pub fn prepare() -> InboxSide {
        let dir = tempfile::tempdir().expect("temp dir");
        let certs = Command::new(inbox_binary())
            .args(["certs", "--out"])
            .arg(dir.path().join("certs"))
            .output()
            .expect("run certs");
        assert!(
            certs.status.success(),
            "certs: {}",
            String::from_utf8_lossy(&certs.stderr)
        );
        let keygen = Command::new(inbox_binary())
            .args(["keygen", "--out"])
            .arg(dir.path().join("identity.txt"))
            .output()
            .expect("run keygen");
        assert!(
            keygen.status.success(),
            "keygen: {}",
            String::from_utf8_lossy(&keygen.stderr)
        );
        let stdout = String::from_utf8_lossy(&keygen.stdout).into_owned();
        let start = stdout
            .find("recipients = [\"")
            .expect("recipient line printed")
            + 15;
        let end = start + stdout[start..].find('"').expect("end of recipient");
        InboxSide {
            recipient: stdout[start..end].to_string(),
            dir,
        }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.path().join(name)
    }

    pub fn certs(&self, name: &str) -> PathBuf {
        self.path("certs").join(name)
    }

    pub fn spool(&self) -> PathBuf {
        self.path("spool")
    }

    pub fn state(&self) -> PathBuf {
        self.path("state")
    }

    pub fn audit_log(&self) -> PathBuf {
        self.state().join("audit.jsonl")
    }

    /// The gateway's extra configuration: seal to our recipient, serve the internal API on `port` to the
    /// inbox's certificate (its key pinned).
    pub fn gateway_config(&self, port: u16) -> String {
        format!(
            "[outbox]\nrecipients = [\"{recipient}\"]\n\n[internal_api]\nenabled = true\n\
             listen = \"127.0.0.1:{port}\"\ncert = \"{cert}\"\nkey = \"{key}\"\nclient_ca = \"{ca}\"\n\
             client_spki = [\"{pin}\"]\nmax_wait_secs = 30\n",
            recipient = self.recipient,
            cert = self.certs("gateway.pem").display(),
            key = self.certs("gateway-key.pem").display(),
            ca = self.certs("ca.pem").display(),
            pin = self.pin(),
        )
    }

    /// The pin of the inbox certificate's key, as `porten-inbox pin` prints it.
    pub fn pin(&self) -> String {
        porten_inbox::setup::pin_of(&self.certs("inbox.pem"))
            .expect("pin")
            .to_string()
    }

    /// The envelope id sealed inside a pulled envelope, read with the identity from `keygen` as the inbox
    /// reads it: what an ack must name.
    pub fn envelope_id(
        &self,
        envelope: &porten_protocol::wire::OutboxEnvelope,
    ) -> porten_protocol::envelope::EnvelopeId {
        let text = std::fs::read_to_string(self.path("identity.txt")).expect("identity");
        let identities = porten_inbox::open::parse_identity_file(&text).expect("parse identity");
        let sealed = envelope.sealed().expect("base64");
        porten_inbox::open::open_with_any(&sealed, &identities)
            .expect("opens")
            .envelope_id
    }

    /// Writes an inbox configuration that reaches the gateway on `port` and returns its path.
    pub fn write_inbox_config(&self, name: &str, port: u16, extra: &str) -> PathBuf {
        let path = self.path(name);
        // The desk on a port of the kernel's choice, so that inboxes of tests running side by side never meet.
        let desk = if extra.contains("[desk]") {
            ""
        } else {
            "[desk]\nlisten = \"127.0.0.1:0\"\n"
        };
        let text = format!(
            "gateway = \"https://localhost:{port}\"\ngateway_ca = \"{ca}\"\nclient_cert = \"{cert}\"\n\
             client_key = \"{key}\"\nidentity = \"{identity}\"\nstate_dir = \"{state}\"\n\
             spool_dir = \"{spool}\"\nwait_secs = 30\n{extra}\n{desk}[log]\nlevel = \"debug\"\n",
            ca = self.certs("ca.pem").display(),
            cert = self.certs("inbox.pem").display(),
            key = self.certs("inbox-key.pem").display(),
            identity = self.path("identity.txt").display(),
            state = self.state().display(),
            spool = self.spool().display(),
        );
        std::fs::write(&path, text).expect("write inbox config");
        path
    }

    /// A client of the internal API with the inbox's certificate.
    pub fn client(&self, port: u16) -> GatewayClient {
        porten_protocol::tls::install_provider();
        GatewayClient::new(
            &format!("https://localhost:{port}"),
            ClientTls {
                gateway_ca: &self.certs("ca.pem"),
                client_cert: &self.certs("inbox.pem"),
                client_key: &self.certs("inbox-key.pem"),
            },
        )
        .expect("client")
    }

    /// The delivered documents in the spool, by file name (dot-files being written are left out).
    pub fn spool_documents(&self) -> Vec<(PathBuf, serde_json::Value)> {
        let Ok(entries) = std::fs::read_dir(self.spool()) else {
            return Vec::new();
        };
        let mut documents: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| {
                let name = p.file_name().and_then(|n| n.to_str()).unwrap_or(".");
                !name.starts_with('.') && name.ends_with(".json")
            })
            .map(|p| {
                let json = serde_json::from_slice(&std::fs::read(&p).expect("read spool"))
                    .expect("spool file is JSON");
                (p, json)
            })
            .collect();
        documents.sort_by(|a, b| a.0.cmp(&b.0));
        documents
    }

    /// Waits until the spool holds `count` documents; panics with `context` after `timeout`.
    pub fn wait_for_spool(
        &self,
        count: usize,
        timeout: Duration,
        context: &str,
    ) -> Vec<(PathBuf, serde_json::Value)> {
        let deadline = Instant::now() + timeout;
        loop {
            let documents = self.spool_documents();
            if documents.len() >= count {
                return documents;
            }
            assert!(
                Instant::now() < deadline,
                "waited {timeout:?} for {count} spool files, found {}: {context}",
                documents.len()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    pub fn audit_lines(&self) -> Vec<serde_json::Value> {
        std::fs::read_to_string(self.audit_log())
            .unwrap_or_default()
            .lines()
            .map(|l| serde_json::from_str(l).expect("audit line is JSON"))
            .collect()
    }
}

/// A port that was free a moment ago (for a gateway that must come back on the same port).
pub fn free_port() -> u16 {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").expect("bind");
    listener.local_addr().expect("addr").port()
}

/// Starts a gateway whose internal API listens on `port` (0: any) and returns it with the port in use.
pub fn start_gateway(side: &InboxSide, port: u16) -> (Gateway, u16) {
    let gateway = Gateway::start(&side.gateway_config(port));
    let port = internal_port(&gateway);
    (gateway, port)
}

/// Restarts a stopped gateway on its data directory.
pub fn restart_gateway(dir: tempfile::TempDir, side: &InboxSide, port: u16) -> Gateway {
    let gateway = Gateway::start_in(dir, &side.gateway_config(port));
    internal_port(&gateway);
    gateway
}

/// The internal API's port, from the gateway's `listening` log line.
pub fn internal_port(gateway: &Gateway) -> u16 {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let log = gateway.log_text();
        let found = log
            .lines()
            .filter(|l| l.contains("listening") && l.contains("internal"))
            .rev()
            .filter_map(|l| l.split("address=").nth(1))
            .filter_map(|rest| rest.split_whitespace().next())
            .filter_map(|a| a.parse::<std::net::SocketAddr>().ok())
            .map(|a| a.port())
            .next();
        if let Some(port) = found {
            return port;
        }
        assert!(
            Instant::now() < deadline,
            "the gateway never logged its internal API address; log:\n{log}"
        );
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// A running `porten-inbox run`.
pub struct InboxProcess {
    child: Option<Child>,
    pub log: Arc<Mutex<String>>,
}

impl InboxProcess {
    pub fn start(config: &Path) -> InboxProcess {
        let mut child = Command::new(inbox_binary())
            .arg("run")
            .arg("--config")
            .arg(config)
            .env_remove("RUST_LOG")
            .stdout(Stdio::null())
            .stderr(Stdio::piped())
            .spawn()
            .expect("start porten-inbox");
        let stderr = child.stderr.take().expect("stderr");
        let log = Arc::new(Mutex::new(String::new()));
        {
            let log = Arc::clone(&log);
            std::thread::spawn(move || {
                for line in BufReader::new(stderr).lines() {
                    let Ok(line) = line else { break };
                    let mut log = log.lock().expect("log");
                    log.push_str(&line);
                    log.push('\n');
                }
            });
        }
        InboxProcess {
            child: Some(child),
            log,
        }
    }

    pub fn log_text(&self) -> String {
        self.log.lock().expect("log").clone()
    }

    /// Waits until the log contains `needle`.
    pub fn wait_for_log(&self, needle: &str, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        while !self.log_text().contains(needle) {
            assert!(
                Instant::now() < deadline,
                "porten-inbox never logged {needle:?}; log:\n{}",
                self.log_text()
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    /// SIGKILL: no chance to finish anything.
    pub fn kill(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }

    /// SIGTERM, then wait for a clean exit.
    pub fn terminate(&mut self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.take()?;
        let _ = Command::new("kill")
            .arg("-TERM")
            .arg(child.id().to_string())
            .status();
        let deadline = Instant::now() + Duration::from_secs(10);
        while Instant::now() < deadline {
            if let Ok(Some(status)) = child.try_wait() {
                return Some(status);
            }
            std::thread::sleep(Duration::from_millis(50));
        }
        let _ = child.kill();
        child.wait().ok()
    }
}

impl Drop for InboxProcess {
    fn drop(&mut self) {
        self.kill();
    }
}

/// Runs `porten-inbox` with `args`, feeding `stdin`.
pub fn inbox_command(args: &[&str], config: Option<&Path>, stdin: &str) -> std::process::Output {
    let mut command = Command::new(inbox_binary());
    command.args(args);
    if let Some(config) = config {
        command.arg("--config").arg(config);
    }
    let mut child = command
        .env_remove("RUST_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run porten-inbox");
    {
        use std::io::Write;
        let mut input = child.stdin.take().expect("stdin");
        input.write_all(stdin.as_bytes()).expect("write stdin");
    }
    child.wait_with_output().expect("porten-inbox output")
}

/// A metric's value from the gateway's Prometheus text.
pub fn metric(text: &str, name: &str) -> u64 {
    text.lines()
        .find_map(|l| l.strip_prefix(name).and_then(|rest| rest.strip_prefix(' ')))
        .and_then(|v| v.trim().parse().ok())
        .unwrap_or_else(|| panic!("no metric {name} in:\n{text}"))
}

/// A TCP relay between the inbox and the gateway that can hold back everything the inbox sends.
pub struct Relay {
    pub port: u16,
    /// While true, bytes from the inbox are read but not passed on.
    pub hold_upstream: Arc<AtomicBool>,
    /// Bytes passed from the inbox to the gateway so far.
    pub upstream_bytes: Arc<AtomicU64>,
}

impl Relay {
    pub async fn start(target_port: u16) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind relay");
        let port = listener.local_addr().expect("addr").port();
        let hold = Arc::new(AtomicBool::new(false));
        let bytes = Arc::new(AtomicU64::new(0));
        let (hold_task, bytes_task) = (Arc::clone(&hold), Arc::clone(&bytes));
        tokio::spawn(async move {
            while let Ok((inbound, _)) = listener.accept().await {
                let Ok(outbound) = tokio::net::TcpStream::connect(("127.0.0.1", target_port)).await
                else {
                    continue;
                };
                let (in_read, in_write) = inbound.into_split();
                let (out_read, out_write) = outbound.into_split();
                tokio::spawn(pump(
                    in_read,
                    out_write,
                    Some((Arc::clone(&hold_task), Arc::clone(&bytes_task))),
                ));
                tokio::spawn(pump(out_read, in_write, None));
            }
        });
        Relay {
            port,
            hold_upstream: hold,
            upstream_bytes: bytes,
        }
    }

    /// Waits until the inbox has sent something and then gone quiet (its pull is waiting at the gateway).
    pub async fn wait_until_quiet(&self) {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let before = self.upstream_bytes.load(Ordering::SeqCst);
            tokio::time::sleep(Duration::from_millis(700)).await;
            let after = self.upstream_bytes.load(Ordering::SeqCst);
            if after > 0 && after == before {
                return;
            }
            assert!(
                Instant::now() < deadline,
                "the inbox never connected through the relay"
            );
        }
    }
}

async fn pump(
    mut from: tokio::net::tcp::OwnedReadHalf,
    mut to: tokio::net::tcp::OwnedWriteHalf,
    gate: Option<(Arc<AtomicBool>, Arc<AtomicU64>)>,
) {
    let mut buffer = vec![0u8; 16 * 1024];
    loop {
        let n = match from.read(&mut buffer).await {
            Ok(0) | Err(_) => break,
            Ok(n) => n,
        };
        if let Some((hold, count)) = &gate {
            while hold.load(Ordering::SeqCst) {
                tokio::time::sleep(Duration::from_millis(20)).await;
            }
            count.fetch_add(n as u64, Ordering::SeqCst);
        }
        if to.write_all(&buffer[..n]).await.is_err() {
            break;
        }
    }
    let _ = to.shutdown().await;
}
