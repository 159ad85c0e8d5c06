//! `wait mysql TARGET`. Without a user: the server's first packet, read as
//! a greeting — a protocol-10 handshake is a server that takes connections;
//! an error packet ("Too many connections", "Host … is blocked", a server
//! shutting down) is not, and its message is what a timeout names. With a
//! user: log in (mysql_async) and `SELECT 1`.

use super::connect::io_reason;
use super::login_or_probe::{self, Asking};
use super::{Attempt, AttemptCtx, Probe};
use crate::values::ServiceTarget;
use std::time::Duration;
use tokio::io::AsyncReadExt;

/// One check (connect, greeting or login, answer) gives up after this.
pub const CHECK_LIMIT: Duration = Duration::from_secs(5);
/// The greeting's first byte: protocol version 10 (every MySQL since 3.21, MariaDB).
const HANDSHAKE_V10: u8 = 0x0a;
const ERROR_PACKET: u8 = 0xff;
/// A greeting or an error is well under this; a bounded read keeps a hostile peer cheap.
const MAX_PACKET: usize = 4096;

pub async fn wait(ctx: &AttemptCtx<'_>, target: &ServiceTarget) -> Attempt {
    if let Some(refused) = login_or_probe::login_not_built(cfg!(feature = "mysql"), "mysql", target)
    {
        return refused;
    }
    let asking = Asking {
        limit: CHECK_LIMIT,
        pending: "the server has not sent its greeting yet",
        probe: greeting,
        login,
    };
    login_or_probe::wait(ctx, target, asking).await
}

/// The server speaks first: its greeting or an error, then nothing until
/// the client answers. The connection is closed right after.
async fn greeting(target: &ServiceTarget) -> Probe {
    let address = &target.address;
    let mut stream = match super::connect::stream(&address.host, address.port).await {
        Ok(stream) => stream,
        Err(reason) => return Probe::not_yet(format!("{address}: {reason}")),
    };
    let mut header = [0u8; 4];
    if let Err(e) = stream.read_exact(&mut header).await {
        return Probe::not_yet(format!(
            "{address}: closed before its greeting ({})",
            io_reason(&e)
        ));
    }
    let length = u32::from_le_bytes([header[0], header[1], header[2], 0]) as usize;
    let mut payload = vec![0u8; length.min(MAX_PACKET)];
    if let Err(e) = stream.read_exact(&mut payload).await {
        return Probe::not_yet(format!(
            "{address}: closed in its greeting ({})",
            io_reason(&e)
        ));
    }
    read_greeting(&payload).unwrap_or_else(|why| Probe::answered(format!("{address}: {why}")))
}

/// Ready for a handshake; the server's own words for an error packet.
fn read_greeting(payload: &[u8]) -> Result<Probe, String> {
    match payload.first() {
        Some(&HANDSHAKE_V10) => Ok(Probe::Ready),
        Some(&ERROR_PACKET) => Err(error_packet(payload)),
        Some(other) => Err(format!(
            "answered with a packet of type {other:#04x}, not a MySQL greeting"
        )),
        None => Err("sent an empty packet, not a MySQL greeting".into()),
    }
}

/// `ERROR 1040: Too many connections`. An error sent before the handshake
/// has no SQL state; one after it has `#` and five characters first.
fn error_packet(payload: &[u8]) -> String {
    let code = match payload.get(1..3) {
        Some(code) => u16::from_le_bytes([code[0], code[1]]),
        None => return "sent a truncated error packet".into(),
    };
    let mut message = &payload[3..];
    if message.first() == Some(&b'#') && message.len() >= 6 {
        message = &message[6..];
    }
    format!("ERROR {code}: {}", String::from_utf8_lossy(message).trim())
}

#[cfg(feature = "mysql")]
async fn login(target: &ServiceTarget) -> Probe {
    use mysql_async::prelude::Queryable;
    let options = mysql_async::OptsBuilder::default()
        .ip_or_hostname(target.address.host.clone())
        .tcp_port(target.address.port)
        .user(target.user.clone())
        .pass(target.password.clone())
        .db_name(target.database.clone())
        // Stay on the address given: no switch to the server's Unix socket.
        .prefer_socket(false);
    let mut conn = match mysql_async::Conn::new(options).await {
        Ok(conn) => conn,
        Err(e) => return not_ready(&e),
    };
    let answer: Result<Option<u8>, _> = conn.query_first("SELECT 1").await;
    let _ = conn.disconnect().await;
    match answer {
        Ok(Some(1)) => Probe::Ready,
        Ok(other) => Probe::answered(format!("`SELECT 1` answered {other:?}")),
        Err(e) => not_ready(&e),
    }
}

/// The server's message when it answered ("Access denied for user …"),
/// else what stopped the connection.
#[cfg(feature = "mysql")]
fn not_ready(e: &mysql_async::Error) -> Probe {
    match e {
        mysql_async::Error::Server(server) => {
            Probe::answered(format!("ERROR {}: {}", server.code, server.message))
        }
        mysql_async::Error::Io(mysql_async::IoError::Io(io)) => Probe::not_yet(io_reason(io)),
        other => Probe::not_yet(other.to_string()),
    }
}

/// Never asked: [`login_or_probe::login_not_built`] fails the step first.
#[cfg(not(feature = "mysql"))]
async fn login(_target: &ServiceTarget) -> Probe {
    Probe::not_yet("this zinit was built without the `mysql` feature, so it cannot log in")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_handshake_is_ready_and_an_error_packet_names_itself() {
        assert!(matches!(
            read_greeting(b"\x0a5.5.5-10.11"),
            Ok(Probe::Ready)
        ));
        // Sent before the handshake: no SQL state.
        let early = b"\xff\x10\x04Too many connections";
        assert_eq!(
            read_greeting(early).err().as_deref(),
            Some("ERROR 1040: Too many connections")
        );
        let late = b"\xff\x15\x04#28000Access denied for user 'x'";
        assert_eq!(error_packet(late), "ERROR 1045: Access denied for user 'x'");
        assert!(read_greeting(b"HTTP/1.1").is_err());
        assert!(read_greeting(b"").is_err());
        assert_eq!(error_packet(b"\xff\x01"), "sent a truncated error packet");
    }
}
