//! Storage of guardrail's policy service: organizations, users, API tokens, the pack registry,
//! and for enforcement ([`enforcement`]) stacks with their tags, policy groups and the history
//! of runs with their findings.
//!
//! [`Store`] is what the HTTP layer (`guardrail-server`) calls; it never sees SQL. One schema,
//! as numbered migrations ([`schema`]), is applied at start, in one transaction per migration.
//! Every write that touches more than one row runs in one transaction, so a crash (even
//! `kill -9`) leaves either nothing or the whole write.
//!
//! One implementation, [`SqlStore`], runs on embedded SQLite (the default) or on PostgreSQL (by
//! URL): every operation is written once, in the SQL both share, over a small internal
//! connection abstraction with one backend per database.
//!
//! Secrets are never stored: tokens arrive here as their hash only.

mod db;
pub mod enforcement;
pub mod exemptions;
pub mod metrics;
mod postgres;
pub mod schema;
pub mod simulation;
mod sql;
mod sql_enforcement;
mod sql_exemptions;
mod sql_metrics;
mod sql_simulation;
mod sqlite;

pub use enforcement::{
    FindingRecord, GroupRecord, HistoryFilter, NewFinding, NewRun, RunRecord, RunUpload,
    StackRecord,
};
pub use exemptions::{AuditEntry, AuditFilter, Decision, ExemptionRecord, NewExemption};
pub use metrics::{Metrics, MetricsQuery, RunCoverage};
pub use simulation::{GroupPromotion, NewUser, ReplayQuery, ReplayRun, StoredInput, UserChange};
pub use sql::{SqlStore, SqliteStore};

/// What can go wrong in storage.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database refused or failed an operation.
    #[error("database error: {0}")]
    Database(String),
    /// The database file or directory cannot be opened.
    #[error("cannot open the database `{path}`: {reason}")]
    Open {
        /// Where the database is.
        path: String,
        /// Why it cannot be opened.
        reason: String,
    },
    /// A name that must be unique is taken.
    #[error("{0} already exists")]
    Exists(String),
    /// Something the operation needs does not exist.
    #[error("{0} does not exist")]
    Missing(String),
    /// The operation is not allowed in the record's current state (the message says why).
    #[error("{0}")]
    Refused(String),
}

/// For tests of code built on the store (this crate's, the server's, the CLI's): a
/// PostgreSQL URL with a fresh schema of its own (so tests run in parallel on one server), from
/// `GUARDRAIL_TEST_POSTGRES` (which `.ci/postgres.sh start` prints).
///
/// `Ok(None)` when the variable is unset: it writes `skipped (no postgres): TEST` to standard
/// error (past the test harness's capture, so that it shows in the output) and the caller passes.
/// With `CI=true` an unset variable is an error instead, so CI cannot skip them.
pub fn test_postgres_url(test: &str) -> Result<Option<String>, String> {
    use std::sync::atomic::{AtomicUsize, Ordering};
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let base = match std::env::var("GUARDRAIL_TEST_POSTGRES") {
        Ok(url) if !url.is_empty() => url,
        _ if std::env::var("CI").is_ok_and(|v| v == "true") => {
            return Err(format!(
                "`GUARDRAIL_TEST_POSTGRES` is not set and `CI=true`: the test `{test}` needs PostgreSQL (`.ci/run` starts it with `.ci/postgres.sh start`)"
            ))
        }
        _ => {
            use std::io::Write;
            let _ = writeln!(std::io::stderr(), "skipped (no postgres): {test}");
            return Ok(None);
        }
    };
    let name: String = test
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '_'
            }
        })
        .take(32)
        .collect();
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    let schema = format!(
        "t_{name}_{}_{}_{nanos}",
        std::process::id(),
        COUNTER.fetch_add(1, Ordering::Relaxed)
    );
    let sep = if base.contains('?') { '&' } else { '?' };
    Ok(Some(format!("{base}{sep}schema={schema}")))
}

