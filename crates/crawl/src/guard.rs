//! Where the collectors may connect: only http and https, and never to an
//! address inside this machine or its networks (loopback, private,
//! link-local, multicast, unspecified, shared and reserved ranges; IPv4 and
//! IPv6, IPv4 inside IPv6 included) unless `--allow-private` is given.
//!
//! The rules are applied to every address a name resolves to, before any
//! connection (the resolver given to the HTTP client, [`GuardedResolver`]),
//! and to addresses written in urls, on every request and every redirect
//! hop ([`check_url`]).
//!
//! Must not touch: anything but deciding (it opens no socket).

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::sync::Arc;

use reqwest::dns::{Addrs, Name, Resolve, Resolving};

/// Why an address is refused, or `None` when it is a public one.
pub fn forbidden(ip: IpAddr) -> Option<&'static str> {
    match ip {
        IpAddr::V4(v4) => forbidden_v4(v4),
        IpAddr::V6(v6) => forbidden_v6(v6),
    }
}

fn forbidden_v4(ip: Ipv4Addr) -> Option<&'static str> {
    let [a, b, c, _] = ip.octets();
    Some(match (a, b) {
        _ if ip.is_unspecified() => "unspecified",
        (0, _) => "this network (0.0.0.0/8)",
        (127, _) => "loopback",
        (10, _) => "private (10.0.0.0/8)",
        (172, 16..=31) => "private (172.16.0.0/12)",
        (192, 168) => "private (192.168.0.0/16)",
        (169, 254) => "link-local",
        (100, 64..=127) => "shared address space (100.64.0.0/10)",
        (192, 0) if c == 0 => "IETF protocol assignments (192.0.0.0/24)",
        (192, 0) if c == 2 => "documentation",
        (198, 51) if c == 100 => "documentation",
        (203, 0) if c == 113 => "documentation",
        (198, 18..=19) => "benchmarking (198.18.0.0/15)",
        (224..=239, _) => "multicast",
        (240..=255, _) => "reserved (240.0.0.0/4, broadcast)",
        _ => return None,
    })
}

fn forbidden_v6(ip: Ipv6Addr) -> Option<&'static str> {
    if ip.is_unspecified() {
        return Some("unspecified");
    }
    if ip.is_loopback() {
        return Some("loopback");
    }
    // An IPv4 address carried in IPv6 is judged as that address:
    // IPv4-mapped (::ffff:a.b.c.d), IPv4-compatible (::a.b.c.d), NAT64
    // (64:ff9b::/96) and 6to4 (2002::/16).
    let s = ip.segments();
    let embedded = if let Some(v4) = ip.to_ipv4_mapped() {
        Some(v4)
    } else if s[..6] == [0; 6] || s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        Some(Ipv4Addr::new(
            (s[6] >> 8) as u8,
            s[6] as u8,
            (s[7] >> 8) as u8,
            s[7] as u8,
        ))
    } else if s[0] == 0x2002 {
        Some(Ipv4Addr::new(
            (s[1] >> 8) as u8,
            s[1] as u8,
            (s[2] >> 8) as u8,
            s[2] as u8,
        ))
    } else {
        None
    };
    if let Some(v4) = embedded {
        return forbidden_v4(v4);
    }
    Some(match s[0] {
        0xff00..=0xffff => "multicast",
        0xfe80..=0xfebf => "link-local",
        0xfec0..=0xfeff => "site-local",
        0xfc00..=0xfdff => "unique local (private)",
        0x2001 if s[1] == 0x0db8 => "documentation",
        0x0100 if s[1..4] == [0, 0, 0] => "discard-only (100::/64)",
        _ => return None,
    })
}

/// Why a url may not be fetched.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Refusal {
    #[error("only http and https urls are fetched, not {0}")]
    Scheme(String),
    #[error("not a url: {0}")]
    NotUrl(String),
    #[error("{host} is {reason} ({ip}): refused (give --allow-private to allow it)")]
    Address {
        host: String,
        ip: IpAddr,
        reason: &'static str,
    },
    #[error("{0} has no address allowed (give --allow-private to allow private ones)")]
    NoAddress(String),
    #[error("{0} is not named by --resolve, and with --resolve no other name is looked up")]
    NotResolved(String),
    #[error("cannot resolve {host}: {cause}")]
    Lookup { host: String, cause: String },
}

/// Checks a url's scheme, and its host when the url names an address.
pub fn check_url(url: &str, allow_private: bool) -> Result<url::Url, Refusal> {
    let parsed = url::Url::parse(url).map_err(|_| Refusal::NotUrl(url.to_string()))?;
    match parsed.scheme() {
        "http" | "https" => {}
        other => return Err(Refusal::Scheme(other.to_string())),
    }
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => Some(IpAddr::V4(ip)),
        Some(url::Host::Ipv6(ip)) => Some(IpAddr::V6(ip)),
        Some(url::Host::Domain(_)) => None,
        None => return Err(Refusal::NotUrl(url.to_string())),
    };
    if let (Some(ip), false) = (ip, allow_private) {
        if let Some(reason) = forbidden(ip) {
            return Err(Refusal::Address {
                host: parsed.host_str().unwrap_or_default().to_string(),
                ip,
                reason,
            });
        }
    }
    Ok(parsed)
}

