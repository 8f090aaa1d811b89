//! Selecting catalog rules by id and by metadata: the grammar of `--select` and `--ignore`.
//!
//! A *selection* is a list of selectors. Each command-line flag value is split at commas, so
//! `--select a,b --select c` is the list `a`, `b`, `c`. A selector is one of:
//!
//! | selector | field | picks the rules |
//! |---|---|---|
//! | `all` | id | every rule |
//! | `AWS-S3-001`, `AWS-S3`, `aws`, `s3-bucket-versioning` | id | whose id is, or starts with, the text, or whose name is the text |
//! | `id=AWS-S3` | id | the same, spelled out |
//! | `vendor=aws` | vendor | of that vendor |
//! | `service=s3` | service | that list the service |
//! | `severity=high`, `severity>=high` (also `>`, `<=`, `<`) | severity | whose severity compares so |
//! | `topic=encryption` | topic | that list the topic |
//! | `framework=pci-dss` | framework | mapped to any control of the framework |
//! | `framework=cis-aws:2.1` | framework | mapped to that control, or to one below it (`2.1.1`) |
//!
//! Selectors of the same field are alternatives (OR); fields are requirements (AND):
//! `service=s3,service=rds,severity>=high` picks the S3 and RDS rules of high or critical
//! severity. Text is matched ignoring case. Every selector must be valid on its own — a known
//! field, a value some rule has, an id prefix some rule starts with — or parsing fails with a
//! [`SelectError`] naming the nearest valid value.
//!
//! [`select`] applies a `--select` selection, then removes what an `--ignore` selection (same
//! grammar) picks.

use std::collections::BTreeSet;
use std::fmt;

use guardrail_core::Severity;

use crate::rule::{Frameworks, RuleSpec};

/// The id prefix of the platform demo rules: guardrails of one example organization
/// (component memory limits, its encryption and tagging conventions). They run only when
/// selected by id, prefix or metadata (`--select PLATFORM`, `--select topic=tagging`).
pub const DEMO_PREFIX: &str = "PLATFORM-";

/// Whether a rule runs when nothing is selected: every rule except the platform demos.
pub fn in_default_set(spec: &RuleSpec) -> bool {
    !spec.id.starts_with(DEMO_PREFIX)
}

/// The metadata field a selector tests.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    /// Id, id prefix or name (a bare selector), or `all`.
    Id,
    /// `vendor=`.
    Vendor,
    /// `service=`.
    Service,
    /// `severity=`, `severity>=`, ...
    Severity,
    /// `topic=`.
    Topic,
    /// `framework=`.
    Framework,
}

impl Field {
    /// Every field, in the order selections are documented.
    pub const ALL: [Field; 6] = [
        Field::Id,
        Field::Vendor,
        Field::Service,
        Field::Severity,
        Field::Topic,
        Field::Framework,
    ];

    /// The name written before the operator.
    pub fn as_str(self) -> &'static str {
        match self {
            Field::Id => "id",
            Field::Vendor => "vendor",
            Field::Service => "service",
            Field::Severity => "severity",
            Field::Topic => "topic",
            Field::Framework => "framework",
        }
    }

    fn plural(self) -> &'static str {
        match self {
            Field::Id => "ids",
            Field::Vendor => "vendors",
            Field::Service => "services",
            Field::Severity => "severities",
            Field::Topic => "topics",
            Field::Framework => "frameworks",
        }
    }

    fn parse(name: &str) -> Option<Field> {
        Field::ALL
            .into_iter()
            .find(|f| f.as_str().eq_ignore_ascii_case(name.trim()))
    }
}

/// How a severity selector compares.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Comparison {
    /// `=`
    Eq,
    /// `>=`
    AtLeast,
    /// `>`
    Above,
    /// `<=`
    AtMost,
    /// `<`
    Below,
}

