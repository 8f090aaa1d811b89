//! The SQLite backend: one file, a write-ahead log, one writing connection and a few reading
//! ones.

use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use rusqlite::types::{ToSqlOutput, ValueRef};
use rusqlite::Connection;

use crate::db::{Conn, DbError, Param, Row, Value, ROWS_PER_INSERT};
use crate::StoreError;

/// How many reading connections a file database gets.
const READERS: usize = 4;

/// One writing connection behind a lock (SQLite writes one transaction at a time anyway, and
/// the lock keeps every operation a single transaction), and a few reading connections that,
/// under the write-ahead log, read in parallel with it and with each other, each read seeing
/// every write committed before it began.
pub(crate) struct Sqlite {
    writer: Mutex<Connection>,
    readers: Vec<Mutex<Connection>>,
    next_reader: AtomicUsize,
}

impl From<rusqlite::Error> for DbError {
    fn from(e: rusqlite::Error) -> Self {
        match &e {
            rusqlite::Error::SqliteFailure(f, _)
                if f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_UNIQUE
                    || f.extended_code == rusqlite::ffi::SQLITE_CONSTRAINT_PRIMARYKEY =>
            {
                DbError::Unique(e.to_string())
            }
            _ => DbError::Other(e.to_string()),
        }
    }
}

impl From<rusqlite::Error> for StoreError {
    fn from(e: rusqlite::Error) -> Self {
        StoreError::Database(e.to_string())
    }
}

/// A connection whose user panicked may be in the middle of a transaction: it is rolled back,
/// and the connection serves on.
fn recover(guard: MutexGuard<'_, Connection>) -> MutexGuard<'_, Connection> {
    if !guard.is_autocommit() {
        let _ = guard.execute_batch("ROLLBACK");
    }
    guard
}

impl Sqlite {
    /// Opens (or creates) the database file at `path`.
    pub(crate) fn open(path: &Path) -> Result<Sqlite, StoreError> {
        let open = || {
            Connection::open(path).map_err(|e| StoreError::Open {
                path: path.display().to_string(),
                reason: e.to_string(),
            })
        };
        let mut db = Self::with_writer(open()?)?;
        for _ in 0..READERS {
            let reader = open()?;
            reader.busy_timeout(std::time::Duration::from_secs(5))?;
            reader.pragma_update(None, "foreign_keys", "ON")?;
            reader.pragma_update(None, "query_only", "ON")?;
            db.readers.push(Mutex::new(reader));
        }
        Ok(db)
    }

    /// A database in memory (for tests): it reads through its one connection.
    pub(crate) fn in_memory() -> Result<Sqlite, StoreError> {
        Self::with_writer(Connection::open_in_memory()?)
    }

    fn with_writer(conn: Connection) -> Result<Sqlite, StoreError> {
        // WAL with synchronous=NORMAL: a committed transaction survives the process being
        // killed; an uncommitted one is rolled back on the next open.
        conn.busy_timeout(std::time::Duration::from_secs(5))?;
        conn.pragma_update(None, "journal_mode", "WAL")?;
        conn.pragma_update(None, "synchronous", "NORMAL")?;
        conn.pragma_update(None, "foreign_keys", "ON")?;
        Ok(Sqlite {
            writer: Mutex::new(conn),
            readers: Vec::new(),
            next_reader: AtomicUsize::new(0),
        })
    }

    pub(crate) fn writer(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        Ok(self
            .writer
            .lock()
            .unwrap_or_else(|p| recover(p.into_inner())))
    }

    /// A connection for reading: a free reader if there is one, else the next in turn (an
    /// in-memory database has no readers: it reads through the writer).
    fn reader(&self) -> Result<MutexGuard<'_, Connection>, StoreError> {
        if self.readers.is_empty() {
            return self.writer();
        }
        for reader in &self.readers {
            match reader.try_lock() {
                Ok(guard) => return Ok(guard),
                Err(TryLockError::Poisoned(p)) => return Ok(recover(p.into_inner())),
                Err(TryLockError::WouldBlock) => {}
            }
        }
        let i = self.next_reader.fetch_add(1, Ordering::Relaxed) % self.readers.len();
        Ok(self
            .readers
            .get(i)
            .ok_or_else(|| StoreError::Database("no reading connection".into()))?
            .lock()
            .unwrap_or_else(|p| recover(p.into_inner())))
    }

    /// Runs `f` in one write transaction (`BEGIN IMMEDIATE`): committed when it returns `Ok`,
    /// rolled back otherwise.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.writer()?;
        conn.execute_batch("BEGIN IMMEDIATE")?;
        let mut c = SqliteConn(&conn);
        match f(&mut c) {
            Ok(v) => match conn.execute_batch("COMMIT") {
                Ok(()) => Ok(v),
                Err(e) => {
                    let _ = conn.execute_batch("ROLLBACK");
                    Err(e.into())
                }
            },
            Err(e) => {
                let _ = conn.execute_batch("ROLLBACK");
                Err(e)
            }
        }
    }

    /// Runs `f` on a reading connection, in one read transaction (one snapshot).
    pub(crate) fn read<T>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let conn = self.reader()?;
        let mut c = SqliteConn(&conn);
        if conn.is_autocommit() {
            conn.execute_batch("BEGIN")?;
            let result = f(&mut c);
            let _ = conn.execute_batch("COMMIT");
            result
        } else {
            f(&mut c)
        }
    }
}

