//! `/metrics`, `/healthz` and `/readyz` over a deliberately tiny HTTP/1.1
//! responder: three fixed GET routes do not justify a web framework's build time.

use prometheus::{Encoder, IntGauge, Registry, TextEncoder};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::{TcpListener, TcpStream};

/// Serves until the task is dropped or aborted.
pub async fn serve(listener: TcpListener, registry: Registry, ready: IntGauge) {
    loop {
        let Ok((stream, _)) = listener.accept().await else {
            continue;
        };
        let registry = registry.clone();
        let ready = ready.clone();
        tokio::spawn(async move {
            let _ = respond(stream, &registry, &ready).await;
        });
    }
}

async fn respond(
    mut stream: TcpStream,
    registry: &Registry,
    ready: &IntGauge,
) -> std::io::Result<()> {
    // The request line is all we need; cap what we read so a client cannot
    // make us buffer without bound.
    let mut buf = vec![0u8; 4096];
    let mut len = 0;
    let request_line = loop {
        let n = tokio::time::timeout(
            std::time::Duration::from_secs(5),
            stream.read(&mut buf[len..]),
        )
        .await
        .map_err(|_| std::io::Error::from(std::io::ErrorKind::TimedOut))??;
        if n == 0 {
            return Ok(());
        }
        len += n;
        if let Some(end) = buf[..len].windows(2).position(|w| w == b"\r\n") {
            break String::from_utf8_lossy(&buf[..end]).into_owned();
        }
        if len == buf.len() {
            return write(&mut stream, "414 URI Too Long", "text/plain", b"too long\n").await;
        }
    };
    let mut parts = request_line.split_whitespace();
    let (method, path) = (parts.next().unwrap_or(""), parts.next().unwrap_or(""));
    let path = path.split('?').next().unwrap_or("");
    if method != "GET" && method != "HEAD" {
        return write(
            &mut stream,
            "405 Method Not Allowed",
            "text/plain",
            b"GET only\n",
        )
        .await;
    }
    match path {
        "/metrics" => {
            let mut body = Vec::new();
            let encoder = TextEncoder::new();
            if encoder.encode(&registry.gather(), &mut body).is_err() {
                return write(
                    &mut stream,
                    "500 Internal Server Error",
                    "text/plain",
                    b"encoding failed\n",
                )
                .await;
            }
            write(&mut stream, "200 OK", encoder.format_type(), &body).await
        }
        "/healthz" => write(&mut stream, "200 OK", "text/plain", b"ok\n").await,
        "/readyz" if ready.get() == 1 => {
            write(&mut stream, "200 OK", "text/plain", b"ready\n").await
        }
        "/readyz" => {
            write(
                &mut stream,
                "503 Service Unavailable",
                "text/plain",
                b"not ready\n",
            )
            .await
        }
        _ => write(&mut stream, "404 Not Found", "text/plain", b"not found\n").await,
    }
}

async fn write(
    stream: &mut TcpStream,
    status: &str,
    content_type: &str,
    body: &[u8],
) -> std::io::Result<()> {
    let head = format!(
        "HTTP/1.1 {status}\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).await?;
    stream.write_all(body).await?;
    stream.shutdown().await
}
