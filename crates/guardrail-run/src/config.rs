//! The project configuration file, `guardrail.toml` (documented in `docs/config.md`).
//!
//! Found by walking up from a directory the caller names ([`discover`]; the command line starts
//! at its working directory), or named with `--config FILE`. Relative paths
//! in it (packs, baseline, report files) are relative to the file's directory. Command-line
//! flags override it. Every error names the file, line and column, the key, and what to do.

use std::collections::{BTreeMap, HashMap};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

use serde::de::{self, Deserializer, MapAccess, Visitor};
use serde::Deserialize;
use toml::Spanned;

use guardrail_core::engine::PolicyOverride;
use guardrail_core::{Enforcement, Exemption, Pack, PolicySettings, Severity};
use guardrail_report::baseline::FailOn;

use crate::{schema, select, Error};

/// The file name looked for.
pub const FILE_NAME: &str = "guardrail.toml";

/// Output defaults (`[output]`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct OutputConfig {
    /// The format written to standard output (or to a plain `--output FILE`).
    pub format: Option<String>,
    /// Only blocking findings, errors and the summary.
    pub quiet: Option<bool>,
    /// `auto`, `always` or `never`.
    pub color: Option<String>,
    /// Reports to write, `FORMAT=FILE`, paths resolved against the config's directory.
    pub reports: Vec<String>,
}

/// A loaded configuration.
#[derive(Clone, Debug, Default)]
pub struct Config {
    /// The file it came from.
    pub path: PathBuf,
    /// Policy pack directories, resolved against the config's directory.
    pub packs: Vec<PathBuf>,
    /// Catalog selectors (as `--select`).
    pub select: Vec<String>,
    /// Catalog selectors to leave out (as `--ignore`).
    pub ignore: Vec<String>,
    /// Strict mode.
    pub strict: Option<bool>,
    /// Which levels fail the run.
    pub fail_on: Option<FailOn>,
    /// Only findings of this severity or higher fail the run.
    pub fail_on_severity: Option<Severity>,
    /// A baseline file, resolved against the config's directory.
    pub baseline: Option<PathBuf>,
    /// Enforcement and configuration per policy.
    pub settings: PolicySettings,
    /// Exemptions, in file order.
    pub exemptions: Vec<Exemption>,
    /// Output defaults.
    pub output: OutputConfig,
    /// Where each `[policies]` key (and each of its properties, `key/property`) is: line, column.
    spans: HashMap<String, (usize, usize)>,
    /// Where each exemption is.
    exemption_spans: Vec<(usize, usize)>,
}

/// 1-based line and column of a byte offset.
fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let before = text.get(..offset.min(text.len())).unwrap_or(text);
    let line = before.matches('\n').count() + 1;
    let col = before
        .rsplit('\n')
        .next()
        .map(|l| l.chars().count() + 1)
        .unwrap_or(1);
    (line, col)
}

/// One `[policies]` entry: a level, or a table of `enforcement` and configuration properties.
enum RawPolicy {
    Level(String),
    Table(Vec<(Spanned<String>, Spanned<toml::Value>)>),
}

