//! The run upload: what `guardrail check`/`audit --server` sends after a run, and what the
//! service's own evaluations record.
//!
//! The upload is made from the run's JSON report ([`from_report`]), so that every message is
//! redacted exactly as that report redacts it: secret plaintext never leaves the machine.

use serde::{Deserialize, Serialize};
use serde_json::Value;

/// The most findings one run may hold.
pub const MAX_FINDINGS: usize = 200_000;
/// The longest message stored, in bytes; longer ones are cut (at a character boundary).
pub const MAX_MESSAGE: usize = 4096;
/// The longest other text field, in bytes.
const MAX_FIELD: usize = 1024;

/// A run as uploaded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Upload {
    /// `plan` (a plan or preview: `guardrail check`) or `state` (deployed state: `audit`).
    pub kind: String,
    /// `passed`, `blocked` or `error`.
    pub outcome: String,
    /// The commit, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub commit: Option<String>,
    /// The branch, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub branch: Option<String>,
    /// The pull or merge request, when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pull_request: Option<String>,
    /// Who ran it (a CI actor, a login), when known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actor: Option<String>,
    /// The report's counts.
    #[serde(default)]
    pub summary: Value,
    /// Every finding.
    pub findings: Vec<UploadFinding>,
    /// Coverage and remediations (absent from older clients: the run counts as "coverage
    /// unknown" in the metrics).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<guardrail_store::RunCoverage>,
}

/// One finding as uploaded.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UploadFinding {
    /// The stable fingerprint.
    pub fingerprint: String,
    /// The policy's id.
    pub policy: String,
    /// The pack.
    pub pack: String,
    /// The resource's id (`None`: stack-level).
    #[serde(default)]
    pub resource: Option<String>,
    /// The resource's type.
    #[serde(default)]
    pub resource_type: Option<String>,
    /// `violation`, `indeterminate`, `error` or `suppressed`.
    pub outcome: String,
    /// The level it counts at.
    pub level: String,
    /// The severity.
    pub severity: String,
    /// Whether it blocked.
    pub blocking: bool,
    /// From a policy the service requires.
    #[serde(default)]
    pub central: bool,
    /// The message, redacted.
    pub message: String,
}

/// What a run was about and who ran it, beyond its report.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RunMeta {
    /// `plan` or `state` (`check`, `audit`), `preview` or `update` (the Pulumi plugin).
    pub kind: String,
    /// The commit.
    pub commit: Option<String>,
    /// The branch.
    pub branch: Option<String>,
    /// The pull or merge request.
    pub pull_request: Option<String>,
    /// Who ran it.
    pub actor: Option<String>,
}

fn text(v: &Value, key: &str) -> String {
    v.get(key)
        .and_then(Value::as_str)
        .unwrap_or_default()
        .to_owned()
}

