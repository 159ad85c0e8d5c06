//! Host names → addresses for every connection zinit makes (`wait tcp`,
//! `wait http`, `wait postgres`, `wait redis`, the S3 endpoint): one
//! pure-Rust resolver (hickory) that reads `/etc/hosts` and
//! `/etc/resolv.conf` itself. glibc's `getaddrinfo` loads NSS modules at
//! run time, which a static binary in a `FROM scratch` image does not have;
//! this never calls it.
//!
//! Without `/etc/resolv.conf` the name servers are glibc's own default
//! (127.0.0.1 and ::1, port 53); without `/etc/hosts` there are no static
//! names, but `localhost` still resolves to the loopback addresses (RFC
//! 6761 §6.3, answered by the resolver itself).

use hickory_resolver::config::{
    LookupIpStrategy, NameServerConfigGroup, ResolveHosts, ResolverConfig, ResolverOpts,
};
use hickory_resolver::name_server::TokioConnectionProvider;
use hickory_resolver::{Hosts, Resolver};
use std::net::{IpAddr, SocketAddr};
use std::path::Path;
use std::sync::Arc;

const RESOLV_CONF: &str = "/etc/resolv.conf";
const HOSTS: &str = "/etc/hosts";

/// Every address of `host` (an IP literal, `[v6]` included, is itself), with
/// `port`; IPv4 and IPv6 both asked, for happy eyeballs. The error is a
/// whole sentence: "cannot resolve db: no such host".
pub async fn lookup(host: &str, port: u16) -> Result<Vec<SocketAddr>, String> {
    lookup_with(host, port, Path::new(RESOLV_CONF), Path::new(HOSTS)).await
}

/// [`lookup`] with the two files named (the tests give their own). Both
/// are read at each lookup, so a file written while zinit waits counts;
/// callers that look up often keep the answer for a while themselves.
pub async fn lookup_with(
    host: &str,
    port: u16,
    resolv_conf: &Path,
    hosts: &Path,
) -> Result<Vec<SocketAddr>, String> {
    let bare = host
        .strip_prefix('[')
        .and_then(|h| h.strip_suffix(']'))
        .unwrap_or(host);
    if let Ok(ip) = bare.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let resolver = resolver(resolv_conf, hosts);
    match resolver.lookup_ip(bare).await {
        Ok(found) => {
            let addrs: Vec<SocketAddr> = found.iter().map(|ip| SocketAddr::new(ip, port)).collect();
            if addrs.is_empty() {
                Err(format!("cannot resolve {host}: it has no address"))
            } else {
                Ok(addrs)
            }
        }
        Err(e) if e.is_nx_domain() => Err(format!("cannot resolve {host}: no such host")),
        Err(e) if e.is_no_records_found() => {
            Err(format!("cannot resolve {host}: it has no address"))
        }
        Err(e) => Err(format!("cannot resolve {host}: {e}")),
    }
}

fn resolver(resolv_conf: &Path, hosts: &Path) -> Resolver<TokioConnectionProvider> {
    let (config, mut options) = std::fs::read(resolv_conf)
        .ok()
        .and_then(|text| hickory_resolver::system_conf::parse_resolv_conf(text).ok())
        .filter(|(config, _)| !config.name_servers().is_empty())
        .unwrap_or_else(glibc_default);
    // Hosts are loaded below from the file given; both address families
    // are asked so that a wait can try them side by side.
    options.use_hosts_file = ResolveHosts::Never;
    options.ip_strategy = LookupIpStrategy::Ipv4AndIpv6;
    let mut resolver = Resolver::builder_with_config(config, TokioConnectionProvider::default())
        .with_options(options)
        .build();
    let mut static_hosts = Hosts::default();
    if let Ok(file) = std::fs::File::open(hosts) {
        // A line that does not parse is skipped, as glibc skips it.
        let _ = static_hosts.read_hosts_conf(std::io::BufReader::new(file));
    }
    resolver.set_hosts(Arc::new(static_hosts));
    resolver
}

