//! [`Store`] written once, in SQL both databases run, over either backend.

use std::path::Path;

use crate::db::{locks, params, Conn, DbError, Row};
use crate::postgres::Postgres;
use crate::schema::{render, Dialect, MIGRATIONS};
use crate::sql_enforcement as enforcement;
use crate::sql_exemptions::{self as exemptions, audit, org_of};
use crate::sql_simulation as simulation;
use crate::sqlite::Sqlite;
use crate::{AuditEntry, AuditFilter, Decision, ExemptionRecord, NewExemption};
use crate::{
    FindingRecord, GroupRecord, HistoryFilter, NewPackVersion, NewRun, NewToken, Org, PackVersion,
    Principal, Published, Role, RunRecord, RunUpload, StackRecord, Store, StoreError, TokenInfo,
    User,
};
use crate::{GroupPromotion, NewUser, ReplayQuery, ReplayRun, StoredInput, UserChange};
use serde_json::{json, Value};

/// The service's storage on SQLite (one file, the default) or PostgreSQL (by URL).
///
/// Every operation is written once, in the SQL both databases share; only connecting,
/// transactions and locks differ. Migrations are applied when the store opens.
pub struct SqlStore {
    backend: Backend,
}

/// The historical name of [`SqlStore`], from when it ran on SQLite only.
pub type SqliteStore = SqlStore;

enum Backend {
    Sqlite(Sqlite),
    Postgres(Postgres),
}

impl SqlStore {
    /// Opens (or creates) the SQLite database at `path` and applies the migrations it lacks.
    pub fn open(path: &Path) -> Result<SqlStore, StoreError> {
        Self::migrated(Backend::Sqlite(Sqlite::open(path)?))
    }

    /// A SQLite database in memory (for tests).
    pub fn in_memory() -> Result<SqlStore, StoreError> {
        Self::migrated(Backend::Sqlite(Sqlite::in_memory()?))
    }

    /// Connects to PostgreSQL (`postgres://USER[:PASSWORD]@HOST[:PORT]/DATABASE`, optionally
    /// with `?schema=NAME` to keep guardrail's tables in that schema, created when missing) and
    /// applies the migrations it lacks. Several processes may do this at once: migrations run
    /// under an advisory lock, one process after the other.
    pub fn postgres(url: &str) -> Result<SqlStore, StoreError> {
        Self::migrated(Backend::Postgres(Postgres::connect(url)?))
    }

    /// Opens the database a URL names: `sqlite:PATH` or `postgres://…` (`postgresql://…`).
    pub fn open_url(url: &str) -> Result<SqlStore, StoreError> {
        if let Some(path) = url.strip_prefix("sqlite:") {
            Self::open(Path::new(path.trim_start_matches("//")))
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Self::postgres(url)
        } else {
            let scheme = url.split(':').next().unwrap_or(url);
            Err(StoreError::Open {
                path: scheme.to_owned(),
                reason: format!(
                    "unknown database scheme `{scheme}`: use `sqlite:PATH` or `postgres://USER@HOST/DATABASE`"
                ),
            })
        }
    }

    fn migrated(backend: Backend) -> Result<SqlStore, StoreError> {
        let store = SqlStore { backend };
        store.migrate()?;
        Ok(store)
    }

    /// Which database this store runs on.
    pub fn dialect(&self) -> Dialect {
        match self.backend {
            Backend::Sqlite(_) => Dialect::Sqlite,
            Backend::Postgres(_) => Dialect::Postgres,
        }
    }

    /// Runs `f` in one write transaction.
    fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.write(f),
            Backend::Postgres(db) => db.write(f),
        }
    }

    /// Runs `f` on a reading connection (on PostgreSQL, once more when the connection broke).
    fn read<T>(&self, f: impl Fn(&mut dyn Conn) -> Result<T, StoreError>) -> Result<T, StoreError> {
        match &self.backend {
            Backend::Sqlite(db) => db.read(f),
            Backend::Postgres(db) => db.read(f),
        }
    }

    /// Creates `schema_migrations` and applies every migration not recorded there, each in its
    /// own transaction under the migration lock.
    fn migrate(&self) -> Result<(), StoreError> {
        let dialect = self.dialect();
        self.write(|c| {
            c.lock(locks::MIGRATE)?;
            Ok(c.batch(
                "CREATE TABLE IF NOT EXISTS schema_migrations (
                    version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            )?)
        })?;
        let now = unix_now();
        for m in MIGRATIONS {
            self.write(|c| {
                c.lock(locks::MIGRATE)?;
                let done = c
                    .query_opt(
                        "SELECT version FROM schema_migrations WHERE version = ?1",
                        params![m.version],
                    )?
                    .is_some();
                if !done {
                    c.batch(&render(m, dialect))?;
                    c.execute(
                        "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, ?3)",
                        params![m.version, m.name, now],
                    )?;
                }
                Ok(())
            })?;
        }
        Ok(())
    }

    /// The migration versions applied to this database, in order.
    pub fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        self.read(|c| {
            c.query(
                "SELECT version FROM schema_migrations ORDER BY version",
                params![],
            )?
            .iter()
            .map(|r| r.get(0))
            .collect()
        })
    }
}

fn unix_now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

pub(crate) const USER_COLUMNS: &str =
    "u.id, u.org_id, u.name, u.role, u.superuser, u.created_at, u.packs";

pub(crate) fn user_row(r: &Row, at: usize) -> Result<User, StoreError> {
    let role: String = r.get(at + 3)?;
    let role = Role::parse(&role)
        .ok_or_else(|| StoreError::Database(format!("unknown role `{role}` in the database")))?;
    Ok(User {
        id: r.get(at)?,
        org_id: r.get(at + 1)?,
        name: r.get(at + 2)?,
        role,
        superuser: r.get(at + 4)?,
        created_at: r.get(at + 5)?,
        packs: r.get::<Option<String>>(at + 6)?.map(|p| split_lines(&p)),
    })
}

const PACK_COLUMNS: &str = "p.name, p.version, p.kind, p.digest, p.size, u.name, p.published_at, p.deprecated_at, p.deprecation_reason";

fn pack_row(r: &Row) -> Result<PackVersion, StoreError> {
    Ok(PackVersion {
        name: r.get(0)?,
        version: r.get(1)?,
        kind: r.get(2)?,
        digest: r.get(3)?,
        size: r.get(4)?,
        published_by: r.get(5)?,
        published_at: r.get(6)?,
        deprecated_at: r.get(7)?,
        deprecation_reason: r.get(8)?,
    })
}

fn insert_token(
    c: &mut dyn Conn,
    user_id: i64,
    token: &NewToken<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    let stacks = join_stacks(token.stacks);
    c.query_one(
        "INSERT INTO tokens (user_id, hash, description, created_at, expires_at, stacks) VALUES (?1, ?2, ?3, ?4, ?5, ?6) RETURNING id",
        params![user_id, token.hash, token.description, now, token.expires_at, stacks.as_ref()],
    )?
    .get(0)
}

fn join_stacks(stacks: &[String]) -> Option<String> {
    (!stacks.is_empty()).then(|| stacks.join("\n"))
}

/// One entry a line, for lists kept in one text column.
pub(crate) fn split_lines(text: &str) -> Vec<String> {
    text.lines().map(str::to_owned).collect()
}

