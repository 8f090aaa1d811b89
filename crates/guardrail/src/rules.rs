//! `guardrail rules` and `guardrail rule ID`: browse and explain the built-in catalog.

use std::collections::{BTreeMap, BTreeSet};

use clap::{Args, ValueEnum};
use guardrail_catalog::{Control, Frameworks, RuleSpec};
use guardrail_core::Severity;
use serde_json::json;

use crate::{emit, select, UserError};

/// Output formats of `guardrail rules`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, ValueEnum)]
pub enum ListFormat {
    /// A table.
    #[default]
    Human,
    /// JSON: the rules' metadata and counts.
    Json,
}

/// Options of `guardrail rules`.
#[derive(Args, Debug)]
pub struct RulesArgs {
    /// Only rules these selectors pick (comma-separated or repeated), same grammar as
    /// `check --select`: `AWS-S3`, `service=s3`, `severity>=high`, `framework=pci-dss`, ...
    #[arg(long, value_name = "SELECTORS")]
    pub select: Vec<String>,

    /// Leave out the rules these selectors pick, same grammar.
    #[arg(long, value_name = "SELECTORS")]
    pub ignore: Vec<String>,

    /// Output format.
    #[arg(long, value_enum, default_value_t = ListFormat::Human)]
    pub format: ListFormat,
}

/// Options of `guardrail rule`.
#[derive(Args, Debug)]
pub struct RuleArgs {
    /// The rule's id or name, e.g. `AWS-ELB-001` or `required-tags`.
    #[arg(value_name = "ID")]
    pub id: String,
}

