//! `guardrail rules` and `guardrail rule ID`: browse and explain the built-in catalog.

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use clap::{Args, ValueEnum};
use guardrail_catalog::{Control, Frameworks, RuleSpec};
use guardrail_core::{PolicyKind, PolicyMeta, Severity};
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
    /// The rule's id or name, e.g. `AWS-ELB-001` or `required-tags`, or a pack policy's.
    #[arg(value_name = "ID")]
    pub id: String,

    /// A Rego policy pack to look the policy up in (repeatable); without it, the packs of the
    /// project config (`packs` in guardrail.toml) are searched after the built-in catalog.
    #[arg(long = "pack", value_name = "DIR")]
    pub packs: Vec<PathBuf>,

    /// The project config whose packs are searched (default: guardrail.toml found upward).
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,

    #[command(flatten)]
    #[allow(missing_docs)]
    pub rego: crate::pack::RegoArgs,
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
    let frameworks = guardrail_catalog::frameworks::all().map_err(|e| {
        UserError::new(e.to_string()).help("this build of guardrail is broken; report it")
    })?;
    let coverage: Vec<(&guardrail_catalog::Framework, guardrail_catalog::Coverage)> = frameworks
        .iter()
        .map(|f| (f, guardrail_catalog::frameworks::coverage(f, &chosen)))
        .collect();
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
            let framework_coverage: serde_json::Map<String, serde_json::Value> = coverage
                .iter()
                .map(|(f, c)| {
                    (
                        f.slug.to_string(),
                        json!({
                            "name": f.name,
                            "version": f.version,
                            "controls": c.controls,
                            "automatable": c.automatable,
                            "covered": c.covered,
                            "percent": c.percent(),
                        }),
                    )
                })
                .collect();
            let mut out = serde_json::to_string_pretty(&json!({
                "count": rules.len(),
                "by_vendor": to_object(&by_vendor),
                "by_service": to_object(&by_service),
                "by_severity": to_object(&by_severity),
                "by_topic": to_object(&by_topic),
                "by_framework": to_object(&by_framework),
                "framework_controls": controls,
                "framework_coverage": framework_coverage,
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
                let coverage_list: Vec<String> = coverage
                    .iter()
                    .map(|(f, c)| format!("{} {}/{}", f.slug, c.covered, c.controls))
                    .collect();
                out.push_str(&format!(
                    "coverage (controls mapped / listed): {}\n",
                    coverage_list.join(" · ")
                ));
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

/// Explains one rule: a built-in one, or a policy of the packs named with `--pack` (searched
/// first) or listed in the project config.
pub fn explain(args: RuleArgs) -> Result<u8, UserError> {
    let from_flags = !args.packs.is_empty();
    if !from_flags {
        if let Some(text) = guardrail_catalog::explain(&args.id) {
            emit(None, &text)?;
            return Ok(0);
        }
    }
    let dirs = if from_flags {
        args.packs.clone()
    } else {
        let ci = crate::ci::CiArgs {
            config: args.config.clone(),
            ..crate::ci::CiArgs::default()
        };
        crate::ci::load_config(&ci, false)?.packs
    };
    // CrossGuard packs describe their policies once started; the rest are Rego packs
    let (crossguard_dirs, rego_dirs): (Vec<PathBuf>, Vec<PathBuf>) = dirs
        .iter()
        .cloned()
        .partition(|d| guardrail_crossguard::is_crossguard_pack(d));
    let packs = crate::pack::load(&rego_dirs, &args.rego)?;
    let mut crossguard = Vec::new();
    for dir in &crossguard_dirs {
        let pack = guardrail_crossguard::load(dir, &guardrail_crossguard::LoadOptions::from_env())
            .map_err(|e| {
                let mut message = format!("{}: {}", dir.display(), e.message);
                if let Some(said) = &e.detail {
                    message.push_str("; it said:\n");
                    message.push_str(said);
                }
                UserError {
                    message,
                    help: e.help,
                }
            })?;
        crossguard.push((dir.clone(), pack.pack()));
    }
    let wanted = args.id.trim();
    let matches =
        |m: &PolicyMeta| m.id.eq_ignore_ascii_case(wanted) || m.name.eq_ignore_ascii_case(wanted);
    let found = packs.iter().find_map(|p| {
        p.pack
            .policies
            .iter()
            .map(|policy| policy.meta())
            .find(|m| matches(m))
            .map(|m| (p, m))
    });
    if let Some((pack, meta)) = found {
        let origin = format!("{}, `{}`", pack.layout.name(), pack.dir.display());
        emit(None, &explain_pack_policy(&pack.pack, &origin, meta))?;
        return Ok(0);
    }
    let found = crossguard.iter().find_map(|(dir, pack)| {
        pack.policies
            .iter()
            .map(|policy| policy.meta())
            .find(|m| matches(m))
            .map(|m| (dir, pack, m))
    });
    if let Some((dir, pack, meta)) = found {
        let origin = format!("CrossGuard pack, `{}`", dir.display());
        emit(None, &explain_pack_policy(pack, &origin, meta))?;
        return Ok(0);
    }
    if let Some(text) = guardrail_catalog::explain(&args.id) {
        emit(None, &text)?;
        return Ok(0);
    }
    let searched = if dirs.is_empty() {
        "no built-in rule is called".to_string()
    } else {
        let names: Vec<String> = dirs.iter().map(|d| format!("`{}`", d.display())).collect();
        format!(
            "neither the built-in catalog nor the pack{} {} has a policy called",
            if names.len() == 1 { "" } else { "s" },
            names.join(", ")
        )
    };
    let e = UserError::new(format!("{searched} `{}`", args.id));
    let pack_ids = packs
        .iter()
        .map(|p| &p.pack)
        .chain(crossguard.iter().map(|(_, p)| p))
        .flat_map(|p| &p.policies)
        .flat_map(|p| [p.meta().id.as_str(), p.meta().name.as_str()]);
    let near = select::nearest(wanted, pack_ids).map(str::to_string);
    Err(
        match near.or_else(|| guardrail_catalog::suggest(&args.id).map(str::to_string)) {
            Some(s) => e.help(format!(
                "did you mean `{s}`? `guardrail rules` lists the built-in rules; `--pack DIR` looks in a pack"
            )),
            None => e.help(
                "`guardrail rules` lists every built-in rule; `guardrail rule ID --pack DIR` explains a pack's policy",
            ),
        },
    )
}

/// A pack policy explained from its metadata, in the shape of the catalog's explanations.
fn explain_pack_policy(pack: &guardrail_core::Pack, origin: &str, m: &PolicyMeta) -> String {
    let mut out = format!("# {} `{}`: {}\n\n", m.id, m.name, m.title);
    if !m.description.is_empty() {
        out.push_str(m.description.trim());
        out.push_str("\n\n");
    }
    let mut facts = vec![
        format!("pack: `{}` ({origin})", pack.name),
        format!("severity: {}", m.severity),
        format!(
            "default enforcement: {}",
            pack.enforcement.unwrap_or(m.enforcement).as_str()
        ),
        format!(
            "kind: {}",
            match m.kind {
                PolicyKind::Resource => "resource (one resource at a time)",
                PolicyKind::Stack => "stack (every resource at once)",
            }
        ),
    ];
    if !m.vendor.is_empty() {
        facts.push(format!("vendor: {}", m.vendor));
    }
    if !m.services.is_empty() {
        facts.push(format!("services: {}", m.services.join(", ")));
    }
    if !m.topics.is_empty() {
        facts.push(format!("topics: {}", m.topics.join(", ")));
    }
    if m.frameworks.is_empty() {
        facts.push("frameworks: none mapped".to_string());
    } else {
        let list: Vec<String> = m
            .frameworks
            .iter()
            .map(|f| format!("{} {}", f.framework, f.controls.join(", ")))
            .collect();
        facts.push(format!("frameworks: {}", list.join("; ")));
    }
    if m.resource_types.is_empty() {
        facts.push("resource types: every type".to_string());
    } else {
        facts.push(format!("resource types: {}", m.resource_types.join(", ")));
    }
    for f in facts {
        out.push_str(&format!("- {f}\n"));
    }
    if let Some(props) = m
        .config_schema
        .as_ref()
        .and_then(|s| s.get("properties"))
        .and_then(|p| p.as_object())
    {
        out.push_str("- configuration:\n");
        for (name, schema) in props {
            let mut line = format!("  - `{name}`");
            if let Some(d) = schema.get("default") {
                line.push_str(&format!(" (default `{d}`)"));
            }
            if let Some(text) = schema.get("description").and_then(|d| d.as_str()) {
                line.push_str(&format!(": {text}"));
            }
            out.push_str(&line);
            out.push('\n');
        }
    }
    if !m.remediation.is_empty() {
        out.push_str(&format!("\n## How to fix it\n\n{}\n", m.remediation.trim()));
    }
    out
}
