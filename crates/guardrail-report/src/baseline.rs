//! Stable finding fingerprints, baselines and gating.
//!
//! A finding's fingerprint hashes the policy id, the resource id and the (redacted) message,
//! and nothing positional: reordering a plan, adding unrelated resources or moving the input
//! file leaves it unchanged. A baseline is the set of fingerprints of a run's findings;
//! `guardrail check --baseline FILE` lets findings in it pass and blocks only on new ones.

use std::collections::BTreeSet;

use serde::{Deserialize, Serialize};

use guardrail_core::{Enforcement, Evaluation, Outcome, OutcomeKind, Severity, Stack};

use crate::Run;

/// The schema identifier of the baseline file.
pub const SCHEMA: &str = "guardrail.baseline/v1";

/// FNV-1a, 128 bits: small, dependency-free and stable across platforms and versions.
const FNV_OFFSET: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;

/// Feeds bytes to an FNV-1a 128 hash. The prime is 2^88 + 0x13b, so multiplying by it is a
/// shift and a small multiplication (the same result as the full 128-bit multiplication).
fn fnv1a128_feed(hash: u128, bytes: &[u8]) -> u128 {
    bytes.iter().fold(hash, |hash, b| {
        let h = hash ^ u128::from(*b);
        (h << 88).wrapping_add(h.wrapping_mul(0x13b))
    })
}

/// The stable fingerprint of a finding: 32 hex digits, the hash of
/// `policy id ␟ resource id ␟ message`.
pub fn fingerprint(policy_id: &str, resource_id: Option<&str>, message: &str) -> String {
    let mut hash = FNV_OFFSET;
    for (i, part) in [policy_id, resource_id.unwrap_or(""), message]
        .iter()
        .enumerate()
    {
        if i > 0 {
            hash = fnv1a128_feed(hash, &[0x1f]);
        }
        hash = fnv1a128_feed(hash, part.as_bytes());
    }
    format!("{hash:032x}")
}

/// The fingerprint of an outcome of an evaluation of `stack`.
pub fn outcome_fingerprint(stack: &Stack, evaluation: &Evaluation, o: &Outcome) -> String {
    let policy = evaluation
        .policies
        .get(o.policy)
        .map(|p| p.meta.id.as_str())
        .unwrap_or_default();
    let resource = o
        .resource
        .and_then(|i| stack.resources.get(i))
        .map(|r| r.id.as_str());
    fingerprint(policy, resource, o.message.as_deref().unwrap_or_default())
}

/// Whether an outcome is a finding a baseline records: a violation, indeterminate or
/// suppressed outcome (suppressed ones too, so that an exemption expiring later does not turn
/// a baselined finding into a new one).
fn recordable(kind: OutcomeKind) -> bool {
    matches!(
        kind,
        OutcomeKind::Violation | OutcomeKind::Indeterminate | OutcomeKind::Suppressed
    )
}

/// One recorded finding; only `fingerprint` is used for matching, the rest helps people read
/// the file.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    /// The stable fingerprint.
    pub fingerprint: String,
    /// The policy id.
    pub policy: String,
    /// The resource id, or null for a stack-level finding.
    pub resource: Option<String>,
    /// The (redacted) message.
    pub message: String,
}

/// A baseline file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Baseline {
    /// Always [`SCHEMA`].
    pub schema: String,
    /// The findings, ordered by fingerprint.
    pub findings: Vec<BaselineEntry>,
}

impl Baseline {
    /// Records the findings of some runs.
    pub fn of(runs: &[Run<'_>]) -> Self {
        let mut set = BTreeSet::new();
        for run in runs {
            for o in &run.evaluation.outcomes {
                if !recordable(o.kind) {
                    continue;
                }
                let policy = run
                    .evaluation
                    .policies
                    .get(o.policy)
                    .map(|p| p.meta.id.clone())
                    .unwrap_or_default();
                let resource = o
                    .resource
                    .and_then(|i| run.stack.resources.get(i))
                    .map(|r| r.id.clone());
                let message = o.message.clone().unwrap_or_default();
                set.insert(BaselineEntry {
                    fingerprint: fingerprint(&policy, resource.as_deref(), &message),
                    policy,
                    resource,
                    message,
                });
            }
        }
        let mut findings: Vec<BaselineEntry> = set.into_iter().collect();
        findings.sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
        findings.dedup_by(|a, b| a.fingerprint == b.fingerprint);
        Baseline {
            schema: SCHEMA.to_string(),
            findings,
        }
    }

    /// Parses a baseline file's text.
    pub fn parse(text: &str) -> Result<Self, String> {
        let mut baseline: Baseline = serde_json::from_str(text)
            .map_err(|e| format!("line {}: not a baseline file: {e}", e.line()))?;
        if baseline.schema != SCHEMA {
            return Err(format!(
                "the baseline's schema is `{}`, expected `{SCHEMA}`",
                baseline.schema
            ));
        }
        // A hand-edited file may be out of order; `contains` searches a sorted list.
        baseline
            .findings
            .sort_by(|a, b| a.fingerprint.cmp(&b.fingerprint));
        Ok(baseline)
    }

    /// The file's text: pretty JSON ending with a newline.
    pub fn render(&self) -> String {
        let mut out = serde_json::to_string_pretty(self)
            .unwrap_or_else(|e| format!("{{\"error\": \"cannot render the baseline: {e}\"}}"));
        out.push('\n');
        out
    }

    /// Whether the baseline holds a fingerprint.
    pub fn contains(&self, fingerprint: &str) -> bool {
        self.findings
            .binary_search_by(|e| e.fingerprint.as_str().cmp(fingerprint))
            .is_ok()
    }
}

/// Which violations fail the run (`--fail-on`).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FailOn {
    /// Mandatory violations (and, in strict mode, indeterminate outcomes under mandatory).
    #[default]
    Mandatory,
    /// Advisory violations too.
    Advisory,
    /// Nothing fails the run (policy errors still exit 2).
    Never,
}

