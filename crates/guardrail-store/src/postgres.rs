//! The PostgreSQL backend: a small pool of connections (the synchronous `postgres` client, no
//! TLS), each with its prepared statements.
//!
//! Statements are written with SQLite's numbered placeholders (`?1`); they are turned into
//! PostgreSQL's (`$1`) once, when a connection prepares them.

use std::collections::HashMap;
use std::error::Error;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, MutexGuard, TryLockError};

use bytes::BytesMut;
use postgres::binary_copy::BinaryCopyInWriter;
use postgres::error::SqlState;
use postgres::types::{IsNull, ToSql, Type};
use postgres::{Client, NoTls, Statement};

use crate::db::{Conn, DbError, Param, Row, Value};
use crate::StoreError;

/// How many connections one service opens at most (opened as they are needed).
pub(crate) const POOL: usize = 8;

/// A pool of connections to one database (and schema).
pub(crate) struct Postgres {
    config: postgres::Config,
    schema: Option<String>,
    slots: Vec<Mutex<Option<PgConn>>>,
    next: AtomicUsize,
}

/// One connection and the statements it prepared.
struct PgConn {
    client: Client,
    statements: HashMap<String, Statement>,
}

impl From<postgres::Error> for DbError {
    fn from(e: postgres::Error) -> Self {
        let message = describe(&e);
        if e.code() == Some(&SqlState::UNIQUE_VIOLATION) {
            DbError::Unique(message)
        } else {
            DbError::Other(message)
        }
    }
}

/// The server's own message when there is one (`postgres::Error`'s display says only "db
/// error").
fn describe(e: &postgres::Error) -> String {
    match e.as_db_error() {
        Some(db) => format!("{}: {}", db.severity().to_lowercase(), db.message()),
        None => e.to_string(),
    }
}

/// Splits `schema=NAME` off a URL's query: guardrail's own parameter, which the client library
/// does not know.
fn split_schema(url: &str) -> Result<(String, Option<String>), String> {
    let Some((base, query)) = url.split_once('?') else {
        return Ok((url.to_owned(), None));
    };
    let mut schema = None;
    let mut rest = Vec::new();
    for pair in query.split('&').filter(|p| !p.is_empty()) {
        match pair.strip_prefix("schema=") {
            Some(name) => schema = Some(name.to_owned()),
            None => rest.push(pair),
        }
    }
    if let Some(name) = &schema {
        let valid = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
            && name.len() <= 63
            && name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
        if !valid {
            return Err(format!(
                "schema name `{name}`: use lowercase letters, digits and `_` (at most 63), starting with a letter"
            ));
        }
    }
    let url = if rest.is_empty() {
        base.to_owned()
    } else {
        format!("{base}?{}", rest.join("&"))
    };
    Ok((url, schema))
}

/// The URL without its password, for messages.
pub(crate) fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    let (authority, tail) = rest.split_at(rest.find(['/', '?']).unwrap_or(rest.len()));
    let authority = match authority.rsplit_once('@') {
        Some((user, host)) => format!("{}@{host}", user.split(':').next().unwrap_or_default()),
        None => authority.to_owned(),
    };
    let tail = match tail.split_once('?') {
        Some((path, query)) => {
            let query: Vec<&str> = query
                .split('&')
                .map(|p| {
                    if p.starts_with("password=") {
                        "password=[redacted]"
                    } else {
                        p
                    }
                })
                .collect();
            format!("{path}?{}", query.join("&"))
        }
        None => tail.to_owned(),
    };
    format!("{scheme}://{authority}{tail}")
}

