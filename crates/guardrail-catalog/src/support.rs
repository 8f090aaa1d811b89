//! Helpers shared by rules: configuration readers, property paths in the resource's own
//! spelling, ports, CIDRs, sizes, type globs; and, in submodules re-exported here, reading and
//! writing properties ([`props`]), stack-level companion resources ([`stack`]), policy documents
//! ([`policy`]), network rules and resource types ([`network`]), and Azure's three spellings
//! of one setting ([`azure`]). Rules import everything
//! from `crate::support`.

mod azure;
pub(crate) mod gcp;
pub(crate) mod kubernetes;
mod network;
mod policy;
mod props;
mod stack;

pub(crate) use azure::*;
pub(crate) use network::*;
pub(crate) use policy::*;
pub(crate) use props::*;
pub(crate) use stack::*;

use guardrail_core::{Halt, Spelling, Value};

/// Reads a string from the configuration.
pub(crate) fn config_str<'a>(config: &'a serde_json::Value, key: &str) -> Result<&'a str, Halt> {
    match config.get(key) {
        Some(serde_json::Value::String(s)) => Ok(s),
        Some(other) => Err(Halt::error(format!(
            "config `{key}` must be a string, not `{other}`"
        ))),
        None => Err(Halt::error(format!("config `{key}` is missing"))),
    }
}

/// Reads an integer from the configuration; `kind` names what it must be in the error (`an
/// integer`, `a whole number of days`).
pub(crate) fn config_int(config: &serde_json::Value, key: &str, kind: &str) -> Result<i64, Halt> {
    config
        .get(key)
        .and_then(serde_json::Value::as_i64)
        .ok_or_else(|| Halt::error(format!("config `{key}` must be {kind}")))
}

/// Reads a list of TCP/UDP port numbers from the configuration.
pub(crate) fn config_ports(config: &serde_json::Value, key: &str) -> Result<Vec<u16>, Halt> {
    let list = match config.get(key) {
        Some(serde_json::Value::Array(list)) => list,
        Some(other) => {
            return Err(Halt::error(format!(
                "config `{key}` must be a list of port numbers, not `{other}`"
            )))
        }
        None => return Err(Halt::error(format!("config `{key}` is missing"))),
    };
    list.iter()
        .map(|item| {
            item.as_u64()
                .and_then(|n| u16::try_from(n).ok())
                .ok_or_else(|| {
                    Halt::error(format!(
                        "config `{key}` has `{item}`, which is not a port number (0 to 65535)"
                    ))
                })
        })
        .collect()
}

/// A camelCase property path spelled the way the resource spells its keys: unchanged for Pulumi,
/// snake_case for Terraform (`ingress[0].cidrBlocks` → `ingress[0].cidr_blocks`).
pub(crate) fn spelled(spelling: Spelling, camel: &str) -> String {
    match spelling {
        Spelling::Pulumi => camel.to_string(),
        Spelling::Terraform => {
            let mut out = String::with_capacity(camel.len() + 4);
            for c in camel.chars() {
                if c.is_ascii_uppercase() {
                    out.push('_');
                    out.push(c.to_ascii_lowercase());
                } else {
                    out.push(c);
                }
            }
            out
        }
    }
}

/// A path segment for a map key: `.key` when it is a plain word, `["key"]` otherwise.
pub(crate) fn key_segment(key: &str) -> String {
    let plain = !key.is_empty()
        && key
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-');
    if plain {
        format!(".{key}")
    } else {
        format!("[\"{key}\"]")
    }
}

/// The usual service on a well-known port, for messages.
pub(crate) fn service_of(port: u16) -> Option<&'static str> {
    Some(match port {
        20 | 21 => "ftp",
        22 => "ssh",
        23 => "telnet",
        135 => "msrpc",
        139 => "netbios",
        445 => "smb",
        1433 => "mssql",
        1521 => "oracle",
        2375 | 2376 => "docker",
        3306 => "mysql",
        3389 => "rdp",
        5432 => "postgresql",
        5900 => "vnc",
        5985 | 5986 => "winrm",
        6379 => "redis",
        9200 => "elasticsearch",
        11211 => "memcached",
        27017 => "mongodb",
        _ => return None,
    })
}

/// `22 (ssh)`, or just the number for a port without a well-known service.
pub(crate) fn port_label(port: u16) -> String {
    match service_of(port) {
        Some(service) => format!("{port} ({service})"),
        None => port.to_string(),
    }
}

/// [`port_label`] of a port, or `[secret]` when it was read from a secret (the value or a block
/// around it): neither the number nor the service's name may tell it.
pub(crate) fn port_label_of(port: u16, secret: bool) -> String {
    if secret {
        shown_number(i64::from(port), true)
    } else {
        port_label(port)
    }
}

/// The labels of the ports a rule exposes: [`port_label`] each, or one `[secret]` when the
/// ports were read from a secret (which of them, and how many, would tell it).
pub(crate) fn port_labels(ports: impl IntoIterator<Item = u16>, secret: bool) -> Vec<String> {
    let labels: Vec<String> = ports.into_iter().map(port_label).collect();
    if secret && !labels.is_empty() {
        vec![shown_number(0, true)]
    } else {
        labels
    }
}

