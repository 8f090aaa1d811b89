//! Google Cloud helpers shared by the `gcp` rules: settings read with the provider's defaults,
//! Cloud SQL engines and database flags, IAM members, and firewall rules open to the internet.
//!
//! Pulumi's `gcp` provider is bridged from Terraform's `google` provider: the same schema in
//! camelCase, single-item blocks flattened to objects, and some list blocks pluralised
//! (`allows` for `allow`, `databaseFlags` for `database_flags`). Paths are written in camelCase
//! and reported in the resource's own spelling.

use guardrail_core::{Halt, ResourceView, Spelling, Value, Verdict, Violation};

use super::{at, flag, is_world_cidr, items_at, join, port_label_of, read, who, with_unknown_kept};

/// A value from the resource for a message: `[secret]` when it was read from a secret.
pub(crate) fn shown_at(view: ResourceView<'_>, camel: &str, text: &str) -> String {
    Value::string(text)
        .tainted_if(view.secret_at(camel))
        .shown()
        .to_string()
}

/// The verdict of a boolean setting that should be `want`, where Google Cloud uses `default`
/// when it is not set: a violation `{noun} \`name\` {problem} (note)` at the setting, the note
/// giving the value (`[secret]` when secret) or saying that the default applies.
pub(crate) fn bool_setting(
    view: ResourceView<'_>,
    camel: &str,
    want: bool,
    default: bool,
    noun: &str,
    problem: &str,
) -> Result<Verdict, Halt> {
    let path = at(view, camel);
    let note = match flag(view, camel)? {
        Some(value) if value == want => return Ok(Verdict::Pass),
        Some(value) => format!(
            "`{path}` is `{}`",
            shown_at(view, camel, &value.to_string())
        ),
        None if default == want => return Ok(Verdict::Pass),
        None => format!("`{path}` is not set and defaults to `{default}`"),
    };
    Ok(Verdict::violation(
        Violation::new(format!("{} {problem} ({note})", who(view, noun))).at(path),
    ))
}

/// The fix of [`bool_setting`]: the setting written as `want` (blocks on the way created in
/// the resource's spelling); `None` when it already is `want`, explicitly or by default.
pub(crate) fn bool_fix(
    view: ResourceView<'_>,
    camel: &str,
    want: bool,
    default: bool,
) -> Result<Option<Value>, Halt> {
    if flag(view, camel)?.unwrap_or(default) == want {
        return Ok(None);
    }
    Ok(Some(with_unknown_kept(view, camel, Value::Bool(want))))
}

/// A trimmed, non-blank string setting.
pub(crate) fn text_at<'a>(view: ResourceView<'a>, camel: &str) -> Result<Option<&'a str>, Halt> {
    Ok(read(view, camel)?
        .and_then(Value::as_str)
        .map(str::trim)
        .filter(|s| !s.is_empty()))
}

/// The verdict of a setting that must be present and non-blank (a key, a pool, a policy):
/// a violation `{noun} \`name\` {problem} (\`path\` is not set)`.
pub(crate) fn require_set(
    view: ResourceView<'_>,
    camel: &str,
    noun: &str,
    problem: &str,
) -> Result<Verdict, Halt> {
    if text_at(view, camel)?.is_some() {
        return Ok(Verdict::Pass);
    }
    let path = at(view, camel);
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} {problem} (`{path}` is not set)",
            who(view, noun)
        ))
        .at(path),
    ))
}

/// The verdict of an enumerated setting that must be one of `allowed` (compared ignoring case),
/// where `default` applies when it is not set.
pub(crate) fn one_of(
    view: ResourceView<'_>,
    camel: &str,
    allowed: &[&str],
    default: &str,
    noun: &str,
    problem: &str,
) -> Result<Verdict, Halt> {
    let path = at(view, camel);
    let note = match text_at(view, camel)? {
        Some(value) if allowed.iter().any(|a| a.eq_ignore_ascii_case(value)) => {
            return Ok(Verdict::Pass)
        }
        Some(value) => format!("`{path}` is `{}`", shown_at(view, camel, value)),
        None if allowed.iter().any(|a| a.eq_ignore_ascii_case(default)) => {
            return Ok(Verdict::Pass)
        }
        None => format!("`{path}` is not set and defaults to `{default}`"),
    };
    Ok(Verdict::violation(
        Violation::new(format!("{} {problem} ({note})", who(view, noun))).at(path),
    ))
}

