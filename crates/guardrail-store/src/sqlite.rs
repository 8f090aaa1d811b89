//! [`Store`] on embedded SQLite.

use std::path::Path;
use std::sync::{Mutex, MutexGuard};

use rusqlite::{params, Connection, OptionalExtension, Row, TransactionBehavior};

use crate::schema::{render, Dialect, MIGRATIONS};
use crate::sqlite_enforcement as enforcement;
use crate::{
    FindingRecord, GroupRecord, HistoryFilter, NewPackVersion, NewRun, NewToken, Org, PackVersion,
    Principal, Published, Role, RunRecord, StackRecord, Store, StoreError, TokenInfo, User,
};

/// The service's storage in one SQLite file (write-ahead log, foreign keys on).
///
/// One writing connection behind a lock (SQLite writes one transaction at a time anyway, and
/// the lock keeps every method a single transaction), and a few reading connections that, under
/// the write-ahead log, read in parallel with it and with each other, each read seeing every
/// write committed before it began.
pub struct SqliteStore {
    conn: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: std::sync::atomic::AtomicUsize,
}

/// How many reading connections a file database gets.
const READERS: usize = 4;

impl SqliteStore {
    /// Opens (or creates) the database at `path` and applies the migrations it lacks.
    pub fn open(path: &Path) -> Result<SqliteStore, StoreError> {
        let open = || {
            Connection::open(path).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            })
        };
        let mut store = Self::init(open()?)?;
        for _ in 0..READERS {
            let reader = open()?;
            reader.pragma_update(None, "foreign_keys", "ON")?;
            reader.pragma_update(None, "query_only", "ON")?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            store.readers.push(Mutex::new(reader));
        }
        Ok(store)
    }

    /// A database in memory (for tests).
    pub fn in_memory() -> Result<SqliteStore, StoreError> {
        Self::init(Connection::open_in_memory()?)
    }

    fn init(mut conn: Connection) -> Result<SqliteStore, StoreError> {
        // WAL with synchronous=NORMAL: a committed transaction survives the process being
        // killed; an uncommitted one is rolled back on the next open.
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        migrate(&mut conn)?;
        Ok(SqliteStore {
            conn: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: std::sync::atomic::AtomicUsize::new(0),
        })
    }

    fn lock(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        self.conn
            .lock()
            .map_err(|_| StoreError::Database("the connection lock is poisoned".into()))
    }

    /// A connection for reading: a free reader if there is one, else the next in turn (an
    /// in-memory database has no readers: it reads through the writer).
    fn read(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        if self.readers.is_empty() {
            return self.lock();
        }
        for reader in &self.readers {
            if let Ok(guard) = reader.try_lock() {
                return Ok(guard);
            }
        }
        let i = self
            .next_reader
            .fetch_add(1, std::sync::atomic::Ordering::Relaxed)
            % self.readers.len();
        self.readers
            .get(i)
            .ok_or_else(|| StoreError::Database("no reading connection".into()))?
            .lock()
            .map_err(|_| StoreError::Database("a connection lock is poisoned".into()))
    }

    /// The migration versions applied to this database, in order.
    pub fn applied_migrations(&self) -> Result<Vec<i64>, StoreError> {
        let conn = self.read()?;
        let mut stmt = conn.prepare("SELECT version FROM schema_migrations ORDER BY version")?;
        let rows = stmt.query_map([], |r| r.get(0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }
}

fn migrate(conn: &mut Connection) -> Result<(), StoreError> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
    )?;
    for m in MIGRATIONS {
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let done: bool = tx
            .query_row(
                "SELECT 1 FROM schema_migrations WHERE version = ?1",
                [m.version],
                |_| Ok(()),
            )
            .optional()?
            .is_some();
        if !done {
            tx.execute_batch(&render(m, Dialect::Sqlite))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?1, ?2, strftime('%s','now'))",
                params![m.version, m.name],
            )?;
        }
        tx.commit()?;
    }
    Ok(())
}

const USER_COLUMNS: &str = "u.id, u.org_id, u.name, u.role, u.superuser, u.created_at";

