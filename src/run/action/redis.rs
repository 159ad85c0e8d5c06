//! `wait redis TARGET`: `PING` answers `PONG`. A reply such as `-LOADING`,
//! `-BUSY` or `-NOAUTH` is a server that is not ready, and is what a
//! timeout names. With a password the probe sends `AUTH` first, in the same
//! write; RESP needs no client library for two commands.

use super::connect::io_reason;
use super::{Attempt, AttemptCtx, Check, Probe, answered_within, poll_until};
use crate::values::ServiceTarget;
use std::time::Duration;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;

/// One check (connect, commands, replies) gives up after this.
pub const CHECK_LIMIT: Duration = Duration::from_secs(5);
/// Longer replies are cut: a reply line is all the message needs.
const MAX_LINE: u64 = 1024;

pub async fn wait(ctx: &AttemptCtx<'_>, target: &ServiceTarget) -> Attempt {
    let request = request(target);
    poll_until(ctx, &mut RedisCheck { target, request }).await
}

struct RedisCheck<'a> {
    target: &'a ServiceTarget,
    request: Vec<u8>,
}

impl Check for RedisCheck<'_> {
    async fn check(&mut self, _ctx: &AttemptCtx<'_>, budget: Duration) -> Probe {
        let limit = CHECK_LIMIT.min(budget);
        answered_within(&self.target.address, limit, self.ping()).await
    }

    fn pending(&self) -> &'static str {
        "the server has not answered yet"
    }
}

impl RedisCheck<'_> {
    async fn ping(&self) -> Probe {
        let address = &self.target.address;
        let stream = match super::connect::stream(&address.host, address.port).await {
            Ok(stream) => stream,
            Err(why) => return Probe::not_yet(format!("{address}: {why}")),
        };
        let _ = stream.set_nodelay(true);
        let mut stream = BufReader::new(stream);
        if let Err(e) = stream.get_mut().write_all(&self.request).await {
            return Probe::not_yet(format!("{address}: {}", io_reason(&e)));
        }
        if self.target.password.is_some() {
            match reply(&mut stream).await {
                Ok(line) if line == "+OK" => {}
                Ok(line) => return answered(line),
                Err(why) => return Probe::not_yet(format!("{address}: {why}")),
            }
        }
        match reply(&mut stream).await {
            Ok(line) if line == "+PONG" => Probe::Ready,
            Ok(line) => answered(line),
            Err(why) => Probe::not_yet(format!("{address}: {why}")),
        }
    }
}

/// A reply that is not the one hoped for: `-LOADING Redis is loading ...`
/// is shown as `LOADING Redis is loading ...`.
fn answered(line: String) -> Probe {
    let why = match line.strip_prefix('-') {
        Some(error) => error.to_string(),
        None => format!("answered {line:?}"),
    };
    Probe::answered(why)
}

/// `AUTH [user] password` (if any) and `PING`, as RESP arrays.
fn request(target: &ServiceTarget) -> Vec<u8> {
    let mut out = Vec::new();
    if let Some(password) = &target.password {
        let mut auth = vec!["AUTH"];
        auth.extend(target.user.as_deref());
        auth.push(password);
        command(&mut out, &auth);
    }
    command(&mut out, &["PING"]);
    out
}

fn command(out: &mut Vec<u8>, args: &[&str]) {
    out.extend_from_slice(format!("*{}\r\n", args.len()).as_bytes());
    for arg in args {
        out.extend_from_slice(format!("${}\r\n", arg.len()).as_bytes());
        out.extend_from_slice(arg.as_bytes());
        out.extend_from_slice(b"\r\n");
    }
}

/// One reply line without its `\r\n`.
async fn reply(stream: &mut BufReader<TcpStream>) -> Result<String, String> {
    let mut line = Vec::new();
    let mut limited = (&mut *stream).take(MAX_LINE);
    match limited.read_until(b'\n', &mut line).await {
        Ok(0) => Err("closed the connection without answering".into()),
        Ok(_) => {
            let text = String::from_utf8_lossy(&line);
            Ok(text.trim_end_matches(['\r', '\n']).to_string())
        }
        Err(e) => Err(io_reason(&e)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn auth_goes_before_ping_with_the_acl_user_when_named() {
        let target = crate::values::parse_service_target(
            crate::values::Service::Redis,
            "redis://app:s3cret@cache:6379",
        )
        .expect("valid");
        assert_eq!(
            request(&target),
            b"*3\r\n$4\r\nAUTH\r\n$3\r\napp\r\n$6\r\ns3cret\r\n*1\r\n$4\r\nPING\r\n"
        );
    }

    #[test]
    fn an_error_reply_is_shown_without_its_dash() {
        match answered("-LOADING Redis is loading the dataset in memory".into()) {
            Probe::NotYet { why, .. } => {
                assert_eq!(why, "LOADING Redis is loading the dataset in memory")
            }
            Probe::Ready => panic!("not ready"),
        }
    }
}