/// A metadata entry of an instance or template (`metadata["enable-oslogin"]`), as text.
pub(crate) fn metadata<'a>(view: ResourceView<'a>, key: &str) -> Result<Option<&'a str>, Halt> {
    let Some(map) = read(view, "metadata")? else {
        return Ok(None);
    };
    let Some(entry) = map.get(key) else {
        return Ok(None);
    };
    if entry.is_unknown() {
        return Err(Halt::unknown(format!(
            "{}[\"{key}\"]",
            at(view, "metadata")
        )));
    }
    Ok(entry.as_str().map(str::trim))
}

/// Whether a metadata value is true the way Compute Engine reads it (`TRUE`, `true`, `1`,
/// `y`, `yes`).
pub(crate) fn metadata_true(value: &str) -> bool {
    ["true", "1", "y", "yes"]
        .iter()
        .any(|t| t.eq_ignore_ascii_case(value.trim()))
}

/// The engines of Cloud SQL.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum SqlEngine {
    /// `POSTGRES_*`.
    Postgres,
    /// `MYSQL_*`.
    Mysql,
    /// `SQLSERVER_*`.
    SqlServer,
}

impl SqlEngine {
    /// The engine's name for messages.
    pub(crate) fn label(self) -> &'static str {
        match self {
            SqlEngine::Postgres => "PostgreSQL",
            SqlEngine::Mysql => "MySQL",
            SqlEngine::SqlServer => "SQL Server",
        }
    }
}

/// The engine of a Cloud SQL instance from its `databaseVersion`; `None` when it is not set or
/// names no engine this catalog knows.
pub(crate) fn sql_engine(view: ResourceView<'_>) -> Result<Option<SqlEngine>, Halt> {
    let Some(version) = text_at(view, "databaseVersion")? else {
        return Ok(None);
    };
    let version = version.to_ascii_uppercase();
    Ok(if version.starts_with("POSTGRES") {
        Some(SqlEngine::Postgres)
    } else if version.starts_with("MYSQL") {
        Some(SqlEngine::Mysql)
    } else if version.starts_with("SQLSERVER") {
        Some(SqlEngine::SqlServer)
    } else {
        None
    })
}

/// A database flag of a Cloud SQL instance (`settings.databaseFlags`): the path of its
/// `value` and the value, or `None` when the flag is not set. An unknown list, item or name
/// halts; so does the value of the flag asked for.
pub(crate) fn sql_flag<'a>(
    view: ResourceView<'a>,
    name: &str,
) -> Result<Option<(String, &'a str)>, Halt> {
    let base = at(view, "settings.databaseFlags");
    let Some(list) = read(view, "settings.databaseFlags")? else {
        return Ok(None);
    };
    let spelling = view.resource.spelling;
    for (path, item) in items_at(list, &base)? {
        let Some(found) = item
            .field("name")
            .map_err(|_| Halt::unknown(join(spelling, &path, "name")))?
        else {
            continue;
        };
        if found.as_str().is_none_or(|n| n.trim() != name) {
            continue;
        }
        let value_path = join(spelling, &path, "value");
        let value = item
            .field("value")
            .map_err(|_| Halt::unknown(value_path.clone()))?
            .and_then(Value::as_str)
            .unwrap_or_default();
        return Ok(Some((value_path, value.trim())));
    }
    Ok(None)
}