impl Comparison {
    fn as_str(self) -> &'static str {
        match self {
            Comparison::Eq => "=",
            Comparison::AtLeast => ">=",
            Comparison::Above => ">",
            Comparison::AtMost => "<=",
            Comparison::Below => "<",
        }
    }

    fn holds(self, actual: Severity, wanted: Severity) -> bool {
        match self {
            Comparison::Eq => actual == wanted,
            Comparison::AtLeast => actual >= wanted,
            Comparison::Above => actual > wanted,
            Comparison::AtMost => actual <= wanted,
            Comparison::Below => actual < wanted,
        }
    }
}

/// One parsed selector.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Selector {
    /// `all`.
    All,
    /// An id, id prefix or name, as written.
    Id(String),
    /// `vendor=V`, lowercased.
    Vendor(String),
    /// `service=S`, lowercased.
    Service(String),
    /// `severity OP LEVEL`.
    Severity(Comparison, Severity),
    /// `topic=T`, lowercased.
    Topic(String),
    /// `framework=F` or `framework=F:CONTROL`; the framework lowercased.
    Framework {
        /// The framework slug, e.g. `pci-dss`.
        framework: String,
        /// A control id or control prefix within it, e.g. `2.1.1`.
        control: Option<String>,
    },
}

impl Selector {
    /// The field the selector tests.
    pub fn field(&self) -> Field {
        match self {
            Selector::All | Selector::Id(_) => Field::Id,
            Selector::Vendor(_) => Field::Vendor,
            Selector::Service(_) => Field::Service,
            Selector::Severity(..) => Field::Severity,
            Selector::Topic(_) => Field::Topic,
            Selector::Framework { .. } => Field::Framework,
        }
    }

    /// Whether the selector picks the rule.
    pub fn matches(&self, spec: &RuleSpec) -> bool {
        let listed =
            |list: &[&str], wanted: &str| list.iter().any(|x| x.eq_ignore_ascii_case(wanted));
        match self {
            Selector::All => true,
            Selector::Id(text) => {
                spec.name.eq_ignore_ascii_case(text)
                    || spec
                        .id
                        .get(..text.len())
                        .is_some_and(|head| head.eq_ignore_ascii_case(text))
            }
            Selector::Vendor(v) => spec.vendor.eq_ignore_ascii_case(v),
            Selector::Service(s) => listed(spec.services, s),
            Selector::Severity(cmp, level) => cmp.holds(spec.severity, *level),
            Selector::Topic(t) => listed(spec.topics, t),
            Selector::Framework { framework, control } => match spec.frameworks {
                Frameworks::Mapped(list) => list.iter().any(|c| {
                    c.framework.eq_ignore_ascii_case(framework)
                        && match control {
                            None => true,
                            Some(wanted) => {
                                c.controls.iter().any(|have| control_under(have, wanted))
                            }
                        }
                }),
                Frameworks::None { .. } => false,
            },
        }
    }
}

/// Whether the control `have` is `wanted` or sits below it (`2.1.1` under `2.1`, `SC-28(1)`
/// under `SC-28`, `A.8.24` under `A.8`).
fn control_under(have: &str, wanted: &str) -> bool {
    let wanted = wanted.trim();
    if have.eq_ignore_ascii_case(wanted) {
        return true;
    }
    match (have.get(..wanted.len()), have.get(wanted.len()..)) {
        (Some(head), Some(rest)) => {
            head.eq_ignore_ascii_case(wanted)
                && !wanted.is_empty()
                && rest.starts_with(['.', '(', '-'])
        }
        _ => false,
    }
}

/// A selector that cannot be used: malformed, an unknown field, or a value no rule has.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SelectError {
    /// The selector as written.
    pub selector: String,
    /// What is wrong, a predicate of the selector, lowercase, user input in backticks (e.g.
    /// "names an unknown service `s4`", "matches no built-in policy").
    pub problem: String,
    /// The nearest valid selector, written out in full (e.g. `service=s3`).
    pub suggestion: Option<String>,
    /// What would be valid here (e.g. "services: apigateway, cloudfront, ...").
    pub expected: Option<String>,
}

impl fmt::Display for SelectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "`{}` {}", self.selector, self.problem)?;
        if let Some(s) = &self.suggestion {
            write!(f, "; did you mean `{s}`?")?;
        }
        Ok(())
    }
}

