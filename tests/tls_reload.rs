//! SIGHUP reloads the certificate: new connections get the new one, an open connection goes on, and a broken
//! file leaves the working certificate in place.

#![allow(clippy::unwrap_used, clippy::expect_used)]

mod common;

use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use common::Gateway;
use http_body_util::{BodyExt, Full};
use hyper::{Request, StatusCode};
use hyper_util::rt::TokioIo;
use rustls::pki_types::{CertificateDer, ServerName};

fn certificate() -> (String, String, CertificateDer<'static>) {
    let made = rcgen::generate_simple_self_signed(vec!["localhost".to_string()]).expect("cert");
    (
        made.cert.pem(),
        made.signing_key.serialize_pem(),
        made.cert.der().clone(),
    )
}

fn client(roots: &[&CertificateDer<'static>]) -> Arc<rustls::ClientConfig> {
    let mut store = rustls::RootCertStore::empty();
    for root in roots {
        store.add((*root).clone()).expect("root");
    }
    let provider = Arc::new(rustls::crypto::ring::default_provider());
    Arc::new(
        rustls::ClientConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .expect("versions")
            .with_root_certificates(store)
            .with_no_client_auth(),
    )
}

async fn connect(
    gateway: &Gateway,
    tls: &Arc<rustls::ClientConfig>,
) -> tokio_rustls::client::TlsStream<tokio::net::TcpStream> {
    let tcp = tokio::net::TcpStream::connect(gateway.https)
        .await
        .expect("connect");
    tokio_rustls::TlsConnector::from(Arc::clone(tls))
        .connect(ServerName::try_from("localhost").expect("name"), tcp)
        .await
        .expect("handshake")
}

fn served_certificate(
    stream: &tokio_rustls::client::TlsStream<tokio::net::TcpStream>,
) -> CertificateDer<'static> {
    stream
        .get_ref()
        .1
        .peer_certificates()
        .expect("certificates")[0]
        .clone()
}

fn get() -> Request<Full<Bytes>> {
    Request::get("/sv/")
        .header("host", "localhost")
        .body(Full::new(Bytes::new()))
        .expect("request")
}

fn hang_up(gateway: &Gateway) {
    let status = std::process::Command::new("kill")
        .arg("-HUP")
        .arg(gateway.pid().to_string())
        .status()
        .expect("kill");
    assert!(status.success());
}

#[tokio::test]
async fn sighup_serves_the_new_certificate_without_dropping_open_connections() {
    let dir = tempfile::tempdir().expect("temp dir");
    let tls_dir = dir.path().join("data").join("dev-tls");
    std::fs::create_dir_all(&tls_dir).expect("dir");
    let (cert_path, key_path) = (tls_dir.join("cert.pem"), tls_dir.join("key.pem"));
    let (first_pem, first_key, first_der) = certificate();
    let (second_pem, second_key, second_der) = certificate();
    std::fs::write(&cert_path, &first_pem).expect("write");
    std::fs::write(&key_path, &first_key).expect("write");
    let gateway = Gateway::start_in(
        dir,
        &format!(
            "[https]\nlisten = \"127.0.0.1:0\"\ncert = \"{}\"\nkey = \"{}\"\n",
            cert_path.display(),
            key_path.display()
        ),
    );
    let tls = client(&[&first_der, &second_der]);

    // A keep-alive connection opened before the reload.
    let open = connect(&gateway, &tls).await;
    assert_eq!(served_certificate(&open), first_der);
    let (mut sender, connection) = hyper::client::conn::http1::handshake(TokioIo::new(open))
        .await
        .expect("HTTP handshake");
    tokio::spawn(connection);
    let response = sender.send_request(get()).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);
    response.into_body().collect().await.expect("body");

    std::fs::write(&cert_path, &second_pem).expect("write");
    std::fs::write(&key_path, &second_key).expect("write");
    hang_up(&gateway);
    let deadline = Instant::now() + Duration::from_secs(10);
    loop {
        let fresh = connect(&gateway, &tls).await;
        if served_certificate(&fresh) == second_der {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the new certificate is served after SIGHUP"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }

    // The connection from before the reload still answers.
    let response = sender.send_request(get()).await.expect("response");
    assert_eq!(response.status(), StatusCode::OK);

    // A broken file is refused and the working certificate stays.
    std::fs::write(&cert_path, "not a certificate").expect("write");
    hang_up(&gateway);
    let deadline = Instant::now() + Duration::from_secs(10);
    while !gateway.log_text().contains("TLS reload failed") {
        assert!(Instant::now() < deadline, "the failed reload is logged");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let fresh = connect(&gateway, &tls).await;
    assert_eq!(served_certificate(&fresh), second_der);
}