impl FailOn {
    /// Every value, as spelled on the command line.
    pub const NAMES: [&'static str; 3] = ["mandatory", "advisory", "never"];

    /// Parses `mandatory`, `advisory` or `never`.
    pub fn parse(text: &str) -> Option<Self> {
        match text.trim().to_ascii_lowercase().as_str() {
            "mandatory" => Some(FailOn::Mandatory),
            "advisory" => Some(FailOn::Advisory),
            "never" => Some(FailOn::Never),
            _ => None,
        }
    }
}

/// How a run is gated: which findings block.
#[derive(Clone, Copy, Debug, Default)]
pub struct Gate<'a> {
    /// Which levels fail.
    pub fail_on: FailOn,
    /// Only findings of this severity or higher fail.
    pub min_severity: Option<Severity>,
    /// Findings recorded here do not fail.
    pub baseline: Option<&'a Baseline>,
}

/// Why findings that could have blocked did not: the counts a verdict explains itself with.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Leniency {
    /// Findings that would block but are recorded in the baseline.
    pub baselined: usize,
    /// Findings that would block by level but are below `fail_on_severity`.
    pub below_severity: usize,
    /// Mandatory violations that do not block because `--fail-on never` is in force.
    pub fail_on_never: usize,
    /// Advisory violations that warn only (`--fail-on mandatory`, the default).
    pub advisory: usize,
}

impl Leniency {
    /// Adds another run's counts.
    pub fn add(&mut self, other: Leniency) {
        self.baselined += other.baselined;
        self.below_severity += other.below_severity;
        self.fail_on_never += other.fail_on_never;
        self.advisory += other.advisory;
    }

    /// The reasons, as phrases (`2 in the baseline`), empty when nothing was let through.
    pub fn phrases(&self, gate: Option<Severity>) -> Vec<String> {
        let mut out = Vec::new();
        if self.advisory > 0 {
            out.push(format!("{} advisory", self.advisory));
        }
        if self.baselined > 0 {
            out.push(format!("{} in the baseline", self.baselined));
        }
        if self.below_severity > 0 {
            match gate {
                Some(min) => out.push(format!(
                    "{} below fail_on_severity `{min}`",
                    self.below_severity
                )),
                None => out.push(format!("{} below fail_on_severity", self.below_severity)),
            }
        }
        if self.fail_on_never > 0 {
            out.push(format!(
                "{} mandatory under `--fail-on never`",
                self.fail_on_never
            ));
        }
        out
    }
}

