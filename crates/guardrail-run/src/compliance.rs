//! Compliance reports through the pipeline: the built-in rules mapped to the frameworks asked
//! for run on the inputs, and their outcomes become the evidence of
//! [`guardrail_report::compliance::ComplianceReport`].
//!
//! The built-in rules run are exactly those mapped to the frameworks, whatever the config's
//! `select` and `ignore` say. Rego packs (`RunOptions::packs`, else the config's `packs`) run
//! beside them, and their policies that map to the frameworks' controls (`custom.frameworks`
//! in their metadata) count under those controls like built-in rules; a pack policy mapped to
//! a control the framework's list does not hold is named in a note. The config's exemptions,
//! policy settings and the resources' own `guardrail:exempt` tags apply as in
//! `guardrail check`.
//!
//! ```
//! use guardrail_report::compliance::Status;
//! use guardrail_run::{compliance, config::Config, Input, RunOptions, Silent};
//!
//! let plan = br#"{"format_version": "1.2", "terraform_version": "1.9.0",
//!   "resource_changes": [{"address": "aws_db_instance.orders", "mode": "managed",
//!     "type": "aws_db_instance", "name": "orders",
//!     "provider_name": "registry.terraform.io/hashicorp/aws",
//!     "change": {"actions": ["create"], "before": null, "after_unknown": {},
//!                "after": {"identifier": "orders", "engine": "postgres",
//!                          "storage_encrypted": false, "publicly_accessible": false}}}]}"#;
//! let frameworks = compliance::frameworks(&["cis-aws".to_string()])?;
//! let options = RunOptions {
//!     inputs: vec![Input::Bytes { name: "plan.json".into(), bytes: plan.to_vec() }],
//!     today: Some("2026-01-01".into()),
//!     ..RunOptions::default()
//! };
//! let report = compliance::run(&frameworks, options, &Config::default(), &Silent,
//!                              "2026-01-01T00:00:00Z")?;
//! let status = |id: &str| {
//!     report.frameworks[0].controls.iter().find(|c| c.id == id).map(|c| c.status)
//! };
//! assert_eq!(status("2.3.1"), Some(Status::Fail)); // RDS encryption at rest
//! assert_eq!(status("2.3.3"), Some(Status::Pass)); // not publicly accessible
//! assert_eq!(status("4.16"), Some(Status::NotCovered)); // no rule maps to it
//! assert_eq!(status("1.5"), Some(Status::OutOfScope)); // the root user's MFA
//! assert!(report.fails());
//! # Ok::<(), guardrail_run::Error>(())
//! ```

use guardrail_catalog::Framework;
use guardrail_report::compliance::{ComplianceReport, InputEvidence, MappedPolicy};

use crate::config::Config;
use crate::{Error, Input, Observer, RunOptions};

/// A JSON report of `guardrail check` is refused as an input: it records findings, not the
/// resources that passed, so it cannot show that a control holds.
const REPORT_SCHEMA_MARK: &str = "\"guardrail.report/v1\"";

/// The frameworks named (slugs, ignoring case, in the order given, each once); an unknown
/// name is a usage error that lists the known ones.
pub fn frameworks(names: &[String]) -> Result<Vec<&'static Framework>, Error> {
    let all = guardrail_catalog::frameworks::all().map_err(|e| {
        Error::usage(e.to_string()).help("this build of guardrail is broken; report it")
    })?;
    let known = guardrail_catalog::frameworks::slugs();
    let mut chosen: Vec<&'static Framework> = Vec::new();
    for name in crate::select::split(names) {
        let Some(framework) = all.iter().find(|f| f.slug.eq_ignore_ascii_case(&name)) else {
            let e = Error::usage(format!("unknown framework `{name}`"));
            let list = format!("known frameworks: {}", known.join(", "));
            return Err(match crate::select::nearest(&name, known.iter().copied()) {
                Some(near) => e.help(format!("did you mean `{near}`? {list}")),
                None => e.help(list),
            });
        };
        if !chosen.iter().any(|f| f.slug == framework.slug) {
            chosen.push(framework);
        }
    }
    if chosen.is_empty() {
        return Err(Error::usage("no framework named").help(format!(
            "name one or more with `--framework`: {}",
            known.join(", ")
        )));
    }
    Ok(chosen)
}

/// The ids of the built-in rules mapped to any of `frameworks`, in declared order.
pub fn mapped_rules(frameworks: &[&Framework]) -> Vec<&'static str> {
    guardrail_catalog::rules()
        .iter()
        .filter(|spec| {
            frameworks.iter().any(|f| {
                guardrail_catalog::frameworks::mapped(spec, f.slug)
                    .next()
                    .is_some()
            })
        })
        .map(|spec| spec.id)
        .collect()
}

/// Refuses an input that is a `guardrail check --format json` report.
fn refuse_reports(inputs: &[Input]) -> Result<(), Error> {
    for input in inputs {
        let (name, head) = match input {
            Input::Path(path) => {
                let mut head = vec![0; 4096];
                let read = std::fs::File::open(path).and_then(|mut f| {
                    use std::io::Read;
                    f.read(&mut head)
                });
                let Ok(n) = read else { continue };
                head.truncate(n);
                (path.display().to_string(), head)
            }
            Input::Bytes { name, bytes } => (
                name.clone(),
                bytes.iter().take(4096).copied().collect::<Vec<u8>>(),
            ),
            Input::Stack(_) => continue,
        };
        if String::from_utf8_lossy(&head).contains(REPORT_SCHEMA_MARK) {
            return Err(Error::input(format!(
                "`{name}` is a guardrail JSON report; a compliance report needs the plans, states \
                 or stack exports themselves"
            ))
            .help(
                "a JSON report records findings but not the resources that passed, so it cannot \
                 show that a control holds: pass the inputs the report was made from",
            ));
        }
    }
    Ok(())
}

