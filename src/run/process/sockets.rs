//! Linux `/proc/net/tcp{,6}` and `/proc/PID/fd`: which listening sockets
//! hold a port, and which processes hold a socket. For `wait tcp ... by
//! SERVICE`, which must tell the service's listener from a leftover one.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr};

/// `st` of a listening socket in `/proc/net/tcp`.
const LISTEN: &str = "0A";

/// One listening TCP socket.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Listener {
    pub ip: IpAddr,
    pub port: u16,
    pub inode: u64,
}

impl Listener {
    /// Whether a connection to `ip` on this port would reach this socket:
    /// bound to that address, or to the wildcard of its family (an IPv6
    /// wildcard also takes IPv4 unless the socket is v6-only, which
    /// `/proc` does not say, so it counts).
    pub fn serves(&self, ip: IpAddr) -> bool {
        let ip = canonical(ip);
        match canonical(self.ip) {
            own if own == ip => true,
            IpAddr::V4(own) => own.is_unspecified() && ip.is_ipv4(),
            IpAddr::V6(own) => own.is_unspecified(),
        }
    }
}

/// An IPv4-mapped IPv6 address as the IPv4 address it is.
fn canonical(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => v6.to_ipv4_mapped().map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

/// Every listening socket on `port` in this network namespace.
pub fn listeners(port: u16) -> Vec<Listener> {
    ["/proc/net/tcp", "/proc/net/tcp6"]
        .iter()
        .filter_map(|path| std::fs::read_to_string(path).ok())
        .flat_map(|table| parse_table(&table))
        .filter(|l| l.port == port)
        .collect()
}

/// The listening sockets of one `/proc/net/tcp{,6}` table.
pub fn parse_table(table: &str) -> Vec<Listener> {
    table.lines().skip(1).filter_map(parse_line).collect()
}

/// `sl local_address rem_address st ... uid timeout inode ...`
fn parse_line(line: &str) -> Option<Listener> {
    let fields: Vec<&str> = line.split_whitespace().collect();
    if fields.get(3) != Some(&LISTEN) {
        return None;
    }
    let (ip, port) = fields.get(1)?.split_once(':')?;
    Some(Listener {
        ip: parse_ip(ip)?,
        port: u16::from_str_radix(port, 16).ok()?,
        inode: fields.get(9)?.parse().ok()?,
    })
}

/// The kernel prints addresses as 32-bit words in host byte order.
fn parse_ip(hex: &str) -> Option<IpAddr> {
    let word = |i: usize| -> Option<[u8; 4]> {
        let w = u32::from_str_radix(hex.get(i * 8..i * 8 + 8)?, 16).ok()?;
        Some(w.to_ne_bytes())
    };
    match hex.len() {
        8 => Some(IpAddr::V4(Ipv4Addr::from(word(0)?))),
        32 => {
            let mut bytes = [0u8; 16];
            for i in 0..4 {
                bytes[i * 4..i * 4 + 4].copy_from_slice(&word(i)?);
            }
            Some(IpAddr::V6(Ipv6Addr::from(bytes)))
        }
        _ => None,
    }
}

/// Whether process `pid` has socket `inode` open.
pub fn holds(pid: i32, inode: u64) -> bool {
    let Ok(fds) = std::fs::read_dir(format!("/proc/{pid}/fd")) else {
        return false;
    };
    let wanted = format!("socket:[{inode}]");
    fds.flatten().any(|fd| {
        std::fs::read_link(fd.path()).is_ok_and(|target| target.as_os_str() == wanted.as_str())
    })
}

/// A process that holds socket `inode`, looking at every process (zinit
/// itself aside) that zinit may inspect.
pub fn holder(inode: u64) -> Option<i32> {
    let me = std::process::id() as i32;
    super::procfs::processes()?
        .map(|p| p.pid)
        .filter(|&pid| pid != me)
        .find(|&pid| holds(pid, inode))
}

/// `pid 4242 (python3)`: the process as a message names it.
pub fn describe(pid: i32) -> String {
    match std::fs::read_to_string(format!("/proc/{pid}/comm")) {
        Ok(comm) => format!("pid {pid} ({})", comm.trim_end()),
        Err(_) => format!("pid {pid}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_listening_sockets_of_both_families() {
        let v4 = "  sl  local_address rem_address   st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 0100007F:1F90 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 4242 1 0000000000000000 100 0 0 10 0
   1: 0100007F:1F90 0100007F:D431 01 00000000:00000000 00:00000000 00000000     0        0 4343 1 0000000000000000 100 0 0 10 0";
        let found = parse_table(v4);
        assert_eq!(
            found,
            [Listener {
                ip: "127.0.0.1".parse().unwrap(),
                port: 8080,
                inode: 4242
            }],
            "an established connection is not a listener"
        );
        let v6 = "  sl  local_address                         remote_address                        st tx_queue rx_queue tr tm->when retrnsmt   uid  timeout inode
   0: 00000000000000000000000001000000:1F90 00000000000000000000000000000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 99 1 0000000000000000 100 0 0 10 0";
        let found = parse_table(v6);
        assert_eq!(found[0].ip, "::1".parse::<IpAddr>().unwrap());
        assert_eq!(found[0].inode, 99);
    }

    #[test]
    fn a_wildcard_listener_serves_its_family() {
        let any4 = Listener {
            ip: "0.0.0.0".parse().unwrap(),
            port: 1,
            inode: 1,
        };
        assert!(any4.serves("127.0.0.1".parse().unwrap()));
        assert!(!any4.serves("::1".parse().unwrap()));
        let any6 = Listener {
            ip: "::".parse().unwrap(),
            ..any4
        };
        assert!(any6.serves("127.0.0.1".parse().unwrap()));
        let lo = Listener {
            ip: "::ffff:127.0.0.1".parse().unwrap(),
            ..any4
        };
        assert!(lo.serves("127.0.0.1".parse().unwrap()));
        assert!(!lo.serves("127.0.0.2".parse().unwrap()));
    }

    #[test]
    fn finds_the_listener_this_process_holds() {
        let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let found = listeners(port);
        assert_eq!(found.len(), 1, "{found:?}");
        let me = std::process::id() as i32;
        assert!(holds(me, found[0].inode));
        assert!(describe(me).starts_with(&format!("pid {me} (")));
    }
}