fn user_row(r: &Row<'_>, at: usize) -> rusqlite::Result<User> {
    let role: String = r.get(at + 3)?;
    let role = Role::parse(&role).ok_or_else(|| {
        rusqlite::Error::FromSqlConversionFailure(
            at + 3,
            rusqlite::types::Type::Text,
            format!("unknown role `{role}`").into(),
        )
    })?;
    Ok(User {
        id: r.get(at)?,
        org_id: r.get(at + 1)?,
        name: r.get(at + 2)?,
        role,
        superuser: r.get(at + 4)?,
        created_at: r.get(at + 5)?,
    })
}

const PACK_COLUMNS: &str = "p.name, p.version, p.kind, p.digest, p.size, u.name, p.published_at, p.deprecated_at, p.deprecation_reason";

fn pack_row(r: &Row<'_>) -> rusqlite::Result<PackVersion> {
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

fn unique_violation(e: &rusqlite::Error) -> bool {
    matches!(e, rusqlite::Error::SqliteFailure(f, _) if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE)
}

fn insert_token(
    tx: &Connection,
    user_id: i64,
    token: &NewToken<'_>,
    now: i64,
) -> Result<i64, StoreError> {
    tx.execute(
        "INSERT INTO tokens (user_id, hash, description, created_at, expires_at, stacks) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![user_id, token.hash, token.description, now, token.expires_at, join_stacks(token.stacks)],
    )?;
    Ok(tx.last_insert_rowid())
}

fn join_stacks(stacks: &[String]) -> Option<String> {
    (!stacks.is_empty()).then(|| stacks.join("\n"))
}

fn split_stacks(stacks: Option<String>) -> Vec<String> {
    stacks
        .map(|s| s.lines().map(str::to_owned).collect())
        .unwrap_or_default()
}

fn find_pack(
    conn: &Connection,
    org_id: i64,
    name: &str,
    version: &str,
) -> Result<Option<PackVersion>, StoreError> {
    Ok(conn
        .query_row(
            &format!("SELECT {PACK_COLUMNS} FROM pack_versions p JOIN users u ON u.id = p.published_by WHERE p.org_id = ?1 AND p.name = ?2 AND p.version = ?3"),
            params![org_id, name, version],
            pack_row,
        )
        .optional()?)
}

impl Store for SqliteStore {
    fn bootstrap(&self, token: NewToken<'_>, now: i64) -> Result<bool, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        let users: i64 = tx.query_row("SELECT COUNT(*) FROM users", [], |r| r.get(0))?;
        if users > 0 {
            return Ok(false);
        }
        tx.execute(
            "INSERT INTO orgs (name, created_at) VALUES ('default', ?1)",
            [now],
        )?;
        let org_id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO users (org_id, name, role, superuser, created_at) VALUES (?1, 'admin', 'admin', TRUE, ?2)",
            params![org_id, now],
        )?;
        let user_id = tx.last_insert_rowid();
        insert_token(&tx, user_id, &token, now)?;
        tx.commit()?;
        Ok(true)
    }

    fn create_org(
        &self,
        name: &str,
        admin: &str,
        token: NewToken<'_>,
        now: i64,
    ) -> Result<Org, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        match tx.execute(
            "INSERT INTO orgs (name, created_at) VALUES (?1, ?2)",
            params![name, now],
        ) {
            Err(e) if unique_violation(&e) => {
                return Err(StoreError::Exists(format!("the organization `{name}`")))
            }
            other => other?,
        };
        let org_id = tx.last_insert_rowid();
        tx.execute(
            "INSERT INTO users (org_id, name, role, created_at) VALUES (?1, ?2, 'admin', ?3)",
            params![org_id, admin, now],
        )?;
        let user_id = tx.last_insert_rowid();
        insert_token(&tx, user_id, &token, now)?;
        tx.commit()?;
        Ok(Org {
            id: org_id,
            name: name.to_owned(),
            created_at: now,
        })
    }

    fn org(&self, name: &str) -> Result<Option<Org>, StoreError> {
        let conn = self.read()?;
        Ok(conn
            .query_row(
                "SELECT id, name, created_at FROM orgs WHERE name = ?1",
                [name],
                |r| {
                    Ok(Org {
                        id: r.get(0)?,
                        name: r.get(1)?,
                        created_at: r.get(2)?,
                    })
                },
            )
            .optional()?)
    }

    fn principal(&self, token_hash: &str, now: i64) -> Result<Option<Principal>, StoreError> {
        let conn = self.read()?;
        Ok(conn
            .query_row(
                &format!(
                    "SELECT t.id, {USER_COLUMNS}, o.name, o.created_at, t.stacks FROM tokens t
                     JOIN users u ON u.id = t.user_id JOIN orgs o ON o.id = u.org_id
                     WHERE t.hash = ?1 AND t.revoked_at IS NULL
                       AND (t.expires_at IS NULL OR t.expires_at > ?2)"
                ),
                params![token_hash, now],
                |r| {
                    let user = user_row(r, 1)?;
                    Ok(Principal {
                        token_id: r.get(0)?,
                        org: Org {
                            id: user.org_id,
                            name: r.get(7)?,
                            created_at: r.get(8)?,
                        },
                        user,
                        stacks: split_stacks(r.get(9)?),
                    })
                },
            )
            .optional()?)
    }

    fn create_user(
        &self,
        org_id: i64,
        name: &str,
        role: Role,
        now: i64,
    ) -> Result<User, StoreError> {
        let conn = self.lock()?;
        match conn.execute(
            "INSERT INTO users (org_id, name, role, created_at) VALUES (?1, ?2, ?3, ?4)",
            params![org_id, name, role.as_str(), now],
        ) {
            Err(e) if unique_violation(&e) => {
                return Err(StoreError::Exists(format!("the user `{name}`")))
            }
            other => other?,
        };
        Ok(User {
            id: conn.last_insert_rowid(),
            org_id,
            name: name.to_owned(),
            role,
            superuser: false,
            created_at: now,
        })
    }

    fn users(&self, org_id: i64) -> Result<Vec<User>, StoreError> {
        let conn = self.read()?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = ?1 ORDER BY u.name"
        ))?;
        let rows = stmt.query_map([org_id], |r| user_row(r, 0))?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn user(&self, org_id: i64, name: &str) -> Result<Option<User>, StoreError> {
        let conn = self.read()?;
        Ok(conn
            .query_row(
                &format!("SELECT {USER_COLUMNS} FROM users u WHERE u.org_id = ?1 AND u.name = ?2"),
                params![org_id, name],
                |r| user_row(r, 0),
            )
            .optional()?)
    }

    fn create_token(&self, user_id: i64, token: NewToken<'_>, now: i64) -> Result<i64, StoreError> {
        let conn = self.lock()?;
        insert_token(&conn, user_id, &token, now)
    }

    fn tokens(&self, org_id: i64) -> Result<Vec<TokenInfo>, StoreError> {
        let conn = self.read()?;
        let mut stmt = conn.prepare(
            "SELECT t.id, u.name, t.description, t.created_at, t.expires_at, t.revoked_at, t.stacks
             FROM tokens t JOIN users u ON u.id = t.user_id WHERE u.org_id = ?1 ORDER BY t.id DESC",
        )?;
        let rows = stmt.query_map([org_id], |r| {
            Ok(TokenInfo {
                id: r.get(0)?,
                user: r.get(1)?,
                description: r.get(2)?,
                created_at: r.get(3)?,
                expires_at: r.get(4)?,
                revoked_at: r.get(5)?,
                stacks: split_stacks(r.get(6)?),
            })
        })?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn revoke_token(&self, org_id: i64, token_id: i64, now: i64) -> Result<bool, StoreError> {
        let conn = self.lock()?;
        let changed = conn.execute(
            "UPDATE tokens SET revoked_at = COALESCE(revoked_at, ?3)
             WHERE id = ?1 AND user_id IN (SELECT id FROM users WHERE org_id = ?2)",
            params![token_id, org_id, now],
        )?;
        Ok(changed > 0)
    }

    fn publish(
        &self,
        org_id: i64,
        user_id: i64,
        pack: NewPackVersion<'_>,
        now: i64,
    ) -> Result<Published, StoreError> {
        let mut conn = self.lock()?;
        let tx = conn.transaction_with_behavior(TransactionBehavior::Immediate)?;
        if let Some(existing) = find_pack(&tx, org_id, pack.name, pack.version)? {
            return Ok(if existing.digest == pack.digest {
                Published::Unchanged(existing)
            } else {
                Published::Conflict(existing)
            });
        }
        let size = i64::try_from(pack.content.len()).unwrap_or(i64::MAX);
        tx.execute(
            "INSERT INTO pack_versions (org_id, name, version, kind, digest, size, content, published_by, published_at)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
            params![org_id, pack.name, pack.version, pack.kind, pack.digest, size, pack.content, user_id, now],
        )?;
        let created = find_pack(&tx, org_id, pack.name, pack.version)?
            .ok_or_else(|| StoreError::Missing("the version just published".into()))?;
        tx.commit()?;
        Ok(Published::Created(created))
    }

    fn pack_versions(
        &self,
        org_id: i64,
        name: Option<&str>,
    ) -> Result<Vec<PackVersion>, StoreError> {
        let conn = self.read()?;
        let mut stmt = conn.prepare(&format!(
            "SELECT {PACK_COLUMNS} FROM pack_versions p JOIN users u ON u.id = p.published_by
             WHERE p.org_id = ?1 AND (?2 IS NULL OR p.name = ?2) ORDER BY p.name, p.id"
        ))?;
        let rows = stmt.query_map(params![org_id, name], pack_row)?;
        Ok(rows.collect::<Result<_, _>>()?)
    }

    fn pack_content(
        &self,
        org_id: i64,
        name: &str,
        version: &str,
    ) -> Result<Option<(PackVersion, Vec<u8>)>, StoreError> {
        let conn = self.read()?;
        Ok(conn
            .query_row(
                &format!("SELECT {PACK_COLUMNS}, p.content FROM pack_versions p JOIN users u ON u.id = p.published_by WHERE p.org_id = ?1 AND p.name = ?2 AND p.version = ?3"),
                params![org_id, name, version],
                |r| Ok((pack_row(r)?, r.get(9)?)),
            )
            .optional()?)
    }

    fn deprecate(
        &self,
        org_id: i64,
        name: &str,
        version: &str,
        reason: &str,
        now: i64,
    ) -> Result<bool, StoreError> {
        let conn = self.lock()?;
        let changed = conn.execute(
            "UPDATE pack_versions SET deprecated_at = ?4, deprecation_reason = ?5
             WHERE org_id = ?1 AND name = ?2 AND version = ?3",
            params![org_id, name, version, now, reason],
        )?;
        Ok(changed > 0)
    }

    fn stack(
        &self,
        org_id: i64,
        project: &str,
        name: &str,
    ) -> Result<Option<StackRecord>, StoreError> {
        enforcement::stack(&*self.read()?, org_id, project, name)
    }

    fn set_stack(
        &self,
        org_id: i64,
        project: &str,
        name: &str,
        tags: &[(String, String)],
        now: i64,
    ) -> Result<StackRecord, StoreError> {
        enforcement::set_stack(&*self.lock()?, org_id, project, name, tags, now)
    }

    fn groups(&self, org_id: i64) -> Result<Vec<GroupRecord>, StoreError> {
        enforcement::groups(&*self.read()?, org_id)
    }

    fn put_group(
        &self,
        org_id: i64,
        name: &str,
        spec: &str,
        user_id: i64,
        now: i64,
    ) -> Result<bool, StoreError> {
        enforcement::put_group(&mut *self.lock()?, org_id, name, spec, user_id, now)
    }

    fn delete_group(&self, org_id: i64, name: &str) -> Result<bool, StoreError> {
        enforcement::delete_group(&*self.lock()?, org_id, name)
    }

    fn record_run(
        &self,
        org_id: i64,
        user_id: i64,
        run: NewRun<'_>,
        now: i64,
    ) -> Result<i64, StoreError> {
        enforcement::record_run(&mut *self.lock()?, org_id, user_id, &run, now)
    }

    fn runs(&self, org_id: i64, filter: &HistoryFilter) -> Result<Vec<RunRecord>, StoreError> {
        enforcement::runs(&*self.read()?, org_id, filter)
    }

    fn run(
        &self,
        org_id: i64,
        run_id: i64,
    ) -> Result<Option<(RunRecord, Vec<FindingRecord>)>, StoreError> {
        enforcement::run(&*self.read()?, org_id, run_id)
    }

    fn findings(
        &self,
        org_id: i64,
        filter: &HistoryFilter,
    ) -> Result<Vec<FindingRecord>, StoreError> {
        enforcement::findings(&*self.read()?, org_id, filter)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn token(hash: &str) -> NewToken<'_> {
        NewToken {
            hash,
            description: "test",
            expires_at: None,
            stacks: &[],
        }
    }

    #[test]
    fn migrations_apply_once_and_reopen_keeps_data() {
        let dir = std::env::temp_dir().join(format!("guardrail-store-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite");
        let _ = std::fs::remove_file(&path);
        {
            let store = SqliteStore::open(&path).unwrap();
            assert_eq!(store.applied_migrations().unwrap(), vec![1, 2, 3, 4]);
            assert!(store.bootstrap(token("h0"), 10).unwrap());
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.applied_migrations().unwrap(), vec![1, 2, 3, 4]);
        assert!(
            !store.bootstrap(token("h1"), 11).unwrap(),
            "bootstrap runs once"
        );
        let p = store.principal("h0", 12).unwrap().unwrap();
        assert!(p.user.superuser);
        assert_eq!(p.org.name, "default");
        assert!(store.principal("h1", 12).unwrap().is_none());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn a_database_of_an_older_schema_is_migrated_and_keeps_its_data() {
        let dir = std::env::temp_dir().join(format!("guardrail-store-old-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite");
        let _ = std::fs::remove_file(&path);
        {
            // What a release with only the first migration left behind.
            let conn = Connection::open(&path).unwrap();
            conn.execute_batch(
                "CREATE TABLE schema_migrations (version BIGINT PRIMARY KEY, name TEXT NOT NULL, applied_at BIGINT NOT NULL)",
            )
            .unwrap();
            conn.execute_batch(&render(&MIGRATIONS[0], Dialect::Sqlite))
                .unwrap();
            conn.execute_batch(
                "INSERT INTO schema_migrations VALUES (1, 'first', 0);
                 INSERT INTO orgs (name, created_at) VALUES ('old', 1);
                 INSERT INTO users (org_id, name, role, created_at) VALUES (1, 'olga', 'admin', 1);
                 INSERT INTO tokens (user_id, hash, description, created_at) VALUES (1, 'oldhash', 'old', 1);",
            )
            .unwrap();
        }
        let store = SqliteStore::open(&path).unwrap();
        assert_eq!(store.applied_migrations().unwrap(), vec![1, 2, 3, 4]);
        let p = store.principal("oldhash", 2).unwrap().unwrap();
        assert_eq!((p.org.name.as_str(), p.user.name.as_str()), ("old", "olga"));
        assert!(p.stacks.is_empty());
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn reads_go_on_while_a_write_transaction_is_open() {
        let dir = std::env::temp_dir().join(format!("guardrail-store-read-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("db.sqlite");
        let _ = std::fs::remove_file(&path);
        let store = std::sync::Arc::new(SqliteStore::open(&path).unwrap());
        let org = store.create_org("a", "alice", token("ha"), 1).unwrap();
        // The writer is busy in a transaction that has written but not committed.
        let mut writer = store.lock().unwrap();
        let tx = writer.transaction().unwrap();
        tx.execute(
            "INSERT INTO orgs (name, created_at) VALUES ('uncommitted', 2)",
            [],
        )
        .unwrap();
        let (send, receive) = std::sync::mpsc::channel();
        let reading = std::sync::Arc::clone(&store);
        std::thread::spawn(move || {
            let seen = (
                reading.principal("ha", 3).unwrap().is_some(),
                reading.org("uncommitted").unwrap(),
            );
            send.send(seen).unwrap();
        });
        let (found, uncommitted) = receive
            .recv_timeout(std::time::Duration::from_secs(10))
            .expect("a read waited for the writer");
        assert!(found, "committed data is read");
        assert_eq!(uncommitted, None, "uncommitted data is not");
        drop(tx);
        drop(writer);
        assert_eq!(store.org("a").unwrap().unwrap().id, org.id);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn tokens_expire_and_revoke_within_their_org() {
        let store = SqliteStore::in_memory().unwrap();
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
                1,
            )
            .unwrap();
        assert!(store.principal("short", 99).unwrap().is_some());
        assert!(store.principal("short", 100).unwrap().is_none(), "expired");
        assert!(!store.revoke_token(b.id, id, 5).unwrap(), "other org");
        assert!(store.revoke_token(a.id, id, 5).unwrap());
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

    #[test]
    fn versions_are_immutable() {
        let store = SqliteStore::in_memory().unwrap();
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
        assert!(store.deprecate(org.id, "p", "1.0.0", "old", 5).unwrap());
        assert!(!store.deprecate(org.id, "p", "2.0.0", "old", 5).unwrap());
        let list = store.pack_versions(org.id, Some("p")).unwrap();
        assert_eq!(list.len(), 1);
        assert_eq!(list[0].deprecated_at, Some(5));
    }
}
