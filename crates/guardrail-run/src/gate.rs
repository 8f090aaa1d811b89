//! The project config loaded for a run, the policy settings and exemptions it makes, and the
//! gate: which findings block (fail-on level, severity floor, baseline).

use std::path::{Path, PathBuf};

use guardrail_core::{Exemption, Pack, PolicySettings, Severity, Stack};
use guardrail_report::baseline::{Baseline, FailOn, Gate};
use guardrail_report::Run;

use crate::config::{self, Config, Known};
use crate::{inline, write_file, Document, Error, ErrorKind, Observer};

/// Loads the config file at `path` (`None`: no config, the defaults). `packs_given` tells
/// whether policy packs beyond the catalog may name other policies. The caller finds the file
/// (the command line: `--config FILE`, else [`config::discover`] from its working directory).
pub fn load_config(path: Option<&Path>, packs_given: bool) -> Result<Config, Error> {
    let Some(path) = path else {
        return Ok(Config::default());
    };
    let text = std::fs::read_to_string(path).map_err(|e| {
        Error::config(format!("cannot read `{}`: {e}", path.display()))
            .help("pass the path of a guardrail.toml file to --config")
    })?;
    parse_config(path, &text, packs_given)
}

/// Parses a config's text (read by the caller, e.g. received by a service), named `path` in
/// errors; relative paths in it are resolved against `path`'s directory.
pub fn parse_config(path: &Path, text: &str, packs_given: bool) -> Result<Config, Error> {
    let names = catalog_names();
    let known = Known {
        names: names.iter().map(String::as_str).collect(),
        open: packs_given || text_lists_packs(text),
    };
    Config::parse(path, text, &known)
}

/// Whether a config's text names policy packs (whose policies the catalog does not know).
fn text_lists_packs(text: &str) -> bool {
    toml::from_str::<toml::Table>(text)
        .ok()
        .and_then(|t| {
            t.get("packs")
                .and_then(|p| p.as_array())
                .map(|a| !a.is_empty())
        })
        .unwrap_or(false)
}

/// Every catalog policy's id and name.
pub fn catalog_names() -> Vec<String> {
    guardrail_catalog::rules()
        .iter()
        .flat_map(|r| [r.id.to_string(), r.name.to_string()])
        .collect()
}

/// The config's settings with the Pulumi policy config laid over them (the later file wins per
/// policy), validated against each policy's schema.
pub fn settings(
    config: &Config,
    packs: &[Pack],
    policy_config: Option<(&Path, PolicySettings)>,
) -> Result<PolicySettings, Error> {
    // Settings of built-in policies left out of this run (the PLATFORM demos, say) are still
    // checked against the whole catalog, so that a typo does not wait for the day they run.
    let whole: Vec<Pack> = packs
        .iter()
        .map(|p| {
            if p.name == guardrail_catalog::PACK_NAME {
                guardrail_catalog::builtin_pack()
            } else {
                p.clone()
            }
        })
        .collect();
    config.validate_policies(&whole)?;
    let mut merged = config.settings.clone();
    if let Some((file, over)) = policy_config {
        config::validate_policy_config(&whole, &over, &|_, _| file.display().to_string())?;
        if over.all.is_some() {
            merged.all = over.all;
        }
        merged.policies.extend(over.policies);
    }
    Ok(merged)
}

/// The config's exemptions followed by the inline ones on the stacks' resources.
pub fn exemptions(
    config: &Config,
    packs: &[Pack],
    stacks: &[Stack],
) -> Result<Vec<Exemption>, Error> {
    let mut all = config.exemptions.clone();
    all.extend(inline_exemptions(packs, stacks)?);
    Ok(all)
}

/// The inline exemptions on the stacks' resources (their tags), policy names made ids by
/// `packs` and the catalog, text redacted as the stack's other input.
pub fn inline_exemptions(packs: &[Pack], stacks: &[Stack]) -> Result<Vec<Exemption>, Error> {
    let mut all = Vec::new();
    let canonical = |name: &str| -> Option<String> {
        packs
            .iter()
            .flat_map(|p| &p.policies)
            .map(|p| p.meta())
            .find(|m| m.id.eq_ignore_ascii_case(name) || m.name.eq_ignore_ascii_case(name))
            .map(|m| m.id.clone())
            .or_else(|| guardrail_catalog::find(name).map(|r| r.id.to_string()))
    };
    for stack in stacks {
        // Tag values are input: keep any secret plaintext in them out of the reports.
        let redactor = guardrail_core::Redactor::for_stack(stack);
        let redact = |s: &str| redactor.redact(s).into_owned();
        for mut e in inline::exemptions(stack, &canonical)? {
            e.reason = redact(&e.reason);
            e.approved_by = e.approved_by.as_deref().map(redact);
            e.ticket = e.ticket.as_deref().map(redact);
            all.push(e);
        }
    }
    Ok(all)
}