impl std::error::Error for SelectError {}

/// A parsed selection: selectors grouped by field (OR within a field, AND across fields).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Selection {
    groups: Vec<(Field, Vec<Selector>)>,
}

impl Selection {
    /// Parses selectors against the whole catalog. Each item may hold several selectors
    /// separated by commas; empty items are skipped.
    pub fn parse<S: AsRef<str>>(items: &[S]) -> Result<Selection, SelectError> {
        Selection::parse_in(items, crate::rules())
    }

    /// Parses selectors against the given rules (the values a selector may name are those the
    /// rules have).
    pub fn parse_in<S: AsRef<str>>(
        items: &[S],
        universe: &[&RuleSpec],
    ) -> Result<Selection, SelectError> {
        let mut selection = Selection::default();
        for text in split(items) {
            let selector = parse_selector(&text, universe)?;
            let field = selector.field();
            match selection.groups.iter_mut().find(|(f, _)| *f == field) {
                Some((_, list)) => list.push(selector),
                None => selection.groups.push((field, vec![selector])),
            }
        }
        selection.groups.sort_by_key(|(f, _)| *f);
        Ok(selection)
    }

    /// Whether no selector was given.
    pub fn is_empty(&self) -> bool {
        self.groups.is_empty()
    }

    /// The selectors, grouped by field in [`Field::ALL`] order.
    pub fn groups(&self) -> &[(Field, Vec<Selector>)] {
        &self.groups
    }

    /// Whether the selection picks the rule: for every field named, one of its selectors
    /// matches. An empty selection picks nothing.
    pub fn matches(&self, spec: &RuleSpec) -> bool {
        !self.groups.is_empty()
            && self
                .groups
                .iter()
                .all(|(_, list)| list.iter().any(|s| s.matches(spec)))
    }
}

/// Splits repeated, comma-separated flag values into single selectors, trimmed, empty ones
/// dropped.
pub fn split<S: AsRef<str>>(items: &[S]) -> Vec<String> {
    items
        .iter()
        .flat_map(|item| item.as_ref().split(','))
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(str::to_string)
        .collect()
}

/// The rules `select` picks (every rule when it is empty) minus those `ignore` picks, in
/// declared order.
pub fn select<'a>(
    universe: &[&'a RuleSpec],
    select: &Selection,
    ignore: &Selection,
) -> Vec<&'a RuleSpec> {
    universe
        .iter()
        .copied()
        .filter(|spec| select.is_empty() || select.matches(spec))
        .filter(|spec| !ignore.matches(spec))
        .collect()
}