impl Postgres {
    /// Connects to the database at `url` (`postgres://USER[:PASSWORD]@HOST[:PORT]/DB`, with
    /// `?schema=NAME` to keep the tables in that schema, created when missing).
    pub(crate) fn connect(url: &str) -> Result<Postgres, StoreError> {
        let open_error = |reason: String| StoreError::Open {
            path: redact(url),
            reason,
        };
        let (url, schema) = split_schema(url).map_err(open_error)?;
        let mut config: postgres::Config = url
            .parse()
            .map_err(|e: postgres::Error| open_error(e.to_string()))?;
        if let Some(schema) = &schema {
            config.options(&format!("-c search_path={schema}"));
        }
        config.connect_timeout(std::time::Duration::from_secs(10));
        let pg = Postgres {
            config,
            schema,
            slots: (0..POOL).map(|_| Mutex::new(None)).collect(),
            next: AtomicUsize::new(0),
        };
        // Connect once now, so that a wrong URL fails at start rather than on the first request.
        let mut slot = pg.slot()?;
        pg.ensure(&mut slot).map_err(|e| match e {
            StoreError::Database(reason) => open_error(reason),
            other => other,
        })?;
        drop(slot);
        if let Some(schema) = &pg.schema {
            pg.write(|c| {
                c.lock(crate::db::locks::MIGRATE)?;
                Ok(c.batch(&format!("CREATE SCHEMA IF NOT EXISTS {schema}"))?)
            })?;
        }
        Ok(pg)
    }

    /// A free slot if there is one, else the next in turn.
    fn slot(&self) -> Result<MutexGuard<'_, Option<PgConn>>, StoreError> {
        // Prefer a free slot that is already connected, then any free one.
        let mut free_empty = None;
        for slot in &self.slots {
            let guard = match slot.try_lock() {
                Ok(guard) => guard,
                Err(TryLockError::Poisoned(p)) => recover(p.into_inner()),
                Err(TryLockError::WouldBlock) => continue,
            };
            if guard.is_some() {
                return Ok(guard);
            }
            if free_empty.is_none() {
                free_empty = Some(guard);
            }
        }
        if let Some(guard) = free_empty {
            return Ok(guard);
        }
        let i = self.next.fetch_add(1, Ordering::Relaxed) % self.slots.len();
        let slot = self
            .slots
            .get(i)
            .ok_or_else(|| StoreError::Database("no database connection".into()))?;
        Ok(slot.lock().unwrap_or_else(|p| recover(p.into_inner())))
    }

    /// Connects the slot when it has no live connection.
    fn ensure<'a>(
        &self,
        slot: &'a mut MutexGuard<'_, Option<PgConn>>,
    ) -> Result<&'a mut PgConn, StoreError> {
        if slot.as_ref().is_some_and(|c| c.client.is_closed()) {
            **slot = None;
        }
        if slot.is_none() {
            let client = self.config.connect(NoTls).map_err(|e| {
                StoreError::Database(format!("cannot connect to PostgreSQL: {}", describe(&e)))
            })?;
            **slot = Some(PgConn {
                client,
                statements: HashMap::new(),
            });
        }
        slot.as_mut()
            .ok_or_else(|| StoreError::Database("no database connection".into()))
    }

    /// Runs `f` in one transaction: committed when it returns `Ok`, rolled back otherwise.
    pub(crate) fn write<T>(
        &self,
        f: impl FnOnce(&mut dyn Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self.slot()?;
        let conn = self.ensure(&mut slot)?;
        let result = match conn.client.batch_execute("BEGIN") {
            Err(e) => Err(DbError::from(e).into()),
            Ok(()) => match f(conn) {
                Ok(v) => match conn.client.batch_execute("COMMIT") {
                    Ok(()) => Ok(v),
                    Err(e) => Err(DbError::from(e).into()),
                },
                Err(e) => {
                    let _ = conn.client.batch_execute("ROLLBACK");
                    Err(e)
                }
            },
        };
        if result.is_err() {
            drop_if_broken(&mut slot);
        }
        result
    }

    /// Runs `f` on a connection: each statement sees what was committed before it began. A
    /// read that fails because its connection broke (the database restarted, a proxy closed it)
    /// runs once more on a new connection.
    pub(crate) fn read<T>(
        &self,
        f: impl Fn(&mut dyn Conn) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut slot = self.slot()?;
        let conn = self.ensure(&mut slot)?;
        match f(conn) {
            Err(_) if drop_if_broken(&mut slot) => f(self.ensure(&mut slot)?),
            result => result,
        }
    }
}

