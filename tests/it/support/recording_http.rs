//! An HTTP/1.1 server on 127.0.0.1 that keeps every request it reads
//! (method, path, headers, body) and answers each with what `answer` says
//! for it — so tests see what zinit sent and script answers that change
//! over time. Over TLS too ([`super::tls`]), with the same request reader.

use super::serve;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

#[derive(Debug, Clone, Default)]
pub struct Request {
    pub method: String,
    pub path: String,
    /// Names in lower case, in the order received.
    pub headers: Vec<(String, String)>,
    pub body: Vec<u8>,
}

impl Request {
    /// Every value of the header `name` (lower case).
    pub fn header(&self, name: &str) -> Vec<&str> {
        self.headers
            .iter()
            .filter(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// An answer: status, extra header lines (`Location: /x`), body.
pub struct Answer {
    pub status: u16,
    pub headers: Vec<String>,
    pub body: String,
}

impl Answer {
    pub fn new(status: u16, body: impl Into<String>) -> Self {
        Answer {
            status,
            headers: Vec::new(),
            body: body.into(),
        }
    }

    pub fn redirect(status: u16, location: &str) -> Self {
        Answer {
            status,
            headers: vec![format!("location: {location}")],
            body: String::new(),
        }
    }
}

/// The requests a server has read, shared with its threads.
#[derive(Clone, Default)]
pub struct Log(Arc<Mutex<Vec<Request>>>);

impl Log {
    pub fn requests(&self) -> Vec<Request> {
        self.0.lock().unwrap().clone()
    }

    /// Records `request`; its number (0, 1, ...) among those read so far.
    pub fn push(&self, request: Request) -> usize {
        let mut all = self.0.lock().unwrap();
        all.push(request);
        all.len() - 1
    }
}

pub type Answerer = dyn Fn(usize, &Request) -> Answer + Send + Sync;

/// Plain HTTP, for `life`.
pub fn start(
    life: Duration,
    answer: impl Fn(usize, &Request) -> Answer + Send + Sync + 'static,
) -> (SocketAddr, Log) {
    let log = Log::default();
    let seen = log.clone();
    let answer: Arc<Answerer> = Arc::new(answer);
    let addr = serve(life, move |_, mut conn| {
        conn.set_read_timeout(Some(Duration::from_secs(3))).unwrap();
        exchange(&mut conn, &seen, &*answer);
    });
    (addr, log)
}

/// Reads one request from `conn`, records it and writes the answer.
pub fn exchange(conn: &mut (impl Read + Write), log: &Log, answer: &Answerer) {
    let Some(request) = read_request(conn) else {
        return;
    };
    let n = log.push(request.clone());
    let Answer {
        status,
        headers,
        body,
    } = answer(n, &request);
    let mut head = format!(
        "HTTP/1.1 {status} X\r\ncontent-length: {}\r\nconnection: close\r\n",
        body.len()
    );
    for line in headers {
        head.push_str(&line);
        head.push_str("\r\n");
    }
    head.push_str("\r\n");
    let _ = conn.write_all(head.as_bytes());
    if request.method != "HEAD" {
        let _ = conn.write_all(body.as_bytes());
    }
    let _ = conn.flush();
}

/// A request with a `content-length` body (zinit sends no chunked bodies).
fn read_request(conn: &mut impl Read) -> Option<Request> {
    let mut reader = BufReader::new(conn);
    let mut line = String::new();
    reader.read_line(&mut line).ok()?;
    let mut words = line.split_whitespace();
    let (method, path) = (words.next()?.to_string(), words.next()?.to_string());
    let mut headers = Vec::new();
    // Bounded: a request head has far fewer lines than this.
    for _ in 0..200 {
        let mut line = String::new();
        if reader.read_line(&mut line).ok()? == 0 {
            return None;
        }
        let line = line.trim_end();
        if line.is_empty() {
            break;
        }
        let (name, value) = line.split_once(':')?;
        headers.push((name.trim().to_ascii_lowercase(), value.trim().to_string()));
    }
    let length: usize = headers
        .iter()
        .find(|(n, _)| n == "content-length")
        .and_then(|(_, v)| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; length.min(1 << 20)];
    reader.read_exact(&mut body).ok()?;
    Some(Request {
        method,
        path,
        headers,
        body,
    })
}