/// A number for a message, through the taint-aware [`Value::shown`]: `[secret]` when it was read
/// from a secret.
pub(crate) fn shown_number(n: i64, secret: bool) -> String {
    Value::from(n).tainted_if(secret).shown().to_string()
}

/// Joins labels as `a`, `a and b`, `a, b and c`.
pub(crate) fn join_words(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Whether a CIDR block covers every address: any prefix length of zero (`0.0.0.0/0`, `::/0`).
pub(crate) fn is_world_cidr(cidr: &str) -> bool {
    cidr.trim()
        .rsplit_once('/')
        .is_some_and(|(_, len)| len.trim().parse::<u8>() == Ok(0))
}

/// Whether a type matches a glob (`*` any run, `?` one character).
pub(crate) fn type_matches(glob: &str, type_: &str) -> bool {
    guardrail_core::engine::glob_match(glob, type_)
}

/// Parses a memory size into bytes.
///
/// Accepted: a non-negative number, optionally with a fraction, then optional spaces and a unit.
/// Binary units `Ki`, `Mi`, `Gi`, `Ti`, `Pi` (also `KiB`...), decimal units `K`/`k`, `M`, `G`,
/// `T`, `P` (also `KB`...), `B` for bytes; no unit means bytes, as in Kubernetes quantities.
/// Lowercase `m` is rejected: in Kubernetes it means thousandths, never what anyone meant for
/// memory.
pub(crate) fn parse_size(text: &str) -> Option<f64> {
    let text = text.trim();
    let split = text
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(text.len());
    let (number, unit) = text.split_at(split);
    if number.is_empty() || number.starts_with('.') || number.ends_with('.') {
        return None;
    }
    let number: f64 = number.parse().ok()?;
    let factor = match unit.trim() {
        "" | "B" => 1.0,
        "Ki" | "KiB" => 1024.0,
        "Mi" | "MiB" => 1024.0_f64.powi(2),
        "Gi" | "GiB" => 1024.0_f64.powi(3),
        "Ti" | "TiB" => 1024.0_f64.powi(4),
        "Pi" | "PiB" => 1024.0_f64.powi(5),
        "k" | "K" | "kB" | "KB" => 1e3,
        "M" | "MB" => 1e6,
        "G" | "GB" => 1e9,
        "T" | "TB" => 1e12,
        "P" | "PB" => 1e15,
        _ => return None,
    };
    let bytes = number * factor;
    bytes.is_finite().then_some(bytes)
}

/// A memory value's size in bytes: JSON numbers are bytes, strings are parsed by [`parse_size`].
pub(crate) fn size_of(value: &Value) -> Option<f64> {
    match value.reveal() {
        Value::Number(n) => n.as_f64().filter(|b| b.is_finite() && *b >= 0.0),
        Value::String(s) => parse_size(s),
        _ => None,
    }
}

/// Shows a value in a message: strings in backticks as they are, other JSON as JSON.
pub(crate) fn show(value: &Value) -> String {
    match value.reveal() {
        Value::String(s) => format!("`{s}`"),
        other => format!("`{}`", other.to_json_redacted()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_parse_binary_decimal_and_bytes() {
        assert_eq!(parse_size("1Gi"), Some(1073741824.0));
        assert_eq!(parse_size("512Mi"), Some(536870912.0));
        assert_eq!(parse_size("1.5Gi"), Some(1610612736.0));
        assert_eq!(parse_size("2G"), Some(2e9));
        assert_eq!(parse_size("2 GB"), Some(2e9));
        assert_eq!(parse_size("100k"), Some(1e5));
        assert_eq!(parse_size("1024"), Some(1024.0));
        assert_eq!(parse_size("lots"), None);
        assert_eq!(parse_size("1m"), None);
        assert_eq!(parse_size("-1Gi"), None);
        assert_eq!(parse_size("1.Gi"), None);
        assert_eq!(parse_size(""), None);
        assert_eq!(parse_size("Gi"), None);
    }

    #[test]
    fn world_cidrs() {
        assert!(is_world_cidr("0.0.0.0/0"));
        assert!(is_world_cidr("::/0"));
        assert!(is_world_cidr("0:0:0:0:0:0:0:0/0"));
        assert!(!is_world_cidr("10.0.0.0/8"));
        assert!(!is_world_cidr("0.0.0.0/10"));
        assert!(!is_world_cidr("0.0.0.0"));
    }

    #[test]
    fn paths_follow_the_spelling() {
        assert_eq!(
            spelled(Spelling::Terraform, "ingress[0].ipv6CidrBlocks"),
            "ingress[0].ipv6_cidr_blocks"
        );
        assert_eq!(spelled(Spelling::Pulumi, "cidrIpv4"), "cidrIpv4");
        assert_eq!(key_segment("Department"), ".Department");
        assert_eq!(
            key_segment("kubernetes.io/name"),
            "[\"kubernetes.io/name\"]"
        );
    }

    #[test]
    fn words_join() {
        let words = |v: &[&str]| v.iter().map(|s| s.to_string()).collect::<Vec<_>>();
        assert_eq!(join_words(&words(&["a"])), "a");
        assert_eq!(join_words(&words(&["a", "b"])), "a and b");
        assert_eq!(join_words(&words(&["a", "b", "c"])), "a, b and c");
    }
}