/// The verdict of a Cloud SQL database flag that `engine` instances should set so that `ok`
/// holds for its value; `unset_ok` says whether the engine's default already satisfies it.
/// Instances of other engines are not applicable. `wanted` describes the good value.
pub(crate) fn sql_flag_rule(
    view: ResourceView<'_>,
    engine: SqlEngine,
    name: &str,
    ok: fn(&str) -> bool,
    unset_ok: bool,
    wanted: &str,
) -> Result<Verdict, Halt> {
    match sql_engine(view)? {
        Some(found) if found == engine => {}
        Some(found) => {
            return Ok(Verdict::not_applicable(format!(
                "`{name}` is a {} flag; this is a {} instance",
                engine.label(),
                found.label()
            )))
        }
        None => {
            return Ok(Verdict::not_applicable(format!(
                "`{}` names no {} version",
                at(view, "databaseVersion"),
                engine.label()
            )))
        }
    }
    let who = who(view, "Cloud SQL instance");
    match sql_flag(view, name)? {
        Some((_, value)) if ok(value) => Ok(Verdict::Pass),
        Some((path, value)) => {
            let shown = Value::string(value)
                .tainted_if(view.secret_at(&path))
                .shown()
                .to_string();
            Ok(Verdict::violation(
                Violation::new(format!(
                    "{who} sets the database flag `{name}` to `{shown}`; it should be {wanted}"
                ))
                .at(path),
            ))
        }
        None if unset_ok => Ok(Verdict::Pass),
        None => Ok(Verdict::violation(
            Violation::new(format!(
                "{who} does not set the database flag `{name}`; it should be {wanted}"
            ))
            .at(at(view, "settings.databaseFlags")),
        )),
    }
}

/// The members that make a grant public.
pub(crate) const PUBLIC_MEMBERS: [&str; 2] = ["allUsers", "allAuthenticatedUsers"];

/// Whether an IAM member or ACL entity names everyone (`allUsers`) or every Google account
/// (`allAuthenticatedUsers`), in any case, with or without a `READER:`-style role prefix.
pub(crate) fn is_public_member(member: &str) -> bool {
    let member = member.trim();
    let bare = member.rsplit_once(':').map_or(member, |(_, m)| m);
    PUBLIC_MEMBERS
        .iter()
        .any(|p| p.eq_ignore_ascii_case(bare) || p.eq_ignore_ascii_case(member))
}

/// The members of an IAM binding or member resource (`member`, `members`) and of an IAM policy
/// resource (`policyData`, a JSON document of `bindings`), with the path each was read at and
/// whether it is secret. An unknown member list or document halts; a document that is not JSON
/// has no members.
pub(crate) fn iam_members(view: ResourceView<'_>) -> Result<Vec<(String, String, bool)>, Halt> {
    let mut out = Vec::new();
    for camel in ["member", "members"] {
        let Some(found) = read(view, camel)? else {
            continue;
        };
        let base = at(view, camel);
        for (path, item) in items_at(found, &base)? {
            if let Some(member) = item.as_str() {
                let secret = view.secret_at(camel);
                out.push((path, member.to_string(), secret));
            }
        }
    }
    if let Some(document) = text_at(view, "policyData")? {
        let secret = view.secret_at("policyData");
        let base = at(view, "policyData");
        if let Ok(policy) = serde_json::from_str::<serde_json::Value>(document) {
            let bindings = policy.get("bindings").and_then(|b| b.as_array());
            for (i, binding) in bindings.into_iter().flatten().enumerate() {
                let members = binding.get("members").and_then(|m| m.as_array());
                for member in members.into_iter().flatten().filter_map(|m| m.as_str()) {
                    out.push((format!("{base}.bindings[{i}]"), member.to_string(), secret));
                }
            }
        }
    }
    Ok(out)
}

/// The role of an IAM binding or member resource, or the roles of a policy document's
/// bindings.
pub(crate) fn iam_roles(view: ResourceView<'_>) -> Result<Vec<String>, Halt> {
    let mut out = Vec::new();
    if let Some(role) = text_at(view, "role")? {
        out.push(role.to_string());
    }
    if let Some(document) = text_at(view, "policyData")? {
        if let Ok(policy) = serde_json::from_str::<serde_json::Value>(document) {
            let bindings = policy.get("bindings").and_then(|b| b.as_array());
            for binding in bindings.into_iter().flatten() {
                if let Some(role) = binding.get("role").and_then(|r| r.as_str()) {
                    out.push(role.to_string());
                }
            }
        }
    }
    Ok(out)
}

/// The verdict of a rule that an IAM resource grants nothing to `allUsers` or
/// `allAuthenticatedUsers`: one violation per public member, `{noun} \`name\` grants
/// {what} to \`allUsers\``.
pub(crate) fn no_public_members(
    view: ResourceView<'_>,
    noun: &str,
    what: &str,
) -> Result<Verdict, Halt> {
    let mut violations = Vec::new();
    for (path, member, secret) in iam_members(view)? {
        if !is_public_member(&member) {
            continue;
        }
        let shown = Value::string(member.trim())
            .tainted_if(secret)
            .shown()
            .to_string();
        violations.push(
            Violation::new(format!(
                "{} grants {what} to `{shown}`, that is to anyone",
                who(view, noun)
            ))
            .at(path),
        );
    }
    Ok(Verdict::from_violations(violations))
}

