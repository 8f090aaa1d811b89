//! The metrics of an organization's recorded history (docs/metrics.md defines each number):
//! violation rate, time to remediation, exemption rate, coverage, remediation automation and
//! flow, over a window and as a daily series (UTC days).
//!
//! [`Metrics`] is the document the API answers with (`GET /api/v1/orgs/ORG/metrics`), that
//! `guardrail metrics --format json` prints and that the dashboard draws. Fields are only ever
//! added to it, never renamed. It is computed from small rollups that each run upload writes in
//! its own transaction (per-run counts, daily aggregates per stack and per policy, the spans of
//! each finding fingerprint and of each blocked streak), never from the findings themselves.

use serde::{Deserialize, Serialize};

/// Seconds in a UTC day.
pub const DAY: i64 = 86_400;

/// What a metrics request asks for. Every set filter must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MetricsQuery {
    /// The window's start (Unix seconds, inclusive).
    pub since: i64,
    /// The window's end (Unix seconds, exclusive).
    pub until: i64,
    /// Only these stacks (`project`, `stack`); `None`: every stack of the organization. A
    /// group is turned into the stacks it matches today by the caller.
    pub stacks: Option<Vec<(String, String)>>,
    /// Only findings of this pack (its name as findings carry it: `NAME` or `NAME@VERSION`;
    /// `NAME` also matches every version).
    pub pack: Option<String>,
    /// Only findings of this policy.
    pub policy: Option<String>,
    /// How many top violated policies and worst stacks to list (0: the default, 10).
    pub top: usize,
}

/// Durations of spans (time to remediation, blocked to passing), in seconds.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Spans {
    /// Spans that ended in the window (or that day).
    pub resolved: u64,
    /// The median duration of those, in seconds (the lower middle of an even count).
    pub median_seconds: Option<i64>,
    /// The 90th percentile (nearest rank), in seconds.
    pub p90_seconds: Option<i64>,
    /// Spans still open at the end of the window (or of that day).
    pub open: u64,
}

/// Coverage: resources that at least one enabled policy evaluated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    /// Runs that reported their coverage.
    pub runs_known: u64,
    /// Runs that did not (uploads of older clients): left out of the share.
    pub runs_unknown: u64,
    /// Resources of the runs that reported coverage (summed over runs).
    pub resources: u64,
    /// Of those, resources that an enabled policy evaluated (not "not applicable").
    pub covered: u64,
    /// `covered / resources`; `None` without resources.
    pub share: Option<f64>,
}

/// Violations fixed by `remediate` versus by a later change.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Automation {
    /// Violations that a remediate policy fixed in a run.
    pub by_remediate: u64,
    /// Fingerprints that a later run of the same stack and kind no longer showed.
    pub by_change: u64,
    /// `by_remediate / (by_remediate + by_change)`; `None` when both are 0.
    pub share: Option<f64>,
}

/// The numbers of a window or of one day.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Counts {
    /// Runs recorded (every outcome, error runs included).
    pub runs: u64,
    /// Runs with at least one violation (of the pack or policy asked for).
    pub violated_runs: u64,
    /// Runs with at least one blocking finding (of the pack or policy asked for).
    pub blocked_runs: u64,
    /// Runs whose outcome is `error` (a policy failed).
    pub error_runs: u64,
    /// `violated_runs / runs`; `None` without runs.
    pub violation_rate: Option<f64>,
    /// `blocked_runs / runs`; `None` without runs.
    pub blocked_rate: Option<f64>,
    /// Violation findings (not suppressed), summed over runs.
    pub violations: u64,
    /// Suppressed findings (violations an exemption covers), summed over runs.
    pub suppressed: u64,
    /// `suppressed / (violations + suppressed)`; `None` when both are 0.
    pub exemption_rate: Option<f64>,
    /// Time to remediation of finding fingerprints.
    pub remediation: Spans,
    /// Coverage; `None` when a pack or policy is asked for (coverage is not kept per policy).
    pub coverage: Option<Coverage>,
    /// Remediation automation.
    pub automation: Automation,
    /// Stacks with at least one run.
    pub stacks: u64,
    /// `runs / (stacks × days)`; `None` without runs.
    pub runs_per_stack_day: Option<f64>,
    /// From a stack's first blocked run to its next passing run (same kind); `None` when a
    /// pack or policy is asked for.
    pub blocked_to_passing: Option<Spans>,
}

/// One UTC day of the series.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Day {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// Its numbers.
    #[serde(flatten)]
    pub counts: Counts,
}

/// A policy among the most violated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyMetrics {
    /// The policy's id.
    pub policy: String,
    /// Its pack, as findings name it.
    pub pack: String,
    /// Runs with at least one violation of it.
    pub violated_runs: u64,
    /// Runs it blocked.
    pub blocked_runs: u64,
    /// Its violations, summed over runs.
    pub violations: u64,
    /// Its suppressed findings, summed over runs.
    pub suppressed: u64,
    /// Its fingerprints still open at the window's end.
    pub open: u64,
    /// Its exemptions active at the window's end.
    pub active_exemptions: u64,
}