fn split_stacks(stacks: Option<String>) -> Vec<String> {
    stacks
        .map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn find_pack(
    c: &mut dyn Conn,
    org_id: i64,
    name: &str,
    version: &str,
) -> Result<Option<PackVersion>, StoreError> {
    c.query_opt(
        &format!("SELECT {PACK_COLUMNS} FROM pack_versions p JOIN users u ON u.id = p.published_by WHERE p.org_id = ?1 AND p.name = ?2 AND p.version = ?3"),
        params![org_id, name, version],
    )?
    .as_ref()
    .map(pack_row)
    .transpose()
}

impl Store for SqlStore {
    fn bootstrap(&self, token: NewToken<'_>, now: i64) -> Result<bool, StoreError> {
        self.write(|c| {
            // Two services starting on one empty database: the second waits here, then sees
            // the first one's admin.
            c.lock(locks::BOOTSTRAP)?;
            let users: i64 = c
                .query_one("SELECT COUNT(*) FROM users", params![])?
                .get(0)?;
            if users > 0 {
                return Ok(false);
            }
            let org_id: i64 = c
                .query_one(
                    "INSERT INTO orgs (name, created_at) VALUES ('default', ?1) RETURNING id",
                    params![now],
                )?
                .get(0)?;
            let user_id: i64 = c
                .query_one(
                    "INSERT INTO users (org_id, name, role, superuser, created_at) VALUES (?1, 'admin', 'admin', TRUE, ?2) RETURNING id",
                    params![org_id, now],
                )?
                .get(0)?;
            insert_token(c, user_id, &token, now)?;
            Ok(true)
        })
    }

    fn create_org(
        &self,
        name: &str,
        admin: &str,
        token: NewToken<'_>,
        now: i64,
    ) -> Result<Org, StoreError> {
        self.write(|c| {
            let org_id: i64 = match c.query_opt(
                "INSERT INTO orgs (name, created_at) VALUES (?1, ?2) RETURNING id",
                params![name, now],
            ) {
                Err(DbError::Unique(_)) => {
                    return Err(StoreError::Exists(format!("the organization `{name}`")))
                }
                other => other?
                    .ok_or_else(|| StoreError::Database("no id for a new organization".into()))?
                    .get(0)?,
            };
            let user_id: i64 = c
                .query_one(
                    "INSERT INTO users (org_id, name, role, created_at) VALUES (?1, ?2, 'admin', ?3) RETURNING id",
                    params![org_id, admin, now],
                )?
                .get(0)?;
            let token_id = insert_token(c, user_id, &token, now)?;
            let after = json!({
                "id": token_id, "user": admin, "description": token.description,
                "expires_at": token.expires_at, "stacks": token.stacks,
            });
            audit(c, org_id, user_id, "token", "create", &token_id.to_string(), None, Some(&after), now)?;
            Ok(Org {
                id: org_id,
                name: name.to_owned(),
                created_at: now,
            })
        })
    }

    fn org(&self, name: &str) -> Result<Option<Org>, StoreError> {
        self.read(|c| {
            c.query_opt(
                "SELECT id, name, created_at FROM orgs WHERE name = ?1",
                params![name],
            )?
            .map(|r| {
                Ok(Org {
                    id: r.get(0)?,
                    name: r.get(1)?,
                    created_at: r.get(2)?,
                })
            })
            .transpose()
        })
    }

    fn principal(&self, token_hash: &str, now: i64) -> Result<Option<Principal>, StoreError> {
        self.read(|c| {
            c.query_opt(
                &format!(
                    "SELECT t.id, {USER_COLUMNS}, o.name, o.created_at, t.stacks FROM tokens t
                     JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id
                     WHERE t.hash = ?1 AND t.revoked_at IS NULL
                       AND (t.expires_at IS NULL OR t.expires_at > ?2)"
                ),
                params![token_hash, now],
            )?
            .map(|r| {
                let user = user_row(&r, 1)?;
                Ok(Principal {
                    token_id: r.get(0)?,
                    org: Org {
                        id: user.org_id,
                        name: r.get(8)?,
                        created_at: r.get(9)?,
                    },
                    user,
                    stacks: split_stacks(r.get(10)?),
                })
            })
            .transpose()
        })
    }

    fn create_user(
        &self,
        org_id: i64,
        name: &str,
        role: Role,
        now: i64,
    ) -> Result<User, StoreError> {
        self.write(|c| {
            let id: i64 = match c.query_opt(
                "INSERT INTO users (org_id, name, role, created_at) VALUES (?1, ?2, ?3, ?4) RETURNING id",
                params![org_id, name, role.as_str(), now],
            ) {
                Err(DbError::Unique(_)) => {
                    return Err(StoreError::Exists(format!("the user `{name}`")))
                }
                other => other?
                    .ok_or_else(|| StoreError::Database("no id for a new user".into()))?
                    .get(0)?,
            };
            Ok(User {
                id,
                org_id,
                name: name.to_owned(),
                role,
                superuser: false,
                created_at: now,
                packs: None,
            })
        })
    }

    fn users(&self, org_id: i64) -> Result<Vec<User>, StoreError> {
        self.read(|c| {
            c.query(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = ?1 ORDER BY u.name"),
                params![org_id],
            )?
            .iter()
            .map(|r| user_row(r, 0))
            .collect()
        })
    }

    fn user(&self, org_id: i64, name: &str) -> Result<Option<User>, StoreError> {
        self.read(|c| {
            c.query_opt(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = ?1 AND u.name = ?2"),
                params![org_id, name],
            )?
            .map(|r| user_row(&r, 0))
            .transpose()
        })
    }

    fn create_token(
        &self,
        user_id: i64,
        token: NewToken<'_>,
        by: i64,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let id = insert_token(c, user_id, &token, now)?;
            let user: String = c
                .query_one("SELECT name FROM users WHERE id = ?1", params![user_id])?
                .get(0)?;
            let after = json!({
                "id": id, "user": user, "description": token.description,
                "expires_at": token.expires_at, "stacks": token.stacks,
            });
            let org_id = org_of(c, user_id)?;
            audit(
                c,
                org_id,
                by,
                "token",
                "create",
                &id.to_string(),
                None,
                Some(&after),
                now,
            )?;
            Ok(id)
        })
    }

    fn tokens(&self, org_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
        self.read(|c| {
            c.query(
                "SELECT t.id, u.name, t.description, t.created_at, t.expires_at, t.revoked_at, t.stacks
                 FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.org_id = ?1 ORDER BY t.id DESC",
                params![org_id],
            )?
            .iter()
            .map(|r| {
                Ok(TokenInfo {
                    id: r.get(0)?,
                    user: r.get(1)?,
                    description: r.get(2)?,
                    created_at: r.get(3)?,
                    expires_at: r.get(4)?,
                    revoked_at: r.get(5)?,
                    stacks: split_stacks(r.get(6)?),
                })
            })
            .collect()
        })
    }

    fn revoke_token(
        &self,
        org_id: i64,
        token_id: i64,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write(|c| {
            let before = c.query_opt(
                "SELECT t.revoked_at, u.name FROM tokens t JOIN users u ON u.id = t.user_id
                 WHERE t.id = ?1 AND u.org_id = ?2",
                params![token_id, org_id],
            )?;
            let Some(before) = before else {
                return Ok(false);
            };
            let (revoked_at, user): (Option<i64>, String) = (before.get(0)?, before.get(1)?);
            if revoked_at.is_none() {
                c.execute(
                    "UPDATE tokens SET revoked_at = ?2 WHERE id = ?1 AND revoked_at IS NULL",
                    params![token_id, now],
                )?;
                audit(
                    c,
                    org_id,
                    by,
                    "token",
                    "revoke",
                    &token_id.to_string(),
                    Some(&json!({"id": token_id, "user": user, "revoked_at": null})),
                    Some(&json!({"id": token_id, "user": user, "revoked_at": now})),
                    now,
                )?;
            }
            Ok(true)
        })
    }

    fn publish(
        &self,
        org_id: i64,
        user_id: i64,
        pack: NewPackVersion<'_>,
        now: i64,
    ) -> Result<Published, StoreError> {
        self.write(|c| {
            let size = i64::try_from(pack.content.len()).unwrap_or(i64::MAX);
            // `ON CONFLICT DO NOTHING`: when another process publishes the same version at the
            // same moment, this waits for it and then reads what it stored.
            let inserted = c.query_opt(
                "INSERT INTO pack_versions (org_id, name, version, kind, digest, size, content, published_by, published_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)
                 ON CONFLICT (org_id, name, version) DO NOTHING RETURNING id",
                params![org_id, pack.name, pack.version, pack.kind, pack.digest, size, pack.content, user_id, now],
            )?;
            let stored = find_pack(c, org_id, pack.name, pack.version)?
                .ok_or_else(|| StoreError::Missing("the version just published".into()))?;
            if inserted.is_some() {
                audit(
                    c,
                    org_id,
                    user_id,
                    "pack",
                    "publish",
                    &format!("{}@{}", stored.name, stored.version),
                    None,
                    Some(&pack_json(&stored)),
                    now,
                )?;
            }
            Ok(if inserted.is_some() {
                Published::Created(stored)
            } else if stored.digest == pack.digest {
                Published::Unchanged(stored)
            } else {
                Published::Conflict(stored)
            })
        })
    }

    fn pack_versions(
        &self,
        org_id: i64,
        name: Option<&str>,
    ) -> Result<Vec<PackVersion>, StoreError> {
        self.read(|c| {
            c.query(
                &format!(
                    "SELECT {PACK_COLUMNS} FROM pack_versions p JOIN users u ON u.id = p.published_by
                     WHERE p.org_id = ?1 AND (CAST(?2 AS TEXT) IS NULL OR p.name = ?2) ORDER BY p.name, p.id"
                ),
                params![org_id, name],
            )?
            .iter()
            .map(pack_row)
            .collect()
        })
    }

    fn pack_content(
        &self,
        org_id: i64,
        name: &str,
        version: &str,
    ) -> Result<Option<(PackVersion, Vec<u8>)>, StoreError> {
        self.read(|c| {
            c.query_opt(
                &format!("SELECT {PACK_COLUMNS}, p.content FROM pack_versions p JOIN users u ON u.id = p.published_by WHERE p.org_id = ?1 AND p.name = ?2 AND p.version = ?3"),
                params![org_id, name, version],
            )?
            .map(|r| Ok((pack_row(&r)?, r.get(9)?)))
            .transpose()
        })
    }

    fn deprecate(
        &self,
        org_id: i64,
        name: &str,
        version: &str,
        reason: &str,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write(|c| {
            let Some(before) = find_pack(c, org_id, name, version)? else {
                return Ok(false);
            };
            c.execute(
                "UPDATE pack_versions SET deprecated_at = ?4, deprecation_reason = ?5
                 WHERE org_id = ?1 AND name = ?2 AND version = ?3",
                params![org_id, name, version, now, reason],
            )?;
            let after = find_pack(c, org_id, name, version)?
                .ok_or_else(|| StoreError::Missing(format!("the pack `{name}@{version}`")))?;
            audit(
                c,
                org_id,
                by,
                "pack",
                "deprecate",
                &format!("{name}@{version}"),
                Some(&pack_json(&before)),
                Some(&pack_json(&after)),
                now,
            )?;
            Ok(true)
        })
    }

    fn stack(
        &self,
        org_id: i64,
        project: &str,
        name: &str,
    ) -> Result<Option<StackRecord>, StoreError> {
        self.read(|c| enforcement::stack(c, org_id, project, name))
    }

    fn set_stack(
        &self,
        org_id: i64,
        project: &str,
        name: &str,
        tags: &[(String, String)],
        by: i64,
        now: i64,
    ) -> Result<StackRecord, StoreError> {
        self.write(|c| {
            let before = enforcement::stack(c, org_id, project, name)?;
            let after = enforcement::set_stack(c, org_id, project, name, tags, now)?;
            audit(
                c,
                org_id,
                by,
                "stack",
                "set-tags",
                &format!("{project}/{name}"),
                before.as_ref().map(stack_json).as_ref(),
                Some(&stack_json(&after)),
                now,
            )?;
            Ok(after)
        })
    }

    fn groups(&self, org_id: i64) -> Result<Vec<GroupRecord>, StoreError> {
        self.read(|c| enforcement::groups(c, org_id))
    }

    fn put_group(
        &self,
        org_id: i64,
        name: &str,
        spec: &str,
        user_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write(|c| {
            let before = group_spec(c, org_id, name)?;
            let created = enforcement::put_group(c, org_id, name, spec, user_id, now)?;
            audit(
                c,
                org_id,
                user_id,
                "group",
                "put",
                name,
                before.as_ref(),
                Some(&spec_json(spec)),
                now,
            )?;
            Ok(created)
        })
    }

    fn delete_group(&self, org_id: i64, name: &str, by: i64, now: i64) -> Result<bool, StoreError> {
        self.write(|c| {
            let before = group_spec(c, org_id, name)?;
            let deleted = enforcement::delete_group(c, org_id, name)?;
            if deleted {
                audit(
                    c,
                    org_id,
                    by,
                    "group",
                    "delete",
                    name,
                    before.as_ref(),
                    None,
                    now,
                )?;
            }
            Ok(deleted)
        })
    }

    fn record_run(
        &self,
        org_id: i64,
        user_id: i64,
        run: NewRun<'_>,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.write(|c| enforcement::record_run(c, org_id, user_id, &run, now))
    }

    fn record_runs(&self, runs: &[RunUpload<'_>]) -> Vec<Result<i64, StoreError>> {
        if runs.len() > 1 {
            let together = self.write(|c| enforcement::record_runs(c, runs));
            if let Ok(ids) = together {
                return ids.into_iter().map(Ok).collect();
            }
            // One of them failed and the transaction rolled back: each alone, so that the
            // others are stored and only the failing one gets its error.
        }
        runs.iter()
            .map(|r| self.write(|c| enforcement::record_run(c, r.org_id, r.user_id, &r.run, r.now)))
            .collect()
    }

    fn concurrent_writes(&self) -> usize {
        match self.backend {
            Backend::Sqlite(_) => 1,
            // Two: one writes its batch while the other gathers the next. More writers made
            // smaller batches that paid the rollups' and the transaction's cost more often
            // (four: 947-976 uploads/s of 100 findings on a quiet 2-core machine; two:
            // 1,051-1,061/s, and less CPU an upload; BENCHMARKS.md).
            Backend::Postgres(_) => 2,
        }
    }

    fn runs(&self, org_id: i64, filter: &HistoryFilter) -> Result<Vec<RunRecord>, StoreError> {
        self.read(|c| enforcement::runs(c, org_id, filter))
    }

    fn run(
        &self,
        org_id: i64,
        run_id: i64,
    ) -> Result<Option<(RunRecord, Vec<FindingRecord>)>, StoreError> {
        self.read(|c| enforcement::run(c, org_id, run_id))
    }

    fn findings(
        &self,
        org_id: i64,
        filter: &HistoryFilter,
    ) -> Result<Vec<FindingRecord>, StoreError> {
        self.read(|c| enforcement::findings(c, org_id, filter))
    }

    fn request_exemption(
        &self,
        org_id: i64,
        by: i64,
        exemption: NewExemption<'_>,
        now: i64,
    ) -> Result<ExemptionRecord, StoreError> {
        self.write(|c| exemptions::request(c, org_id, by, &exemption, now))
    }

    fn decide_exemption(
        &self,
        org_id: i64,
        by: i64,
        id: i64,
        decision: Decision,
        now: i64,
    ) -> Result<Option<ExemptionRecord>, StoreError> {
        self.write(|c| exemptions::decide(c, org_id, by, id, decision, now))
    }

    fn exemption(&self, org_id: i64, id: i64) -> Result<Option<ExemptionRecord>, StoreError> {
        self.read(|c| exemptions::exemption(c, org_id, id))
    }

    fn exemptions(
        &self,
        org_id: i64,
        stack: Option<(&str, &str)>,
    ) -> Result<Vec<ExemptionRecord>, StoreError> {
        self.read(|c| exemptions::exemptions(c, org_id, stack))
    }

    fn audit_log(&self, org_id: i64, filter: &AuditFilter) -> Result<Vec<AuditEntry>, StoreError> {
        self.read(|c| exemptions::audit_log(c, org_id, filter))
    }

    fn metrics(
        &self,
        org_id: i64,
        query: &crate::MetricsQuery,
    ) -> Result<crate::Metrics, StoreError> {
        let now = unix_now();
        self.read(|c| crate::sql_metrics::metrics(c, org_id, query, now))
    }

    fn add_user(
        &self,
        org_id: i64,
        user: NewUser<'_>,
        by: i64,
        now: i64,
    ) -> Result<User, StoreError> {
        self.write(|c| simulation::add_user(c, org_id, &user, by, now))
    }

    fn change_user(
        &self,
        org_id: i64,
        name: &str,
        change: UserChange<'_>,
        by: i64,
        now: i64,
    ) -> Result<Option<User>, StoreError> {
        self.write(|c| simulation::change_user(c, org_id, name, &change, by, now))
    }

    fn replay(&self, org_id: i64, query: &ReplayQuery) -> Result<Vec<ReplayRun>, StoreError> {
        self.read(|c| simulation::replay(c, org_id, query))
    }

    fn record_run_with_input(
        &self,
        org_id: i64,
        user_id: i64,
        run: NewRun<'_>,
        input: Option<&StoredInput>,
        now: i64,
    ) -> Result<i64, StoreError> {
        self.write(|c| {
            let id = enforcement::record_run(c, org_id, user_id, &run, now)?;
            if let Some(input) = input {
                simulation::store_input(c, org_id, id, input)?;
            }
            Ok(id)
        })
    }

    fn run_input(&self, org_id: i64, run_id: i64) -> Result<Option<StoredInput>, StoreError> {
        self.read(|c| simulation::run_input(c, org_id, run_id))
    }

    fn promote_group(
        &self,
        org_id: i64,
        promotion: GroupPromotion<'_>,
        by: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        self.write(|c| simulation::promote(c, org_id, &promotion, by, now))
    }

    fn audit_simulation(
        &self,
        org_id: i64,
        by: i64,
        policy: &str,
        summary: &Value,
        now: i64,
    ) -> Result<(), StoreError> {
        self.write(|c| {
            audit(
                c,
                org_id,
                by,
                "simulation",
                "simulate",
                policy,
                None,
                Some(summary),
                now,
            )
        })
    }

    fn stacks(&self, org_id: i64) -> Result<Vec<StackRecord>, StoreError> {
        self.read(|c| enforcement::stacks(c, org_id))
    }
}