/// After a failure: drops the slot's connection when it no longer answers, so that the next use
/// reconnects. Returns whether it did.
fn drop_if_broken(slot: &mut MutexGuard<'_, Option<PgConn>>) -> bool {
    let broken = slot.as_mut().is_some_and(|c| {
        c.client.is_closed()
            || c.client
                .is_valid(std::time::Duration::from_secs(2))
                .is_err()
    });
    if broken {
        **slot = None;
    }
    broken
}

/// A slot whose user panicked may hold a connection in the middle of a transaction: it is
/// dropped (the server rolls the transaction back) and the slot reconnects when next used.
fn recover(mut guard: MutexGuard<'_, Option<PgConn>>) -> MutexGuard<'_, Option<PgConn>> {
    *guard = None;
    guard
}

/// `?1` → `$1`, outside quoted text.
fn placeholders(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len());
    let mut quoted = false;
    for c in sql.chars() {
        match c {
            '\'' => {
                quoted = !quoted;
                out.push(c);
            }
            '?' if !quoted => out.push('$'),
            c => out.push(c),
        }
    }
    out
}

impl PgConn {
    fn prepare(&mut self, sql: &str) -> Result<Statement, DbError> {
        if let Some(s) = self.statements.get(sql) {
            return Ok(s.clone());
        }
        let statement = self.client.prepare(&placeholders(sql))?;
        // Statements built for one size of a batch (`insert_many`) are not worth keeping
        // beyond a few hundred.
        if self.statements.len() > 512 {
            self.statements.clear();
        }
        self.statements.insert(sql.to_owned(), statement.clone());
        Ok(statement)
    }
}

impl ToSql for Param<'_> {
    fn to_sql(
        &self,
        ty: &Type,
        out: &mut BytesMut,
    ) -> Result<IsNull, Box<dyn Error + Sync + Send>> {
        // Adapt to the type PostgreSQL inferred for the placeholder, as SQLite would.
        match *self {
            Param::Null => Ok(IsNull::Yes),
            Param::Int(i) => match *ty {
                Type::INT2 => i16::try_from(i)?.to_sql(ty, out),
                Type::INT4 => i32::try_from(i)?.to_sql(ty, out),
                Type::BOOL => (i != 0).to_sql(ty, out),
                #[expect(
                    clippy::cast_precision_loss,
                    reason = "what SQLite does when an integer meets a real"
                )]
                Type::FLOAT8 => (i as f64).to_sql(ty, out),
                Type::TEXT | Type::VARCHAR => i.to_string().to_sql(ty, out),
                _ => i.to_sql(ty, out),
            },
            Param::Real(f) => f.to_sql(ty, out),
            Param::Text(s) => s.to_sql(ty, out),
            Param::Blob(b) => b.to_sql(ty, out),
            Param::Bool(b) => match *ty {
                Type::INT2 | Type::INT4 | Type::INT8 => Param::Int(i64::from(b)).to_sql(ty, out),
                _ => b.to_sql(ty, out),
            },
        }
    }

    fn accepts(_: &Type) -> bool {
        true
    }

    postgres::types::to_sql_checked!();
}

fn value(row: &postgres::Row, i: usize) -> Result<Value, DbError> {
    let ty = row
        .columns()
        .get(i)
        .map(|c| c.type_().clone())
        .ok_or_else(|| DbError::Other(format!("a result has no column {i}")))?;
    Ok(match ty {
        Type::INT8 => row
            .try_get::<_, Option<i64>>(i)?
            .map_or(Value::Null, Value::Int),
        Type::INT4 => row
            .try_get::<_, Option<i32>>(i)?
            .map_or(Value::Null, |v| Value::Int(i64::from(v))),
        Type::INT2 => row
            .try_get::<_, Option<i16>>(i)?
            .map_or(Value::Null, |v| Value::Int(i64::from(v))),
        Type::BOOL => row
            .try_get::<_, Option<bool>>(i)?
            .map_or(Value::Null, Value::Bool),
        Type::FLOAT8 => row
            .try_get::<_, Option<f64>>(i)?
            .map_or(Value::Null, Value::Real),
        Type::FLOAT4 => row
            .try_get::<_, Option<f32>>(i)?
            .map_or(Value::Null, |v| Value::Real(f64::from(v))),
        Type::BYTEA => row
            .try_get::<_, Option<Vec<u8>>>(i)?
            .map_or(Value::Null, Value::Blob),
        Type::TEXT | Type::VARCHAR | Type::BPCHAR | Type::NAME => row
            .try_get::<_, Option<String>>(i)?
            .map_or(Value::Null, Value::Text),
        other => {
            return Err(DbError::Other(format!(
                "a column of type `{other}` cannot be read: cast it in the query"
            )))
        }
    })
}