/// A role in an organization.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Role {
    /// Manages the organization: users, tokens, packs, everything a policy admin does.
    Admin,
    /// Publishes and deprecates packs.
    PolicyAdmin,
    /// Reads the organization's packs (and, later, runs checks against its stacks).
    Member,
    /// Reads everything in the organization, including its users and tokens; changes nothing.
    Auditor,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 4] = [Role::Admin, Role::PolicyAdmin, Role::Member, Role::Auditor];

    /// The role's name as the API and the database spell it.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::PolicyAdmin => "policy-admin",
            Role::Member => "member",
            Role::Auditor => "auditor",
        }
    }

    /// The role named `name`, if there is one.
    pub fn parse(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|r| r.as_str() == name)
    }
}

/// An organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Org {
    /// Its database id.
    pub id: i64,
    /// Its unique name.
    pub name: String,
    /// When it was created (Unix seconds).
    pub created_at: i64,
}

/// A user of one organization.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct User {
    /// Its database id.
    pub id: i64,
    /// The organization it belongs to.
    pub org_id: i64,
    /// Its name, unique in the organization.
    pub name: String,
    /// Its role.
    pub role: Role,
    /// Whether it may create organizations (only the bootstrap admin).
    pub superuser: bool,
    /// When it was created (Unix seconds).
    pub created_at: i64,
    /// The packs (names or globs: `*`, `?`) a `policy-admin` administers; `None`: every pack
    /// (the default). Other roles ignore it.
    pub packs: Option<Vec<String>>,
}

impl User {
    /// Whether the user administers the pack `name`: an `admin` always, a `policy-admin`
    /// when it is not limited to packs or one of its globs matches, nobody else.
    pub fn administers(&self, name: &str) -> bool {
        match self.role {
            Role::Admin => true,
            Role::PolicyAdmin => self
                .packs
                .as_ref()
                .is_none_or(|globs| globs.iter().any(|g| simulation::glob(g, name))),
            Role::Member | Role::Auditor => false,
        }
    }

    /// Whether the user administers every pack (an `admin`, or a `policy-admin` without a
    /// limit): only they decide about policies that come from no pack.
    pub fn administers_all(&self) -> bool {
        match self.role {
            Role::Admin => true,
            Role::PolicyAdmin => self.packs.is_none(),
            Role::Member | Role::Auditor => false,
        }
    }
}

/// Who a valid token belongs to.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Principal {
    /// The token's id.
    pub token_id: i64,
    /// The token's user.
    pub user: User,
    /// The user's organization.
    pub org: Org,
    /// The `PROJECT/STACK` patterns the token is scoped to (a CI token); empty: not scoped.
    pub stacks: Vec<String>,
}

/// An API token's record (never the token itself, not even its hash).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenInfo {
    /// Its id (used to revoke it).
    pub id: i64,
    /// The user it belongs to.
    pub user: String,
    /// What it is for.
    pub description: String,
    /// When it was created (Unix seconds).
    pub created_at: i64,
    /// When it stops working (Unix seconds), if ever.
    pub expires_at: Option<i64>,
    /// When it was revoked (Unix seconds), if it was.
    pub revoked_at: Option<i64>,
    /// The `PROJECT/STACK` patterns it is scoped to; empty: not scoped.
    pub stacks: Vec<String>,
}

/// A new token to store: its hash and its record.
#[derive(Clone, Debug)]
pub struct NewToken<'a> {
    /// The hex SHA-256 of the token.
    pub hash: &'a str,
    /// What it is for.
    pub description: &'a str,
    /// When it stops working (Unix seconds), if ever.
    pub expires_at: Option<i64>,
    /// The `PROJECT/STACK` patterns it is scoped to (a CI token); empty: not scoped.
    pub stacks: &'a [String],
}

