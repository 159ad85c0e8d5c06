//! A fake object store on 127.0.0.1 that promises an object of
//! `promised` bytes but sends only `sent` of them, then either stalls
//! (holds the connection until the client goes away) or hangs up. It lets
//! tests stop a download halfway, deterministically.

use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::time::{Duration, Instant};

#[derive(Clone, Copy)]
pub enum After {
    Stall,
    HangUp,
}

pub struct StallingServer {
    pub endpoint: String,
}

/// Serves connections for at most `lifetime`, each the same way.
pub fn start(promised: usize, sent: usize, after: After, lifetime: Duration) -> StallingServer {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind");
    let endpoint = format!("http://{}", listener.local_addr().expect("addr"));
    listener.set_nonblocking(true).expect("nonblocking");
    std::thread::spawn(move || {
        let deadline = Instant::now() + lifetime;
        while Instant::now() < deadline {
            match listener.accept() {
                Ok((stream, _)) => {
                    std::thread::spawn(move || serve(stream, promised, sent, after, deadline));
                }
                Err(_) => std::thread::sleep(Duration::from_millis(10)),
            }
        }
    });
    StallingServer { endpoint }
}

fn serve(mut stream: TcpStream, promised: usize, sent: usize, after: After, deadline: Instant) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(deadline.saturating_duration_since(Instant::now())));
    let mut request = Vec::new();
    let mut buf = [0u8; 1024];
    while !request.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut buf) {
            Ok(0) | Err(_) => return,
            Ok(n) => request.extend_from_slice(&buf[..n]),
        }
    }
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Length: {promised}\r\nETag: \"0123456789abcdef\"\r\n\
         Last-Modified: Wed, 21 Oct 2015 07:28:00 GMT\r\n\r\n"
    );
    let _ = stream.write_all(head.as_bytes());
    let _ = stream.write_all(&vec![b'x'; sent]);
    let _ = stream.flush();
    if let After::Stall = after {
        // Returns when the client drops the connection (or at the deadline).
        let _ = stream.read(&mut buf);
    }
}