/// Runs the rules mapped to `frameworks` on the inputs of `options` and builds the report.
/// `options.select`, `ignore` and `packs` are replaced (see the module docs); `generated_at`
/// (RFC 3339) dates the report and the evaluation of every input.
pub fn run(
    frameworks: &[&Framework],
    mut options: RunOptions,
    config: &Config,
    observer: &dyn Observer,
    generated_at: &str,
) -> Result<ComplianceReport, Error> {
    refuse_reports(&options.inputs)?;
    let rules = mapped_rules(frameworks);
    let mut policies = MappedPolicy::catalog();
    let mut config = config.clone();
    config.select.clear();
    config.ignore.clear();
    options.ignore.clear();
    options.reports.clear();
    let packs_given = !options.packs.is_empty() || !config.packs.is_empty();
    if rules.is_empty() && !packs_given {
        // No rule maps to these frameworks yet: nothing to evaluate, but every input is still
        // read and named, and every control shows as not covered.
        guardrail_inputs::set_max_input_size(
            options
                .max_input_size
                .unwrap_or(guardrail_inputs::DEFAULT_MAX_INPUT_SIZE),
        );
        let format = options
            .input_format
            .as_deref()
            .and_then(|f| f.parse::<guardrail_inputs::InputFormat>().ok());
        let mut evidence = Vec::with_capacity(options.inputs.len());
        for input in std::mem::take(&mut options.inputs) {
            let stack = match input {
                Input::Path(path) => {
                    guardrail_inputs::load_file(&path, format).map_err(Error::from_input)?
                }
                Input::Bytes { name, bytes } => guardrail_inputs::load_bytes(&name, &bytes, format)
                    .map_err(Error::from_input)?,
                Input::Stack(stack) => *stack,
            };
            let file = match &options.workspace {
                Some(w) => w.from_root(&stack.source),
                None => stack.source.clone(),
            };
            evidence.push(InputEvidence {
                file,
                format: stack.format.clone(),
                evaluated_at: generated_at.to_string(),
                resources: stack.resources.len(),
                policies: Vec::new(),
                outcomes: Vec::new(),
            });
        }
        return Ok(ComplianceReport::build(
            frameworks,
            &policies,
            &evidence,
            generated_at,
        ));
    }
    options.select = rules.iter().map(|id| (*id).to_string()).collect();
    let result = crate::run_with_config(options, &config, observer)?;
    for pack in result
        .packs
        .iter()
        .filter(|p| p.name != guardrail_catalog::PACK_NAME)
    {
        for policy in &pack.policies {
            let meta = policy.meta();
            for mapping in &meta.frameworks {
                let Some(framework) = frameworks.iter().find(|f| f.slug == mapping.framework)
                else {
                    continue;
                };
                for control in &mapping.controls {
                    let why = match framework.control(control) {
                        None => "which guardrail does not list; the report leaves it out",
                        Some(c) if !c.automatable => {
                            "which guardrail lists as out of scope for a scanner; the report \
                             shows it so"
                        }
                        Some(_) => continue,
                    };
                    observer.note(&format!(
                        "the policy `{}` of the pack `{}` maps to the {} control `{control}`, {why}",
                        meta.id, pack.name, framework.slug
                    ));
                }
            }
            policies.push(MappedPolicy {
                id: meta.id.clone(),
                title: meta.title.clone(),
                frameworks: meta.frameworks.clone(),
            });
        }
    }
    let ctx = result.context();
    let evidence: Vec<InputEvidence> = result
        .runs()
        .iter()
        .map(|run| InputEvidence::from_run(run, &ctx, generated_at))
        .collect();
    Ok(ComplianceReport::build(
        frameworks,
        &policies,
        &evidence,
        generated_at,
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_frameworks_list_the_known_ones() {
        let e = frameworks(&["pci".into()])
            .err()
            .unwrap_or_else(|| Error::usage("none"));
        assert_eq!(e.message, "unknown framework `pci`");
        let help = e.help.unwrap_or_default();
        assert!(
            help.starts_with("did you mean `pci-dss`? known frameworks: cis-aws, "),
            "{help}"
        );
        assert!(help.contains("hipaa") && help.contains("pss"), "{help}");
        let e = frameworks(&["fedramp".into()])
            .err()
            .map(|e| e.help.unwrap_or_default());
        assert!(e.is_some_and(|h| h.starts_with("known frameworks: ")));
        assert!(frameworks(&[]).is_err());
    }

    #[test]
    fn frameworks_are_taken_once_in_order() {
        let chosen = frameworks(&["HIPAA,pci-dss".into(), "hipaa".into()])
            .unwrap_or_default()
            .iter()
            .map(|f| f.slug)
            .collect::<Vec<_>>();
        assert_eq!(chosen, vec!["hipaa", "pci-dss"]);
    }
}