fn parse_selector(text: &str, universe: &[&RuleSpec]) -> Result<Selector, SelectError> {
    let error =
        |problem: String, suggestion: Option<String>, expected: Option<String>| SelectError {
            selector: text.to_string(),
            problem,
            suggestion,
            expected,
        };
    let Some(at) = text.find(['=', '<', '>']) else {
        return parse_bare(text, universe);
    };
    let (name, rest) = text.split_at(at);
    let (op, value) = [
        (">=", Comparison::AtLeast),
        ("<=", Comparison::AtMost),
        ("=", Comparison::Eq),
        (">", Comparison::Above),
        ("<", Comparison::Below),
    ]
    .into_iter()
    .find_map(|(sign, op)| rest.strip_prefix(sign).map(|value| (op, value.trim())))
    .unwrap_or((Comparison::Eq, rest));
    let Some(field) = Field::parse(name) else {
        let names = Field::ALL.map(Field::as_str);
        return Err(error(
            format!("names an unknown field `{}`", name.trim()),
            nearest(name.trim(), names).map(|f| format!("{f}{}{value}", op.as_str())),
            Some(format!("fields: {}", names.join(", "))),
        ));
    };
    if value.is_empty() {
        return Err(error(
            format!("gives `{}` no value", field.as_str()),
            None,
            known_values(field, universe)
                .map(|values| format!("{}: {}", field.plural(), values.join(", "))),
        ));
    }
    if op != Comparison::Eq && field != Field::Severity {
        return Err(error(
            format!(
                "compares `{}`, but only severity compares; the others take `=`",
                field.as_str()
            ),
            Some(format!("{}={value}", field.as_str())),
            None,
        ));
    }
    let lower = value.to_ascii_lowercase();
    let selector = match field {
        Field::Id => {
            return parse_bare(value, universe).map_err(|mut e| {
                e.selector = text.to_string();
                e.suggestion = e.suggestion.map(|s| {
                    if s.contains('=') {
                        s
                    } else {
                        format!("id={s}")
                    }
                });
                e
            })
        }
        Field::Vendor => Selector::Vendor(lower.clone()),
        Field::Service => Selector::Service(lower.clone()),
        Field::Topic => Selector::Topic(lower.clone()),
        Field::Severity => {
            let Some(level) = Severity::ALL
                .into_iter()
                .find(|s| s.as_str().eq_ignore_ascii_case(value))
            else {
                let names = Severity::ALL.map(Severity::as_str);
                return Err(error(
                    format!("names an unknown severity `{value}`"),
                    nearest(value, names).map(|s| format!("severity{}{s}", op.as_str())),
                    Some("severities: low, medium, high, critical".to_string()),
                ));
            };
            Selector::Severity(op, level)
        }
        Field::Framework => {
            let (framework, control) = match lower.split_once(':') {
                Some((f, c)) => (f.trim().to_string(), Some(c.trim().to_string())),
                None => (lower.clone(), None),
            };
            Selector::Framework { framework, control }
        }
    };
    if universe.iter().any(|spec| selector.matches(spec)) {
        return Ok(selector);
    }
    // Nothing matches: name the nearest value the catalog has.
    if let Selector::Framework {
        framework,
        control: Some(control),
    } = &selector
    {
        let framework_selector = Selector::Framework {
            framework: framework.clone(),
            control: None,
        };
        if universe.iter().any(|spec| framework_selector.matches(spec)) {
            let controls = framework_controls(universe, framework);
            let shown = value
                .split_once(':')
                .map_or(framework.as_str(), |(f, _)| f.trim());
            return Err(error(
                format!("names the {framework} control `{control}`, which no rule maps to"),
                nearest(control, controls.iter().map(String::as_str))
                    .map(|c| format!("framework={shown}:{c}")),
                Some(format!("{framework} controls: {}", controls.join(", "))),
            ));
        }
    }
    let values = known_values(field, universe).unwrap_or_default();
    let wanted = match &selector {
        Selector::Framework { framework, .. } => framework.as_str(),
        _ => lower.as_str(),
    };
    let tail = match &selector {
        Selector::Framework {
            control: Some(c), ..
        } => format!(":{c}"),
        _ => String::new(),
    };
    Err(error(
        format!("names an unknown {} `{wanted}`", field.as_str()),
        nearest(wanted, values.iter().map(String::as_str))
            .map(|v| format!("{}={v}{tail}", field.as_str())),
        Some(format!("{}: {}", field.plural(), values.join(", "))),
    ))
}

/// A selector without a field: `all`, an id, an id prefix or a name.
fn parse_bare(text: &str, universe: &[&RuleSpec]) -> Result<Selector, SelectError> {
    let text = text.trim();
    if text.eq_ignore_ascii_case("all") {
        return Ok(Selector::All);
    }
    let selector = Selector::Id(text.to_string());
    if universe.iter().any(|spec| selector.matches(spec)) {
        return Ok(selector);
    }
    // A metadata value written without its field (`s3`, `high`, `pci-dss`) is a likely slip.
    let lower = text.to_ascii_lowercase();
    let as_field = [
        Field::Service,
        Field::Severity,
        Field::Topic,
        Field::Framework,
        Field::Vendor,
    ]
    .into_iter()
    .find(|field| {
        known_values(*field, universe)
            .unwrap_or_default()
            .contains(&lower)
    })
    .map(|field| format!("{}={lower}", field.as_str()));
    // Candidates: ids, names, and the id prefixes that end at a dash (`AWS-S3` of `AWS-S3-001`).
    let prefixes: BTreeSet<&str> = universe
        .iter()
        .flat_map(|spec| {
            spec.id
                .match_indices('-')
                .filter_map(|(at, _)| spec.id.get(..at))
        })
        .collect();
    let suggestion = as_field.or_else(|| {
        nearest(
            text,
            universe
                .iter()
                .flat_map(|spec| [spec.id, spec.name])
                .chain(prefixes.iter().copied()),
        )
        .map(str::to_string)
    });
    Err(SelectError {
        selector: text.to_string(),
        problem: "matches no built-in policy".to_string(),
        suggestion,
        expected: None,
    })
}

