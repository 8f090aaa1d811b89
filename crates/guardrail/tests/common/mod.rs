//! Helpers shared by the CLI's integration tests: running the binary as users do, and scratch
//! directories removed when a test ends.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::process::Command;
use std::sync::atomic::{AtomicUsize, Ordering};

/// The workspace root: the examples, docs and corpus paths in the tests are relative to it.
pub fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../..")
        .canonicalize()
        .unwrap()
}

/// What a run printed, and its exit code.
pub struct Output {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Output {
    /// The whole run as one text, for snapshots.
    pub fn snapshot(&self) -> String {
        self.to_string()
    }
}

impl std::fmt::Display for Output {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "exit: {}\n--- stdout\n{}--- stderr\n{}",
            self.code, self.stdout, self.stderr
        )
    }
}

/// Runs guardrail in `cwd` with extra environment variables. `NO_COLOR`, `GITHUB_ACTIONS`
/// (annotations on stderr), `GITHUB_WORKSPACE` (the root reports name files from) and
/// `GUARDRAIL_TIMINGS` (phase timings on stderr) are removed so that runs do not depend on the
/// caller's shell.
pub fn run_with(cwd: &Path, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guardrail"));
    cmd.args(args)
        .current_dir(cwd)
        .env_remove("NO_COLOR")
        .env_remove("GITHUB_ACTIONS")
        .env_remove("GITHUB_WORKSPACE")
        .env_remove("GUARDRAIL_TIMINGS");
    for (k, v) in env {
        cmd.env(k, v);
    }
    let out = cmd.output().expect("run guardrail");
    Output {
        code: out.status.code().unwrap_or(-1),
        stdout: String::from_utf8(out.stdout).unwrap(),
        stderr: String::from_utf8(out.stderr).unwrap(),
    }
}

/// Runs guardrail in the workspace root.
pub fn run(args: &[&str]) -> Output {
    run_with(&root(), args, &[])
}

/// A scratch directory, removed when dropped.
pub struct TempDir(PathBuf);

impl TempDir {
    /// A new empty directory; `tag` shows in its name.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "guardrail-test-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes a file (creating its directories), for chaining.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        write(&self.0, rel, text);
        self
    }

    /// The directory as a string argument.
    pub fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl std::ops::Deref for TempDir {
    type Target = Path;
    fn deref(&self) -> &Path {
        &self.0
    }
}

/// A new scratch directory.
pub fn temp_dir() -> TempDir {
    TempDir::new("t")
}

/// Writes `dir/name` (creating directories) and returns its path.
pub fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    if let Some(parent) = p.parent() {
        std::fs::create_dir_all(parent).unwrap();
    }
    std::fs::write(&p, text).unwrap();
    p.to_string_lossy().into_owned()
}

/// The Python that holds the test tools (`jsonschema`, `junitparser`): `GUARDRAIL_PYTHON` when
/// set (`.ci/run` sets it), else the repository's virtual environment `.ci/venv` when it exists,
/// else `python3` from `PATH`.
pub fn python_path() -> PathBuf {
    if let Some(p) = std::env::var_os("GUARDRAIL_PYTHON").filter(|p| !p.is_empty()) {
        return PathBuf::from(p);
    }
    let venv = root().join(".ci/venv/bin/python");
    if venv.exists() {
        return venv;
    }
    PathBuf::from("python3")
}

/// How to get the Python test tools, for failure messages.
pub const PYTHON_HINT: &str = "the Python test tools live in the repository's virtual environment: \
run `.ci/run` once, or `python3 -m venv .ci/venv && .ci/venv/bin/pip install jsonschema junitparser` \
from the repository root (or point `GUARDRAIL_PYTHON` at a Python that has them)";

/// Runs a Python snippet with arguments on [`python_path`]; panics with its output and
/// [`PYTHON_HINT`] on failure.
pub fn python(code: &str, args: &[&std::ffi::OsStr], what: &str) -> String {
    let python = python_path();
    let out = Command::new(&python)
        .arg("-c")
        .arg(code)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run `{}` ({e}); {PYTHON_HINT}", python.display()));
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    let stderr = String::from_utf8_lossy(&out.stderr);
    if stderr.contains("ModuleNotFoundError") {
        panic!(
            "`{}` lacks a test tool: {PYTHON_HINT}\n{stderr}",
            python.display()
        );
    }
    assert!(out.status.success(), "{what}\n{stdout}\n{stderr}");
    stdout
}

/// A `guardrail serve` on SQLite in a scratch directory, on a free port of 127.0.0.1, with
/// its bootstrap token; killed when dropped.
pub struct Service {
    child: std::process::Child,
    pub url: String,
    pub token: String,
    _data: TempDir,
}

impl Drop for Service {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

impl Service {
    /// Starts it and waits until it listens.
    pub fn start() -> Service {
        use std::io::BufRead;
        let data = TempDir::new("service");
        let mut child = Command::new(env!("CARGO_BIN_EXE_guardrail"))
            .args(["serve", "--listen", "127.0.0.1:0", "--data-dir"])
            .arg(data.join("data"))
            .stderr(std::process::Stdio::piped())
            .stdout(std::process::Stdio::null())
            .spawn()
            .unwrap();
        let stderr = child.stderr.take().unwrap();
        let mut service = Service {
            child,
            url: String::new(),
            token: String::new(),
            _data: data,
        };
        for line in std::io::BufReader::new(stderr).lines() {
            let line = line.unwrap();
            if let Some(t) = line.trim().strip_prefix("grd_") {
                service.token = format!("grd_{t}");
            }
            if let Some(rest) = line.split("listening on ").nth(1) {
                service.url = rest.split(' ').next().unwrap().to_owned();
                break;
            }
        }
        assert!(!service.url.is_empty() && !service.token.is_empty());
        service
    }

    /// Calls the API with the bootstrap token.
    pub fn api(
        &self,
        method: &str,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> guardrail_server::client::Response {
        let bytes = body.map(|b| b.to_string().into_bytes());
        guardrail_server::client::request(
            &self.url,
            method,
            path,
            Some(&self.token),
            bytes.as_deref(),
        )
        .unwrap()
    }

    /// Publishes a selection of built-in policies as the pack `NAME` version 1 (with
    /// `guardrail pack publish`), and a group `NAME` that requires it at `level` for the stacks
    /// matching `stacks` (`PROJECT/STACK` patterns).
    pub fn require(&self, name: &str, select: &[&str], stacks: &str, level: &str) {
        let dir = TempDir::new("service-pack");
        dir.write(
            &format!("{name}.json"),
            &serde_json::json!({ "select": select }).to_string(),
        );
        let out = run_with(
            &dir,
            &[
                "pack",
                "publish",
                &format!("{name}.json"),
                "--server",
                &self.url,
                "--version",
                "1",
            ],
            &[("GUARDRAIL_TOKEN", &self.token)],
        );
        assert_eq!(out.code, 0, "{out}");
        let r = self.api(
            "PUT",
            &format!("/api/v1/orgs/default/groups/{name}"),
            Some(serde_json::json!({
                "stacks": [stacks],
                "packs": [{"name": name, "version": "1", "level": level}],
            })),
        );
        assert_eq!(r.status, 201, "{}", r.error_message());
    }

    /// The runs of the organization `default`, newest first.
    pub fn runs(&self) -> Vec<serde_json::Value> {
        self.api("GET", "/api/v1/orgs/default/runs", None).json()["runs"]
            .as_array()
            .cloned()
            .unwrap_or_default()
    }
}
