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
    /// Any value but an empty string, list or block (a block or an id that must be set).
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
        Pass::Present => match value.reveal() {
            Value::Null => false,
            Value::String(s) => !s.trim().is_empty(),
            Value::Array(items) => !items.is_empty(),
            Value::Object(map) => !map.is_empty(),
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
    let (found, camel) = read_want(view, want)?;
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
    }
}
