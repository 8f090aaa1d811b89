//! Group commit of run uploads: a writer thread stores the runs that arrive while it is busy
//! in one transaction ([`Store::record_runs`]).
//!
//! Under load, uploads queue while the previous transaction commits; the writer then takes
//! all of them at once, so that one commit (SQLite: one write-ahead-log sync point and the
//! index pages written once; PostgreSQL: one `BEGIN`/`COMMIT` round trip) serves many
//! uploads. A lone upload is written at once, as before. Each request is answered only after
//! the transaction holding its run committed, and a run that fails does not fail the others
//! of its batch (the store then writes the batch run by run).

use std::panic::AssertUnwindSafe;
use std::sync::{mpsc, Arc, Mutex, PoisonError};

use guardrail_store::{NewFinding, NewRun, RunUpload, Store, StoreError};
use tokio::sync::oneshot;

/// The most runs one transaction takes.
const MAX_RUNS: usize = 64;
/// Past this many findings, a batch takes no more runs (a run of more is written alone).
const MAX_FINDINGS: usize = 20_000;

/// A run to store, owning what it holds (it crosses to the writer thread).
#[derive(Clone, Debug, Default)]
pub struct OwnedRun {
    /// The organization.
    pub org_id: i64,
    /// The user whose token uploaded it.
    pub user_id: i64,
    /// When it arrived (Unix seconds).
    pub now: i64,
    /// The stack's project.
    pub project: String,
    /// The stack's name.
    pub stack: String,
    /// `plan` or `state`.
    pub kind: String,
    /// `client` or `server`.
    pub source: &'static str,
    /// `passed`, `blocked` or `error`.
    pub outcome: String,
    /// The commit, when known.
    pub commit: Option<String>,
    /// The branch, when known.
    pub branch: Option<String>,
    /// The pull or merge request, when known.
    pub pull_request: Option<String>,
    /// Who ran it, when known.
    pub actor: Option<String>,
    /// The counts (JSON text).
    pub summary: String,
    /// Every finding.
    pub findings: Vec<NewFinding>,
    /// Coverage and remediations of the run; `None` from older clients.
    pub coverage: Option<guardrail_store::metrics::RunCoverage>,
}

impl OwnedRun {
    fn upload(&self) -> RunUpload<'_> {
        RunUpload {
            org_id: self.org_id,
            user_id: self.user_id,
            now: self.now,
            run: self.new_run(),
        }
    }

    /// The run as the store takes it.
    pub fn new_run(&self) -> NewRun<'_> {
        NewRun {
            project: &self.project,
            stack: &self.stack,
            kind: &self.kind,
            source: self.source,
            outcome: &self.outcome,
            commit: self.commit.as_deref(),
            branch: self.branch.as_deref(),
            pull_request: self.pull_request.as_deref(),
            actor: self.actor.as_deref(),
            summary: &self.summary,
            findings: &self.findings,
            coverage: self.coverage.as_ref(),
        }
    }
}

struct Job {
    run: OwnedRun,
    /// The answer, and the run back: it is dropped by the request's thread, which allocated
    /// it (freeing another thread's memory is the allocator's slow path).
    answer: oneshot::Sender<(Result<i64, StoreError>, OwnedRun)>,
}

/// The handle of the writer thread; cloned into every request's state. The thread ends when
/// the last handle is dropped.
#[derive(Clone)]
pub struct RunWriter {
    jobs: mpsc::Sender<Job>,
}

impl RunWriter {
    /// Starts the writer threads over `store`, as many as it writes transactions at once
    /// ([`Store::concurrent_writes`]): one on SQLite; on PostgreSQL a few, each on a connection
    /// of its own, so that one batch is written while the database works on another's.
    pub fn start(store: Arc<dyn Store>) -> Result<RunWriter, String> {
        let (jobs, queue) = mpsc::channel::<Job>();
        let queue = Arc::new(Mutex::new(queue));
        for _ in 0..store.concurrent_writes().max(1) {
            let (store, queue) = (Arc::clone(&store), Arc::clone(&queue));
            std::thread::Builder::new()
                .name("guardrail-run-writer".into())
                .spawn(move || write_batches(store.as_ref(), &queue))
                .map_err(|e| format!("cannot start the thread that writes runs: {e}"))?;
        }
        Ok(RunWriter { jobs })
    }

