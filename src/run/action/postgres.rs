//! `wait postgres TARGET`. Without a user: one startup packet, read as
//! pg_isready reads it — SQLSTATE 57P03 (`cannot_connect_now`: starting up,
//! shutting down, in recovery) is not ready; any other answer, an
//! authentication request or another error, is a server that accepts
//! connections. With a user: log in (tokio-postgres) and `SELECT 1`.

use super::connect::io_reason;
use super::login_or_probe::{self, Asking};
use super::{Attempt, AttemptCtx, Probe};
use crate::values::ServiceTarget;
use std::time::Duration;
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// One check (connect, startup packet, answer) gives up after this.
pub const CHECK_LIMIT: Duration = Duration::from_secs(5);
const CANNOT_CONNECT_NOW: &str = "57P03";

pub async fn wait(ctx: &AttemptCtx<'_>, target: &ServiceTarget) -> Attempt {
    if let Some(refused) =
        login_or_probe::login_not_built(cfg!(feature = "postgres-login"), "postgres-login", target)
    {
        return refused;
    }
    let asking = Asking {
        limit: CHECK_LIMIT,
        pending: "the server has not answered yet",
        probe: startup,
        login,
    };
    login_or_probe::wait(ctx, target, asking).await
}

/// pg_isready's question: does the server accept connections?
async fn startup(target: &ServiceTarget) -> Probe {
    let address = &target.address;
    let mut stream = match super::connect::stream(&address.host, address.port).await {
        Ok(stream) => stream,
        Err(why) => return Probe::not_yet(format!("{address}: {why}")),
    };
    let _ = stream.set_nodelay(true);
    if let Err(e) = stream.write_all(&startup_packet(target)).await {
        return Probe::not_yet(format!("{address}: {}", io_reason(&e)));
    }
    let mut header = [0u8; 5];
    if let Err(e) = stream.read_exact(&mut header).await {
        return Probe::not_yet(format!(
            "{address}: closed before answering ({})",
            io_reason(&e)
        ));
    }
    let length = u32::from_be_bytes([header[1], header[2], header[3], header[4]]) as usize;
    match header[0] {
        // An authentication request or a protocol negotiation: a server
        // that takes connections.
        b'R' | b'v' => Probe::Ready,
        b'E' => {
            // Error fields are short; a bounded read keeps a hostile peer cheap.
            let mut body = vec![0u8; length.saturating_sub(4).min(8192)];
            let _ = stream.read_exact(&mut body).await;
            let error = ErrorFields::parse(&body);
            if error.code.as_deref() == Some(CANNOT_CONNECT_NOW) {
                Probe::answered(
                    error
                        .message
                        .unwrap_or_else(|| "cannot accept connections now".into()),
                )
            } else {
                // Like pg_isready: a server that says "no such role" or
                // "too many connections" is up.
                Probe::Ready
            }
        }
        other => Probe::answered(format!(
            "{address}: answered a startup packet with {:?}, not as PostgreSQL does",
            other as char
        )),
    }
}

/// Protocol 3.0 startup message: user (and database, if named).
fn startup_packet(target: &ServiceTarget) -> Vec<u8> {
    let mut body = Vec::with_capacity(64);
    body.extend_from_slice(&196_608u32.to_be_bytes());
    let user = target.user.as_deref().unwrap_or("postgres");
    for (key, value) in [
        ("user", Some(user)),
        ("database", target.database.as_deref()),
    ] {
        if let Some(value) = value {
            body.extend_from_slice(key.as_bytes());
            body.push(0);
            body.extend_from_slice(value.as_bytes());
            body.push(0);
        }
    }
    body.push(0);
    let mut packet = ((body.len() + 4) as u32).to_be_bytes().to_vec();
    packet.extend_from_slice(&body);
    packet
}

/// The fields of an ErrorResponse that matter here.
#[derive(Debug, Default, PartialEq)]
struct ErrorFields {
    code: Option<String>,
    message: Option<String>,
}

impl ErrorFields {
    fn parse(body: &[u8]) -> Self {
        let mut fields = ErrorFields::default();
        for field in body.split(|b| *b == 0).filter(|f| !f.is_empty()) {
            let value = String::from_utf8_lossy(&field[1..]).into_owned();
            match field[0] {
                b'C' => fields.code = Some(value),
                b'M' => fields.message = Some(value),
                _ => {}
            }
        }
        fields
    }
}

#[cfg(feature = "postgres-login")]
async fn login(target: &ServiceTarget) -> Probe {
    let address = &target.address;
    // The name through zinit's resolver (not tokio-postgres's getaddrinfo):
    // one host/hostaddr pair per address, tried in order.
    let addrs = match crate::run::lookup::lookup(&address.host, address.port).await {
        Ok(addrs) => addrs,
        Err(why) => return Probe::not_yet(format!("{address}: {why}")),
    };
    let mut config = tokio_postgres::Config::new();
    for addr in &addrs {
        config.host(&address.host).hostaddr(addr.ip());
    }
    config
        .port(address.port)
        .user(target.user.as_deref().unwrap_or_default())
        .connect_timeout(CHECK_LIMIT);
    if let Some(password) = &target.password {
        config.password(password);
    }
    if let Some(database) = &target.database {
        config.dbname(database);
    }
    let (client, connection) = match config.connect(tokio_postgres::NoTls).await {
        Ok(pair) => pair,
        Err(e) => return not_ready(&e),
    };
    // The connection ends when the client is dropped, at the end of this check.
    let connection = tokio::spawn(connection);
    let answer = client.simple_query("SELECT 1").await;
    drop(client);
    let _ = connection.await;
    match answer {
        Ok(_) => Probe::Ready,
        Err(e) => not_ready(&e),
    }
}

#[cfg(feature = "postgres-login")]
fn not_ready(e: &tokio_postgres::Error) -> Probe {
    match e.as_db_error() {
        Some(db) => Probe::answered(db.message().to_string()),
        None => Probe::not_yet(e.to_string()),
    }
}

/// Never asked: [`login_or_probe::login_not_built`] fails the step first.
#[cfg(not(feature = "postgres-login"))]
async fn login(_target: &ServiceTarget) -> Probe {
    Probe::not_yet("this zinit was built without the `postgres-login` feature, so it cannot log in")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_error_response_gives_its_code_and_message() {
        let body = b"SFATAL\0C57P03\0Mthe database system is starting up\0\0";
        assert_eq!(
            ErrorFields::parse(body),
            ErrorFields {
                code: Some("57P03".into()),
                message: Some("the database system is starting up".into()),
            }
        );
    }

    #[test]
    fn the_startup_packet_names_the_user_and_database() {
        let target = crate::values::parse_service_target(
            crate::values::Service::Postgres,
            "postgres://app@db/shop",
        )
        .expect("valid");
        let packet = startup_packet(&target);
        assert_eq!(
            u32::from_be_bytes(packet[..4].try_into().unwrap()) as usize,
            packet.len()
        );
        assert_eq!(&packet[4..8], &196_608u32.to_be_bytes());
        assert_eq!(&packet[8..], b"user\0app\0database\0shop\0\0");
    }
}