/// A pack version as the audit log records it.
fn pack_json(v: &PackVersion) -> Value {
    json!({
        "name": v.name, "version": v.version, "kind": v.kind, "digest": v.digest,
        "size": v.size, "deprecated_at": v.deprecated_at, "deprecation_reason": v.deprecation_reason,
    })
}

/// A stack as the audit log records it.
fn stack_json(s: &StackRecord) -> Value {
    let tags: serde_json::Map<String, Value> = s
        .tags
        .iter()
        .map(|(k, v)| (k.clone(), Value::String(v.clone())))
        .collect();
    json!({"project": s.project, "name": s.name, "tags": tags})
}

/// A group's spec as JSON (it is stored as the JSON text the server checked).
fn spec_json(spec: &str) -> Value {
    serde_json::from_str(spec).unwrap_or_else(|_| Value::String(spec.to_owned()))
}

fn group_spec(c: &mut dyn Conn, org_id: i64, name: &str) -> Result<Option<Value>, StoreError> {
    c.query_opt(
        "SELECT spec FROM policy_groups WHERE org_id = ?1 AND name = ?2",
        params![org_id, name],
    )?
    .map(|r| Ok(spec_json(&r.get::<String>(0)?)))
    .transpose()
}

#[cfg(test)]
mod tests {
    //! Every test here runs twice: on SQLite (a file in a temporary directory) and on
    //! PostgreSQL (a schema of its own on the server `GUARDRAIL_TEST_POSTGRES` names).
    use super::*;
    use std::path::PathBuf;