impl<'de> Deserialize<'de> for RawPolicy {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = RawPolicy;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an enforcement level or a table of `enforcement` and properties")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<RawPolicy, E> {
                Ok(RawPolicy::Level(v.to_string()))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawPolicy, A::Error> {
                let mut entries = Vec::new();
                while let Some(key) = map.next_key::<Spanned<String>>()? {
                    let value = map.next_value::<Spanned<toml::Value>>()?;
                    entries.push((key, value));
                }
                Ok(RawPolicy::Table(entries))
            }
        }
        d.deserialize_any(V)
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawExemption {
    #[serde(default)]
    policies: Vec<String>,
    #[serde(default)]
    resources: Vec<String>,
    reason: Option<String>,
    expires: Option<toml::Value>,
    approved_by: Option<String>,
    ticket: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawOutput {
    format: Option<Spanned<String>>,
    quiet: Option<bool>,
    color: Option<Spanned<String>>,
    #[serde(default)]
    reports: Vec<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Raw {
    #[serde(default)]
    packs: Vec<String>,
    #[serde(default)]
    select: Vec<String>,
    #[serde(default)]
    ignore: Vec<String>,
    strict: Option<bool>,
    fail_on: Option<Spanned<String>>,
    fail_on_severity: Option<Spanned<String>>,
    baseline: Option<String>,
    #[serde(default)]
    policies: BTreeMap<Spanned<String>, Spanned<RawPolicy>>,
    #[serde(default)]
    exemptions: Vec<Spanned<RawExemption>>,
    output: Option<RawOutput>,
}

/// The formats an output entry may name.
pub const FORMATS: [&str; 5] = ["human", "json", "sarif", "junit", "markdown"];

/// Whether `text` is a real calendar date written `YYYY-MM-DD`.
pub fn is_date(text: &str) -> bool {
    let b = text.as_bytes();
    if b.len() != 10 || b.get(4) != Some(&b'-') || b.get(7) != Some(&b'-') {
        return false;
    }
    let num = |r: std::ops::Range<usize>| text.get(r).and_then(|s| s.parse::<u32>().ok());
    let (Some(y), Some(m), Some(d)) = (num(0..4), num(5..7), num(8..10)) else {
        return false;
    };
    let leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    let days = match m {
        1 | 3 | 5 | 7 | 8 | 10 | 12 => 31,
        4 | 6 | 9 | 11 => 30,
        2 if leap => 29,
        2 => 28,
        _ => return false,
    };
    (1..=days).contains(&d)
}

/// Today's date, `YYYY-MM-DD` (UTC), or `fixed` when given (the command line passes
/// `GUARDRAIL_TODAY`, for tests and replays; a date that is not one is an error naming it).
pub fn today(fixed: Option<&str>) -> Result<String, Error> {
    if let Some(fixed) = fixed {
        if is_date(fixed) {
            return Ok(fixed.to_string());
        }
        return Err(
            Error::config(format!("`GUARDRAIL_TODAY={fixed}` is not a date"))
                .help("write it as YYYY-MM-DD, or unset it to use the system clock"),
        );
    }
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map(|d| d.as_secs())
        .unwrap_or(0);
    Ok(civil_date(i64::try_from(secs / 86_400).unwrap_or(0)))
}

/// The calendar date of a day count since 1970-01-01 (proleptic Gregorian).
pub fn civil_date(days: i64) -> String {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!("{y:04}-{m:02}-{d:02}")
}

/// Walks up from `start` to the first directory holding `guardrail.toml`.
pub fn discover(start: &Path) -> Option<PathBuf> {
    start
        .ancestors()
        .map(|dir| dir.join(FILE_NAME))
        .find(|candidate| candidate.is_file())
}

/// An error at a place in the file.
fn at(path: &Path, (line, col): (usize, usize), message: String, help: &str) -> Error {
    Error::config(format!("{}:{line}:{col}: {message}", path.display())).help(help)
}

/// Converts a TOML value to JSON (dates become strings).
fn to_json(v: &toml::Value) -> serde_json::Value {
    match v {
        toml::Value::String(s) => serde_json::Value::String(s.clone()),
        toml::Value::Integer(i) => serde_json::Value::from(*i),
        toml::Value::Float(f) => serde_json::Number::from_f64(*f)
            .map(serde_json::Value::Number)
            .unwrap_or(serde_json::Value::Null),
        toml::Value::Boolean(b) => serde_json::Value::Bool(*b),
        toml::Value::Datetime(d) => serde_json::Value::String(d.to_string()),
        toml::Value::Array(items) => serde_json::Value::Array(items.iter().map(to_json).collect()),
        toml::Value::Table(t) => {
            serde_json::Value::Object(t.iter().map(|(k, v)| (k.clone(), to_json(v))).collect())
        }
    }
}

fn level(path: &Path, pos: (usize, usize), key: &str, text: &str) -> Result<Enforcement, Error> {
    Enforcement::from_str(text).map_err(|_| {
        at(
            path,
            pos,
            format!("`{key}` has the enforcement level `{text}`"),
            "use one of advisory, mandatory, remediate, disabled",
        )
    })
}

/// What a name in the config may refer to: the policies it can name.
pub struct Known<'a> {
    /// Ids and names of every policy that could run (the catalog and loaded packs).
    pub names: Vec<&'a str>,
    /// Whether names outside `names` may still be valid (packs not loaded, e.g. by
    /// `config validate`).
    pub open: bool,
}

impl Known<'_> {
    fn check(&self, name: &str) -> Result<(), String> {
        if self.open || self.names.iter().any(|n| n.eq_ignore_ascii_case(name)) {
            return Ok(());
        }
        Err(match select::nearest(name, self.names.iter().copied()) {
            Some(n) => format!("did you mean `{n}`? `guardrail rules` lists every policy"),
            None => "name policies by id or name; `guardrail rules` lists them".to_string(),
        })
    }
}