/// A port range `lo..=hi` of a firewall rule.
pub(crate) type PortRange = (u16, u16);

/// What one `allow` entry of an ingress firewall rule opens: every port (`None`), or ranges.
#[derive(Debug)]
pub(crate) struct Opening {
    /// The entry's path.
    pub(crate) path: String,
    /// The protocol as written, lowercased.
    pub(crate) protocol: String,
    /// `None`: every port of the protocol.
    pub(crate) ports: Option<Vec<PortRange>>,
    /// Whether the entry (or its block) is secret.
    pub(crate) secret: bool,
}

impl Opening {
    /// Whether the entry opens `port` over TCP.
    pub(crate) fn opens_tcp(&self, port: u16) -> bool {
        let tcp = matches!(self.protocol.as_str(), "tcp" | "all" | "6");
        tcp && self
            .ports
            .as_ref()
            .is_none_or(|ranges| ranges.iter().any(|(lo, hi)| (*lo..=*hi).contains(&port)))
    }

    /// Whether the entry opens every port of every protocol, or every TCP or UDP port.
    pub(crate) fn opens_everything(&self) -> bool {
        let wide = |ranges: &Vec<PortRange>| ranges.iter().any(|(lo, hi)| *lo <= 1 && *hi == 65535);
        match self.protocol.as_str() {
            "all" => true,
            "tcp" | "udp" | "6" | "17" => self.ports.as_ref().is_none_or(wide),
            _ => false,
        }
    }
}

/// Parses `22` or `1000-2000`.
fn port_range(text: &str) -> Option<PortRange> {
    let text = text.trim();
    match text.split_once('-') {
        Some((lo, hi)) => Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?)),
        None => {
            let port = text.parse().ok()?;
            Some((port, port))
        }
    }
}

/// Why a firewall rule lets no traffic in from the whole internet, or `None` when it does:
/// an egress rule, a disabled rule, or sources that are not `0.0.0.0/0` or `::/0`. Google Cloud
/// takes every address as the source of an ingress rule that names no source ranges, tags or
/// service accounts. The second part says whether the world range was read from a secret.
pub(crate) fn closed_to_world(view: ResourceView<'_>) -> Result<Option<String>, Halt> {
    if let Some(direction) = text_at(view, "direction")? {
        if direction.eq_ignore_ascii_case("EGRESS") {
            return Ok(Some("an egress rule".to_string()));
        }
    }
    if flag(view, "disabled")? == Some(true) {
        return Ok(Some("the rule is disabled".to_string()));
    }
    let ranges: Vec<&str> = super::string_list(view, "sourceRanges")?;
    if ranges.iter().any(|r| is_world_cidr(r)) {
        return Ok(None);
    }
    if !ranges.is_empty() {
        return Ok(Some(
            "its source ranges do not include the internet".to_string(),
        ));
    }
    let tags = super::string_list(view, "sourceTags")?;
    let accounts = super::string_list(view, "sourceServiceAccounts")?;
    if tags.is_empty() && accounts.is_empty() {
        // No source at all: Google Cloud applies the rule to every address.
        return Ok(None);
    }
    Ok(Some(
        "its sources are network tags or service accounts".to_string(),
    ))
}

