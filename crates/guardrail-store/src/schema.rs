//! The one schema of the service, as numbered migrations written once for every database.
//!
//! Each migration is SQL in the subset SQLite and PostgreSQL share, with two placeholders for
//! the spots where their dialects differ: `{id}` (an auto-numbered primary key) and `{blob}`
//! (raw bytes). [`render`] fills them in for one dialect. Migrations are only ever appended:
//! a released one never changes, so every database reaches the same schema by the same steps.

/// The SQL dialect a migration is rendered for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// Embedded SQLite (the default).
    Sqlite,
    /// PostgreSQL, by URL (the implementation is still to come; the schema is ready for it).
    Postgres,
}

/// One numbered step of the schema.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// Its number: migrations apply in increasing order, each once.
    pub version: i64,
    /// What it does, for the `schema_migrations` table and for people.
    pub name: &'static str,
    /// Its SQL, with the `{id}` and `{blob}` placeholders.
    pub sql: &'static str,
}

/// Every migration, in order.
pub const MIGRATIONS: &[Migration] = &[
    Migration {
        version: 1,
        name: "organizations, users, tokens, pack registry",
        sql: r"
CREATE TABLE orgs (
    id {id},
    name TEXT NOT NULL UNIQUE,
    created_at BIGINT NOT NULL
);
CREATE TABLE users (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    superuser BOOLEAN NOT NULL DEFAULT FALSE,
    created_at BIGINT NOT NULL,
    UNIQUE (org_id, name)
);
CREATE TABLE tokens (
    id {id},
    user_id BIGINT NOT NULL REFERENCES users(id),
    hash TEXT NOT NULL UNIQUE,
    description TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT,
    revoked_at BIGINT
);
CREATE TABLE pack_versions (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    version TEXT NOT NULL,
    kind TEXT NOT NULL,
    digest TEXT NOT NULL,
    size BIGINT NOT NULL,
    content {blob} NOT NULL,
    published_by BIGINT NOT NULL REFERENCES users(id),
    published_at BIGINT NOT NULL,
    deprecated_at BIGINT,
    deprecation_reason TEXT,
    UNIQUE (org_id, name, version)
);
",
    },
    Migration {
        version: 2,
        name: "tokens scoped to stacks",
        // One `PROJECT/STACK` pattern a line; NULL: the token is not scoped.
        sql: "ALTER TABLE tokens ADD COLUMN stacks TEXT;",
    },
    Migration {
        version: 3,
        name: "stacks with tags, policy groups",
        // A stack's tags: one `key=value` a line. A group's spec: its JSON document (stack
        // globs, tags, packs at pinned versions with levels and config), read by the server.
        sql: r"
CREATE TABLE stacks (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    project TEXT NOT NULL,
    name TEXT NOT NULL,
    tags TEXT NOT NULL DEFAULT '',
    created_at BIGINT NOT NULL,
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, project, name)
);
CREATE TABLE policy_groups (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    name TEXT NOT NULL,
    spec TEXT NOT NULL,
    updated_by BIGINT NOT NULL REFERENCES users(id),
    updated_at BIGINT NOT NULL,
    UNIQUE (org_id, name)
);
",
    },
    Migration {
        version: 4,
        name: "runs and their findings",
        // `org_id`, `stack_id` and `created_at` are repeated on findings so that history
        // queries per organization, stack or policy read one table through one index.
        sql: r"
CREATE TABLE runs (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    stack_id BIGINT NOT NULL REFERENCES stacks(id),
    kind TEXT NOT NULL,
    source TEXT NOT NULL,
    outcome TEXT NOT NULL,
    commit_sha TEXT,
    branch TEXT,
    pull_request TEXT,
    user_id BIGINT NOT NULL REFERENCES users(id),
    actor TEXT,
    created_at BIGINT NOT NULL,
    summary TEXT NOT NULL,
    finding_count BIGINT NOT NULL
);
CREATE INDEX runs_by_org ON runs (org_id, created_at);
CREATE INDEX runs_by_stack ON runs (stack_id, created_at);
CREATE TABLE findings (
    id {id},
    run_id BIGINT NOT NULL REFERENCES runs(id),
    org_id BIGINT NOT NULL,
    stack_id BIGINT NOT NULL,
    created_at BIGINT NOT NULL,
    fingerprint TEXT NOT NULL,
    policy TEXT NOT NULL,
    pack TEXT NOT NULL,
    resource TEXT,
    resource_type TEXT,
    outcome TEXT NOT NULL,
    level TEXT NOT NULL,
    severity TEXT NOT NULL,
    blocking BOOLEAN NOT NULL,
    central BOOLEAN NOT NULL,
    message TEXT NOT NULL
);
CREATE INDEX findings_by_run ON findings (run_id);
CREATE INDEX findings_by_org ON findings (org_id, created_at);
CREATE INDEX findings_by_policy ON findings (org_id, policy, created_at);
",
    },
    Migration {
        version: 5,
        name: "exemption workflow, audit log",
        // An exemption's `status` is its decision (`pending`, `approved`, `denied`, `revoked`);
        // whether it applies also depends on the clock (`expires_at`, the end of its last day,
        // or 24 hours after a break-glass request). The audit log is append-only: the store has
        // no statement that updates or deletes its rows.
        sql: r"
CREATE TABLE exemptions (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    project TEXT NOT NULL,
    stack TEXT NOT NULL,
    policy TEXT NOT NULL,
    resource TEXT NOT NULL,
    reason TEXT NOT NULL,
    expires TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    ticket TEXT,
    break_glass BOOLEAN NOT NULL,
    status TEXT NOT NULL,
    requested_by BIGINT NOT NULL REFERENCES users(id),
    requested_at BIGINT NOT NULL,
    decided_by BIGINT REFERENCES users(id),
    decided_at BIGINT,
    revoked_by BIGINT REFERENCES users(id),
    revoked_at BIGINT
);
CREATE INDEX exemptions_by_stack ON exemptions (org_id, project, stack);
CREATE TABLE audit_log (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    at BIGINT NOT NULL,
    actor_id BIGINT NOT NULL REFERENCES users(id),
    kind TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT NOT NULL,
    before_json TEXT,
    after_json TEXT
);
CREATE INDEX audit_log_by_org ON audit_log (org_id, at);
",
    },
    Migration {
        version: 6,
        name: "findings: the index by policy dropped, the index by organization in id order",
        // Upload cost: each finding went into three indexes, and the one by policy took its
        // rows at as many places as a run has policies (a page written per policy per
        // commit), which doubled what a 100-finding upload cost SQLite. The history lists
        // findings newest first (`ORDER BY id DESC`): an organization's findings are read
        // through `(org_id, id)` in that order, and a policy's by filtering them; a run's
        // through `findings_by_run`. `(org_id, created_at)` served no query (neither
        // database's planner chose it for an `ORDER BY id`).
        sql: r"
DROP INDEX findings_by_policy;
DROP INDEX findings_by_org;
CREATE INDEX findings_by_org ON findings (org_id, id);
",
    },
    Migration {
        version: 7,
        name: "metrics rollups",
        // Written by each run upload in its transaction, so that metrics never read findings:
        // the run's own counts and coverage (NULL `resources`: coverage unknown, an older
        // client), daily aggregates per stack, per stack and policy, and per policy for the
        // whole organization (`day` = Unix seconds div 86400, UTC), the span of each finding fingerprint per stack and kind (first run showing it
        // -> first later run without it), and each blocked streak (first blocked run -> next
        // passing run). Runs recorded before this migration get their counts from their
        // findings here; they have no spans.
        sql: r"
ALTER TABLE runs ADD COLUMN violations BIGINT NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN suppressed BIGINT NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN resources BIGINT;
ALTER TABLE runs ADD COLUMN covered BIGINT;
ALTER TABLE runs ADD COLUMN uncovered_types TEXT;
UPDATE runs SET
    violations = (SELECT COUNT(*) FROM findings f WHERE f.run_id = runs.id AND f.outcome = 'violation'),
    suppressed = (SELECT COUNT(*) FROM findings f WHERE f.run_id = runs.id AND f.outcome = 'suppressed');
CREATE TABLE metrics_daily (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    stack_id BIGINT NOT NULL REFERENCES stacks(id),
    day BIGINT NOT NULL,
    runs BIGINT NOT NULL,
    violated_runs BIGINT NOT NULL,
    blocked_runs BIGINT NOT NULL,
    error_runs BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    suppressed BIGINT NOT NULL,
    coverage_runs BIGINT NOT NULL,
    resources BIGINT NOT NULL,
    covered BIGINT NOT NULL,
    remediated BIGINT NOT NULL,
    PRIMARY KEY (org_id, stack_id, day)
);
CREATE INDEX metrics_daily_by_day ON metrics_daily (org_id, day);
INSERT INTO metrics_daily (org_id, stack_id, day, runs, violated_runs, blocked_runs, error_runs,
        violations, suppressed, coverage_runs, resources, covered, remediated)
    SELECT org_id, stack_id, created_at / 86400, COUNT(*),
        SUM(CASE WHEN violations > 0 THEN 1 ELSE 0 END),
        SUM(CASE WHEN EXISTS (SELECT 1 FROM findings f WHERE f.run_id = runs.id AND f.blocking) THEN 1 ELSE 0 END),
        SUM(CASE WHEN outcome = 'error' THEN 1 ELSE 0 END),
        SUM(violations), SUM(suppressed), 0, 0, 0, 0
    FROM runs GROUP BY org_id, stack_id, created_at / 86400;
CREATE TABLE metrics_daily_policy (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    stack_id BIGINT NOT NULL REFERENCES stacks(id),
    day BIGINT NOT NULL,
    policy TEXT NOT NULL,
    pack TEXT NOT NULL,
    violated_runs BIGINT NOT NULL,
    blocked_runs BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    suppressed BIGINT NOT NULL,
    remediated BIGINT NOT NULL,
    PRIMARY KEY (org_id, stack_id, day, policy, pack)
);
CREATE INDEX metrics_daily_policy_by_day ON metrics_daily_policy (org_id, day);
CREATE TABLE metrics_daily_org_policy (
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    day BIGINT NOT NULL,
    policy TEXT NOT NULL,
    pack TEXT NOT NULL,
    violated_runs BIGINT NOT NULL,
    blocked_runs BIGINT NOT NULL,
    violations BIGINT NOT NULL,
    suppressed BIGINT NOT NULL,
    remediated BIGINT NOT NULL,
    PRIMARY KEY (org_id, day, policy, pack)
);
CREATE TABLE finding_spans (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    stack_id BIGINT NOT NULL REFERENCES stacks(id),
    kind TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    policy TEXT NOT NULL,
    pack TEXT NOT NULL,
    first_run BIGINT NOT NULL,
    first_seen_at BIGINT NOT NULL,
    resolved_run BIGINT,
    resolved_at BIGINT,
    resolved_how TEXT
);
CREATE INDEX finding_spans_open ON finding_spans (stack_id, kind, fingerprint) WHERE resolved_at IS NULL;
CREATE INDEX finding_spans_by_resolved ON finding_spans (org_id, resolved_at);
CREATE INDEX finding_spans_by_first_seen ON finding_spans (org_id, first_seen_at);
CREATE TABLE blocked_spans (
    id {id},
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    stack_id BIGINT NOT NULL REFERENCES stacks(id),
    kind TEXT NOT NULL,
    first_run BIGINT NOT NULL,
    blocked_at BIGINT NOT NULL,
    passed_run BIGINT,
    passed_at BIGINT
);
CREATE INDEX blocked_spans_open ON blocked_spans (stack_id, kind) WHERE passed_at IS NULL;
CREATE INDEX blocked_spans_by_org ON blocked_spans (org_id, blocked_at);
CREATE INDEX blocked_spans_by_passed ON blocked_spans (org_id, passed_at);
",
    },
    Migration {
        version: 8,
        name: "per-pack policy-admin grants, inputs of server-side evaluations",
        // A user's `packs`: the pack names or globs a `policy-admin` administers, one a line;
        // NULL: every pack (the default, as before). A run's input: the loaded model of a
        // server-side evaluation as JSON, every secret leaf replaced by a marker (never the
        // plaintext), for simulations that evaluate it again with another pack version.
        sql: r"
ALTER TABLE users ADD COLUMN packs TEXT;
CREATE TABLE run_inputs (
    run_id BIGINT PRIMARY KEY REFERENCES runs(id),
    org_id BIGINT NOT NULL REFERENCES orgs(id),
    format TEXT NOT NULL,
    model {blob} NOT NULL
);
",
    },
];

/// The SQL of a migration for one dialect.
pub fn render(migration: &Migration, dialect: Dialect) -> String {
    let (id, blob) = match dialect {
        Dialect::Sqlite => ("INTEGER PRIMARY KEY", "BLOB"),
        Dialect::Postgres => ("BIGSERIAL PRIMARY KEY", "BYTEA"),
    };
    migration.sql.replace("{id}", id).replace("{blob}", blob)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn versions_increase_and_placeholders_are_filled() {
        let mut last = 0;
        for m in MIGRATIONS {
            assert!(m.version > last, "migration {} out of order", m.version);
            last = m.version;
            for dialect in [Dialect::Sqlite, Dialect::Postgres] {
                let sql = render(m, dialect);
                assert!(!sql.contains('{'), "placeholder left in {sql}");
            }
        }
        assert!(render(&MIGRATIONS[0], Dialect::Postgres).contains("BYTEA"));
    }
}