impl Config {
    /// Parses a config file's text.
    pub fn parse(path: &Path, text: &str, known: &Known<'_>) -> Result<Config, Error> {
        let raw: Raw = toml::from_str(text).map_err(|e| {
            let pos = e.span().map(|s| line_col(text, s.start)).unwrap_or((1, 1));
            let message = e.message().trim().to_string();
            let help = if message.contains("unknown field") {
                "remove or rename the key; docs/config.md lists every field"
            } else {
                "fix the TOML at this place; docs/config.md describes the file"
            };
            at(path, pos, message, help)
        })?;
        let dir = path.parent().unwrap_or(Path::new("."));
        let resolve = |p: &str| {
            let p = Path::new(p);
            if p.is_absolute() || dir.as_os_str().is_empty() {
                p.to_path_buf()
            } else {
                dir.join(p)
            }
        };
        let pos = |span: std::ops::Range<usize>| line_col(text, span.start);
        let mut config = Config {
            path: path.to_path_buf(),
            packs: raw.packs.iter().map(|p| resolve(p)).collect(),
            select: raw.select,
            ignore: raw.ignore,
            strict: raw.strict,
            baseline: raw.baseline.as_deref().map(resolve),
            ..Config::default()
        };
        if let Some(f) = &raw.fail_on {
            config.fail_on = Some(FailOn::parse(f.get_ref()).ok_or_else(|| {
                at(
                    path,
                    pos(f.span()),
                    format!("`fail_on` is `{}`", f.get_ref()),
                    "use one of mandatory, advisory, never",
                )
            })?);
        }
        if let Some(s) = &raw.fail_on_severity {
            config.fail_on_severity = Some(Severity::from_str(s.get_ref()).map_err(|_| {
                at(
                    path,
                    pos(s.span()),
                    format!("`fail_on_severity` is `{}`", s.get_ref()),
                    "use one of low, medium, high, critical",
                )
            })?);
        }

        for (key, entry) in &raw.policies {
            let name = key.get_ref();
            let key_pos = pos(key.span());
            config.spans.insert(name.clone(), key_pos);
            if name == "all" {
                match entry.get_ref() {
                    RawPolicy::Level(l) => {
                        config.settings.all = Some(level(path, key_pos, "policies.all", l)?);
                    }
                    RawPolicy::Table(_) => {
                        return Err(at(
                            path,
                            key_pos,
                            "`policies.all` must be an enforcement level".into(),
                            "write all = \"advisory\" (or mandatory, remediate, disabled)",
                        ))
                    }
                }
                continue;
            }
            if let Err(help) = known.check(name) {
                return Err(at(
                    path,
                    key_pos,
                    format!("`policies.{name}` names no policy"),
                    &help,
                ));
            }
            let over = match entry.get_ref() {
                RawPolicy::Level(l) => PolicyOverride {
                    enforcement: Some(level(path, key_pos, &format!("policies.{name}"), l)?),
                    config: serde_json::Map::new(),
                },
                RawPolicy::Table(props) => {
                    let mut over = PolicyOverride::default();
                    for (k, v) in props {
                        if k.get_ref() == "enforcement" || k.get_ref() == "enforcementLevel" {
                            let text = v.get_ref().as_str().unwrap_or_default();
                            over.enforcement = Some(level(
                                path,
                                pos(v.span()),
                                &format!("policies.{name}.{}", k.get_ref()),
                                text,
                            )?);
                            continue;
                        }
                        config
                            .spans
                            .insert(format!("{name}/{}", k.get_ref()), pos(v.span()));
                        over.config
                            .insert(k.get_ref().clone(), to_json(v.get_ref()));
                    }
                    over
                }
            };
            config.settings.policies.insert(name.clone(), over);
        }

        for e in &raw.exemptions {
            let p = pos(e.span());
            let r = e.get_ref();
            let fail = |message: String, help: &str| Err(at(path, p, message, help));
            if r.policies.is_empty() {
                return fail(
                    "an exemption names no policies".into(),
                    "add policies = [\"AWS-S3-001\"] (ids, names or globs)",
                );
            }
            if r.resources.is_empty() {
                return fail(
                    "an exemption names no resources".into(),
                    "add resources = [\"aws_s3_bucket.logs\"] (ids, URNs or addresses; globs with * and ?)",
                );
            }
            let Some(reason) = r.reason.as_ref().filter(|s| !s.trim().is_empty()) else {
                return fail(
                    format!("the exemption of {} has no `reason`", r.policies.join(", ")),
                    "say why it is granted: reason = \"...\"",
                );
            };
            for name in &r.policies {
                if name.contains(['*', '?']) {
                    continue;
                }
                if let Err(help) = known.check(name) {
                    return fail(
                        format!("the exemption names `{name}`, which is no policy"),
                        &help,
                    );
                }
            }
            let expires = match &r.expires {
                None => None,
                Some(v) => {
                    let text = match v {
                        toml::Value::String(s) => s.clone(),
                        toml::Value::Datetime(d) => d.to_string(),
                        other => to_json(other).to_string(),
                    };
                    if !is_date(&text) {
                        return fail(
                            format!("the exemption's `expires` is `{text}`, not a date"),
                            "write the last day it applies as YYYY-MM-DD, e.g. expires = 2027-01-31",
                        );
                    }
                    Some(text)
                }
            };
            config.exemptions.push(Exemption {
                policies: r.policies.clone(),
                resources: r.resources.clone(),
                reason: reason.clone(),
                expires,
                approved_by: r.approved_by.clone(),
                ticket: r.ticket.clone(),
                central: false,
            });
            config.exemption_spans.push(p);
        }

        if let Some(o) = &raw.output {
            if let Some(f) = &o.format {
                if !FORMATS.contains(&f.get_ref().as_str()) {
                    return Err(at(
                        path,
                        pos(f.span()),
                        format!("`output.format` is `{}`", f.get_ref()),
                        &format!("use one of {}", FORMATS.join(", ")),
                    ));
                }
            }
            if let Some(c) = &o.color {
                if !["auto", "always", "never"].contains(&c.get_ref().as_str()) {
                    return Err(at(
                        path,
                        pos(c.span()),
                        format!("`output.color` is `{}`", c.get_ref()),
                        "use one of auto, always, never",
                    ));
                }
            }
            let mut reports = Vec::new();
            for r in &o.reports {
                let Some((format, file)) = r.get_ref().split_once('=') else {
                    return Err(at(
                        path,
                        pos(r.span()),
                        format!("the report `{}` names no format", r.get_ref()),
                        "write FORMAT=FILE, e.g. \"sarif=guardrail.sarif\"",
                    ));
                };
                if !FORMATS.contains(&format) || file.is_empty() {
                    return Err(at(
                        path,
                        pos(r.span()),
                        format!("the report `{}` is not FORMAT=FILE", r.get_ref()),
                        &format!("FORMAT is one of {}", FORMATS.join(", ")),
                    ));
                }
                reports.push(format!("{format}={}", resolve(file).display()));
            }
            config.output = OutputConfig {
                format: o.format.as_ref().map(|f| f.get_ref().clone()),
                quiet: o.quiet,
                color: o.color.as_ref().map(|c| c.get_ref().clone()),
                reports,
            };
        }
        Ok(config)
    }

