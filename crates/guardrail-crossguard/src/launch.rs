//! Starting a pack the way the Pulumi CLI starts it, and reading the port it serves on.
//!
//! A Python pack runs as `python -u -m pulumi.policy <engine> .` (the `python` of the pack's
//! `virtualenv` when the manifest names one, else `PULUMI_PYTHON_CMD`, else `python3`); a
//! Node.js pack as `node <run-policy-pack> <engine> .`, the entry point of the `@pulumi/pulumi`
//! package the pack resolves. Both run in the pack's directory, print the port of their gRPC
//! server on the first line of standard output, and serve on 127.0.0.1.

use std::ffi::OsString;
use std::io::{BufRead, BufReader, Read};
use std::path::{Path, PathBuf};
use std::process::{Child, Stdio};
use std::sync::mpsc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::manifest::{Manifest, Runtime};
use crate::Error;

/// How much of a pack's standard error is kept for messages (its end).
const STDERR_TAIL: usize = 4096;

/// A command that starts a pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Command {
    /// The program (an interpreter).
    pub program: PathBuf,
    /// Its arguments before the engine address.
    pub args: Vec<OsString>,
    /// The directory it runs in: the pack's.
    pub dir: PathBuf,
}

/// The command that starts the pack in `dir`, as the Pulumi CLI would.
pub fn command(dir: &Path, manifest: &Manifest, pack: &str) -> Result<Command, Error> {
    match &manifest.runtime {
        Runtime::Python { virtualenv } => {
            let program = match virtualenv {
                Some(venv) => {
                    let venv = dir.join(venv);
                    let python = if cfg!(windows) {
                        venv.join("Scripts").join("python.exe")
                    } else {
                        venv.join("bin").join("python")
                    };
                    if !python.exists() {
                        return Err(Error::new(format!(
                            "the virtualenv `{}` of the pack `{pack}` has no Python",
                            venv.display()
                        ))
                        .help(format!(
                            "create it: `python3 -m venv {0} && {0}/bin/pip install -r requirements.txt` in the pack directory",
                            virtualenv_shown(virtualenv.as_deref())
                        )));
                    }
                    python
                }
                None => std::env::var_os("PULUMI_PYTHON_CMD")
                    .filter(|p| !p.is_empty())
                    .map(PathBuf::from)
                    .unwrap_or_else(|| PathBuf::from("python3")),
            };
            Ok(Command {
                program,
                args: vec!["-u".into(), "-m".into(), "pulumi.policy".into()],
                dir: dir.to_path_buf(),
            })
        }
        Runtime::NodeJs => {
            let script = run_policy_pack(dir).ok_or_else(|| {
                Error::new(format!(
                    "the Node.js pack `{pack}` cannot find `@pulumi/pulumi` (its `cmd/run-policy-pack` entry point)"
                ))
                .help("run `npm install` in the pack directory (it needs `@pulumi/policy` and `@pulumi/pulumi`), or name a node_modules directory in NODE_PATH")
            })?;
            Ok(Command {
                program: PathBuf::from("node"),
                args: vec![script.into_os_string()],
                dir: dir.to_path_buf(),
            })
        }
    }
}

fn virtualenv_shown(v: Option<&Path>) -> String {
    v.map(|p| p.display().to_string()).unwrap_or_default()
}

/// `@pulumi/pulumi/cmd/run-policy-pack` as Node.js resolves it from `dir`: in `node_modules`
/// of the directory and each one above, then in the directories of `NODE_PATH`.
pub fn run_policy_pack(dir: &Path) -> Option<PathBuf> {
    let entry = Path::new("@pulumi")
        .join("pulumi")
        .join("cmd")
        .join("run-policy-pack");
    let found = |modules: &Path| {
        let script = modules.join(&entry);
        script.join("index.js").is_file().then_some(script)
    };
    let absolute = std::fs::canonicalize(dir).unwrap_or_else(|_| dir.to_path_buf());
    absolute
        .ancestors()
        .find_map(|d| found(&d.join("node_modules")))
        .or_else(|| {
            let paths = std::env::var_os("NODE_PATH")?;
            std::env::split_paths(&paths).find_map(|p| found(&p))
        })
}

/// A running pack process. Dropping it ends the process.
pub struct Process {
    child: Mutex<Child>,
    /// The port its analyzer serves on, at 127.0.0.1.
    pub port: u16,
    stderr: Arc<Mutex<Vec<u8>>>,
}

impl std::fmt::Debug for Process {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Process").field("port", &self.port).finish()
    }
}

impl Process {
    /// The end of what the process wrote to standard error, as text.
    pub fn stderr_tail(&self) -> String {
        tail_text(&self.stderr)
    }