impl Conn for PgConn {
    fn execute(&mut self, sql: &str, params: &[Param<'_>]) -> Result<u64, DbError> {
        let statement = self.prepare(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        Ok(self.client.execute(&statement, &refs)?)
    }

    fn query(&mut self, sql: &str, params: &[Param<'_>]) -> Result<Vec<Row>, DbError> {
        let statement = self.prepare(sql)?;
        let refs: Vec<&(dyn ToSql + Sync)> = params.iter().map(|p| p as _).collect();
        let rows = self.client.query(&statement, &refs)?;
        rows.iter()
            .map(|r| {
                (0..r.len())
                    .map(|i| value(r, i))
                    .collect::<Result<_, _>>()
                    .map(Row)
            })
            .collect()
    }

    fn batch(&mut self, sql: &str) -> Result<(), DbError> {
        Ok(self.client.batch_execute(sql)?)
    }

    fn insert_many(
        &mut self,
        table: &str,
        columns: &[&str],
        rows: &[Param<'_>],
    ) -> Result<(), DbError> {
        let width = columns.len();
        if width == 0 || rows.is_empty() {
            return Ok(());
        }
        // The columns' types, which the binary format needs, from a statement that reads them.
        let types: Vec<Type> = self
            .prepare(&format!(
                "SELECT {} FROM {table} WHERE FALSE",
                columns.join(", ")
            ))?
            .columns()
            .iter()
            .map(|c| c.type_().clone())
            .collect();
        // Prepared once per connection, like every other statement (a `COPY` given as text
        // is prepared anew each time: one round trip more per upload).
        let statement = self.prepare(&format!(
            "COPY {table} ({}) FROM STDIN BINARY",
            columns.join(", ")
        ))?;
        let copy = self.client.copy_in(&statement)?;
        let mut writer = BinaryCopyInWriter::new(copy, &types);
        for row in rows.chunks(width) {
            let values: Vec<&(dyn ToSql + Sync)> = row.iter().map(|p| p as _).collect();
            writer.write(&values)?;
        }
        writer.finish()?;
        Ok(())
    }

    fn lock(&mut self, key: i64) -> Result<(), DbError> {
        self.client
            .execute("SELECT pg_advisory_xact_lock($1)", &[&key])
            .map(|_| ())
            .map_err(DbError::from)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn placeholders_become_numbered_dollars_outside_quotes() {
        assert_eq!(
            placeholders("SELECT '?1', x FROM t WHERE a = ?1 AND b = ?12"),
            "SELECT '?1', x FROM t WHERE a = $1 AND b = $12"
        );
    }

    #[test]
    fn the_schema_parameter_is_guardrails_own() {
        assert_eq!(
            split_schema("postgres://u@h/db?schema=team_a&sslmode=disable").unwrap(),
            (
                "postgres://u@h/db?sslmode=disable".to_owned(),
                Some("team_a".to_owned())
            )
        );
        assert_eq!(
            split_schema("postgres://u@h/db").unwrap(),
            ("postgres://u@h/db".to_owned(), None)
        );
        let e = split_schema("postgres://u@h/db?schema=a;drop").unwrap_err();
        assert!(e.contains("schema name `a;drop`"), "{e}");
    }

    #[test]
    fn urls_in_messages_lose_their_password() {
        assert_eq!(
            redact("postgres://app:s3cret@db:5432/guardrail"),
            "postgres://app@db:5432/guardrail"
        );
        assert_eq!(redact("postgres://db/guardrail"), "postgres://db/guardrail");
        assert_eq!(
            redact("postgres://db/g?user=a&password=pw"),
            "postgres://db/g?user=a&password=[redacted]"
        );
    }
}