/// Leaves out the policies the config's `ignore` selects (`--ignore` on the command line, when
/// given, takes its place).
pub fn apply_ignore(packs: &mut [Pack], ignore: &[String]) -> Result<(), Error> {
    if ignore.is_empty() {
        return Ok(());
    }
    let catalog = guardrail_catalog::all();
    let ignored = crate::select::select(&catalog, ignore, "the config's `ignore`")?;
    for pack in packs.iter_mut() {
        pack.policies
            .retain(|p| !ignored.iter().any(|i| i.meta().id == p.meta().id));
    }
    Ok(())
}

/// The gate from flags and config: flags win.
#[derive(Clone)]
pub struct Gating {
    /// Which levels fail.
    pub fail_on: FailOn,
    /// Severity floor.
    pub min_severity: Option<Severity>,
    /// The baseline to compare against.
    pub baseline: Option<Baseline>,
}

/// The gate from the run's options and the config (options win), reading the baseline (a
/// file, or text the caller holds) unless a new one is to be written.
pub fn gating(
    fail_on: Option<FailOn>,
    fail_on_severity: Option<Severity>,
    baseline: Option<&Document>,
    write_baseline: Option<&Path>,
    config: &Config,
) -> Result<Gating, Error> {
    let baseline_source = baseline
        .cloned()
        .or_else(|| config.baseline.clone().map(Document::Path));
    let baseline = match baseline_source {
        Some(source) if write_baseline.is_none() => {
            let (path, text) = match source {
                Document::Path(path) => {
                    let text = std::fs::read_to_string(&path).map_err(|e| {
                        Error::new(
                            ErrorKind::Baseline,
                            format!("cannot read the baseline `{}`: {e}", path.display()),
                        )
                        .help("record one with --write-baseline FILE")
                    })?;
                    (path, text)
                }
                Document::Text { name, text } => (name, text),
            };
            Some(Baseline::parse(&text).map_err(|e| {
                Error::new(ErrorKind::Baseline, format!("{}: {e}", path.display()))
                    .help("record a new one with --write-baseline FILE")
            })?)
        }
        _ => None,
    };
    Ok(Gating {
        fail_on: fail_on.or(config.fail_on).unwrap_or_default(),
        min_severity: fail_on_severity.or(config.fail_on_severity),
        baseline,
    })
}

/// Applies the gate to every evaluation (writing the baseline first when asked). Returns how
/// many findings the baseline let through.
pub fn apply_gate(
    write_baseline: Option<&PathBuf>,
    observer: &dyn Observer,
    mut gating: Gating,
    stacks: &[Stack],
    evaluations: &mut [guardrail_core::Evaluation],
) -> Result<guardrail_report::baseline::Leniency, Error> {
    if let Some(path) = write_baseline {
        let runs: Vec<Run<'_>> = stacks
            .iter()
            .zip(evaluations.iter())
            .map(|(stack, evaluation)| Run { stack, evaluation })
            .collect();
        let recorded = Baseline::of(&runs);
        write_file(path, &recorded.render()).map_err(|e| Error {
            kind: ErrorKind::Baseline,
            ..e
        })?;
        observer.note(&format!(
            "recorded {} finding{} in the baseline `{}`",
            recorded.findings.len(),
            if recorded.findings.len() == 1 {
                ""
            } else {
                "s"
            },
            path.display()
        ));
        gating.baseline = Some(recorded);
    }
    let gate = Gate {
        fail_on: gating.fail_on,
        min_severity: gating.min_severity,
        baseline: gating.baseline.as_ref(),
    };
    let mut lenient = guardrail_report::baseline::Leniency::default();
    for (stack, evaluation) in stacks.iter().zip(evaluations.iter_mut()) {
        lenient.add(gate.apply(stack, evaluation));
    }
    let baselined = lenient.baselined;
    if baselined > 0 && write_baseline.is_none() {
        observer.note(&format!(
            "{baselined} finding{} recorded in the baseline do{} not block",
            if baselined == 1 { "" } else { "s" },
            if baselined == 1 { "es" } else { "" }
        ));
    }
    Ok(lenient)
}