/// The values the universe has for a field, sorted and lowercased (`None` for ids).
fn known_values(field: Field, universe: &[&RuleSpec]) -> Option<Vec<String>> {
    let values: BTreeSet<String> = match field {
        Field::Id => return None,
        Field::Severity => {
            return Some(Severity::ALL.map(|s| s.as_str().to_string()).to_vec());
        }
        Field::Vendor => universe
            .iter()
            .map(|s| s.vendor.to_ascii_lowercase())
            .collect(),
        Field::Service => universe
            .iter()
            .flat_map(|s| s.services.iter())
            .map(|s| s.to_ascii_lowercase())
            .collect(),
        Field::Topic => universe
            .iter()
            .flat_map(|s| s.topics.iter())
            .map(|s| s.to_ascii_lowercase())
            .collect(),
        Field::Framework => universe
            .iter()
            .flat_map(|s| match s.frameworks {
                Frameworks::Mapped(list) => list,
                Frameworks::None { .. } => &[],
            })
            .map(|c| c.framework.to_ascii_lowercase())
            .collect(),
    };
    Some(values.into_iter().collect())
}

/// The control ids the universe maps under a framework, sorted.
fn framework_controls(universe: &[&RuleSpec], framework: &str) -> Vec<String> {
    let controls: BTreeSet<String> = universe
        .iter()
        .flat_map(|s| match s.frameworks {
            Frameworks::Mapped(list) => list,
            Frameworks::None { .. } => &[],
        })
        .filter(|c| c.framework.eq_ignore_ascii_case(framework))
        .flat_map(|c| c.controls.iter().map(|x| (*x).to_string()))
        .collect();
    controls.into_iter().collect()
}