    /// `file:line:col` of a `[policies]` key, or of one of its properties.
    fn place(&self, key: &str, property: Option<&str>) -> String {
        let pos = property
            .and_then(|p| self.spans.get(&format!("{key}/{p}")))
            .or_else(|| self.spans.get(key));
        match pos {
            Some((l, c)) => format!("{}:{l}:{c}", self.path.display()),
            None => self.path.display().to_string(),
        }
    }
}

/// Validates every configured policy's settings against its JSON Schema (with the schema's
/// defaults applied, as the engine applies them). `place` names where a key is written.
pub fn validate_policy_config(
    packs: &[Pack],
    settings: &PolicySettings,
    place: &dyn Fn(&str, Option<&str>) -> String,
) -> Result<(), Error> {
    let mut errors: Vec<String> = Vec::new();
    let mut keys: Vec<&String> = settings.policies.keys().collect();
    keys.sort();
    for key in keys {
        let Some(over) = settings.policies.get(key) else {
            continue;
        };
        if over.config.is_empty() {
            continue;
        }
        for pack in packs {
            for policy in &pack.policies {
                let meta = policy.meta();
                if meta.id != *key && meta.name != *key {
                    continue;
                }
                let Some(schema_json) = meta.config_schema.as_ref() else {
                    let first = over.config.keys().next().map(String::as_str);
                    errors.push(format!(
                        "{}: policy `{}` (pack `{}`) takes no configuration, found the property `{}`",
                        place(key, first),
                        meta.id,
                        pack.name,
                        first.unwrap_or_default()
                    ));
                    continue;
                };
                let mut merged = guardrail_core::engine::schema_defaults(Some(schema_json));
                merged.extend(over.config.iter().map(|(k, v)| (k.clone(), v.clone())));
                let declared = schema_json
                    .get("properties")
                    .and_then(serde_json::Value::as_object);
                for k in over.config.keys() {
                    let undeclared = declared.is_some_and(|d| !d.contains_key(k))
                        && schema_json.get("additionalProperties").is_none();
                    if undeclared {
                        let names: Vec<&str> = declared
                            .map(|d| d.keys().map(String::as_str).collect())
                            .unwrap_or_default();
                        let hint = match select::nearest(k, names.iter().copied()) {
                            Some(n) => format!(" (did you mean `{n}`?)"),
                            None => String::new(),
                        };
                        errors.push(format!(
                            "{}: policy `{}` (pack `{}`): unknown property `{k}`{hint}; expected one of {}",
                            place(key, Some(k)),
                            meta.id,
                            pack.name,
                            names.join(", ")
                        ));
                    }
                }
                for m in schema::validate(schema_json, &serde_json::Value::Object(merged)) {
                    let top = m.path.split(['.', '[']).next().unwrap_or_default();
                    errors.push(format!(
                        "{}: policy `{}` (pack `{}`): property `{}`: expected {}, found {}",
                        place(key, Some(top)),
                        meta.id,
                        pack.name,
                        m.path,
                        m.expected,
                        m.found
                    ));
                }
            }
        }
    }
    if errors.is_empty() {
        return Ok(());
    }
    Err(Error::config(errors.join("\nerror: ")).help(
        "fix the configuration; `guardrail rule ID` shows each policy's properties and defaults",
    ))
}