impl Gate<'_> {
    /// Recomputes each outcome's `blocking` flag and the summary's `blocking` count under this
    /// gate. Returns why findings that could have blocked did not (in the baseline, below the
    /// severity floor, `never`).
    pub fn apply(&self, stack: &Stack, evaluation: &mut Evaluation) -> Leniency {
        let mut lenient = Leniency::default();
        let mut blocking = 0;
        let flags: Vec<(bool, bool, bool, bool, bool)> = evaluation
            .outcomes
            .iter()
            .map(|o| {
                let policy = evaluation.policies.get(o.policy);
                let severity = policy.map_or(Severity::Critical, |p| p.meta.severity);
                // A policy the service requires blocks at its level whatever the local gate
                // says: `--fail-on never`, a severity floor or a baseline cannot let it through.
                if policy.is_some_and(|p| p.central) {
                    let blocks = match o.kind {
                        OutcomeKind::Violation => o.level == Enforcement::Mandatory,
                        OutcomeKind::Indeterminate => o.blocking,
                        _ => false,
                    };
                    let warns = o.kind == OutcomeKind::Violation && !blocks;
                    return (blocks, false, false, false, warns);
                }
                let by_level = match (o.kind, self.fail_on) {
                    (_, FailOn::Never) => false,
                    (OutcomeKind::Violation, FailOn::Mandatory) => {
                        o.level == Enforcement::Mandatory
                    }
                    (OutcomeKind::Violation, FailOn::Advisory) => true,
                    // The engine already decided strict mode's indeterminate outcomes.
                    (OutcomeKind::Indeterminate, _) => o.blocking,
                    _ => false,
                };
                let by_severity = match self.min_severity {
                    Some(min) => severity >= min,
                    None => true,
                };
                let would = by_level && by_severity;
                let known = would
                    && self
                        .baseline
                        .is_some_and(|b| b.contains(&outcome_fingerprint(stack, evaluation, o)));
                let never = self.fail_on == FailOn::Never
                    && o.kind == OutcomeKind::Violation
                    && o.level == Enforcement::Mandatory;
                let warns = o.kind == OutcomeKind::Violation
                    && o.level != Enforcement::Mandatory
                    && !by_level;
                (
                    would && !known,
                    known,
                    by_level && !by_severity,
                    never,
                    warns,
                )
            })
            .collect();
        for (o, (blocks, known, low, never, warns)) in evaluation.outcomes.iter_mut().zip(flags) {
            lenient.advisory += usize::from(warns);
            o.blocking = blocks;
            blocking += usize::from(blocks);
            lenient.baselined += usize::from(known);
            lenient.below_severity += usize::from(low);
            lenient.fail_on_never += usize::from(never);
        }
        evaluation.summary.blocking = blocking;
        lenient
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// FNV-1a 128 as its definition states it, over the joined text.
    fn reference(policy_id: &str, resource_id: Option<&str>, message: &str) -> String {
        const PRIME: u128 = 0x0000_0000_0100_0000_0000_0000_0000_013b;
        let text = format!(
            "{policy_id}\u{1f}{}\u{1f}{message}",
            resource_id.unwrap_or("")
        );
        let hash = text.bytes().fold(FNV_OFFSET, |hash, b| {
            (hash ^ u128::from(b)).wrapping_mul(PRIME)
        });
        format!("{hash:032x}")
    }

    #[test]
    fn fingerprints_keep_their_values() {
        // recorded in baselines: these must never change
        assert_eq!(
            fingerprint(
                "AWS-S3-001",
                Some("aws_s3_bucket.b0"),
                "S3 bucket `b0` declares no default server-side encryption: add an \
                 `aws_s3_bucket_server_side_encryption_configuration` for it with \
                 `sse_algorithm` `aws:kms` or `AES256`"
            ),
            "9779284cc60575ccb59ac0ebedf97217"
        );
        assert_eq!(
            fingerprint("AWS-S3-001", Some("aws_s3_bucket.b0"), "no encryption"),
            reference("AWS-S3-001", Some("aws_s3_bucket.b0"), "no encryption")
        );
        for (p, r, m) in [
            ("", None, ""),
            ("P", Some(""), "ünïcödé ✗ \u{1f}"),
            ("AWS-EC2-001", None, &"x".repeat(5000)[..]),
        ] {
            assert_eq!(fingerprint(p, r, m), reference(p, r, m), "{p} {r:?}");
        }
        assert_eq!(
            fingerprint("", None, ""),
            format!("{:032x}", {
                // the empty input hashes the two separators only
                let mut h = FNV_OFFSET;
                for _ in 0..2 {
                    h = (h ^ 0x1f).wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013b);
                }
                h
            })
        );
    }

    #[test]
    fn fingerprints_are_stable_and_positional_free() {
        let a = fingerprint("AWS-S3-001", Some("aws_s3_bucket.logs"), "no encryption");
        assert_eq!(a.len(), 32);
        assert_eq!(
            a,
            fingerprint("AWS-S3-001", Some("aws_s3_bucket.logs"), "no encryption")
        );
        assert_ne!(
            a,
            fingerprint("AWS-S3-001", Some("aws_s3_bucket.log"), "sno encryption")
        );
        assert_ne!(a, fingerprint("AWS-S3-001", None, "no encryption"));
    }

    #[test]
    fn fail_on_parses() {
        assert_eq!(FailOn::parse("Advisory"), Some(FailOn::Advisory));
        assert_eq!(FailOn::parse("never"), Some(FailOn::Never));
        assert_eq!(FailOn::parse("sometimes"), None);
    }

    #[test]
    fn baseline_round_trips() {
        let b = Baseline {
            schema: SCHEMA.into(),
            findings: vec![BaselineEntry {
                fingerprint: "00ff".into(),
                policy: "P".into(),
                resource: None,
                message: "m".into(),
            }],
        };
        let again = Baseline::parse(&b.render()).unwrap_or_default();
        assert_eq!(again, b);
        assert!(again.contains("00ff"));
        assert!(Baseline::parse("{\"schema\": \"x\", \"findings\": []}").is_err());
        assert!(Baseline::parse("[]").is_err());
    }
}