/// The candidate nearest to `word`, ignoring case, if close enough to be a plausible slip: a
/// small edit distance, or `word` being the start of exactly the candidate (`pci` for
/// `pci-dss`).
pub fn nearest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let wanted = word.trim().to_ascii_lowercase();
    if wanted.is_empty() {
        return None;
    }
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let lower = candidate.to_ascii_lowercase();
        let d = if lower.starts_with(&wanted) {
            // A prefix is as good as a one-letter slip.
            1
        } else {
            crate::distance(&wanted, &lower)
        };
        let better = match best {
            Some((b, _)) => d < b,
            None => true,
        };
        if d <= (candidate.len() / 3).max(2) && better {
            best = Some((d, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ids(items: &[&str]) -> Vec<&'static str> {
        let selection = Selection::parse(items).unwrap_or_else(|e| panic!("{e}"));
        select(crate::rules(), &selection, &Selection::default())
            .iter()
            .map(|s| s.id)
            .collect()
    }

    fn err(items: &[&str]) -> SelectError {
        match Selection::parse(items) {
            Ok(s) => panic!("{items:?} parsed: {s:?}"),
            Err(e) => e,
        }
    }

    #[test]
    fn ids_prefixes_names_and_all() {
        assert_eq!(ids(&["AWS-ELB-001"]), vec!["AWS-ELB-001"]);
        assert_eq!(ids(&["aws-elb-001"]), vec!["AWS-ELB-001"]);
        assert_eq!(ids(&["id=AWS-ELB-001"]), vec!["AWS-ELB-001"]);
        assert_eq!(ids(&["required-tags"]), vec!["PLATFORM-003"]);
        assert_eq!(ids(&["all"]).len(), crate::rules().len());
        let s3 = ids(&["AWS-S3"]);
        assert!(!s3.is_empty());
        assert!(s3.iter().all(|id| id.starts_with("AWS-S3-")));
        let platform = ids(&["platform"]);
        assert!(platform.iter().all(|id| id.starts_with("PLATFORM-")));
        assert_eq!(platform, ids(&["vendor=platform"]));
        assert_eq!(ids(&["aws"]), ids(&["vendor=AWS"]));
        let azure = ids(&["vendor=azure"]);
        assert!(!azure.is_empty());
        assert!(azure.iter().all(|id| id.starts_with("AZURE-")));
        assert_eq!(azure, ids(&["azure"]));
    }

    #[test]
    fn metadata_fields() {
        for spec in crate::rules() {
            let by_service = ids(&[&format!(
                "service={}",
                spec.services.first().copied().unwrap_or_default()
            )]);
            assert!(by_service.contains(&spec.id), "{}", spec.id);
        }
        let rds = ids(&["service=rds"]);
        assert!(!rds.is_empty());
        assert!(rds
            .iter()
            .all(|id| crate::find(id).is_some_and(|s| s.services.contains(&"rds"))));
        let encryption = ids(&["topic=encryption"]);
        assert!(encryption
            .iter()
            .all(|id| crate::find(id).is_some_and(|s| s.topics.contains(&"encryption"))));
        let pci = ids(&["framework=pci-dss"]);
        assert!(!pci.is_empty() && pci.len() < crate::rules().len());
        let cis = ids(&["framework=cis-aws:2.1"]);
        assert!(!cis.is_empty());
        for id in &cis {
            let spec = crate::find(id).unwrap_or_else(|| panic!("{id}"));
            let Frameworks::Mapped(list) = spec.frameworks else {
                panic!("{id}")
            };
            assert!(
                list.iter().any(|c| c.framework == "cis-aws"
                    && c.controls.iter().any(|c| c.starts_with("2.1."))),
                "{id}"
            );
        }
        let exact = ids(&["framework=CIS-AWS:2.1.1"]);
        assert!(!exact.is_empty() && exact.len() <= cis.len());
        assert!(exact.iter().all(|id| cis.contains(id)));
    }

    #[test]
    fn severity_compares() {
        let by = |text: &str| -> BTreeSet<Severity> {
            ids(&[text])
                .iter()
                .filter_map(|id| crate::find(id).map(|s| s.severity))
                .collect()
        };
        use Severity::*;
        assert_eq!(by("severity=high"), [High].into());
        assert_eq!(by("severity>=high"), [High, Critical].into());
        assert_eq!(by("severity>high"), [Critical].into());
        assert_eq!(by("severity<=medium"), [Low, Medium].into());
        assert_eq!(by("severity<medium"), [Low].into());
        assert_eq!(by("SEVERITY = Critical"), [Critical].into());
    }

    #[test]
    fn or_within_a_field_and_across_fields() {
        let s3 = ids(&["service=s3"]);
        let rds = ids(&["service=rds"]);
        let either = ids(&["service=s3,service=rds"]);
        assert_eq!(either.len(), s3.len() + rds.len());
        assert_eq!(either, ids(&["service=s3", "service=rds"]));
        let high = ids(&["service=s3,service=rds", "severity>=high"]);
        assert!(!high.is_empty() && high.len() < either.len());
        for id in &high {
            let spec = crate::find(id).unwrap_or_else(|| panic!("{id}"));
            assert!(spec.severity >= Severity::High, "{id}");
            assert!(
                spec.services.contains(&"s3") || spec.services.contains(&"rds"),
                "{id}"
            );
        }
        // Two ids are alternatives; an id and a service must both hold.
        assert_eq!(
            ids(&["AWS-ELB-001,AWS-EC2-001"]),
            vec!["AWS-ELB-001", "AWS-EC2-001"]
        );
        assert!(ids(&["AWS-S3,service=rds"]).is_empty());
    }

    #[test]
    fn ignore_removes_what_it_picks() {
        let select_s3 = Selection::parse(&["service=s3"]).unwrap_or_else(|e| panic!("{e}"));
        let ignore_low = Selection::parse(&["severity=low"]).unwrap_or_else(|e| panic!("{e}"));
        let kept = select(crate::rules(), &select_s3, &ignore_low);
        assert!(kept
            .iter()
            .all(|s| s.severity != Severity::Low && s.services.contains(&"s3")));
        let everything = select(crate::rules(), &Selection::default(), &ignore_low);
        assert_eq!(
            everything.len(),
            crate::rules().len() - ids(&["severity=low"]).len()
        );
        assert_eq!(
            select(crate::rules(), &Selection::default(), &Selection::default()).len(),
            crate::rules().len()
        );
    }

    #[test]
    fn errors_name_the_selector_and_suggest() {
        let e = err(&["service=s4"]);
        assert_eq!(e.selector, "service=s4");
        assert_eq!(e.problem, "names an unknown service `s4`");
        assert_eq!(e.suggestion.as_deref(), Some("service=s3"));
        assert!(e
            .expected
            .as_deref()
            .is_some_and(|x| x.starts_with("services: ") && x.contains("rds")));
        assert_eq!(
            e.to_string(),
            "`service=s4` names an unknown service `s4`; did you mean `service=s3`?"
        );

        let e = err(&["servce=s3"]);
        assert_eq!(e.problem, "names an unknown field `servce`");
        assert_eq!(e.suggestion.as_deref(), Some("service=s3"));

        let e = err(&["severity>=hihg"]);
        assert_eq!(e.suggestion.as_deref(), Some("severity>=high"));

        let e = err(&["service>=s3"]);
        assert_eq!(e.suggestion.as_deref(), Some("service=s3"));

        let e = err(&["framework=pci"]);
        assert_eq!(e.suggestion.as_deref(), Some("framework=pci-dss"));

        let e = err(&["framework=cis-aws:2.1.9"]);
        assert_eq!(
            e.problem,
            "names the cis-aws control `2.1.9`, which no rule maps to"
        );
        assert!(e
            .suggestion
            .as_deref()
            .is_some_and(|s| s.starts_with("framework=cis-aws:2.1.")));

        let e = err(&["topic=encrypton"]);
        assert_eq!(e.suggestion.as_deref(), Some("topic=encryption"));

        assert_eq!(err(&["AWS-S4"]).suggestion.as_deref(), Some("AWS-S3"));
        let e = err(&["AWS-ELB-901"]);
        assert_eq!(e.problem, "matches no built-in policy");
        assert_eq!(e.suggestion.as_deref(), Some("AWS-ELB-001"));

        // A value written without its field.
        assert_eq!(err(&["s3"]).suggestion.as_deref(), Some("service=s3"));
        assert_eq!(err(&["high"]).suggestion.as_deref(), Some("severity=high"));

        let e = err(&["service="]);
        assert_eq!(e.problem, "gives `service` no value");
        assert_eq!(err(&["zzzzzzzzzzzzzz"]).suggestion, None);
        // The first bad selector fails, whatever came before.
        assert_eq!(err(&["AWS-S3", "vendor=oracle"]).selector, "vendor=oracle");
    }

    #[test]
    fn controls_below_a_prefix() {
        assert!(control_under("2.1.1", "2.1"));
        assert!(control_under("2.1.1", "2.1.1"));
        assert!(!control_under("2.10", "2.1"));
        assert!(control_under("SC-28(1)", "sc-28"));
        assert!(!control_under("SC-28", "SC-2"));
        assert!(control_under("164.312(a)(1)", "164.312"));
        assert!(!control_under("2.1", ""));
    }

    #[test]
    fn nearest_takes_prefixes_and_small_slips() {
        assert_eq!(
            nearest("nist", ["nist-800-53", "pci-dss"]),
            Some("nist-800-53")
        );
        assert_eq!(nearest("s4", ["s3", "sqs"]), Some("s3"));
        assert_eq!(nearest("", ["s3"]), None);
        assert_eq!(nearest("kubernetes", ["s3", "sqs"]), None);
    }
}