/// Counts of the listed rules by one metadata field, most first, then by name.
fn counts<'a>(
    rules: &[&'static RuleSpec],
    values: impl Fn(&'static RuleSpec) -> Vec<&'a str>,
) -> Vec<(&'a str, usize)> {
    let mut map: BTreeMap<&str, usize> = BTreeMap::new();
    for spec in rules {
        let mut seen = BTreeSet::new();
        for value in values(spec) {
            if seen.insert(value) {
                *map.entry(value).or_default() += 1;
            }
        }
    }
    let mut list: Vec<_> = map.into_iter().collect();
    list.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    list
}

fn frameworks_of(spec: &'static RuleSpec) -> &'static [Control] {
    match spec.frameworks {
        Frameworks::Mapped(list) => list,
        Frameworks::None { .. } => &[],
    }
}

/// The distinct controls the listed rules map, per framework.
fn controls(rules: &[&'static RuleSpec]) -> BTreeMap<&'static str, BTreeSet<&'static str>> {
    let mut map: BTreeMap<&str, BTreeSet<&str>> = BTreeMap::new();
    for spec in rules {
        for control in frameworks_of(spec) {
            map.entry(control.framework)
                .or_default()
                .extend(control.controls.iter().copied());
        }
    }
    map
}

fn to_object(list: &[(&str, usize)]) -> serde_json::Value {
    serde_json::Value::Object(
        list.iter()
            .map(|(k, v)| ((*k).to_string(), json!(v)))
            .collect(),
    )
}

fn line(label: &str, list: &[(&str, usize)]) -> String {
    let items: Vec<String> = list.iter().map(|(k, v)| format!("{k} {v}")).collect();
    format!("{label}: {}\n", items.join(" · "))
}

/// Lists rules.
pub fn list(args: RulesArgs) -> Result<u8, UserError> {
    let selection = select::parse(&args.select, "--select")?;
    let ignored = select::parse(&args.ignore, "--ignore")?;
    let chosen =
        guardrail_catalog::select::select(guardrail_catalog::rules(), &selection, &ignored);
    let defaults = guardrail_catalog::default_selection();
    let by_service = counts(&chosen, |s| s.services.to_vec());
    let by_severity: Vec<(&str, usize)> = Severity::ALL
        .iter()
        .rev()
        .map(|level| {
            let n = chosen.iter().filter(|s| s.severity == *level).count();
            (level.as_str(), n)
        })
        .collect();
    let by_framework = counts(&chosen, |s| {
        frameworks_of(s).iter().map(|c| c.framework).collect()
    });
    let by_topic = counts(&chosen, |s| s.topics.to_vec());
    let by_vendor = counts(&chosen, |s| vec![s.vendor]);
    let controls = controls(&chosen);
    let text = match args.format {
        ListFormat::Json => {
            let rules: Vec<_> = chosen
                .iter()
                .map(|spec| {
                    let m = spec.meta();
                    json!({
                        "id": m.id,
                        "name": m.name,
                        "title": m.title,
                        "severity": m.severity,
                        "enforcement": m.enforcement,
                        "kind": m.kind,
                        "vendor": m.vendor,
                        "services": m.services,
                        "topics": m.topics,
                        "frameworks": m.frameworks,
                        "resource_types": m.resource_types,
                        "fix": m.fix,
                        "default": defaults.contains(&spec.id),
                    })
                })
                .collect();
            let controls: serde_json::Map<String, serde_json::Value> = controls
                .iter()
                .map(|(k, v)| ((*k).to_string(), json!(v.len())))
                .collect();
            let mut out = serde_json::to_string_pretty(&json!({
                "count": rules.len(),
                "by_vendor": to_object(&by_vendor),
                "by_service": to_object(&by_service),
                "by_severity": to_object(&by_severity),
                "by_topic": to_object(&by_topic),
                "by_framework": to_object(&by_framework),
                "framework_controls": controls,
                "rules": rules,
            }))
            .unwrap_or_default();
            out.push('\n');
            out
        }
        ListFormat::Human => {
            let mut out = String::new();
            let width = chosen.iter().map(|s| s.id.len()).max().unwrap_or(2);
            let service_width = chosen
                .iter()
                .map(|s| s.services.join(",").len())
                .max()
                .unwrap_or(7)
                .max(7);
            for spec in &chosen {
                out.push_str(&format!(
                    "{:<width$}  {:<8}  {:<9}  {:<service_width$}  {}\n",
                    spec.id,
                    spec.severity.as_str(),
                    spec.enforcement.as_str(),
                    spec.services.join(","),
                    spec.title
                ));
            }
            out.push_str(&format!(
                "\n{} rule{}\n",
                chosen.len(),
                if chosen.len() == 1 { "" } else { "s" }
            ));
            if !chosen.is_empty() {
                let nonzero: Vec<_> = by_severity
                    .iter()
                    .copied()
                    .filter(|(_, n)| *n > 0)
                    .collect();
                out.push_str(&line("by severity", &nonzero));
                out.push_str(&line("by service", &by_service));
                let framework_list: Vec<String> = by_framework
                    .iter()
                    .map(|(k, v)| {
                        let n = controls.get(k).map_or(0, BTreeSet::len);
                        format!("{k} {v} ({n} control{})", if n == 1 { "" } else { "s" })
                    })
                    .collect();
                out.push_str(&format!("by framework: {}\n", framework_list.join(" · ")));
            }
            out.push_str(
                "`guardrail rule ID` explains one; `--format json` gives the counts as data\n",
            );
            out
        }
    };
    emit(None, &text)?;
    Ok(0)
}

/// Explains one rule.
pub fn explain(args: RuleArgs) -> Result<u8, UserError> {
    match guardrail_catalog::explain(&args.id) {
        Some(text) => {
            emit(None, &text)?;
            Ok(0)
        }
        None => {
            let e = UserError::new(format!("no built-in rule is called `{}`", args.id));
            Err(match guardrail_catalog::suggest(&args.id) {
                Some(s) => e.help(format!(
                    "did you mean `{s}`? `guardrail rules` lists them all"
                )),
                None => e.help("`guardrail rules` lists every rule id and name"),
            })
        }
    }
}