/// What glibc assumes without a usable resolv.conf: a server on this host.
fn glibc_default() -> (ResolverConfig, ResolverOpts) {
    let loopback = [
        IpAddr::from([127, 0, 0, 1]),
        IpAddr::from([0u16, 0, 0, 0, 0, 0, 0, 1]),
    ];
    let servers = NameServerConfigGroup::from_ips_clear(&loopback, 53, true);
    (
        ResolverConfig::from_parts(None, vec![], servers),
        ResolverOpts::default(),
    )
}

/// The same resolver for reqwest (`wait http`, the S3 client).
#[derive(Debug, Clone, Copy, Default)]
pub struct ForReqwest;

impl reqwest::dns::Resolve for ForReqwest {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let host = name.as_str().to_string();
        Box::pin(async move {
            let addrs = lookup(&host, 0).await?;
            let addrs: reqwest::dns::Addrs = Box::new(addrs.into_iter());
            Ok(addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn files(
        resolv_conf: Option<&str>,
        hosts: Option<&str>,
    ) -> (tempfile::TempDir, [std::path::PathBuf; 2]) {
        let dir = tempfile::tempdir().unwrap();
        let paths = [dir.path().join("resolv.conf"), dir.path().join("hosts")];
        for (path, text) in paths.iter().zip([resolv_conf, hosts]) {
            if let Some(text) = text {
                std::fs::write(path, text).unwrap();
            }
        }
        (dir, paths)
    }

    #[tokio::test]
    async fn names_in_the_hosts_file_resolve_without_asking_a_server() {
        // The only server is a loopback port nothing answers on.
        let (_dir, [conf, hosts]) = files(
            Some("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"),
            Some("# comment\n10.1.2.3 db db.internal\nnot an address here\n::1 six\n"),
        );
        let found = lookup_with("db", 5432, &conf, &hosts).await.unwrap();
        assert_eq!(found, vec!["10.1.2.3:5432".parse().unwrap()]);
        let found = lookup_with("db.internal", 1, &conf, &hosts).await.unwrap();
        assert_eq!(found, vec!["10.1.2.3:1".parse().unwrap()]);
        let found = lookup_with("six", 80, &conf, &hosts).await.unwrap();
        assert_eq!(found, vec!["[::1]:80".parse().unwrap()]);
    }

    #[tokio::test]
    async fn localhost_resolves_with_neither_file() {
        let (_dir, [conf, hosts]) = files(None, None);
        let mut found = lookup_with("localhost", 7, &conf, &hosts).await.unwrap();
        found.sort();
        assert_eq!(
            found,
            vec!["127.0.0.1:7".parse().unwrap(), "[::1]:7".parse().unwrap()]
        );
    }

    #[tokio::test]
    async fn ip_literals_are_their_own_address() {
        let (_dir, [conf, hosts]) = files(None, None);
        for (host, want) in [
            ("127.0.0.9", "127.0.0.9:5"),
            ("[::1]", "[::1]:5"),
            ("::1", "[::1]:5"),
        ] {
            let found = lookup_with(host, 5, &conf, &hosts).await.unwrap();
            assert_eq!(found, vec![want.parse().unwrap()], "{host}");
        }
    }

    #[tokio::test]
    async fn an_unknown_name_fails_with_the_name_when_no_server_answers() {
        // resolv.conf names a loopback server nothing listens on: the
        // lookup fails (bounded by its timeout), it does not hang.
        let (_dir, [conf, hosts]) = files(
            Some("nameserver 127.0.0.1\noptions timeout:1 attempts:1\n"),
            Some("127.0.0.1 localhost\n"),
        );
        let err = lookup_with("nosuch.zinit.test", 1, &conf, &hosts)
            .await
            .unwrap_err();
        assert!(
            err.starts_with("cannot resolve nosuch.zinit.test: "),
            "{err}"
        );
    }
}
