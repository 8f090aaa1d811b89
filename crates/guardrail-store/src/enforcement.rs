//! Records of the enforcement half of the service: stacks with their tags, policy groups, and
//! the history of runs with their findings.
//!
//! The store keeps a group's spec as the JSON text the server checked; it does not read it.
//! Runs arrive whole ([`NewRun`] with every finding) and are stored in one transaction.

/// A stack of an organization, as recorded: named `PROJECT/STACK`, with tags.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StackRecord {
    /// Its database id.
    pub id: i64,
    /// The project.
    pub project: String,
    /// The stack's name in the project.
    pub name: String,
    /// Its tags, by key.
    pub tags: Vec<(String, String)>,
    /// When it was first recorded (Unix seconds).
    pub created_at: i64,
    /// When its tags last changed (Unix seconds).
    pub updated_at: i64,
}

/// A policy group as stored: its name and the JSON spec the server checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct GroupRecord {
    /// Its name, unique in the organization.
    pub name: String,
    /// The spec (JSON text).
    pub spec: String,
    /// Who last wrote it.
    pub updated_by: String,
    /// When (Unix seconds).
    pub updated_at: i64,
}

/// One finding of a run to store (already redacted by whoever made it).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct NewFinding {
    /// The stable fingerprint (policy, resource, message).
    pub fingerprint: String,
    /// The policy's id.
    pub policy: String,
    /// The pack it came from.
    pub pack: String,
    /// The resource's id, `None` for a stack-level finding.
    pub resource: Option<String>,
    /// The resource's type.
    pub resource_type: Option<String>,
    /// `violation`, `indeterminate`, `error` or `suppressed`.
    pub outcome: String,
    /// The level it counts at.
    pub level: String,
    /// The policy's severity.
    pub severity: String,
    /// Whether it blocked.
    pub blocking: bool,
    /// Whether the policy is required by the service's groups.
    pub central: bool,
    /// The message (redacted).
    pub message: String,
}

/// A run to store, with every finding.
#[derive(Clone, Debug)]
pub struct NewRun<'a> {
    /// The stack's project.
    pub project: &'a str,
    /// The stack's name.
    pub stack: &'a str,
    /// `plan` (a plan or preview) or `state` (deployed state).
    pub kind: &'a str,
    /// `client` (uploaded by `guardrail check`/`audit`) or `server` (an evaluation).
    pub source: &'a str,
    /// `passed`, `blocked` or `error`.
    pub outcome: &'a str,
    /// The commit, when known.
    pub commit: Option<&'a str>,
    /// The branch, when known.
    pub branch: Option<&'a str>,
    /// The pull or merge request, when known.
    pub pull_request: Option<&'a str>,
    /// Who ran it, as the client names them (a CI actor, a login), when known.
    pub actor: Option<&'a str>,
    /// The counts of the run (JSON text).
    pub summary: &'a str,
    /// Every finding.
    pub findings: &'a [NewFinding],
    /// Coverage and remediations of the run; `None` from older clients (coverage unknown).
    pub coverage: Option<&'a crate::metrics::RunCoverage>,
}

/// One run of a batch that [`crate::Store::record_runs`] stores: the run, and who uploaded it
/// when.
#[derive(Clone, Debug)]
pub struct RunUpload<'a> {
    /// The organization.
    pub org_id: i64,
    /// The user whose token uploaded it.
    pub user_id: i64,
    /// The run with its findings.
    pub run: NewRun<'a>,
    /// When it arrived (Unix seconds).
    pub now: i64,
}

/// A stored run, without its findings.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunRecord {
    /// Its id.
    pub id: i64,
    /// `PROJECT/STACK`.
    pub stack: String,
    /// `plan` or `state`.
    pub kind: String,
    /// `client` or `server`.
    pub source: String,
    /// `passed`, `blocked` or `error`.
    pub outcome: String,
    /// The commit, when known.
    pub commit: Option<String>,
    /// The branch, when known.
    pub branch: Option<String>,
    /// The pull or merge request, when known.
    pub pull_request: Option<String>,
    /// The user whose token uploaded it.
    pub user: String,
    /// Who ran it, as the client said.
    pub actor: Option<String>,
    /// When it was stored (Unix seconds).
    pub created_at: i64,
    /// The counts (JSON text).
    pub summary: String,
    /// How many findings it holds.
    pub finding_count: i64,
}

/// A stored finding, with its run's id, stack and time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FindingRecord {
    /// Its id.
    pub id: i64,
    /// The run it belongs to.
    pub run_id: i64,
    /// `PROJECT/STACK`.
    pub stack: String,
    /// When its run was stored (Unix seconds).
    pub created_at: i64,
    /// The finding itself.
    pub finding: NewFinding,
}

/// Which runs or findings a history query wants. Every set field must hold.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct HistoryFilter {
    /// Only this stack (`project`, `stack`).
    pub stack: Option<(String, String)>,
    /// Only runs of this kind (`plan` or `state`).
    pub kind: Option<String>,
    /// Runs: their outcome (`passed`, `blocked`, `error`); findings: theirs (`violation`, ...).
    pub outcome: Option<String>,
    /// Runs with a finding of this policy; findings of this policy.
    pub policy: Option<String>,
    /// Stored at or after (Unix seconds).
    pub since: Option<i64>,
    /// Stored before (Unix seconds).
    pub until: Option<i64>,
    /// Only ids below this one (the next page: the last id of the previous one).
    pub before: Option<i64>,
    /// At most this many, newest first.
    pub limit: i64,
}