    /// Whether the process has exited, and how.
    pub fn exited(&self) -> Option<std::process::ExitStatus> {
        let mut child = self.child.lock().ok()?;
        child.try_wait().ok().flatten()
    }

    /// Ends the process, and the processes it started.
    pub fn kill(&self) {
        if let Ok(mut child) = self.child.lock() {
            end(&mut child);
        }
    }
}

impl Drop for Process {
    fn drop(&mut self) {
        self.kill();
    }
}

/// The exit status of a process that closed its output, waited for a few seconds at most.
fn wait_briefly(child: &mut Child) -> Option<std::process::ExitStatus> {
    for _ in 0..100 {
        if let Ok(Some(status)) = child.try_wait() {
            return Some(status);
        }
        std::thread::sleep(Duration::from_millis(30));
    }
    None
}

/// Ends a pack's process group (on Unix), then the process itself, and reaps it.
fn end(child: &mut Child) {
    #[cfg(unix)]
    if child.try_wait().ok().flatten().is_none() {
        let _ = std::process::Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
    }
    let _ = child.kill();
    let _ = child.wait();
}

fn tail_text(buffer: &Mutex<Vec<u8>>) -> String {
    let bytes = buffer.lock().map(|b| b.clone()).unwrap_or_default();
    String::from_utf8_lossy(&bytes).trim().to_string()
}