impl Config {
    /// Validates the configured policies' settings against their schemas.
    pub fn validate_policies(&self, packs: &[Pack]) -> Result<(), Error> {
        validate_policy_config(packs, &self.settings, &|k, p| self.place(k, p))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn known() -> Known<'static> {
        Known {
            names: vec!["AWS-S3-001", "PLATFORM-001", "component-memory-limit"],
            open: false,
        }
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(19_723), "2024-01-01");
        assert_eq!(civil_date(11_016), "2000-02-29");
        assert!(is_date("2024-02-29"));
        assert!(!is_date("2023-02-29"));
        assert!(!is_date("2023-13-01"));
        assert!(!is_date("31/01/2027"));
    }

    #[test]
    fn parses_every_section() {
        let text = r#"
packs = ["policies"]
select = ["AWS-S3", "PLATFORM"]
ignore = ["AWS-S3-011"]
strict = true
fail_on = "advisory"
fail_on_severity = "high"
baseline = "baseline.json"

[policies]
all = "advisory"
"AWS-S3-001" = "mandatory"

[policies.PLATFORM-001]
enforcement = "mandatory"
limit = "4Gi"

[[exemptions]]
policies = ["AWS-S3-*"]
resources = ["aws_s3_bucket.logs"]
reason = "the log bucket"
expires = 2027-01-31
approved_by = "alice"
ticket = "SEC-1"

[output]
format = "markdown"
reports = ["sarif=out/guardrail.sarif"]
"#;
        let c = Config::parse(Path::new("repo/guardrail.toml"), text, &known()).unwrap();
        assert_eq!(c.packs, vec![PathBuf::from("repo/policies")]);
        assert_eq!(c.select, vec!["AWS-S3", "PLATFORM"]);
        assert_eq!(c.fail_on, Some(FailOn::Advisory));
        assert_eq!(c.fail_on_severity, Some(Severity::High));
        assert_eq!(c.settings.all, Some(Enforcement::Advisory));
        assert_eq!(
            c.settings.policies["AWS-S3-001"].enforcement,
            Some(Enforcement::Mandatory)
        );
        assert_eq!(c.settings.policies["PLATFORM-001"].config["limit"], "4Gi");
        assert_eq!(c.exemptions[0].expires.as_deref(), Some("2027-01-31"));
        assert_eq!(c.output.reports, vec!["sarif=repo/out/guardrail.sarif"]);
        assert_eq!(
            c.place("PLATFORM-001", Some("limit")),
            "repo/guardrail.toml:16:9"
        );
    }

    #[test]
    fn errors_name_file_line_column_and_key() {
        let cases = [
            ("strict = true\nfail_on = \"often\"\n", "c.toml:2:11: `fail_on` is `often`"),
            ("colour = 1\n", "c.toml:1:1: unknown field `colour`"),
            ("[policies]\nAWS-S3-01 = \"mandatory\"\n", "c.toml:2:1: `policies.AWS-S3-01` names no policy"),
            ("[policies]\nall = \"sometimes\"\n", "c.toml:2:1: `policies.all` has the enforcement level `sometimes`"),
            ("[[exemptions]]\npolicies = [\"AWS-S3-001\"]\nresources = [\"*\"]\n", "c.toml:1:1: the exemption of AWS-S3-001 has no `reason`"),
            ("[[exemptions]]\npolicies = [\"AWS-S3-001\"]\nresources = [\"*\"]\nreason = \"r\"\nexpires = \"2027-02-30\"\n", "not a date"),
        ];
        for (text, want) in cases {
            let e = Config::parse(Path::new("c.toml"), text, &known()).unwrap_err();
            assert!(e.message.contains(want), "{want:?} not in {:?}", e.message);
            assert!(e.help.is_some());
        }
        let e = Config::parse(
            Path::new("c.toml"),
            "[policies]\nAWS-S3-01 = \"mandatory\"\n",
            &known(),
        )
        .unwrap_err();
        assert!(e.help.unwrap_or_default().contains("`AWS-S3-001`"));
    }
}