/// The HTTP client's resolver: looks names up (or takes them from
/// `--resolve`) and hands on only the addresses allowed.
#[derive(Debug, Clone, Default)]
pub struct GuardedResolver {
    pub allow_private: bool,
    /// `--resolve HOST=ADDR:PORT`: these names go to these addresses, and
    /// no other name is looked up at all (tests point the real site names
    /// at a fixture and must never reach anything else).
    pub overrides: Arc<HashMap<String, SocketAddr>>,
}

impl GuardedResolver {
    /// The addresses `host` may be reached at.
    pub fn addresses(&self, host: &str) -> Result<Vec<SocketAddr>, Refusal> {
        let host = host.trim_end_matches('.').to_ascii_lowercase();
        let found: Vec<SocketAddr> = if !self.overrides.is_empty() {
            vec![*self
                .overrides
                .get(&host)
                .ok_or_else(|| Refusal::NotResolved(host.clone()))?]
        } else {
            // Looked up in the client's own thread: the crawler makes one
            // request at a time, so nothing waits behind the look-up.
            (host.as_str(), 0)
                .to_socket_addrs()
                .map_err(|e| Refusal::Lookup {
                    host: host.clone(),
                    cause: e.to_string(),
                })?
                .collect()
        };
        if self.allow_private {
            return Ok(found);
        }
        let allowed: Vec<SocketAddr> = found
            .iter()
            .copied()
            .filter(|a| forbidden(a.ip()).is_none())
            .collect();
        if allowed.is_empty() {
            return Err(match found.first() {
                Some(a) => Refusal::Address {
                    host,
                    ip: a.ip(),
                    reason: forbidden(a.ip()).unwrap_or("refused"),
                },
                None => Refusal::NoAddress(host),
            });
        }
        Ok(allowed)
    }
}

impl Resolve for GuardedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let result = self.addresses(name.as_str());
        Box::pin(async move {
            let addrs =
                result.map_err(|e| Box::new(e) as Box<dyn std::error::Error + Send + Sync>)?;
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn refused(s: &str) -> bool {
        forbidden(s.parse().unwrap()).is_some()
    }

    #[test]
    fn private_and_special_addresses_are_refused() {
        for a in [
            "127.0.0.1",
            "127.255.0.9",
            "10.1.2.3",
            "172.16.0.1",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "0.0.0.0",
            "0.1.2.3",
            "100.64.0.1",
            "224.0.0.1",
            "239.255.255.250",
            "255.255.255.255",
            "240.0.0.1",
            "::",
            "::1",
            "fe80::1",
            "fc00::1",
            "fd12:3456::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "::ffff:169.254.169.254",
            "::127.0.0.1",
            "64:ff9b::a00:1",
            "2002:c0a8:101::1",
            "2001:db8::1",
        ] {
            assert!(refused(a), "{a} should be refused");
        }
    }

    #[test]
    fn public_addresses_pass() {
        for a in [
            "175.45.176.71",
            "8.8.8.8",
            "172.15.0.1",
            "172.32.0.1",
            "100.63.0.1",
            "100.128.0.1",
            "192.169.0.1",
            "2606:4700::1111",
            "::ffff:8.8.8.8",
            "2002:0808:0808::1",
        ] {
            assert!(!refused(a), "{a} should pass");
        }
    }

    #[test]
    fn urls_naming_refused_addresses_or_other_schemes_are_refused() {
        assert!(matches!(
            check_url("http://127.0.0.1:8080/x", false),
            Err(Refusal::Address { .. })
        ));
        assert!(matches!(
            check_url("http://[::ffff:7f00:1]/", false),
            Err(Refusal::Address { .. })
        ));
        assert!(matches!(
            check_url("http://0x7f000001/", false),
            Err(Refusal::Address { .. })
        ));
        assert!(matches!(
            check_url("http://2130706433/", false),
            Err(Refusal::Address { .. })
        ));
        assert!(matches!(
            check_url("file:///etc/passwd", false),
            Err(Refusal::Scheme(_))
        ));
        assert!(matches!(
            check_url("ftp://example.org/", true),
            Err(Refusal::Scheme(_))
        ));
        assert!(check_url("http://127.0.0.1:8080/x", true).is_ok());
        assert!(check_url("http://www.rodong.rep.kp/en/", false).is_ok());
    }

    #[test]
    fn the_resolver_refuses_names_pointing_inside_and_names_not_given() {
        let mut map = HashMap::new();
        map.insert(
            "rodong.rep.kp".to_string(),
            "127.0.0.1:8080".parse().unwrap(),
        );
        let guarded = GuardedResolver {
            allow_private: false,
            overrides: Arc::new(map),
        };
        // Both without connecting anywhere: the override is refused for
        // its address, the other name is not looked up at all.
        assert!(matches!(
            guarded.addresses("rodong.rep.kp"),
            Err(Refusal::Address { .. })
        ));
        assert!(matches!(
            guarded.addresses("example.org"),
            Err(Refusal::NotResolved(_))
        ));
        let allowed = GuardedResolver {
            allow_private: true,
            ..guarded
        };
        assert_eq!(
            allowed.addresses("RODONG.rep.kp.").unwrap(),
            vec!["127.0.0.1:8080".parse::<SocketAddr>().unwrap()]
        );
        assert!(matches!(
            allowed.addresses("kcna.kp"),
            Err(Refusal::NotResolved(_))
        ));
    }
}
