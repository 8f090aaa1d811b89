//! Azure: one setting read across the three spellings of an Azure resource.
//!
//! - Terraform `azurerm_*`: snake_case arguments, nested blocks as lists of one object;
//! - Pulumi classic `azure:` (bridged from `azurerm`): the same arguments in camelCase, blocks as
//!   objects;
//! - Pulumi Azure Native `azure-native:`: the Azure Resource Manager API's own names, camelCase,
//!   with the resource's nested `properties` flattened into its inputs (and outputs), and often
//!   another shape for the same setting (`publicNetworkAccess: "Disabled"` where `azurerm` has
//!   `public_network_access_enabled = false`).
//!
//! A rule describes what it wants once per schema — the bridged one (Terraform and classic) and
//! the native one — as a [`Want`]: the property, what passes, and what an unset property means
//! there (the provider's documented default: `azurerm` for the bridged schema, the Azure API for
//! Azure Native). [`setting_verdict`] reads the one that applies, with the path in the resource's
//! own spelling, secrets shown as `[secret]` and unknown values halting as indeterminate.

use guardrail_core::{Halt, ResourceView, Spelling, Value, Verdict, Violation};

use super::{at, read, set_path, UnknownBlocks};

/// Which of the three Azure spellings a resource uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Flavor {
    /// Terraform `azurerm_*`.
    Terraform,
    /// Pulumi `azure:` (bridged from `azurerm`).
    Classic,
    /// Pulumi `azure-native:`.
    Native,
}

/// The resource's Azure spelling.
pub(crate) fn flavor(view: ResourceView<'_>) -> Flavor {
    if view.resource.type_.starts_with("azure-native:") {
        Flavor::Native
    } else if view.resource.spelling == Spelling::Terraform {
        Flavor::Terraform
    } else {
        Flavor::Classic
    }
}

/// Whether the resource is spelled by Azure Native.
pub(crate) fn is_native(view: ResourceView<'_>) -> bool {
    flavor(view) == Flavor::Native
}

/// A literal value of a setting: what an unset setting defaults to, or what a fix writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Lit {
    /// A boolean.
    Bool(bool),
    /// A string (an enum value such as `Disabled`).
    Text(&'static str),
    /// An integer.
    Int(i64),
}

impl Lit {
    /// The literal as a value.
    pub(crate) fn value(self) -> Value {
        match self {
            Lit::Bool(b) => Value::Bool(b),
            Lit::Text(s) => Value::string(s),
            Lit::Int(n) => Value::from(n),
        }
    }
}

/// What passes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Pass {
    /// The boolean `true` (or the string `"true"`).
    True,
    /// The boolean `false`.
    False,
    /// One of these strings, ignoring case.
    OneOf(&'static [&'static str]),
    /// An integer of at least this.
    AtLeast(i64),
    /// A TLS version of at least `major.minor`, however the schema spells it (`TLS1_2`, `1.2`,
    /// `Tls12`).
    TlsAtLeast(u8, u8),
    /// Any value but null, an empty string or an empty list (a block or an id that must be
    /// set); an empty object (a block of defaults) and a value known only after apply count as
    /// set.
    Present,
}

/// What an unset setting means in a schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Unset {
    /// The provider's documented default.
    Default(Lit),
    /// No default that passes: unset fails, "is not set".
    Fails,
}

/// What a rule wants of one setting in one schema.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Want {
    /// The camelCase property path in that schema (`networkRules.defaultAction`); older names
    /// of the same argument follow after `|` (`httpsTrafficOnlyEnabled|enableHttpsTrafficOnly`),
    /// the first present is read.
    pub(crate) path: &'static str,
    /// What passes.
    pub(crate) pass: Pass,
    /// What unset means.
    pub(crate) unset: Unset,
}

impl Want {
    /// A setting that must be `true`, with its default when unset.
    pub(crate) const fn on(path: &'static str, default: bool) -> Want {
        Want {
            path,
            pass: Pass::True,
            unset: Unset::Default(Lit::Bool(default)),
        }
    }