/// The upload of a run, from its JSON report (`guardrail.report/v1`).
pub fn from_report(report: &Value, meta: RunMeta) -> Upload {
    let summary = report.get("summary").cloned().unwrap_or(Value::Null);
    let errors = summary.get("errors").and_then(Value::as_u64).unwrap_or(0);
    let outcome = if errors > 0 {
        "error"
    } else if report.get("blocked").and_then(Value::as_bool) == Some(true) {
        "blocked"
    } else {
        "passed"
    };
    let findings = report
        .get("findings")
        .and_then(Value::as_array)
        .map(|all| {
            all.iter()
                .map(|f| {
                    let resource = f.get("resource").filter(|r| r.is_object());
                    UploadFinding {
                        fingerprint: text(f, "fingerprint"),
                        policy: text(f, "policy"),
                        pack: text(f, "pack"),
                        resource: resource.map(|r| text(r, "id")),
                        resource_type: resource.map(|r| text(r, "type")),
                        outcome: text(f, "kind"),
                        level: text(f, "level"),
                        severity: text(f, "severity"),
                        blocking: f.get("blocking").and_then(Value::as_bool) == Some(true),
                        central: f.get("central").and_then(Value::as_bool) == Some(true),
                        message: text(f, "message"),
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Upload {
        kind: meta.kind,
        outcome: outcome.to_owned(),
        commit: meta.commit,
        branch: meta.branch,
        pull_request: meta.pull_request,
        actor: meta.actor,
        summary,
        findings,
        coverage: None,
    }
}

/// What a run says about coverage and remediation beyond its report, for the metrics
/// (docs/metrics.md): the managed and component resources of every input, those that at least
/// one enabled policy evaluated (an outcome other than "not applicable"), the types of the
/// others, and per policy the violations its remediation fixed (outcomes that pass because of
/// the fix).
pub fn coverage(result: &guardrail_run::RunResult) -> guardrail_store::RunCoverage {
    use guardrail_core::{Enforcement, Mode, OutcomeKind};
    use std::collections::BTreeMap;
    let mut out = guardrail_store::RunCoverage::default();
    let mut uncovered: BTreeMap<&str, u64> = BTreeMap::new();
    let mut remediated: BTreeMap<(&str, &str), u64> = BTreeMap::new();
    for (stack, eval) in result.stacks.iter().zip(&result.evaluations) {
        let mut covered = vec![false; stack.resources.len()];
        for o in &eval.outcomes {
            let enabled = eval
                .policies
                .get(o.policy)
                .is_some_and(|p| p.enforcement != Enforcement::Disabled);
            if let (Some(ri), true) = (o.resource, enabled) {
                if o.kind != OutcomeKind::NotApplicable {
                    if let Some(c) = covered.get_mut(ri) {
                        *c = true;
                    }
                }
            }
            if o.remediated && o.kind == OutcomeKind::Pass {
                if let Some(p) = eval.policies.get(o.policy) {
                    *remediated.entry((&p.meta.id, &p.pack)).or_default() += 1;
                }
            }
        }
        for (r, is_covered) in stack.resources.iter().zip(covered) {
            if !matches!(r.mode, Mode::Managed | Mode::Component) {
                continue;
            }
            out.resources += 1;
            if is_covered {
                out.covered += 1;
            } else {
                *uncovered.entry(&r.type_).or_default() += 1;
            }
        }
    }
    out.uncovered_types = uncovered
        .into_iter()
        .map(|(t, count)| guardrail_store::metrics::TypeCount {
            type_: t.to_owned(),
            count,
        })
        .collect();
    out.remediated = remediated
        .into_iter()
        .map(
            |((policy, pack), count)| guardrail_store::metrics::PolicyCount {
                policy: policy.to_owned(),
                pack: pack.to_owned(),
                count,
            },
        )
        .collect();
    out
}

/// `plan` and `state` (`check`, `audit`), `preview` and `update` (the Pulumi plugin).
const KINDS: [&str; 4] = ["plan", "state", "preview", "update"];
const OUTCOMES: [&str; 3] = ["passed", "blocked", "error"];
const FINDING_OUTCOMES: [&str; 4] = ["violation", "indeterminate", "error", "suppressed"];
const LEVELS: [&str; 4] = ["advisory", "mandatory", "remediate", "disabled"];
const SEVERITIES: [&str; 5] = ["info", "low", "medium", "high", "critical"];

fn one_of(what: &str, value: &str, allowed: &[&str]) -> Result<(), String> {
    if allowed.contains(&value) {
        Ok(())
    } else {
        Err(format!(
            "{what} `{value}` is not one of {}",
            allowed
                .iter()
                .map(|a| format!("`{a}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
    }
}

/// Checks an upload; the error names the field and what is allowed (for a 400 answer).
/// Messages longer than [`MAX_MESSAGE`] are cut.
pub fn check(upload: &mut Upload) -> Result<(), String> {
    one_of("the run's `kind`", &upload.kind, &KINDS)?;
    one_of("the run's `outcome`", &upload.outcome, &OUTCOMES)?;
    if upload.findings.len() > MAX_FINDINGS {
        return Err(format!(
            "the run has {} findings, more than the limit of {MAX_FINDINGS}",
            upload.findings.len()
        ));
    }
    for (name, value) in [
        ("commit", &upload.commit),
        ("branch", &upload.branch),
        ("pull_request", &upload.pull_request),
        ("actor", &upload.actor),
    ] {
        if value.as_ref().is_some_and(|v| v.len() > MAX_FIELD) {
            return Err(format!(
                "the run's `{name}` is longer than {MAX_FIELD} bytes"
            ));
        }
    }
    for (i, f) in upload.findings.iter_mut().enumerate() {
        let at = |field: &str| format!("finding {i}'s `{field}`");
        one_of(&at("outcome"), &f.outcome, &FINDING_OUTCOMES)?;
        one_of(&at("level"), &f.level, &LEVELS)?;
        one_of(&at("severity"), &f.severity, &SEVERITIES)?;
        if f.policy.is_empty() || f.fingerprint.is_empty() {
            return Err(format!("finding {i} needs a `policy` and a `fingerprint`"));
        }
        for (name, value) in [
            ("fingerprint", Some(&f.fingerprint)),
            ("policy", Some(&f.policy)),
            ("pack", Some(&f.pack)),
            ("resource", f.resource.as_ref()),
            ("resource_type", f.resource_type.as_ref()),
        ] {
            if value.is_some_and(|v| v.len() > MAX_FIELD) {
                return Err(format!("{} is longer than {MAX_FIELD} bytes", at(name)));
            }
        }
        if f.message.len() > MAX_MESSAGE {
            let mut cut = MAX_MESSAGE;
            while !f.message.is_char_boundary(cut) {
                cut -= 1;
            }
            f.message.truncate(cut);
        }
    }
    Ok(())
}

/// The store's record of an uploaded finding.
pub fn new_finding(f: UploadFinding) -> guardrail_store::NewFinding {
    guardrail_store::NewFinding {
        fingerprint: f.fingerprint,
        policy: f.policy,
        pack: f.pack,
        resource: f.resource,
        resource_type: f.resource_type,
        outcome: f.outcome,
        level: f.level,
        severity: f.severity,
        blocking: f.blocking,
        central: f.central,
        message: f.message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn an_upload_is_made_from_the_report_and_checked() {
        let report = json!({
            "blocked": true, "summary": {"errors": 0, "blocking": 1},
            "findings": [{"file": "plan.json", "resource": {"id": "aws_s3_bucket.b", "type": "aws_s3_bucket"},
                "policy": "AWS-S3-001", "pack": "p@1", "central": true, "kind": "violation", "level": "mandatory",
                "severity": "high", "blocking": true, "message": "m [secret]", "fingerprint": "abc"}]
        });
        let mut up = from_report(
            &report,
            RunMeta {
                kind: "plan".into(),
                ..RunMeta::default()
            },
        );
        assert_eq!(up.outcome, "blocked");
        assert_eq!(up.findings[0].resource.as_deref(), Some("aws_s3_bucket.b"));
        assert!(up.findings[0].central);
        assert!(check(&mut up).is_ok());
        up.findings[0].message = "é".repeat(MAX_MESSAGE);
        check(&mut up).unwrap();
        assert!(up.findings[0].message.len() <= MAX_MESSAGE);
        up.findings[0].level = "loud".into();
        assert!(check(&mut up)
            .unwrap_err()
            .contains("finding 0's `level` `loud`"));
        up.kind = "apply".into();
        assert!(check(&mut up).unwrap_err().contains("`kind` `apply`"));
    }
}