    /// Stores `run` (in the next transaction of the writer) and returns its id once that
    /// transaction committed.
    pub async fn record(&self, run: OwnedRun) -> Result<i64, StoreError> {
        let (answer, answered) = oneshot::channel();
        let stopped = || StoreError::Database("the writer of runs stopped".into());
        self.jobs.send(Job { run, answer }).map_err(|_| stopped())?;
        let (answer, run) = answered.await.map_err(|_| stopped())?;
        drop(run);
        answer
    }
}

/// The next batch: waits for a run, then takes every other one already queued (up to the
/// limits). `None` once every sender is gone.
fn next_batch(queue: &Mutex<mpsc::Receiver<Job>>) -> Option<Vec<Job>> {
    // The writer that holds the queue waits for the next run; the others wait for the queue.
    let queue = queue.lock().unwrap_or_else(PoisonError::into_inner);
    let first = queue.recv().ok()?;
    let mut findings = first.run.findings.len();
    let mut batch = vec![first];
    while batch.len() < MAX_RUNS && findings < MAX_FINDINGS {
        match queue.try_recv() {
            Ok(job) => {
                findings += job.run.findings.len();
                batch.push(job);
            }
            Err(_) => break,
        }
    }
    Some(batch)
}

/// A writer's loop: takes a batch, stores it, answers each of its requests.
fn write_batches(store: &dyn Store, queue: &Mutex<mpsc::Receiver<Job>>) {
    while let Some(batch) = next_batch(queue) {
        let uploads: Vec<RunUpload<'_>> = batch.iter().map(|j| j.run.upload()).collect();
        // A bug that panics in the store fails this batch's requests, not the writer.
        let answers = std::panic::catch_unwind(AssertUnwindSafe(|| store.record_runs(&uploads)))
            .unwrap_or_default();
        drop(uploads);
        let mut answers = answers.into_iter();
        for job in batch {
            let answer = answers.next().unwrap_or_else(|| {
                Err(StoreError::Database(
                    "storing the run failed unexpectedly".into(),
                ))
            });
            // The client may have gone; its run is stored all the same.
            let _ = job.answer.send((answer, job.run));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use guardrail_store::{HistoryFilter, NewToken, SqlStore};

    fn finding(i: usize) -> NewFinding {
        NewFinding {
            fingerprint: format!("fp{i}"),
            policy: "AWS-S3-001".into(),
            pack: "builtin".into(),
            resource: Some(format!("aws_s3_bucket.b{i}")),
            resource_type: Some("aws_s3_bucket".into()),
            outcome: "violation".into(),
            level: "mandatory".into(),
            severity: "high".into(),
            blocking: true,
            central: false,
            message: format!("bucket {i} is public"),
        }
    }

    #[test]
    fn the_runs_queued_together_are_answered_each_and_a_bad_one_fails_alone() {
        let store = SqlStore::in_memory().unwrap();
        let org = store
            .create_org(
                "acme",
                "alice",
                NewToken {
                    hash: "h",
                    description: "t",
                    expires_at: None,
                    stacks: &[],
                },
                1,
            )
            .unwrap();
        let alice = store.user(org.id, "alice").unwrap().unwrap();
        // Five runs queued before the writer looks: it takes them as one batch. The fourth
        // names a user that does not exist, so its insert fails.
        let (jobs, queue) = mpsc::channel();
        let mut answers = Vec::new();
        for r in 0..5 {
            let (answer, answered) = oneshot::channel();
            let run = OwnedRun {
                org_id: org.id,
                user_id: if r == 3 { 9_999 } else { alice.id },
                now: 10,
                project: "app".into(),
                stack: format!("stack-{r}"),
                kind: "plan".into(),
                source: "client",
                outcome: "blocked".into(),
                summary: "{}".into(),
                findings: (0..r * 10).map(finding).collect(),
                ..OwnedRun::default()
            };
            jobs.send(Job { run, answer }).unwrap();
            answers.push(answered);
        }
        drop(jobs);
        write_batches(&store, &Mutex::new(queue));
        let answers: Vec<Result<i64, StoreError>> = answers
            .into_iter()
            .map(|mut a| a.try_recv().unwrap().0)
            .collect();
        assert!(answers[3].is_err(), "{:?}", answers[3]);
        for r in [0, 1, 2, 4] {
            let id = *answers[r].as_ref().unwrap();
            let (record, findings) = store.run(org.id, id).unwrap().unwrap();
            assert_eq!(
                record.stack,
                format!("app/stack-{r}"),
                "answered with its own id"
            );
            assert_eq!(findings.len(), r * 10);
        }
        let all = HistoryFilter {
            limit: 100,
            ..HistoryFilter::default()
        };
        assert_eq!(store.runs(org.id, &all).unwrap().len(), 4);
    }
}