    /// A setting that must be `false`, with its default when unset.
    pub(crate) const fn off(path: &'static str, default: bool) -> Want {
        Want {
            path,
            pass: Pass::False,
            unset: Unset::Default(Lit::Bool(default)),
        }
    }

    /// A string setting that must be one of `values`; unset means `default`.
    pub(crate) const fn one_of(
        path: &'static str,
        values: &'static [&'static str],
        default: &'static str,
    ) -> Want {
        Want {
            path,
            pass: Pass::OneOf(values),
            unset: Unset::Default(Lit::Text(default)),
        }
    }

    /// A TLS version setting of at least `major.minor`; unset means `default` (spelled as the
    /// schema spells it).
    pub(crate) const fn tls(
        path: &'static str,
        major: u8,
        minor: u8,
        default: &'static str,
    ) -> Want {
        Want {
            path,
            pass: Pass::TlsAtLeast(major, minor),
            unset: Unset::Default(Lit::Text(default)),
        }
    }

    /// A setting that must be set (a block, an id, a date); unset fails.
    pub(crate) const fn present(path: &'static str) -> Want {
        Want {
            path,
            pass: Pass::Present,
            unset: Unset::Fails,
        }
    }

    /// The same want with unset failing ("is not set").
    pub(crate) const fn required(self) -> Want {
        Want {
            unset: Unset::Fails,
            ..self
        }
    }
}

/// A TLS version written as `TLS1_2`, `1.2`, `TLS1.2`, `Tls12` or `TLSv1.2`: `(1, 2)`.
pub(crate) fn tls_version(text: &str) -> Option<(u8, u8)> {
    let groups: Vec<&str> = text
        .split(|c: char| !c.is_ascii_digit())
        .filter(|g| !g.is_empty())
        .collect();
    match groups.as_slice() {
        [major, minor] => Some((major.parse().ok()?, minor.parse().ok()?)),
        // `Tls12`: the two digits run together
        [both] if both.len() == 2 => {
            let mut digits = both.chars().filter_map(|c| c.to_digit(10));
            let major = u8::try_from(digits.next()?).ok()?;
            let minor = u8::try_from(digits.next()?).ok()?;
            Some((major, minor))
        }
        _ => None,
    }
}

fn passes(pass: Pass, value: &Value) -> bool {
    match pass {
        Pass::True => value.as_bool() == Some(true),
        Pass::False => value.as_bool() == Some(false),
        Pass::OneOf(list) => value
            .as_str()
            .is_some_and(|s| list.iter().any(|v| v.eq_ignore_ascii_case(s.trim()))),
        Pass::AtLeast(min) => value.as_i64().is_some_and(|n| n >= min),
        Pass::TlsAtLeast(major, minor) => value
            .as_str()
            .and_then(tls_version)
            .is_some_and(|v| v >= (major, minor)),
        // a block written empty (`bootDiagnostics: {}`) is set: its arguments take defaults; an
        // empty list is Terraform's way of leaving a block out
        Pass::Present => match value.reveal() {
            Value::Null => false,
            Value::String(s) => !s.trim().is_empty(),
            Value::Array(items) => !items.is_empty(),
            _ => true,
        },
    }
}

fn lit_passes(pass: Pass, lit: Lit) -> bool {
    passes(pass, &lit.value())
}

/// How a setting stands: it passes, or it does not, with a note on its value (`` `path` is
/// `false` ``, `` `path` is not set and defaults to `TLS1_0` ``) and the path.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Standing {
    /// The setting passes.
    Good,
    /// It does not: the note and the path, in the resource's spelling.
    Bad {
        /// What the setting is.
        note: String,
        /// Where.
        path: String,
    },
}

/// The [`Want`] that applies to the resource: `native` for Azure Native, `bridged` otherwise.
pub(crate) fn want_of(view: ResourceView<'_>, bridged: Want, native: Want) -> Want {
    if is_native(view) {
        native
    } else {
        bridged
    }
}

