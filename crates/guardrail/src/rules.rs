//! `guardrail rules` and `guardrail rule ID`: browse and explain the built-in catalog.

use clap::{Args, ValueEnum};
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
    /// Only rules picked by these ids, names or id prefixes (comma-separated or repeated).
    #[arg(long, value_name = "IDS")]
    pub select: Vec<String>,

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

/// Lists rules.
pub fn list(args: RulesArgs) -> Result<u8, UserError> {
    let catalog = guardrail_catalog::all();
    let selectors = select::split(&args.select);
    let chosen = if selectors.is_empty() {
        catalog
    } else {
        select::select(&catalog, &selectors, "--select")?
    };
    let defaults = guardrail_catalog::default_selection();
    let text = match args.format {
        ListFormat::Json => {
            let rules: Vec<_> = chosen
                .iter()
                .map(|p| {
                    let m = p.meta();
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
                        "default": defaults.contains(&m.id.as_str()),
                    })
                })
                .collect();
            let mut out = serde_json::to_string_pretty(&json!({
                "count": rules.len(),
                "rules": rules,
            }))
            .unwrap_or_default();
            out.push('\n');
            out
        }
        ListFormat::Human => {
            let mut out = String::new();
            let width = chosen.iter().map(|p| p.meta().id.len()).max().unwrap_or(2);
            for p in &chosen {
                let m = p.meta();
                out.push_str(&format!(
                    "{:<width$}  {:<8}  {:<9}  {}\n",
                    m.id,
                    m.severity.as_str(),
                    m.enforcement.as_str(),
                    m.title
                ));
            }
            out.push_str(&format!(
                "\n{} rules; `guardrail rule ID` explains one\n",
                chosen.len()
            ));
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