    /// A database for one test, which can be opened several times (several "processes").
    enum TestDb {
        Sqlite(PathBuf),
        Postgres(String),
    }

    impl TestDb {
        fn sqlite(test: &str) -> TestDb {
            let dir = std::env::temp_dir().join(format!(
                "guardrail-store-{test}-{}-{:?}",
                std::process::id(),
                std::thread::current().id()
            ));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TestDb::Sqlite(dir)
        }

        fn postgres(test: &str) -> Option<TestDb> {
            match crate::test_postgres_url(test) {
                Ok(Some(url)) => Some(TestDb::Postgres(url)),
                Ok(None) => None,
                Err(e) => panic!("{e}"),
            }
        }

        fn open(&self) -> SqlStore {
            match self {
                TestDb::Sqlite(dir) => SqlStore::open(&dir.join("db.sqlite")).unwrap(),
                TestDb::Postgres(url) => SqlStore::postgres(url).unwrap(),
            }
        }

        /// Runs SQL on the database without migrating it first.
        fn raw(&self, sql: &str) {
            let store = SqlStore {
                backend: match self {
                    TestDb::Sqlite(dir) => {
                        Backend::Sqlite(Sqlite::open(&dir.join("db.sqlite")).unwrap())
                    }
                    TestDb::Postgres(url) => Backend::Postgres(Postgres::connect(url).unwrap()),
                },
            };
            store.write(|c| Ok(c.batch(sql)?)).unwrap();
        }

        fn dialect(&self) -> Dialect {
            match self {
                TestDb::Sqlite(_) => Dialect::Sqlite,
                TestDb::Postgres(_) => Dialect::Postgres,
            }
        }
    }

    impl Drop for TestDb {
        fn drop(&mut self) {
            if let TestDb::Sqlite(dir) = self {
                let _ = std::fs::remove_dir_all(dir);
            }
        }
    }

    /// `on_both! { fn name(db) { … } }`: the body as two tests, `name::sqlite` and
    /// `name::postgres`.
    macro_rules! on_both {
        ($(fn $name:ident($db:ident) $body:block)*) => {$(
            mod $name {
                use super::*;
                fn body($db: &TestDb) $body
                #[test]
                fn sqlite() {
                    body(&TestDb::sqlite(stringify!($name)));
                }
                #[test]
                fn postgres() {
                    if let Some(db) = TestDb::postgres(stringify!($name)) {
                        body(&db);
                    }
                }
            }
        )*};
    }