/// How one setting stands on the resource. An unknown value halts (indeterminate); a secret
/// value is shown as `[secret]`.
pub(crate) fn standing(view: ResourceView<'_>, want: Want) -> Result<Standing, Halt> {
    let (found, camel) = match read_want(view, want) {
        // a value known only after apply is still a value: what must be set, is
        Err(Halt::Unknown { .. }) if want.pass == Pass::Present => return Ok(Standing::Good),
        other => other?,
    };
    let path = at(view, camel);
    let note = match found {
        Some(value) if passes(want.pass, value) => return Ok(Standing::Good),
        Some(value) => {
            let secret = view.secret_at(camel);
            format!("`{path}` is `{}`", value.clone().tainted_if(secret).shown())
        }
        None => match want.unset {
            Unset::Default(lit) if lit_passes(want.pass, lit) => return Ok(Standing::Good),
            Unset::Default(lit) => format!(
                "`{path}` is not set and defaults to `{}`",
                lit.value().shown()
            ),
            Unset::Fails => format!("`{path}` is not set"),
        },
    };
    Ok(Standing::Bad { note, path })
}

/// The value of a wanted setting (the first of its names present) and the name it was read
/// under (the first name when none is present).
pub(crate) fn read_want<'a>(
    view: ResourceView<'a>,
    want: Want,
) -> Result<(Option<&'a Value>, &'static str), Halt> {
    let mut names = want.path.split('|');
    let first = names.next().unwrap_or(want.path);
    if let Some(found) = read(view, first)? {
        return Ok((Some(found), first));
    }
    for name in names {
        if let Some(found) = read(view, name)? {
            return Ok((Some(found), name));
        }
    }
    Ok((None, first))
}

/// The verdict of a rule on one setting: a violation `{noun} \`name\` {problem} ({note})` at the
/// setting when it does not pass.
pub(crate) fn setting_verdict(
    view: ResourceView<'_>,
    bridged: Want,
    native: Want,
    noun: &str,
    problem: &str,
) -> Result<Verdict, Halt> {
    match standing(view, want_of(view, bridged, native))? {
        Standing::Good => Ok(Verdict::Pass),
        Standing::Bad { note, path } => Ok(Verdict::violation(
            Violation::new(format!(
                "{noun} `{}` {problem} ({note})",
                view.resource.name
            ))
            .at(path),
        )),
    }
}

/// The fix of [`setting_verdict`]: the setting written with `bridged_fix` or `native_fix` (which
/// must pass), creating the blocks on the way in the resource's spelling; `None` when it already
/// passes. A block on the way known only after apply is left alone.
pub(crate) fn setting_fix(
    view: ResourceView<'_>,
    bridged: (Want, Lit),
    native: (Want, Lit),
) -> Result<Option<Value>, Halt> {
    let (want, lit) = if is_native(view) { native } else { bridged };
    if standing(view, want)? == Standing::Good {
        return Ok(None);
    }
    let (_, camel) = read_want(view, want)?;
    let mut props = view.props.clone();
    set_path(
        &mut props,
        view.resource.spelling,
        camel,
        lit.value(),
        UnknownBlocks::Keep,
    );
    Ok((props != *view.props).then_some(props))
}

/// A network security rule that admits inbound traffic from the internet: where it is (its path
/// in the resource's spelling, empty for a rule that is a resource of its own), its name, its
/// protocol and the destination port spans it opens. `secret` when any of these was read from a
/// secret: messages must not tell them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct OpenRule {
    /// The rule's path (`security_rule[0]`), or empty for a rule resource.
    pub(crate) path: String,
    /// The rule's `name`, if set.
    pub(crate) name: Option<String>,
    /// `Tcp`, `Udp`, `*`...
    pub(crate) protocol: String,
    /// Inclusive destination port spans; `(0, 65535)` for `*`.
    pub(crate) ports: Vec<(u16, u16)>,
    /// Whether any part was read from a secret.
    pub(crate) secret: bool,
}

impl OpenRule {
    /// Whether the rule carries `protocol` traffic (`Tcp`, `Udp`): its own protocol or `*`.
    pub(crate) fn carries(&self, protocol: &str) -> bool {
        let own = self.protocol.trim();
        own == "*" || own.eq_ignore_ascii_case("any") || own.eq_ignore_ascii_case(protocol)
    }

