//! The small connection abstraction that lets every store operation be written once.
//!
//! A store operation is SQL in the subset SQLite and PostgreSQL share, with numbered
//! placeholders `?1`, `?2`, … (SQLite's spelling; the PostgreSQL backend turns them into `$1`,
//! `$2`, …), run through [`Conn`] with [`Param`]s, and its rows read back as [`Row`]s of
//! [`Value`]s. Each backend (`sqlite.rs`, `postgres.rs`) implements [`Conn`] and runs a closure
//! in a write transaction or on a reading connection; the operations themselves (`sql.rs`) never
//! know which database they talk to.
//!
//! Two habits keep the SQL portable: new rows give their key back with `RETURNING id` (both
//! databases have it), and a placeholder whose type nothing else in its expression fixes is
//! cast (`CAST(?2 AS TEXT) IS NULL`), since PostgreSQL infers each placeholder's type.

use crate::StoreError;

/// A parameter of a statement.
#[derive(Clone, Copy, Debug)]
pub(crate) enum Param<'a> {
    /// SQL `NULL`.
    Null,
    /// An integer (`BIGINT` in the schema).
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(&'a str),
    /// Raw bytes (`BLOB` / `BYTEA`).
    Blob(&'a [u8]),
    /// A boolean.
    Bool(bool),
}

impl From<i64> for Param<'_> {
    fn from(v: i64) -> Self {
        Param::Int(v)
    }
}

impl From<f64> for Param<'_> {
    fn from(v: f64) -> Self {
        Param::Real(v)
    }
}

impl From<bool> for Param<'_> {
    fn from(v: bool) -> Self {
        Param::Bool(v)
    }
}

impl<'a> From<&'a str> for Param<'a> {
    fn from(v: &'a str) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<&'a String> for Param<'a> {
    fn from(v: &'a String) -> Self {
        Param::Text(v)
    }
}

impl<'a> From<&'a [u8]> for Param<'a> {
    fn from(v: &'a [u8]) -> Self {
        Param::Blob(v)
    }
}

impl<'a, T: Into<Param<'a>>> From<Option<T>> for Param<'a> {
    fn from(v: Option<T>) -> Self {
        v.map_or(Param::Null, Into::into)
    }
}

/// The parameters of a statement: `params![a, b, c]`.
macro_rules! params {
    () => { &[] as &[$crate::db::Param<'_>] };
    ($($p:expr),+ $(,)?) => { &[$($crate::db::Param::from($p)),+] as &[$crate::db::Param<'_>] };
}
pub(crate) use params;

/// A value read from a row.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Value {
    /// SQL `NULL`.
    Null,
    /// An integer of any width.
    Int(i64),
    /// A floating-point number.
    Real(f64),
    /// Text.
    Text(String),
    /// Raw bytes.
    Blob(Vec<u8>),
    /// A boolean (PostgreSQL; SQLite stores booleans as integers).
    Bool(bool),
}

/// A Rust type a column converts to.
pub(crate) trait FromValue: Sized {
    /// The value as this type, or why not.
    fn from_value(v: Value) -> Result<Self, String>;
}

impl FromValue for i64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Int(i) => Ok(i),
            Value::Bool(b) => Ok(i64::from(b)),
            other => Err(format!("expected an integer, found {other:?}")),
        }
    }
}

impl FromValue for f64 {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Real(f) => Ok(f),
            #[expect(
                clippy::cast_precision_loss,
                reason = "a count read as a number is exact up to 2^53"
            )]
            Value::Int(i) => Ok(i as f64),
            other => Err(format!("expected a number, found {other:?}")),
        }
    }
}

impl FromValue for bool {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Bool(b) => Ok(b),
            Value::Int(i) => Ok(i != 0),
            other => Err(format!("expected a boolean, found {other:?}")),
        }
    }
}

impl FromValue for String {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Text(s) => Ok(s),
            other => Err(format!("expected text, found {other:?}")),
        }
    }
}

impl FromValue for Vec<u8> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Blob(b) => Ok(b),
            Value::Text(s) => Ok(s.into_bytes()),
            other => Err(format!("expected bytes, found {other:?}")),
        }
    }
}

impl<T: FromValue> FromValue for Option<T> {
    fn from_value(v: Value) -> Result<Self, String> {
        match v {
            Value::Null => Ok(None),
            v => T::from_value(v).map(Some),
        }
    }
}

