//! One TCP connection attempt, shared by `wait tcp` on the event loop
//! ([`super::tcp`]) and the address watcher thread ([`super::watch`]).

use socket2::{Domain, Protocol, Socket, Type};
use std::net::SocketAddr;
use std::time::Duration;
use tokio::net::TcpStream;

/// One connection attempt gives up after this, so a dropped SYN (a firewall,
/// a host not up yet) delays the next check instead of stalling the step.
pub const CONNECT_TIMEOUT: Duration = Duration::from_secs(2);

/// Why a connection attempt failed.
#[derive(Debug)]
pub struct ConnectError {
    pub text: String,
    /// The host answered that nothing listens (the only proof of `closed`).
    pub refused: bool,
}

impl std::fmt::Display for ConnectError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text)
    }
}

impl From<ConnectError> for String {
    fn from(e: ConnectError) -> String {
        e.text
    }
}

/// A connected stream to `host:port` for the protocol waits: the name
/// through [`crate::run::lookup`], then each address in turn, as
/// `TcpStream::connect` would. The error is the reason in words.
pub async fn stream(host: &str, port: u16) -> Result<TcpStream, String> {
    let mut last = None;
    for addr in crate::run::lookup::lookup(host, port).await? {
        match TcpStream::connect(addr).await {
            Ok(stream) => return Ok(stream),
            Err(e) => last = Some(e),
        }
    }
    Err(last.map_or_else(|| "no address".to_string(), |e| io_reason(&e)))
}

/// One connection attempt, closed at once. Loopback connections (the
/// common case in containers and tests) are settled inside `connect(2)`, so
/// the answer is read right away without registering with the event loop:
/// a check costs a handful of system calls.
pub async fn connect(addr: SocketAddr, limit: Duration) -> Result<(), ConnectError> {
    let fail = |e: std::io::Error| ConnectError {
        text: format!("{addr}: {}", io_reason(&e)),
        refused: e.kind() == std::io::ErrorKind::ConnectionRefused,
    };
    let socket = Socket::new(
        Domain::for_address(addr),
        Type::STREAM.nonblocking(),
        Some(Protocol::TCP),
    )
    .map_err(|e| {
        if crate::run::process::files::is_out_of_files(&e) {
            crate::run::process::files::tell_out_of_files_once();
        }
        fail(e)
    })?;
    match socket.connect(&addr.into()) {
        Ok(()) => return Ok(()),
        Err(e) if e.raw_os_error() == Some(nix::errno::Errno::EINPROGRESS as i32) => {}
        Err(e) => return Err(fail(e)),
    }
    if let Some(settled) = settled(&socket) {
        return settled.map_err(fail);
    }
    let stream = TcpStream::from_std(socket.into()).map_err(fail)?;
    match tokio::time::timeout(limit, stream.writable()).await {
        Ok(Ok(())) => match stream.take_error() {
            Ok(Some(e)) | Err(e) => Err(fail(e)),
            Ok(None) => Ok(()),
        },
        Ok(Err(e)) => Err(fail(e)),
        Err(_) => Err(ConnectError {
            text: format!(
                "{addr}: no answer within {}",
                crate::run::fmt::duration(limit)
            ),
            refused: false,
        }),
    }
}

/// The outcome of a connect in progress, if already known: an error, or a peer.
pub(super) fn settled(socket: &Socket) -> Option<std::io::Result<()>> {
    match socket.take_error() {
        Ok(Some(e)) | Err(e) => Some(Err(e)),
        Ok(None) if socket.peer_addr().is_ok() => Some(Ok(())),
        Ok(None) => None,
    }
}

/// `connection refused` rather than `Connection refused (os error 111)`.
pub fn io_reason(e: &std::io::Error) -> String {
    use std::io::ErrorKind::*;
    if crate::run::process::files::is_out_of_files(e) {
        return crate::run::process::files::out_of_files();
    }
    match e.kind() {
        ConnectionRefused => "connection refused".into(),
        ConnectionReset => "connection reset".into(),
        TimedOut => "timed out".into(),
        HostUnreachable => "host unreachable".into(),
        NetworkUnreachable => "network unreachable".into(),
        _ => e.to_string(),
    }
}