/// The `allow` entries of a firewall rule (Pulumi `allows`).
pub(crate) fn openings(view: ResourceView<'_>) -> Result<Vec<Opening>, Halt> {
    let Some((list, camel)) = super::read_first(view, &["allows", "allow"])? else {
        return Ok(Vec::new());
    };
    let base = at(view, camel);
    let spelling: Spelling = view.resource.spelling;
    let mut out = Vec::new();
    for (path, item) in items_at(list, &base)? {
        let secret = view.secret_at(&path)
            || view.secret_at(camel)
            || view.secret_at(&format!("{path}.ports"));
        let protocol = item
            .field("protocol")
            .map_err(|_| Halt::unknown(join(spelling, &path, "protocol")))?
            .and_then(Value::as_str)
            .unwrap_or("all")
            .trim()
            .to_ascii_lowercase();
        let ports = item
            .field("ports")
            .map_err(|_| Halt::unknown(join(spelling, &path, "ports")))?;
        let ranges = match ports {
            None => None,
            Some(list) => {
                let mut ranges = Vec::new();
                for (i, port) in list.items().enumerate() {
                    if port.is_unknown() {
                        return Err(Halt::unknown(format!(
                            "{}[{i}]",
                            join(spelling, &path, "ports")
                        )));
                    }
                    let text = match port {
                        Value::Number(n) => n.to_string(),
                        other => other.as_str().unwrap_or_default().to_string(),
                    };
                    if let Some(range) = port_range(&text) {
                        ranges.push(range);
                    }
                }
                if ranges.is_empty() {
                    None
                } else {
                    Some(ranges)
                }
            }
        };
        out.push(Opening {
            path,
            protocol,
            ports: ranges,
            secret,
        });
    }
    Ok(out)
}