    /// The ports of `wanted` the rule opens.
    pub(crate) fn opens(&self, wanted: &[u16]) -> Vec<u16> {
        wanted
            .iter()
            .copied()
            .filter(|p| self.ports.iter().any(|(lo, hi)| lo <= p && p <= hi))
            .collect()
    }

    /// `` `security_rule[0]` (`allow-ssh`) `` for messages; `[secret]` for a secret name.
    pub(crate) fn label(&self) -> String {
        let name = match (&self.name, self.secret) {
            (Some(_), true) => " (`[secret]`)".to_string(),
            (Some(name), false) => format!(" (`{name}`)"),
            (None, _) => String::new(),
        };
        if self.path.is_empty() {
            name.trim().to_string()
        } else {
            format!("`{}`{name}", self.path)
        }
    }
}

/// Whether an address prefix means "any source on the internet".
pub(crate) fn is_internet_source(prefix: &str) -> bool {
    let p = prefix.trim();
    p == "*"
        || p.eq_ignore_ascii_case("internet")
        || p.eq_ignore_ascii_case("any")
        || p == "0.0.0.0"
        || super::is_world_cidr(p)
}

/// Parses a port range of a security rule: `22`, `1000-2000`, `*`.
fn port_span(text: &str) -> Option<(u16, u16)> {
    let t = text.trim();
    if t == "*" {
        return Some((0, u16::MAX));
    }
    match t.split_once('-') {
        Some((lo, hi)) => Some((lo.trim().parse().ok()?, hi.trim().parse().ok()?)),
        None => {
            let port = t.parse().ok()?;
            Some((port, port))
        }
    }
}

/// The strings of a property of a rule that is a string or a list of strings (`sourceAddressPrefix`
/// and `sourceAddressPrefixes`); unknown values halt with their path.
fn strings_in(
    rule: &Value,
    spelling: Spelling,
    base: &str,
    camels: &[&str],
    secret: &mut bool,
) -> Result<Vec<String>, Halt> {
    let mut out = Vec::new();
    for camel in camels {
        let path = super::join(spelling, base, camel);
        let (found, traced) = rule.lookup_traced(camel);
        *secret |= traced;
        match found {
            guardrail_core::value::Lookup::Unknown => return Err(Halt::unknown(path)),
            guardrail_core::value::Lookup::Missing => {}
            guardrail_core::value::Lookup::Found(value) => {
                for item in value.items() {
                    if item.is_unknown() {
                        return Err(Halt::unknown(path));
                    }
                    if let Some(s) = item.as_str() {
                        out.push(s.to_string());
                    }
                }
            }
        }
    }
    Ok(out)
}

/// The rule at `base` if it admits inbound traffic from the internet.
fn open_rule(rule: &Value, spelling: Spelling, base: &str) -> Result<Option<OpenRule>, Halt> {
    let mut secret = rule.is_secret();
    let rule = rule.reveal();
    let text = |camel: &str, secret: &mut bool| -> Result<Option<String>, Halt> {
        let (found, traced) = rule.lookup_traced(camel);
        *secret |= traced;
        match found {
            guardrail_core::value::Lookup::Unknown => {
                Err(Halt::unknown(super::join(spelling, base, camel)))
            }
            guardrail_core::value::Lookup::Missing => Ok(None),
            guardrail_core::value::Lookup::Found(v) => Ok(v.as_str().map(str::to_string)),
        }
    };
    let direction = text("direction", &mut secret)?.unwrap_or_default();
    let access = text("access", &mut secret)?.unwrap_or_default();
    if !direction.eq_ignore_ascii_case("Inbound") || !access.eq_ignore_ascii_case("Allow") {
        return Ok(None);
    }
    let sources = strings_in(
        rule,
        spelling,
        base,
        &["sourceAddressPrefix", "sourceAddressPrefixes"],
        &mut secret,
    )?;
    if !sources.iter().any(|s| is_internet_source(s)) {
        return Ok(None);
    }
    let ranges = strings_in(
        rule,
        spelling,
        base,
        &["destinationPortRange", "destinationPortRanges"],
        &mut secret,
    )?;
    let ports = ranges.iter().filter_map(|r| port_span(r)).collect();
    Ok(Some(OpenRule {
        path: base.to_string(),
        name: text("name", &mut secret)?,
        protocol: text("protocol", &mut secret)?.unwrap_or_else(|| "*".to_string()),
        ports,
        secret,
    }))
}