/// A SQLite connection seen through [`Conn`].
pub(crate) struct SqliteConn<'a>(pub(crate) &'a Connection);

impl rusqlite::ToSql for Param<'_> {
    fn to_sql(&self) -> rusqlite::Result<ToSqlOutput<'_>> {
        Ok(ToSqlOutput::Borrowed(match *self {
            Param::Null => ValueRef::Null,
            Param::Int(i) => ValueRef::Integer(i),
            Param::Real(f) => ValueRef::Real(f),
            Param::Text(s) => ValueRef::Text(s.as_bytes()),
            Param::Blob(b) => ValueRef::Blob(b),
            Param::Bool(b) => ValueRef::Integer(i64::from(b)),
        }))
    }
}

fn value(v: ValueRef<'_>) -> Value {
    match v {
        ValueRef::Null => Value::Null,
        ValueRef::Integer(i) => Value::Int(i),
        ValueRef::Real(f) => Value::Real(f),
        ValueRef::Text(t) => Value::Text(String::from_utf8_lossy(t).into_owned()),
        ValueRef::Blob(b) => Value::Blob(b.to_vec()),
    }
}

impl Conn for SqliteConn<'_> {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let n = stmt.execute(rusqlite::params_from_iter(params))?;
        Ok(u64::try_from(n).unwrap_or(u64::MAX))
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        let mut stmt = self.0.prepare_cached(sql)?;
        let width = stmt.column_count();
        let mut rows = stmt.query(rusqlite::params_from_iter(params))?;
        let mut out = Vec::new();
        while let Some(r) = rows.next()? {
            let mut values = Vec::with_capacity(width);
            for i in 0..width {
                values.push(value(r.get_ref(i)?));
            }
            out.push(Row(values));
        }
        Ok(out)
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.0.execute_batch(sql)?)
    }

    fn insert_many(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Param<'_>],
    ) -> Result<(), DbError> {
        // As the default, but SQLite numbers bare `?` in order: the statement is one row's
        // text repeated, built without formatting a number per value (1,500 for a run of
        // 100 findings).
        let width = columns.len();
        if width == 0 {
            return Ok(());
        }
        let row = format!("({})", vec!["?"; width].join(", "));
        let head = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
        for chunk in rows.chunks(ROWS_PER_INSERT * width) {
            let n = chunk.len() / width;
            let mut sql = String::with_capacity(head.len() + n * (row.len() + 2));
            sql.push_str(&head);
            for r in 0..n {
                if r > 0 {
                    sql.push_str(", ");
                }
                sql.push_str(&row);
            }
            self.execute(&sql, chunk)?;
        }
        Ok(())
    }

    fn lock(&mut self, _key: i64) -> Result<(), DbError> {
        // `BEGIN IMMEDIATE` already holds the database's one write lock.
        Ok(())
    }
}