/// Starts the pack with `engine` as the engine address and the environment `env` on top of
/// guardrail's own, and waits up to `timeout` for the port on the first line of its standard
/// output. A pack that exits first, prints something else or prints nothing in time is an
/// error that names the pack; its process is ended.
pub fn start(
    cmd: &Command,
    engine: &str,
    env: &[(String, String)],
    pack: &str,
    timeout: Duration,
) -> Result<Process, Error> {
    let mut command = std::process::Command::new(&cmd.program);
    // its own process group, so that ending it ends what it started too
    #[cfg(unix)]
    std::os::unix::process::CommandExt::process_group(&mut command, 0);
    let mut child = command
        .args(&cmd.args)
        .arg(engine)
        .arg(".")
        .current_dir(&cmd.dir)
        .envs(env.iter().map(|(k, v)| (k, v)))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .map_err(|e| {
            Error::new(format!(
                "the pack `{pack}` cannot be started: `{}`: {}",
                cmd.program.display(),
                match e.kind() {
                    std::io::ErrorKind::NotFound => "no such program".to_string(),
                    _ => e.to_string(),
                }
            ))
            .help(match cmd.program.file_name().and_then(|n| n.to_str()) {
                Some("node") => "install Node.js (`node` on PATH)",
                _ => "install Python 3 with `pulumi-policy`, set PULUMI_PYTHON_CMD to its `python`, or give the pack a `virtualenv` in PulumiPolicy.yaml",
            })
        })?;
    let stderr = Arc::new(Mutex::new(Vec::new()));
    if let Some(mut err) = child.stderr.take() {
        let keep = Arc::clone(&stderr);
        std::thread::spawn(move || {
            let mut chunk = [0u8; 4096];
            while let Ok(n) = err.read(&mut chunk) {
                if n == 0 {
                    break;
                }
                if let (Ok(mut buf), Some(read)) = (keep.lock(), chunk.get(..n)) {
                    buf.extend_from_slice(read);
                    let excess = buf.len().saturating_sub(STDERR_TAIL);
                    buf.drain(..excess);
                }
            }
        });
    }
    let (tx, rx) = mpsc::channel::<std::io::Result<Option<String>>>();
    if let Some(out) = child.stdout.take() {
        std::thread::spawn(move || {
            let mut reader = BufReader::new(out);
            let mut line = Vec::new();
            // a line of at most 1 KiB: a pack that prints without end is not waited for
            let first = (&mut reader)
                .take(1024)
                .read_until(b'\n', &mut line)
                .map(|n| (n > 0).then(|| String::from_utf8_lossy(&line).into_owned()));
            let _ = tx.send(first);
            // keep draining, so that a pack that prints never blocks on a full pipe
            let _ = std::io::copy(&mut reader, &mut std::io::sink());
        });
    }
    let process = |child: Child, port: u16| Process {
        child: Mutex::new(child),
        port,
        stderr: Arc::clone(&stderr),
    };
    let fail = |mut child: Child, message: String| -> Error {
        end(&mut child);
        // let the stderr reader catch up with what the process wrote last
        std::thread::sleep(Duration::from_millis(50));
        let said = tail_text(&stderr);
        let mut e = Error::new(message);
        if !said.is_empty() {
            e = e.detail(said);
        }
        e
    };
    match rx.recv_timeout(timeout) {
        Ok(Ok(Some(line))) => match line.trim().parse::<u16>() {
            Ok(port) if port > 0 => Ok(process(child, port)),
            _ => {
                let shown: String = line.trim().chars().take(80).collect();
                Err(fail(
                    child,
                    format!(
                        "the pack `{pack}` printed `{shown}` instead of its port on the first line of its standard output"
                    ),
                )
                .help("a policy pack must print nothing before the Pulumi SDK prints its port: remove output at import time, or send it to standard error"))
            }
        },
        Ok(Ok(None)) | Ok(Err(_)) | Err(mpsc::RecvTimeoutError::Disconnected) => {
            // standard output closed: the process has ended, or soon will
            let status = wait_briefly(&mut child);
            let how = match status.and_then(|s| s.code()) {
                Some(code) => format!("exited with status {code}"),
                None => "closed its standard output".to_string(),
            };
            Err(fail(
                child,
                format!("the pack `{pack}` {how} before it printed its port"),
            )
            .help("run the pack under `pulumi preview --policy-pack` to see it fail the same way, or read its error output above"))
        }
        Err(mpsc::RecvTimeoutError::Timeout) => Err(fail(
            child,
            format!(
                "the pack `{pack}` did not print its port within {} seconds",
                timeout.as_secs_f64()
            ),
        )
        .help("check that the pack starts under `pulumi preview --policy-pack`; a slow machine may need a longer GUARDRAIL_PACK_START_TIMEOUT (seconds)")),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sh(script: &str) -> Command {
        Command {
            program: PathBuf::from("sh"),
            args: vec!["-c".into(), script.into(), "pack".into()],
            dir: std::env::temp_dir(),
        }
    }

    fn start_sh(script: &str, timeout: Duration) -> Result<Process, Error> {
        start(&sh(script), "127.0.0.1:1", &[], "hostile", timeout)
    }

    #[test]
    fn the_port_is_the_first_line() {
        // the engine address and the pack directory come last, as the Pulumi CLI passes them
        let p = start_sh(
            r#"[ "$1" = 127.0.0.1:1 ] && [ "$2" = . ] && echo 4242 && sleep 30"#,
            Duration::from_secs(10),
        )
        .unwrap();
        assert_eq!(p.port, 4242);
        assert!(p.exited().is_none());
        p.kill();
        assert!(p.exited().is_some());
    }

    #[test]
    fn hostile_packs_are_errors_that_name_them() {
        let e = start_sh(
            "echo 'loading policies...'; sleep 30",
            Duration::from_secs(10),
        )
        .unwrap_err();
        assert!(
            e.message
                .contains("`hostile` printed `loading policies...` instead of its port"),
            "{e}"
        );

        let e = start_sh(
            "echo 'boom: no module named pulumi_policy' >&2; exit 3",
            Duration::from_secs(10),
        )
        .unwrap_err();
        assert_eq!(
            e.message,
            "the pack `hostile` exited with status 3 before it printed its port"
        );
        assert_eq!(
            e.detail.as_deref(),
            Some("boom: no module named pulumi_policy")
        );

        let started = std::time::Instant::now();
        let e = start_sh("sleep 30", Duration::from_millis(500)).unwrap_err();
        assert!(started.elapsed() < Duration::from_secs(5));
        assert!(
            e.message
                .contains("did not print its port within 0.5 seconds"),
            "{e}"
        );

        // a first line that never ends is not waited for past its first KiB
        let e = start_sh("yes x | tr -d '\\n'", Duration::from_secs(10)).unwrap_err();
        assert!(e.message.contains("instead of its port"), "{e}");
    }

    #[test]
    fn a_missing_interpreter_says_what_to_install() {
        let cmd = Command {
            program: PathBuf::from("/nonexistent/python3"),
            args: Vec::new(),
            dir: std::env::temp_dir(),
        };
        let e = start(&cmd, "127.0.0.1:1", &[], "p", Duration::from_secs(1)).unwrap_err();
        assert!(e.message.contains("no such program"), "{e}");
        assert!(e.help.unwrap().contains("PULUMI_PYTHON_CMD"));
    }

    #[test]
    fn the_python_command_honours_the_virtualenv() {
        let dir = crate::testdir::TestDir::new("venv");
        let manifest = Manifest {
            runtime: Runtime::Python {
                virtualenv: Some(PathBuf::from("venv")),
            },
            name: None,
            version: None,
            description: None,
        };
        let e = command(dir.path(), &manifest, "p").unwrap_err();
        assert!(e.message.contains("has no Python"), "{e}");
        std::fs::create_dir_all(dir.path().join("venv/bin")).unwrap();
        std::fs::write(dir.path().join("venv/bin/python"), "").unwrap();
        let cmd = command(dir.path(), &manifest, "p").unwrap();
        assert_eq!(cmd.program, dir.path().join("venv/bin/python"));
        assert_eq!(cmd.args, ["-u", "-m", "pulumi.policy"]);
    }
}