/// The security rules of a network security group (inline `security_rule`, Pulumi and Azure
/// Native `securityRules`), or the rule resource itself (`azurerm_network_security_rule`,
/// Azure Native `SecurityRule`), that admit inbound traffic from the internet.
pub(crate) fn internet_rules(view: ResourceView<'_>) -> Result<Vec<OpenRule>, Halt> {
    let spelling = view.resource.spelling;
    let canonical = super::canonical(&view);
    if canonical == "azurerm_network_security_rule" {
        return Ok(open_rule(view.props, spelling, "")?.into_iter().collect());
    }
    let mut out = Vec::new();
    for (path, rule) in super::items_of(view, &["securityRules", "securityRule"])? {
        if let Some(open) = open_rule(rule, spelling, &path)? {
            out.push(open);
        }
    }
    Ok(out)
}

/// The verdict of a rule that no internet-facing security rule opens any of `ports` over
/// `protocol` (`Tcp`/`Udp`): one violation per offending rule, naming the group or rule
/// resource, what it opens and where.
pub(crate) fn nsg_ports_verdict(
    view: ResourceView<'_>,
    protocol: &str,
    ports: &[u16],
    what: &str,
) -> Result<Verdict, Halt> {
    let own = super::canonical(&view) == "azurerm_network_security_rule";
    let noun = if own {
        "security rule"
    } else {
        "network security group"
    };
    let mut violations = Vec::new();
    for rule in internet_rules(view)? {
        if !rule.carries(protocol) {
            continue;
        }
        let open = rule.opens(ports);
        if open.is_empty() {
            continue;
        }
        let labels = super::port_labels(open, rule.secret);
        let place = if own {
            String::new()
        } else {
            format!(" in {}", rule.label())
        };
        let message = format!(
            "{noun} `{}` allows {what} from the internet to port{} {}{place}",
            view.resource.name,
            if labels.len() == 1 { "" } else { "s" },
            super::join_words(&labels),
        );
        let mut violation = Violation::new(message);
        if !rule.path.is_empty() {
            violation = violation.at(rule.path.clone());
        }
        violations.push(violation);
    }
    Ok(Verdict::from_violations(violations))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tls_versions_in_every_spelling() {
        assert_eq!(tls_version("TLS1_2"), Some((1, 2)));
        assert_eq!(tls_version("1.2"), Some((1, 2)));
        assert_eq!(tls_version("Tls12"), Some((1, 2)));
        assert_eq!(tls_version("TLSv1.3"), Some((1, 3)));
        assert_eq!(tls_version("TLS1_0"), Some((1, 0)));
        assert_eq!(tls_version("TLSEnforcementDisabled"), None);
        assert_eq!(tls_version("Disabled"), None);
        assert!(passes(Pass::TlsAtLeast(1, 2), &Value::string("1.3")));
        assert!(!passes(Pass::TlsAtLeast(1, 2), &Value::string("1.1")));
        assert!(!passes(
            Pass::TlsAtLeast(1, 2),
            &Value::string("TLSEnforcementDisabled")
        ));
    }

    #[test]
    fn passing_values() {
        assert!(passes(
            Pass::OneOf(&["Disabled"]),
            &Value::string("disabled")
        ));
        assert!(!passes(
            Pass::OneOf(&["Disabled"]),
            &Value::string("Enabled")
        ));
        assert!(passes(Pass::True, &Value::string("true")));
        assert!(!passes(Pass::False, &Value::string("maybe")));
        assert!(passes(Pass::AtLeast(90), &Value::from(90)));
        assert!(!passes(Pass::AtLeast(90), &Value::from(30)));
        let empty_block = Value::from_json(serde_json::json!({}));
        assert!(passes(Pass::Present, &empty_block));
        let no_block = Value::from_json(serde_json::json!([]));
        assert!(!passes(Pass::Present, &no_block));
        assert!(!passes(Pass::Present, &Value::string(" ")));
    }
}