/// One published version of a pack, without its content.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackVersion {
    /// The pack's name.
    pub name: String,
    /// The version.
    pub version: String,
    /// `rego` or `selection`.
    pub kind: String,
    /// `sha256:` and the hex digest of the content.
    pub digest: String,
    /// The content's size in bytes.
    pub size: i64,
    /// Who published it.
    pub published_by: String,
    /// When (Unix seconds).
    pub published_at: i64,
    /// When it was deprecated (Unix seconds), if it was.
    pub deprecated_at: Option<i64>,
    /// Why it was deprecated.
    pub deprecation_reason: Option<String>,
}

/// A version to publish.
#[derive(Clone, Debug)]
pub struct NewPackVersion<'a> {
    /// The pack's name.
    pub name: &'a str,
    /// The version.
    pub version: &'a str,
    /// `rego` or `selection`.
    pub kind: &'a str,
    /// The content's digest (`sha256:…`), already checked by the caller.
    pub digest: &'a str,
    /// The content.
    pub content: &'a [u8],
}

/// What publishing a version did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Published {
    /// The version is new and now stored.
    Created(PackVersion),
    /// The same version with the same content was already there: nothing changed.
    Unchanged(PackVersion),
    /// The version exists with other content: refused, nothing changed.
    Conflict(PackVersion),
}