    fn token(hash: &str) -> NewToken<'_> {
        NewToken {
            hash,
            description: "test",
            expires_at: None,
            stacks: &[],
        }
    }

    use crate::NewFinding;

    fn all_migrations() -> Vec<i64> {
        MIGRATIONS.iter().map(|m| m.version).collect()
    }

    on_both! {
        fn migrations_apply_once_and_reopen_keeps_data(db) {
            {
                let store = db.open();
                assert_eq!(store.dialect(), db.dialect());
                assert_eq!(store.applied_migrations().unwrap(), all_migrations());
                assert!(store.bootstrap(token("h0"), 10).unwrap());
            }
            let store = db.open();
            assert_eq!(store.applied_migrations().unwrap(), all_migrations());
            assert!(
                !store.bootstrap(token("h1"), 11).unwrap(),
                "bootstrap runs once"
            );
            let p = store.principal("h0", 12).unwrap().unwrap();
            assert!(p.user.superuser);
            assert_eq!(p.org.name, "default");
            assert!(store.principal("h1", 12).unwrap().is_none());
        }

        fn a_database_of_an_older_schema_is_migrated_and_keeps_its_data(db) {
            // What a release with only the first migration left behind.
            db.raw(&format!(
                "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
                 {}
                 INSERT INTO schema_migrations VALUES (1, 'first', 0);
                 INSERT INTO orgs (name, created_at) VALUES ('old', 1);
                 INSERT INTO users (org_id, name, role, created_at) VALUES (1, 'olga', 'admin', 1);
                 INSERT INTO tokens (user_id, hash, description, created_at) VALUES (1, 'oldhash', 'old', 1);",
                render(&MIGRATIONS[0], db.dialect())
            ));
            let store = db.open();
            assert_eq!(store.applied_migrations().unwrap(), all_migrations());
            let p = store.principal("oldhash", 2).unwrap().unwrap();
            assert_eq!((p.org.name.as_str(), p.user.name.as_str()), ("old", "olga"));
            assert!(p.stacks.is_empty());
        }

        fn reads_go_on_while_a_write_transaction_is_open(db) {
            let store = db.open();
            let org = store.create_org("a", "alice", token("ha"), 1).unwrap();
            // The writer is busy in a transaction that has written but not committed.
            store
                .write(|c| {
                    c.execute(
                        "INSERT INTO orgs (name, created_at) VALUES ('uncommitted', 2)",
                        params![],
                    )?;
                    let (send, receive) = std::sync::mpsc::channel();
                    std::thread::scope(|s| {
                        s.spawn(|| {
                            let seen = (
                                store.principal("ha", 3).unwrap().is_some(),
                                store.org("uncommitted").unwrap(),
                            );
                            send.send(seen).unwrap();
                        });
                        let (found, uncommitted) = receive
                            .recv_timeout(std::time::Duration::from_secs(10))
                            .expect("a read waited for the writer");
                        assert!(found, "committed data is read");
                        assert_eq!(uncommitted, None, "uncommitted data is not");
                    });
                    Ok(())
                })
                .unwrap();
            assert_eq!(store.org("a").unwrap().unwrap().id, org.id);
            assert!(store.org("uncommitted").unwrap().is_some());
        }

        fn a_failed_write_leaves_nothing(db) {
            let store = db.open();
            let result: Result<(), StoreError> = store.write(|c| {
                c.execute(
                    "INSERT INTO orgs (name, created_at) VALUES ('half', 2)",
                    params![],
                )?;
                Err(StoreError::Missing("the second half".into()))
            });
            assert!(result.is_err());
            assert_eq!(store.org("half").unwrap(), None);
            // And the connection is usable afterwards, also after an error of the database.
            let org = store.create_org("a", "alice", token("ha"), 1).unwrap();
            assert!(matches!(
                store.create_user(org.id, "alice", Role::Member, 2),
                Err(StoreError::Exists(_))
            ));
            assert_eq!(store.users(org.id).unwrap().len(), 1);
            store.create_user(org.id, "bob", Role::Member, 2).unwrap();
            assert_eq!(store.users(org.id).unwrap().len(), 2);
        }

        fn a_panic_in_a_write_leaves_nothing_and_the_store_serves_on(db) {
            let store = db.open();
            for _ in 0..2 {
                let panicked = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    let _: Result<(), StoreError> = store.write(|c| {
                        c.execute(
                            "INSERT INTO orgs (name, created_at) VALUES ('half', 2)",
                            params![],
                        )?;
                        panic!("a bug in the middle of an operation");
                    });
                }));
                assert!(panicked.is_err());
            }
            assert_eq!(store.org("half").unwrap(), None);
            store.create_org("a", "alice", token("ha"), 1).unwrap();
            assert!(store.org("a").unwrap().is_some());
        }

        fn a_broken_connection_is_replaced(db) {
            let store = db.open();
            store.create_org("a", "alice", token("ha"), 1).unwrap();
            let Backend::Postgres(_) = &store.backend else {
                return; // SQLite has no server to lose.
            };
            // Another session ends this store's connection, as a database restart would.
            let pid: i64 = store
                .read(|c| c.query_one("SELECT CAST(pg_backend_pid() AS BIGINT)", params![])?.get(0))
                .unwrap();
            let other = db.open();
            other
                .read(|c| {
                    c.query("SELECT pg_terminate_backend(CAST(?1 AS INTEGER))", params![pid])?;
                    Ok(())
                })
                .unwrap();
            // Reads find the connection broken and run again on a new one; writes reconnect too.
            for _ in 0..3 {
                assert!(store.org("a").unwrap().is_some());
            }
            store.create_org("b", "bob", token("hb"), 2).unwrap();
        }

        fn tokens_expire_and_revoke_within_their_org(db) {
            let store = db.open();
            let a = store.create_org("a", "alice", token("ha"), 1).unwrap();
            let b = store.create_org("b", "bob", token("hb"), 1).unwrap();
            assert!(matches!(
                store.create_org("a", "x", token("hx"), 1),
                Err(StoreError::Exists(_))
            ));
            let alice = store.user(a.id, "alice").unwrap().unwrap();
            let id = store
                .create_token(
                    alice.id,
                    NewToken {
                        hash: "short",
                        description: "ci",
                        expires_at: Some(100),
                        stacks: &[],
                    },
                    alice.id,
                    1,
                )
                .unwrap();
            assert!(store.principal("short", 99).unwrap().is_some());
            assert!(store.principal("short", 100).unwrap().is_none(), "expired");
            assert!(!store.revoke_token(b.id, id, alice.id, 5).unwrap(), "other org");
            assert!(store.revoke_token(a.id, id, alice.id, 5).unwrap());
            assert!(store.principal("short", 50).unwrap().is_none(), "revoked");
            assert_eq!(store.tokens(a.id).unwrap().len(), 2);
            assert_eq!(store.tokens(b.id).unwrap().len(), 1);

            let scopes = ["app/prod".to_owned(), "web/*".to_owned()];
            store
                .create_token(
                    alice.id,
                    NewToken {
                        hash: "scoped",
                        description: "ci",
                        expires_at: None,
                        stacks: &scopes,
                    },
                    alice.id,
                    1,
                )
                .unwrap();
            assert_eq!(
                store.principal("scoped", 2).unwrap().unwrap().stacks,
                scopes
            );
            assert!(store.principal("ha", 2).unwrap().unwrap().stacks.is_empty());
            assert_eq!(store.tokens(a.id).unwrap()[0].stacks, scopes);
        }

        fn versions_are_immutable(db) {
            let store = db.open();
            let org = store.create_org("a", "alice", token("ha"), 1).unwrap();
            let alice = store.user(org.id, "alice").unwrap().unwrap();
            let v = |digest: &'static str, content: &'static [u8]| NewPackVersion {
                name: "p",
                version: "1.0.0",
                kind: "rego",
                digest,
                content,
            };
            assert!(matches!(
                store
                    .publish(org.id, alice.id, v("sha256:aa", b"one"), 2)
                    .unwrap(),
                Published::Created(_)
            ));
            assert!(matches!(
                store
                    .publish(org.id, alice.id, v("sha256:aa", b"one"), 3)
                    .unwrap(),
                Published::Unchanged(_)
            ));
            assert!(matches!(
                store
                    .publish(org.id, alice.id, v("sha256:bb", b"two"), 4)
                    .unwrap(),
                Published::Conflict(_)
            ));
            let (meta, content) = store.pack_content(org.id, "p", "1.0.0").unwrap().unwrap();
            assert_eq!(content, b"one");
            assert_eq!(meta.published_at, 2);
            assert!(store.deprecate(org.id, "p", "1.0.0", "old", alice.id, 5).unwrap());
            assert!(!store.deprecate(org.id, "p", "2.0.0", "old", alice.id, 5).unwrap());
            let list = store.pack_versions(org.id, Some("p")).unwrap();
            assert_eq!(list.len(), 1);
            assert_eq!(list[0].deprecated_at, Some(5));
            assert_eq!(store.pack_versions(org.id, None).unwrap().len(), 1);
            // Only the changes are audited: a republish of the same content, a refused one and
            // the deprecation of a missing version wrote no entry.
            let all = AuditFilter { limit: 100, ..AuditFilter::default() };
            let log: Vec<(String, String, String)> = store
                .audit_log(org.id, &all)
                .unwrap()
                .into_iter()
                .map(|a| (a.kind, a.action, a.target))
                .collect();
            let entry = |k: &str, a: &str, t: &str| (k.to_owned(), a.to_owned(), t.to_owned());
            assert_eq!(
                log,
                [
                    entry("pack", "deprecate", "p@1.0.0"),
                    entry("pack", "publish", "p@1.0.0"),
                    entry("token", "create", "1"),
                ]
            );
        }

        fn several_stores_starting_at_once_migrate_and_bootstrap_once(db) {
            // As several `guardrail serve` processes starting on one empty database.
            let bootstrapped: Vec<bool> = std::thread::scope(|s| {
                let starts: Vec<_> = (0..4)
                    .map(|i| {
                        s.spawn(move || {
                            let store = db.open();
                            store.bootstrap(token(["b0", "b1", "b2", "b3"][i]), 1).unwrap()
                        })
                    })
                    .collect();
                starts.into_iter().map(|t| t.join().unwrap()).collect()
            });
            assert_eq!(bootstrapped.iter().filter(|b| **b).count(), 1, "{bootstrapped:?}");
            let store = db.open();
            assert_eq!(store.applied_migrations().unwrap(), all_migrations());
            let default = store.org("default").unwrap().unwrap();
            assert_eq!(store.users(default.id).unwrap().len(), 1);
        }

        fn two_stores_publishing_one_version_at_once_store_one(db) {
            // As two processes on one database: two stores, each with its own connections.
            let first = db.open();
            let second = db.open();
            let org = first.create_org("a", "alice", token("ha"), 1).unwrap();
            let alice = first.user(org.id, "alice").unwrap().unwrap();
            for round in 0..10 {
                let version = format!("1.{round}");
                let publish = |store: &SqlStore, digest: &'static str| {
                    store
                        .publish(
                            org.id,
                            alice.id,
                            NewPackVersion {
                                name: "p",
                                version: &version,
                                kind: "rego",
                                digest,
                                content: digest.as_bytes(),
                            },
                            2,
                        )
                        .unwrap()
                };
                let results: Vec<Published> = std::thread::scope(|s| {
                    let a = s.spawn(|| publish(&first, "sha256:aa"));
                    let b = s.spawn(|| publish(&second, "sha256:bb"));
                    vec![a.join().unwrap(), b.join().unwrap()]
                });
                let created = results
                    .iter()
                    .filter(|r| matches!(r, Published::Created(_)))
                    .count();
                let conflicts = results
                    .iter()
                    .filter(|r| matches!(r, Published::Conflict(_)))
                    .count();
                assert_eq!((created, conflicts), (1, 1), "{results:?}");
            }
            assert_eq!(second.pack_versions(org.id, Some("p")).unwrap().len(), 10);
        }

        fn runs_are_stored_whole_and_queried_by_stack_policy_time_and_page(db) {
            let store = db.open();
            let token = NewToken {
                hash: "h",
                description: "t",
                expires_at: None,
                stacks: &[],
            };
            let org = store.create_org("a", "alice", token, 1).unwrap();
            let alice = store.user(org.id, "alice").unwrap().unwrap();
            let many: Vec<NewFinding> = (0..300).map(|i| finding("AWS-S3-001", i)).collect();
            fn run<'a>(stack: &'a str, findings: &'a [NewFinding]) -> NewRun<'a> {
                NewRun {
                    project: "app",
                    stack,
                    kind: "plan",
                    source: "client",
                    outcome: if findings.is_empty() {
                        "passed"
                    } else {
                        "blocked"
                    },
                    commit: Some("abc"),
                    branch: None,
                    pull_request: None,
                    actor: None,
                    summary: "{}",
                    findings,
                    coverage: None,
                }
            }
            let first = store
                .record_run(org.id, alice.id, run("prod", &many), 10)
                .unwrap();
            let second = store
                .record_run(org.id, alice.id, run("dev", &[]), 20)
                .unwrap();
            assert!(second > first);
            let (record, findings) = store.run(org.id, first).unwrap().unwrap();
            assert_eq!(record.finding_count, 300);
            assert_eq!(
                findings.len(),
                300,
                "every chunk of the multi-row insert (SQLite), every row of the copy (PostgreSQL)"
            );
            assert_eq!(findings[299].finding, many[299]);
            assert_eq!(findings[0].finding, many[0]);
            assert_eq!(findings[256].finding, many[256], "the first row of the second chunk");
            assert_eq!(record.stack, "app/prod");
            let all = |f: HistoryFilter| store.runs(org.id, &f).unwrap();
            let base = HistoryFilter {
                limit: 10,
                ..HistoryFilter::default()
            };
            assert_eq!(all(base.clone()).len(), 2);
            let only = |f: HistoryFilter| all(f).iter().map(|r| r.id).collect::<Vec<_>>();
            assert_eq!(
                only(HistoryFilter {
                    stack: Some(("app".into(), "dev".into())),
                    ..base.clone()
                }),
                [second]
            );
            assert_eq!(
                only(HistoryFilter {
                    policy: Some("AWS-S3-001".into()),
                    ..base.clone()
                }),
                [first]
            );
            assert_eq!(
                only(HistoryFilter {
                    since: Some(15),
                    ..base.clone()
                }),
                [second]
            );
            assert_eq!(
                only(HistoryFilter {
                    limit: 1,
                    ..base.clone()
                }),
                [second],
                "newest first"
            );
            assert_eq!(
                only(HistoryFilter {
                    before: Some(second),
                    ..base.clone()
                }),
                [first],
                "the next page"
            );
            let page = store
                .findings(
                    org.id,
                    &HistoryFilter {
                        limit: 100,
                        ..HistoryFilter::default()
                    },
                )
                .unwrap();
            assert_eq!(page.len(), 100);
            assert_eq!(page[0].finding.message, "message 299");
            assert!(
                store.runs(org.id + 1, &base).unwrap().is_empty(),
                "other org"
            );
            assert!(store.run(org.id + 1, first).unwrap().is_none(), "other org");
        }

        fn a_batch_of_runs_is_stored_together_and_a_bad_run_does_not_lose_the_others(db) {
            let store = db.open();
            let org = store.create_org("a", "alice", token("h"), 1).unwrap();
            let alice = store.user(org.id, "alice").unwrap().unwrap();
            let findings: Vec<Vec<NewFinding>> = (0..4)
                .map(|r| (0..(r * 150)).map(|i| finding(&format!("P-{r}"), i)).collect())
                .collect();
            let upload = |user_id: i64, r: usize| RunUpload {
                org_id: org.id,
                user_id,
                run: NewRun {
                    project: "app",
                    stack: if r.is_multiple_of(2) { "prod" } else { "dev" },
                    kind: "plan",
                    source: "client",
                    outcome: "blocked",
                    commit: None,
                    branch: None,
                    pull_request: None,
                    actor: None,
                    summary: "{}",
                    findings: &findings[r],
                    coverage: None,
                },
                now: 10,
            };
            let stored_whole = |id: i64, r: usize| {
                let (record, rows) = store.run(org.id, id).unwrap().unwrap();
                assert_eq!(record.finding_count, i64::try_from(r * 150).unwrap());
                let rows: Vec<NewFinding> = rows.into_iter().map(|f| f.finding).collect();
                assert_eq!(rows, findings[r], "run {r}: its own findings, all of them");
            };

            // All good: one id each, in order, every run whole.
            let ids: Vec<i64> = store
                .record_runs(&(0..4).map(|r| upload(alice.id, r)).collect::<Vec<_>>())
                .into_iter()
                .map(Result::unwrap)
                .collect();
            assert!(ids.windows(2).all(|w| w[0] < w[1]), "{ids:?}");
            for (r, id) in ids.iter().enumerate() {
                stored_whole(*id, r);
            }

            // The third names a user who does not exist: it fails, the others are stored.
            let batch = [upload(alice.id, 1), upload(alice.id, 2), upload(9_999, 3), upload(alice.id, 0)];
            let answers = store.record_runs(&batch);
            assert_eq!(answers.len(), 4);
            assert!(answers[2].is_err(), "{:?}", answers[2]);
            for (i, r) in [(0, 1), (1, 2), (3, 0)] {
                stored_whole(*answers[i].as_ref().unwrap(), r);
            }
            let all = store
                .runs(org.id, &HistoryFilter { limit: 100, ..HistoryFilter::default() })
                .unwrap();
            assert_eq!(all.len(), 7, "4 + the 3 good ones: nothing of the bad one, nothing twice");
        }

        fn stacks_keep_tags_and_groups_are_replaced(db) {
            let store = db.open();
            let token = NewToken {
                hash: "h",
                description: "t",
                expires_at: None,
                stacks: &[],
            };
            let org = store.create_org("a", "alice", token, 1).unwrap();
            let alice = store.user(org.id, "alice").unwrap().unwrap();
            assert!(store.stack(org.id, "app", "prod").unwrap().is_none());
            let tags = vec![("env".to_owned(), "prod".to_owned())];
            let s = store.set_stack(org.id, "app", "prod", &tags, alice.id, 5).unwrap();
            assert_eq!(s.tags, tags);
            let s2 = store.set_stack(org.id, "app", "prod", &[], alice.id, 6).unwrap();
            assert_eq!((s2.id, s2.created_at, s2.updated_at), (s.id, 5, 6));
            assert!(store.put_group(org.id, "g", "{}", alice.id, 7).unwrap());
            assert!(!store
                .put_group(org.id, "g", "{\"a\":1}", alice.id, 8)
                .unwrap());
            let groups = store.groups(org.id).unwrap();
            assert_eq!(groups.len(), 1);
            assert_eq!(
                (groups[0].spec.as_str(), groups[0].updated_by.as_str()),
                ("{\"a\":1}", "alice")
            );
            assert!(store.delete_group(org.id, "g", alice.id, 9).unwrap());
            assert!(!store.delete_group(org.id, "g", alice.id, 9).unwrap());
        }
    }

    on_both! {
        fn exemptions_are_decided_once_by_someone_else_and_audited(db) {
            let store = db.open();
            let org = store.create_org("a", "alice", token("ha"), 1).unwrap();
            let other = store.create_org("b", "bob", token("hb"), 1).unwrap();
            let alice = store.user(org.id, "alice").unwrap().unwrap();
            let carol = store.create_user(org.id, "carol", Role::Member, 1).unwrap();
            let ask = |break_glass, expires_at| NewExemption {
                project: "app",
                stack: "prod",
                policy: "AWS-S3-001",
                resource: "aws_s3_bucket.*",
                reason: "public site",
                expires: "2027-01-31",
                expires_at,
                ticket: Some("SEC-1"),
                break_glass,
            };
            let e = store.request_exemption(org.id, carol.id, ask(false, 1000), 10).unwrap();
            assert_eq!((e.status.as_str(), e.state(10)), ("pending", "pending"));
            assert!(!e.applies(10));
            assert_eq!(e.requested_by, "carol");
            let own = store.request_exemption(org.id, alice.id, ask(false, 1000), 11).unwrap();
            let err = store
                .decide_exemption(org.id, alice.id, own.id, Decision::Approve, 12)
                .unwrap_err();
            assert!(err.to_string().contains("your own request"), "{err}");
            assert!(
                store.decide_exemption(other.id, alice.id, e.id, Decision::Approve, 12).unwrap().is_none(),
                "another organization's exemption is not found"
            );
            let approved = store
                .decide_exemption(org.id, alice.id, e.id, Decision::Approve, 12)
                .unwrap()
                .unwrap();
            assert_eq!(approved.state(12), "active");
            assert_eq!(approved.decided_by.as_deref(), Some("alice"));
            assert_eq!(approved.state(1000), "expired");
            let again = store
                .decide_exemption(org.id, alice.id, e.id, Decision::Deny, 13)
                .unwrap_err();
            assert!(again.to_string().contains("is approved"), "{again}");
            let revoked = store
                .decide_exemption(org.id, alice.id, e.id, Decision::Revoke, 14)
                .unwrap()
                .unwrap();
            assert_eq!((revoked.state(14), revoked.revoked_by.as_deref()), ("revoked", Some("alice")));

            let glass = store.request_exemption(org.id, carol.id, ask(true, 500), 20).unwrap();
            assert_eq!(glass.state(20), "active", "break-glass applies at once");
            assert!(glass.awaits_approval());
            assert_eq!(glass.state(500), "expired");
            let denied = store
                .decide_exemption(org.id, alice.id, glass.id, Decision::Deny, 21)
                .unwrap()
                .unwrap();
            assert_eq!(denied.state(21), "denied", "a denied break-glass stops applying");

            let listed = store.exemptions(org.id, Some(("app", "prod"))).unwrap();
            assert_eq!(listed.iter().map(|e| e.id).collect::<Vec<_>>(), [glass.id, own.id, e.id]);
            assert!(store.exemptions(org.id, Some(("app", "dev"))).unwrap().is_empty());
            assert!(store.exemptions(other.id, None).unwrap().is_empty());

            // Every change is in the log, with before and after.
            store.set_stack(org.id, "app", "prod", &[("env".into(), "prod".into())], alice.id, 30).unwrap();
            store.put_group(org.id, "g", "{\"stacks\":[\"app/*\"]}", alice.id, 31).unwrap();
            store.delete_group(org.id, "g", alice.id, 32).unwrap();
            let all = AuditFilter { limit: 100, ..AuditFilter::default() };
            let log = store.audit_log(org.id, &all).unwrap();
            let actions: Vec<(&str, &str)> =
                log.iter().map(|a| (a.kind.as_str(), a.action.as_str())).collect();
            assert_eq!(
                actions,
                [
                    ("group", "delete"),
                    ("group", "put"),
                    ("stack", "set-tags"),
                    ("exemption", "deny"),
                    ("exemption", "request"),
                    ("exemption", "revoke"),
                    ("exemption", "approve"),
                    ("exemption", "request"),
                    ("exemption", "request"),
                    ("token", "create"),
                ]
            );
            let approve = &log[6];
            assert_eq!((approve.actor.as_str(), approve.at), ("alice", 12));
            let before: Value = serde_json::from_str(approve.before.as_deref().unwrap()).unwrap();
            let after: Value = serde_json::from_str(approve.after.as_deref().unwrap()).unwrap();
            assert_eq!((before["status"].as_str(), after["status"].as_str()), (Some("pending"), Some("approved")));
            assert_eq!(log[0].after, None, "a deleted group has no after");
            assert!(log[0].before.as_deref().unwrap().contains("app/*"));
            assert_eq!(log[2].before, None, "a new stack has no before");
            let only = AuditFilter { kind: Some("group".into()), since: Some(32), limit: 100, ..AuditFilter::default() };
            assert_eq!(store.audit_log(org.id, &only).unwrap().len(), 1);
            let theirs = store.audit_log(other.id, &all).unwrap();
            assert_eq!(theirs.len(), 1, "the other org's own token only");
            assert_eq!(theirs[0].actor, "bob");
        }
    }

    #[test]
    fn the_findings_history_reads_an_organizations_findings_in_id_order_through_its_index() {
        let db = TestDb::sqlite("findings_plan");
        let store = db.open();
        let policy = HistoryFilter {
            policy: Some("AWS-S3-001".into()),
            limit: 50,
            ..HistoryFilter::default()
        };
        for filter in [
            HistoryFilter {
                limit: 50,
                ..HistoryFilter::default()
            },
            policy,
        ] {
            let plan: Vec<String> = store
                .read(|c| {
                    c.query(
                        &format!("EXPLAIN QUERY PLAN {}", enforcement::findings_sql(&filter)),
                        &enforcement::filter_params(1, &filter),
                    )?
                    .iter()
                    .map(|r| r.get::<String>(3))
                    .collect()
                })
                .unwrap();
            let plan = plan.join("\n");
            assert!(
                plan.contains("SEARCH f USING INDEX findings_by_org (org_id=?)"),
                "{plan}"
            );
            assert!(!plan.contains("TEMP B-TREE"), "no sort: {plan}");
        }
    }

    on_both! {
        fn the_rollups_of_a_batch_are_those_of_its_runs_one_by_one(db) {
            // Runs in upload order: two stacks, two kinds; spans that open, close and open again
            // within one batch; error runs that close nothing; blocked streaks ended by a
            // passing run of the batch, both stored ones and ones the batch opened.
            use crate::metrics::{PolicyCount, RunCoverage};
            let store = db.open();
            let a = store.create_org("a", "alice", token("ha"), 1).unwrap();
            let b = store.create_org("b", "bob", token("hb"), 1).unwrap();
            let alice = store.user(a.id, "alice").unwrap().unwrap();
            let bob = store.user(b.id, "bob").unwrap().unwrap();
            let with = |fps: &[usize], policy: &str, outcome: &str| -> Vec<NewFinding> {
                fps.iter()
                    .map(|&i| NewFinding {
                        outcome: outcome.into(),
                        blocking: outcome == "violation" && i.is_multiple_of(2),
                        ..finding(policy, i)
                    })
                    .collect()
            };
            let coverage = RunCoverage {
                resources: 7,
                covered: 5,
                uncovered_types: Vec::new(),
                remediated: vec![PolicyCount { policy: "P-1".into(), pack: "p".into(), count: 2 }],
            };
            // (stack, kind, outcome, findings, coverage)
            type Planned<'c> = (&'static str, &'static str, &'static str, Vec<NewFinding>, Option<&'c RunCoverage>);
            let plan: Vec<Planned<'_>> = vec![
                ("prod", "plan", "blocked", with(&[0, 1, 2], "P-1", "violation"), None),
                ("prod", "plan", "passed", with(&[1], "P-2", "suppressed"), Some(&coverage)),
                ("dev", "state", "blocked", with(&[3, 4], "P-1", "violation"), None),
                ("prod", "plan", "error", Vec::new(), None),
                ("prod", "plan", "blocked", with(&[0, 5], "P-1", "violation"), None),
                ("prod", "state", "passed", Vec::new(), Some(&coverage)),
                ("prod", "plan", "passed", Vec::new(), None),
                ("dev", "state", "passed", with(&[4], "P-3", "suppressed"), None),
                ("prod", "plan", "blocked", with(&[0, 1], "P-2", "violation"), None),
                ("dev", "state", "blocked", with(&[3], "P-1", "violation"), None),
                ("prod", "plan", "blocked", with(&[1, 6], "P-1", "violation"), Some(&coverage)),
                ("dev", "state", "error", with(&[9], "P-1", "violation"), None),
                ("prod", "plan", "passed", Vec::new(), None),
                ("prod", "plan", "blocked", with(&[1], "P-1", "violation"), None),
            ];
            let upload = |org_id: i64, user_id: i64, i: usize| {
                let (stack, kind, outcome, findings, coverage) = &plan[i];
                RunUpload {
                    org_id,
                    user_id,
                    run: NewRun {
                        project: "app",
                        stack,
                        kind,
                        source: "client",
                        outcome,
                        commit: None,
                        branch: None,
                        pull_request: None,
                        actor: None,
                        summary: "{}",
                        findings,
                        coverage: *coverage,
                    },
                    // hours apart, over two UTC days
                    now: 20_000 * 86_400 + 80_000 + i64::try_from(i).unwrap() * 3_600,
                }
            };
            // a: two batches, the second reading what the first stored; b: one run at a time
            for range in [0..3, 3..plan.len()] {
                let batch: Vec<RunUpload<'_>> = range.map(|i| upload(a.id, alice.id, i)).collect();
                for id in store.record_runs(&batch) {
                    id.unwrap();
                }
            }
            for i in 0..plan.len() {
                store.record_runs(&[upload(b.id, bob.id, i)])[0].as_ref().unwrap();
            }

            // Every rollup row of an org, with stacks by name and runs by their time.
            let dump = |org_id: i64| -> Vec<String> {
                let tables = [
                    "SELECT s.name, d.day, d.runs, d.violated_runs, d.blocked_runs, d.error_runs,
                         d.violations, d.suppressed, d.coverage_runs, d.resources, d.covered,
                         d.remediated
                     FROM metrics_daily d JOIN stacks s ON s.id = d.stack_id
                     WHERE d.org_id = ?1 ORDER BY s.name, d.day",
                    "SELECT s.name, d.day, d.policy, d.pack, d.violated_runs, d.blocked_runs,
                         d.violations, d.suppressed, d.remediated
                     FROM metrics_daily_policy d JOIN stacks s ON s.id = d.stack_id
                     WHERE d.org_id = ?1 ORDER BY s.name, d.day, d.policy, d.pack",
                    "SELECT d.day, d.policy, d.pack, d.violated_runs, d.blocked_runs,
                         d.violations, d.suppressed, d.remediated
                     FROM metrics_daily_org_policy d
                     WHERE d.org_id = ?1 ORDER BY d.day, d.policy, d.pack",
                    "SELECT s.name, f.kind, f.fingerprint, f.policy, f.pack, r.created_at,
                         f.first_seen_at, COALESCE(e.created_at, -1), COALESCE(f.resolved_at, -1),
                         COALESCE(f.resolved_how, '')
                     FROM finding_spans f JOIN stacks s ON s.id = f.stack_id
                         JOIN runs r ON r.id = f.first_run LEFT JOIN runs e ON e.id = f.resolved_run
                     WHERE f.org_id = ?1 ORDER BY f.id",
                    "SELECT s.name, k.kind, r.created_at, k.blocked_at,
                         COALESCE(e.created_at, -1), COALESCE(k.passed_at, -1)
                     FROM blocked_spans k JOIN stacks s ON s.id = k.stack_id
                         JOIN runs r ON r.id = k.first_run LEFT JOIN runs e ON e.id = k.passed_run
                     WHERE k.org_id = ?1 ORDER BY k.id",
                ];
                store
                    .read(|c| {
                        let mut out = Vec::new();
                        for sql in tables {
                            let rows = c.query(sql, params![org_id])?;
                            out.push(format!("{} rows", rows.len()));
                            for row in rows {
                                out.push(format!("{row:?}"));
                            }
                        }
                        Ok(out)
                    })
                    .unwrap()
            };
            let (batched, one_by_one) = (dump(a.id), dump(b.id));
            assert_eq!(batched, one_by_one);
            // the replay went through every case: spans closed by a later run of a batch (and
            // by the same batch that opened them), streaks of both kinds ended
            let text = one_by_one.join("\n");
            assert!(text.matches("change").count() >= 5, "{text}");
        }
    }

    fn finding(policy: &str, i: usize) -> NewFinding {
        NewFinding {
            fingerprint: format!("fp{i}"),
            policy: policy.into(),
            pack: "p".into(),
            resource: Some(format!("aws_s3_bucket.b{i}")),
            resource_type: Some("aws_s3_bucket".into()),
            outcome: "violation".into(),
            level: "mandatory".into(),
            severity: "high".into(),
            blocking: true,
            central: i.is_multiple_of(2),
            message: format!("message {i}"),
        }
    }

    on_both! {
        fn runs_recorded_before_the_metrics_count_after_migration_7(db) {
            // A database of the release before the metrics: two runs on day 20,000, one with a
            // blocking violation and a suppressed finding, one passed.
            let earlier: Vec<String> = MIGRATIONS
                .iter()
                .filter(|m| m.version < 7)
                .map(|m| {
                    format!(
                        "{}\nINSERT INTO schema_migrations VALUES ({}, 'old', 0);",
                        render(m, db.dialect()),
                        m.version
                    )
                })
                .collect();
            let day = 20_000 * 86_400;
            db.raw(&format!(
                "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL);
                 {}
                 INSERT INTO orgs (name, created_at) VALUES ('old', 1);
                 INSERT INTO users (org_id, name, role, created_at) VALUES (1, 'olga', 'admin', 1);
                 INSERT INTO stacks (org_id, project, name, tags, created_at, updated_at) VALUES (1, 'app', 'prod', '', 1, 1);
                 INSERT INTO runs (org_id, stack_id, kind, source, outcome, user_id, created_at, summary, finding_count)
                     VALUES (1, 1, 'plan', 'client', 'blocked', 1, {day} + 60, '{{}}', 2),
                            (1, 1, 'plan', 'client', 'passed', 1, {day} + 120, '{{}}', 0);
                 INSERT INTO findings (run_id, org_id, stack_id, created_at, fingerprint, policy, pack, outcome, level, severity, blocking, central, message)
                     VALUES (1, 1, 1, {day} + 60, 'f1', 'P-1', 'p', 'violation', 'mandatory', 'high', TRUE, FALSE, 'm'),
                            (1, 1, 1, {day} + 60, 'f2', 'P-2', 'p', 'suppressed', 'advisory', 'high', FALSE, FALSE, 'm');",
                earlier.join("\n")
            ));
            let store = db.open();
            assert_eq!(store.applied_migrations().unwrap(), all_migrations());
            let m = store
                .metrics(
                    1,
                    &crate::MetricsQuery {
                        since: day,
                        until: day + 86_400,
                        ..crate::MetricsQuery::default()
                    },
                )
                .unwrap();
            let t = &m.totals;
            // counted from their findings by the migration
            assert_eq!((t.runs, t.violated_runs, t.blocked_runs), (2, 1, 1));
            assert_eq!((t.violations, t.suppressed), (1, 1));
            // no coverage was uploaded then; no spans were kept
            let coverage = t.coverage.clone().unwrap();
            assert_eq!((coverage.runs_known, coverage.runs_unknown), (0, 2));
            assert_eq!((t.remediation.resolved, t.remediation.open), (0, 0));
        }
    }
}