/// One row of a result.
#[derive(Clone, Debug, Default)]
pub(crate) struct Row(pub(crate) Vec<Value>);

impl Row {
    /// Column `i` (from 0) as `T`.
    pub(crate) fn get<T: FromValue>(&self, i: usize) -> Result<T, StoreError> {
        let v = self
            .0
            .get(i)
            .cloned()
            .ok_or_else(|| StoreError::Database(format!("a result has no column {i}")))?;
        T::from_value(v).map_err(|e| StoreError::Database(format!("column {i}: {e}")))
    }
}

/// What a statement can fail with: a unique constraint (which operations turn into
/// [`StoreError::Exists`]), or anything else.
#[derive(Debug)]
pub(crate) enum DbError {
    /// A row with the same unique key exists.
    Unique(String),
    /// Any other failure.
    Other(String),
}

impl From<DbError> for StoreError {
    fn from(e: DbError) -> Self {
        match e {
            DbError::Unique(m) | DbError::Other(m) => StoreError::Database(m),
        }
    }
}

/// A connection (inside a transaction when the backend's `write` runs it).
pub(crate) trait Conn {
    /// Runs a statement; returns how many rows it changed.
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError>;
    /// Runs a query; returns its rows.
    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError>;
    /// Runs several statements without parameters (a migration).
    fn batch(&mut self, sql: &str) -> Result<(), DbError>;
    /// Inserts many rows into one table: `rows` holds `columns.len()` values a row, row after
    /// row. The default is multi-row `INSERT … VALUES (…), (…)` statements of up to
    /// [`ROWS_PER_INSERT`] rows (one prepared statement for every full chunk); PostgreSQL sends
    /// them with `COPY … FROM STDIN BINARY` instead.
    fn insert_many(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Param<'_>],
    ) -> Result<(), DbError> {
        let width = columns.len();
        if width == 0 {
            return Ok(());
        }
        for chunk in rows.chunks(ROWS_PER_INSERT * width) {
            self.execute(&insert_sql(table, columns, chunk.len() / width), chunk)?;
        }
        Ok(())
    }
    /// In a write transaction: waits until no other process holds the lock `key`, and holds it
    /// until the transaction ends. SQLite needs nothing (one writer at a time); PostgreSQL takes
    /// a transaction-level advisory lock, so that two services starting on one database at once
    /// do not both bootstrap it.
    fn lock(&mut self, key: i64) -> Result<(), DbError>;
}

impl dyn Conn + '_ {
    /// The first row of a query, if any.
    pub(crate) fn query_opt(
        &mut self,
        sql: &str,
        params: &[Param<'_>],
    ) -> Result<Option<Row>, DbError> {
        Ok(self.query(sql, params)?.into_iter().next())
    }

    /// The first row of a query, which must have one.
    pub(crate) fn query_one(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Row, StoreError> {
        self.query_opt(sql, params)?
            .ok_or_else(|| StoreError::Database("a query that returns a row returned none".into()))
    }
}

/// Rows a multi-row `INSERT` of [`Conn::insert_many`] takes at most: 256 rows of up to 64
/// values stay under SQLite's limit of 32,766 bound values.
pub(crate) const ROWS_PER_INSERT: usize = 256;

/// `INSERT INTO table (columns) VALUES (?1, ?2), (?3, ?4), …` for `rows` rows.
fn insert_sql(table: &str, columns: &[&str], rows: usize) -> String {
    let mut sql = format!("INSERT INTO {table} ({}) VALUES ", columns.join(", "));
    let mut n = 0;
    for r in 0..rows {
        sql.push_str(if r == 0 { "(" } else { ", (" });
        for c in 0..columns.len() {
            if c > 0 {
                sql.push_str(", ");
            }
            n += 1;
            sql.push('?');
            sql.push_str(&n.to_string());
        }
        sql.push(')');
    }
    sql
}

/// Lock keys (PostgreSQL advisory locks; any 64-bit number, fixed forever).
pub(crate) mod locks {
    /// Held while migrations run.
    pub(crate) const MIGRATE: i64 = 0x6775_6172_6472_6d31; // "guardrm1"
    /// Held while the first admin is created.
    pub(crate) const BOOTSTRAP: i64 = 0x6775_6172_6472_6231; // "guardrb1"
}