/// The service's storage. Every method is one transaction.
pub trait Store: Send + Sync {
    /// Creates the organization `default` with the superuser `admin` and its token, if the
    /// database has no user yet. Returns whether it did (so the token is shown once only).
    fn bootstrap(&self, token: NewToken<'_>, now: i64) -> Result<bool, StoreError>;
    /// Creates an organization with its first admin user and that user's token.
    fn create_org(
        &self,
        name: &str,
        admin: &str,
        token: NewToken<'_>,
        now: i64,
    ) -> Result<Org, StoreError>;
    /// The organization named `name`.
    fn org(&self, name: &str) -> Result<Option<Org>, StoreError>;
    /// Who the token with this hash belongs to, if it exists, is not revoked and not expired
    /// at `now`.
    fn principal(&self, token_hash: &str, now: i64) -> Result<Option<Principal>, StoreError>;
    /// Adds a user to an organization.
    fn create_user(
        &self,
        org_id: i64,
        name: &str,
        role: Role,
        now: i64,
    ) -> Result<User, StoreError>;
    /// The users of an organization, by name.
    fn users(&self, org_id: i64) -> Result<Vec<User>, StoreError>;
    /// The user `name` of an organization.
    fn user(&self, org_id: i64, name: &str) -> Result<Option<User>, StoreError>;
    /// Stores a token for a user (audited as made by the user `by`); returns its id.
    fn create_token(
        &self,
        user_id: i64,
        token: NewToken<'_>,
        by: i64,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// The tokens of an organization's users, newest first.
    fn tokens(&self, org_id: i64) -> Result<Vec<TokenInfo>, StoreError>;
    /// Revokes a token of the organization (audited as done by `by`); false when it has no
    /// such token.
    fn revoke_token(
        &self,
        org_id: i64,
        token_id: i64,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Publishes a pack version (refused when the version exists with another digest).
    fn publish(
        &self,
        org_id: i64,
        user_id: i64,
        pack: NewPackVersion<'_>,
        now: i64,
    ) -> Result<Published, StoreError>;
    /// Every version of every pack of an organization, by name then publication order.
    fn pack_versions(
        &self,
        org_id: i64,
        name: Option<&str>,
    ) -> Result<Vec<PackVersion>, StoreError>;
    /// One version's record and content.
    fn pack_content(
        &self,
        org_id: i64,
        name: &str,
        version: &str,
    ) -> Result<Option<(PackVersion, Vec<u8>)>, StoreError>;
    /// Marks a version deprecated (it stays downloadable; audited as done by `by`); false when
    /// there is no such version.
    fn deprecate(
        &self,
        org_id: i64,
        name: &str,
        version: &str,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError>;

    // Enforcement: stacks, policy groups, runs (see [`enforcement`]).

    /// The stack `project/name` of an organization, if it is recorded.
    fn stack(
        &self,
        org_id: i64,
        project: &str,
        name: &str,
    ) -> Result<Option<StackRecord>, StoreError>;
    /// Records a stack with these tags (replacing its tags when it exists; audited as done by
    /// `by`).
    fn set_stack(
        &self,
        org_id: i64,
        project: &str,
        name: &str,
        tags: &[(String, String)],
        by: i64,
        now: i64,
    ) -> Result<StackRecord, StoreError>;
    /// The policy groups of an organization, by name.
    fn groups(&self, org_id: i64) -> Result<Vec<GroupRecord>, StoreError>;
    /// Creates or replaces a group; returns whether it was created.
    fn put_group(
        &self,
        org_id: i64,
        name: &str,
        spec: &str,
        user_id: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Deletes a group (audited as done by `by`); false when there is none of that name.
    fn delete_group(&self, org_id: i64, name: &str, by: i64, now: i64) -> Result<bool, StoreError>;
    /// Stores a run with every finding in one transaction (recording the stack when it is
    /// new); returns the run's id.
    fn record_run(
        &self,
        org_id: i64,
        user_id: i64,
        run: NewRun<'_>,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// Stores several runs (group commit): each whole or not at all, all of them in one
    /// transaction when every one succeeds. A run that fails does not take the others down:
    /// the batch is then stored run by run, each in its own transaction. The answers come in
    /// the order of `runs`.
    fn record_runs(&self, runs: &[RunUpload<'_>]) -> Vec<Result<i64, StoreError>> {
        runs.iter()
            .map(|r| self.record_run(r.org_id, r.user_id, r.run.clone(), r.now))
            .collect()
    }
    /// How many write transactions are worth running at once: 1 where the database writes one
    /// at a time (SQLite), more where transactions write in parallel (PostgreSQL). Group
    /// commit ([`Store::record_runs`]) runs this many writers.
    fn concurrent_writes(&self) -> usize {
        1
    }
    /// Runs of an organization, newest first.
    fn runs(&self, org_id: i64, filter: &HistoryFilter) -> Result<Vec<RunRecord>, StoreError>;
    /// One run with its findings.
    fn run(
        &self,
        org_id: i64,
        run_id: i64,
    ) -> Result<Option<(RunRecord, Vec<FindingRecord>)>, StoreError>;
    /// Findings of an organization's runs, newest first.
    fn findings(
        &self,
        org_id: i64,
        filter: &HistoryFilter,
    ) -> Result<Vec<FindingRecord>, StoreError>;

    // The exemption workflow and the audit log (see [`exemptions`]).

    /// Records an exemption request by the user `by` (`pending`; a break-glass one applies at
    /// once).
    fn request_exemption(
        &self,
        org_id: i64,
        by: i64,
        exemption: NewExemption<'_>,
        now: i64,
    ) -> Result<ExemptionRecord, StoreError>;
    /// Approves, denies or revokes an exemption as the user `by`; `None` when the organization
    /// has no such exemption, [`StoreError::Refused`] when its state does not allow it or `by`
    /// approves their own request.
    fn decide_exemption(
        &self,
        org_id: i64,
        by: i64,
        id: i64,
        decision: Decision,
        now: i64,
    ) -> Result<Option<ExemptionRecord>, StoreError>;
    /// One exemption of an organization.
    fn exemption(&self, org_id: i64, id: i64) -> Result<Option<ExemptionRecord>, StoreError>;
    /// The exemptions of an organization (of one stack `(project, stack)`), newest first.
    fn exemptions(
        &self,
        org_id: i64,
        stack: Option<(&str, &str)>,
    ) -> Result<Vec<ExemptionRecord>, StoreError>;
    /// Entries of the organization's audit log, newest first. (There is no method that changes
    /// or deletes one.)
    fn audit_log(&self, org_id: i64, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError>;

    // Metrics (see [`metrics`] and docs/metrics.md).

    /// The metrics of an organization's history over a window, as a daily series, with the top
    /// violated policies, the worst stacks, the uncovered resource types and the active
    /// exemptions per policy. Read from the rollups each upload writes, never from findings.
    fn metrics(&self, org_id: i64, query: &MetricsQuery) -> Result<Metrics, StoreError>;
    // Progressive enforcement and per-pack grants (see [`simulation`]).

    /// Adds a user (a `policy-admin` perhaps limited to packs), audited as done by `by`.
    fn add_user(
        &self,
        org_id: i64,
        user: NewUser<'_>,
        by: i64,
        now: i64,
    ) -> Result<User, StoreError>;
    /// Changes a user's role or pack limit (audited as done by `by`); `None` when the
    /// organization has no such user.
    fn change_user(
        &self,
        org_id: i64,
        name: &str,
        change: UserChange<'_>,
        by: i64,
        now: i64,
    ) -> Result<Option<User>, StoreError>;
    /// The runs of a window, oldest first, each with its findings of the query's policy and
    /// its other blocking findings.
    fn replay(&self, org_id: i64, query: &ReplayQuery) -> Result<Vec<ReplayRun>, StoreError>;
    /// Stores a run as [`Store::record_run`] does, with the input of a server-side evaluation
    /// in the same transaction.
    fn record_run_with_input(
        &self,
        org_id: i64,
        user_id: i64,
        run: NewRun<'_>,
        input: Option<&StoredInput>,
        now: i64,
    ) -> Result<i64, StoreError>;
    /// The stored input of a run, if it has one.
    fn run_input(&self, org_id: i64, run_id: i64) -> Result<Option<StoredInput>, StoreError>;
    /// Replaces a group's spec by a promotion, audited (`group`, `promote`) with the old spec
    /// before and the new one with `promotion` after; returns whether the group was created.
    /// [`StoreError::Refused`] when the group no longer holds the spec the promotion expects
    /// (someone changed it meanwhile).
    fn promote_group(
        &self,
        org_id: i64,
        promotion: GroupPromotion<'_>,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError>;
    /// Records that `by` ran a simulation of `policy` (`simulation`, `simulate`; `summary`
    /// after).
    fn audit_simulation(
        &self,
        org_id: i64,
        by: i64,
        policy: &str,
        summary: &serde_json::Value,
        now: i64,
    ) -> Result<(), StoreError>;
    /// Every recorded stack of an organization, by project then name.
    fn stacks(&self, org_id: i64) -> Result<Vec<StackRecord>, StoreError>;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policy_admins_administer_their_packs_only() {
        let user = |role, packs: Option<&[&str]>| User {
            id: 1,
            org_id: 1,
            name: "u".into(),
            role,
            superuser: false,
            created_at: 0,
            packs: packs.map(|p| p.iter().map(|s| (*s).to_owned()).collect()),
        };
        let limited = user(Role::PolicyAdmin, Some(&["platform-*", "pci"]));
        assert!(limited.administers("platform-guardrails"));
        assert!(limited.administers("pci"));
        assert!(!limited.administers("pci-dss"));
        assert!(!limited.administers_all());
        let unlimited = user(Role::PolicyAdmin, None);
        assert!(unlimited.administers("anything") && unlimited.administers_all());
        assert!(user(Role::Admin, Some(&["x"])).administers("y"));
        assert!(!user(Role::Member, None).administers("x"));
        assert!(!user(Role::Auditor, None).administers_all());
    }

    #[test]
    fn role_names_round_trip() {
        for r in Role::ALL {
            assert_eq!(Role::parse(r.as_str()), Some(r));
        }
        assert_eq!(Role::parse("owner"), None);
    }
}
