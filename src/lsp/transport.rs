//! LSP over standard input and output: `Content-Length` frames carrying
//! JSON-RPC, as `lsp_server::Connection` channels.
//!
//! lsp-server's own stdio transport ends its reader thread at the first
//! malformed frame, and the server with it. This one answers a frame that is
//! not JSON with a JSON-RPC parse error (`id: null`) and one that is JSON
//! but not a message with an invalid-request error, then reads on.

use crossbeam_channel::{Receiver, Sender, bounded};
use lsp_server::{Connection, ErrorCode, Message};
use serde_json::{Value, json};
use std::io::{self, BufRead, Read, Write};
use std::sync::{Arc, Mutex};
use std::thread;

/// Frames larger than this are skipped with an error, never buffered: the
/// same limit as a script read from a file.
pub const MAX_FRAME: usize = 64 << 20;

/// The writer thread: join it after the last message so every response is
/// flushed before the process exits.
pub struct Writer(thread::JoinHandle<io::Result<()>>);

impl Writer {
    pub fn join(self) -> io::Result<()> {
        self.0
            .join()
            .unwrap_or_else(|_| Err(io::Error::other("the LSP writer thread panicked")))
    }
}

/// A connection over the process's standard input and output.
pub fn stdio() -> (Connection, Writer) {
    let output: Arc<Mutex<Box<dyn Write + Send>>> = Arc::new(Mutex::new(Box::new(io::stdout())));
    let (to_client, outgoing) = bounded::<Message>(0);
    let writer_output = Arc::clone(&output);
    let writer = thread::Builder::new()
        .name("lsp-writer".into())
        .spawn(move || write_loop(outgoing, &writer_output))
        .expect("spawn the LSP writer thread");
    let (incoming, from_client) = bounded::<Message>(0);
    // Never joined: after `exit` it may sit in a read of standard input.
    thread::Builder::new()
        .name("lsp-reader".into())
        .spawn(move || read_loop(io::stdin().lock(), &incoming, &output))
        .expect("spawn the LSP reader thread");
    let connection = Connection {
        sender: to_client,
        receiver: from_client,
    };
    (connection, Writer(writer))
}

fn write_loop(
    outgoing: Receiver<Message>,
    output: &Mutex<Box<dyn Write + Send>>,
) -> io::Result<()> {
    for message in outgoing {
        let mut out = output.lock().unwrap_or_else(|e| e.into_inner());
        message.write(&mut *out)?;
    }
    Ok(())
}

/// Reads frames until end of input or an `exit` notification.
fn read_loop(
    mut input: impl BufRead,
    incoming: &Sender<Message>,
    output: &Mutex<Box<dyn Write + Send>>,
) {
    loop {
        let message = match read_frame(&mut input) {
            Ok(Frame::End) => return,
            Ok(Frame::Body(body)) => parse(&body),
            Ok(Frame::Malformed(why)) => Err(error(Value::Null, ErrorCode::ParseError, &why)),
            Err(_) => return,
        };
        match message {
            Ok(message) => {
                let exit = matches!(&message, Message::Notification(n) if n.method == "exit");
                if incoming.send(message).is_err() || exit {
                    return;
                }
            }
            Err(reply) => {
                let mut out = output.lock().unwrap_or_else(|e| e.into_inner());
                if write_raw(&mut *out, &reply).is_err() {
                    return;
                }
            }
        }
    }
}

enum Frame {
    End,
    Body(Vec<u8>),
    /// The frame was consumed but cannot be read: say why and go on.
    Malformed(String),
}

fn read_frame(input: &mut impl BufRead) -> io::Result<Frame> {
    let mut length = None;
    let mut saw_header = false;
    loop {
        let mut line = Vec::new();
        if input.take(8192).read_until(b'\n', &mut line)? == 0 {
            return Ok(Frame::End);
        }
        let line = String::from_utf8_lossy(&line);
        let line = line.trim_end_matches(['\r', '\n']);
        if line.is_empty() {
            if saw_header {
                break;
            }
            continue;
        }
        saw_header = true;
        if let Some((name, value)) = line.split_once(':')
            && name.trim().eq_ignore_ascii_case("content-length")
        {
            length = value.trim().parse::<usize>().ok();
            if length.is_none() {
                return Ok(Frame::Malformed(format!("bad Content-Length: {line:?}")));
            }
        }
    }
    let Some(length) = length else {
        return Ok(Frame::Malformed("a header without Content-Length".into()));
    };
    if length > MAX_FRAME {
        io::copy(&mut input.take(length as u64), &mut io::sink())?;
        return Ok(Frame::Malformed(format!(
            "a message of {length} bytes (the limit is {MAX_FRAME})"
        )));
    }
    let mut body = vec![0; length];
    input.read_exact(&mut body)?;
    Ok(Frame::Body(body))
}

/// A message, or the error response that answers a body that is not one.
fn parse(body: &[u8]) -> Result<Message, Value> {
    let value: Value = serde_json::from_slice(body).map_err(|e| {
        error(
            Value::Null,
            ErrorCode::ParseError,
            &format!("not JSON: {e}"),
        )
    })?;
    let id = match value.get("id") {
        Some(id @ (Value::Number(_) | Value::String(_))) => id.clone(),
        _ => Value::Null,
    };
    serde_json::from_value(value).map_err(|e| {
        error(
            id,
            ErrorCode::InvalidRequest,
            &format!("not a JSON-RPC request, response or notification: {e}"),
        )
    })
}

fn error(id: Value, code: ErrorCode, message: &str) -> Value {
    json!({"jsonrpc": "2.0", "id": id, "error": {"code": code as i32, "message": message}})
}

fn write_raw(out: &mut dyn Write, value: &Value) -> io::Result<()> {
    let text = value.to_string();
    write!(out, "Content-Length: {}\r\n\r\n{text}", text.len())?;
    out.flush()
}