/// The verdict of a rule that no ingress firewall rule opens `port` (TCP) to the internet.
pub(crate) fn firewall_port_closed(view: ResourceView<'_>, port: u16) -> Result<Verdict, Halt> {
    if let Some(reason) = closed_to_world(view)? {
        return Ok(Verdict::not_applicable(reason));
    }
    let mut violations = Vec::new();
    for opening in openings(view)? {
        if opening.opens_tcp(port) {
            violations.push(
                Violation::new(format!(
                    "{} lets the whole internet reach port {}",
                    who(view, "firewall rule"),
                    port_label_of(port, opening.secret)
                ))
                .at(opening.path),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}

/// The canonical type of a resource id: a Terraform address (`module.a.google_x.y["k"]`) or a
/// Pulumi URN (`urn:pulumi:dev::proj::gcp:serviceaccount/account:Account::name`).
fn type_of_id(id: &str) -> Option<String> {
    if id.starts_with("urn:pulumi:") {
        let token = id.split("::").nth(2)?;
        let token = token.rsplit('$').next().unwrap_or(token);
        return Some(guardrail_core::canonical_type(token).into_owned());
    }
    let address = id.split('[').next().unwrap_or(id);
    let mut parts: Vec<&str> = address.split('.').collect();
    parts.pop()?;
    parts.pop().map(str::to_string)
}

/// Whether the value of the top-level argument `camel` comes from a resource of the canonical
/// type `type_` in the same input (a Terraform expression or a Pulumi property dependency): an
/// email known only after apply that comes from a `google_service_account` names that new
/// account, never the Compute Engine default one.
pub(crate) fn comes_from(view: ResourceView<'_>, camel: &str, type_: &str) -> bool {
    view.resource
        .property_dependencies
        .iter()
        .filter(|(key, _)| guardrail_core::value::fold_eq(key, camel))
        .flat_map(|(_, ids)| ids.items())
        .filter_map(Value::as_str)
        .any(|id| type_of_id(id).as_deref() == Some(type_))
}

/// A service account email set at `camel` (under the top-level argument `top`): `Ok(None)`
/// when unset, the trimmed email when known, and `Ok(Some(""))` when it is known only after
/// apply but comes from a `google_service_account` of the same input (a dedicated account
/// whose email is not known yet). Other unknown values halt.
pub(crate) fn service_account_email<'a>(
    view: ResourceView<'a>,
    camel: &str,
    top: &str,
) -> Result<Option<&'a str>, Halt> {
    match text_at(view, camel) {
        Err(_) if comes_from(view, top, "google_service_account") => Ok(Some("")),
        other => other,
    }
}

/// Whether an environment variable's name says it holds a credential (`DB_PASSWORD`,
/// `API_KEY`, `STRIPE_SECRET`, `GITHUB_TOKEN`...).
pub(crate) fn looks_like_secret_name(name: &str) -> bool {
    let upper = name.to_ascii_uppercase();
    [
        "PASSWORD",
        "PASSWD",
        "SECRET",
        "TOKEN",
        "API_KEY",
        "APIKEY",
        "PRIVATE_KEY",
        "ACCESS_KEY",
        "CREDENTIAL",
    ]
    .iter()
    .any(|word| upper.contains(word))
}

/// The plain environment values of a map property (`environment_variables`) whose names look
/// like credentials: the path of each, and the name as a message may show it (`[secret]` when
/// the map or the value is secret). Empty values are left out.
pub(crate) fn secret_env_in_map(
    view: ResourceView<'_>,
    camel: &str,
) -> Result<Vec<(String, String)>, Halt> {
    let Some(map) = read(view, camel)? else {
        return Ok(Vec::new());
    };
    let base = at(view, camel);
    let Some(entries) = map.as_object() else {
        return Ok(Vec::new());
    };
    let map_secret = view.secret_at(camel);
    let mut out = Vec::new();
    for (name, value) in entries {
        if !looks_like_secret_name(name) {
            continue;
        }
        let path = format!("{base}{}", super::key_segment(name));
        if value.is_unknown() {
            return Err(Halt::unknown(path));
        }
        if value.as_str().is_none_or(|v| v.trim().is_empty()) {
            continue;
        }
        let shown = Value::string(name.as_str())
            .tainted_if(map_secret)
            .shown()
            .to_string();
        out.push((path, shown));
    }
    Ok(out)
}

/// Whether a rule about the nodes of a GKE cluster has nothing to check on this resource: an
/// Autopilot cluster (Google manages the nodes) or a cluster whose default node pool is
/// removed (its `node_config` describes no node; the node pools are checked on their own).
/// `None` for node pools and for clusters whose default pool stays.
pub(crate) fn gke_nodes_not_applicable(view: ResourceView<'_>) -> Result<Option<Verdict>, Halt> {
    if super::canonical(&view) != "google_container_cluster" {
        return Ok(None);
    }
    if flag(view, "enableAutopilot")? == Some(true) {
        return Ok(Some(Verdict::not_applicable(
            "an Autopilot cluster: Google manages its nodes",
        )));
    }
    if flag(view, "removeDefaultNodePool")? == Some(true) {
        return Ok(Some(Verdict::not_applicable(
            "the default node pool is removed; node pools are checked on their own",
        )));
    }
    Ok(None)
}

/// `GKE cluster` or `GKE node pool`, for messages.
pub(crate) fn gke_noun(view: ResourceView<'_>) -> &'static str {
    if super::canonical(&view) == "google_container_node_pool" {
        "GKE node pool"
    } else {
        "GKE cluster"
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;
    use crate::select::{select, Selection};

    fn ids(items: &[&str]) -> Vec<&'static str> {
        let selection = Selection::parse(items).unwrap();
        select(crate::rules(), &selection, &Selection::default())
            .iter()
            .map(|s| s.id)
            .collect()
    }

    #[test]
    fn the_gcp_rules_are_selected_by_vendor_prefix_service_and_framework() {
        let gcp = ids(&["vendor=gcp"]);
        assert!(gcp.len() >= 130, "{} gcp rules", gcp.len());
        assert!(gcp.iter().all(|id| id.starts_with("GCP-")));
        assert_eq!(ids(&["GCP"]), gcp);
        let gke = ids(&["service=gke"]);
        assert!(!gke.is_empty() && gke.iter().all(|id| id.starts_with("GCP-GKE-")));
        let cis = ids(&["framework=cis-gcp"]);
        assert!(!cis.is_empty() && cis.iter().all(|id| id.starts_with("GCP-")));
    }

    #[test]
    fn ports_and_members_parse() {
        assert_eq!(port_range("22"), Some((22, 22)));
        assert_eq!(port_range("1000-2000"), Some((1000, 2000)));
        assert_eq!(port_range("ssh"), None);
        assert!(is_public_member("allUsers"));
        assert!(is_public_member("READER:allAuthenticatedUsers"));
        assert!(!is_public_member("user:ana@example.com"));
        assert!(metadata_true("TRUE"));
        assert!(looks_like_secret_name("db_password"));
        assert_eq!(
            type_of_id("module.iam.google_service_account.ci[\"x\"]").as_deref(),
            Some("google_service_account")
        );
        assert_eq!(
            type_of_id("urn:pulumi:dev::p::gcp:serviceaccount/account:Account::ci").as_deref(),
            Some("google_service_account")
        );
        assert!(looks_like_secret_name("STRIPE_API_KEY"));
        assert!(!looks_like_secret_name("LOG_LEVEL"));
        assert!(!metadata_true("false"));
    }
}