/// A stack among the worst.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct StackMetrics {
    /// `PROJECT/STACK`.
    pub stack: String,
    /// Its runs in the window.
    pub runs: u64,
    /// Of those, with at least one violation.
    pub violated_runs: u64,
    /// Of those, blocked.
    pub blocked_runs: u64,
    /// `violated_runs / runs`.
    pub violation_rate: Option<f64>,
    /// Its fingerprints still open at the window's end.
    pub open: u64,
}

/// A resource type that no enabled policy evaluated.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct UncoveredType {
    /// The type as the input spells it.
    #[serde(rename = "type")]
    pub type_: String,
    /// Resources of that type in the latest coverage-reporting run of each stack, summed.
    pub resources: u64,
    /// Stacks where it was uncovered.
    pub stacks: u64,
}

/// Active exemptions of one policy.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct PolicyExemptions {
    /// The policy's id.
    pub policy: String,
    /// Exemptions active at the window's end (approved, or break-glass awaiting approval).
    pub active: u64,
}

/// The metrics document.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Metrics {
    /// `guardrail.metrics/v1`.
    pub schema: String,
    /// The window's start (Unix seconds, inclusive).
    pub since: i64,
    /// The window's end (Unix seconds, exclusive).
    pub until: i64,
    /// The stack asked for (`PROJECT/STACK`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub stack: Option<String>,
    /// The group asked for (its stacks as it matches them today).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<String>,
    /// The pack asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pack: Option<String>,
    /// The policy asked for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub policy: Option<String>,
    /// The whole window.
    pub totals: Counts,
    /// Each UTC day the window touches, oldest first (days without runs included).
    pub daily: Vec<Day>,
    /// The most violated policies: by violated runs, then violations, then id.
    pub top_policies: Vec<PolicyMetrics>,
    /// The worst stacks: by violation rate, then blocked runs, then name.
    pub worst_stacks: Vec<StackMetrics>,
    /// Resource types no enabled policy evaluated, most resources first.
    pub uncovered_types: Vec<UncoveredType>,
    /// Active exemptions per policy at the window's end, most first.
    pub active_exemptions: Vec<PolicyExemptions>,
}

/// The schema name of [`Metrics`].
pub const METRICS_SCHEMA: &str = "guardrail.metrics/v1";

/// What a run reports beyond its findings, for coverage and remediation automation (absent in
/// uploads of older clients: their runs count as "coverage unknown").
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RunCoverage {
    /// Managed and component resources evaluated.
    pub resources: u64,
    /// Of those, resources that at least one enabled policy evaluated (an outcome other than
    /// "not applicable").
    pub covered: u64,
    /// The types of the others, with how many resources of each.
    #[serde(default)]
    pub uncovered_types: Vec<TypeCount>,
    /// Violations fixed by remediate policies, per policy.
    #[serde(default)]
    pub remediated: Vec<PolicyCount>,
}

/// Resources of one type.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TypeCount {
    /// The type.
    #[serde(rename = "type")]
    pub type_: String,
    /// How many resources.
    pub count: u64,
}

/// A count for one policy of one pack.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicyCount {
    /// The policy's id.
    pub policy: String,
    /// The pack, as findings name it.
    pub pack: String,
    /// How many.
    pub count: u64,
}

/// `YYYY-MM-DD` of the UTC day holding `at` (Unix seconds).
pub fn day_name(at: i64) -> String {
    let days = at.div_euclid(DAY);
    // civil-from-days (Howard Hinnant's algorithm)
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

/// `part / whole`, `None` when `whole` is 0.
pub(crate) fn share(part: u64, whole: u64) -> Option<f64> {
    #[expect(
        clippy::cast_precision_loss,
        reason = "counts of runs and findings stay far below 2^53"
    )]
    (whole > 0).then(|| part as f64 / whole as f64)
}

/// Median (lower middle) and 90th percentile (nearest rank) of sorted durations.
pub(crate) fn percentiles(sorted: &[i64]) -> (Option<i64>, Option<i64>) {
    if sorted.is_empty() {
        return (None, None);
    }
    let n = sorted.len();
    let median = sorted.get((n - 1) / 2).copied();
    // nearest rank: the smallest value with at least 90% of the values at or below it
    let rank = (n * 9).div_ceil(10).max(1);
    (median, sorted.get(rank - 1).copied())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_named_in_utc() {
        assert_eq!(day_name(0), "1970-01-01");
        assert_eq!(day_name(DAY - 1), "1970-01-01");
        assert_eq!(day_name(1_764_892_800), "2025-12-05");
        assert_eq!(day_name(951_782_400), "2000-02-29");
    }

    #[test]
    fn percentiles_by_nearest_rank() {
        assert_eq!(percentiles(&[]), (None, None));
        assert_eq!(percentiles(&[5]), (Some(5), Some(5)));
        // 10 values: median the 5th, p90 the 9th
        let v: Vec<i64> = (1..=10).collect();
        assert_eq!(percentiles(&v), (Some(5), Some(9)));
        // 4 values: median the 2nd, p90 rank ceil(3.6) = 4
        assert_eq!(percentiles(&[1, 2, 3, 4]), (Some(2), Some(4)));
    }
}
