//! `guardrail check`/`audit --server URL --stack ORG/PROJECT/STACK`: the client side of central
//! enforcement. Before the run: fetch the stack's resolved policy set, download the packs it
//! requires (cached by digest, verified), and hand them to the pipeline as central policy.
//! After the run: upload it (made from the JSON report, so redacted like it).
//!
//! Fails closed: a server that cannot be reached or refuses ends the command with exit code 2,
//! unless `--offline-ok`, which runs the cached packs and says that the run was not recorded.

use std::path::{Path, PathBuf};

use clap::Args;
use serde_json::Value;

use guardrail_server::auth::content_digest;
use guardrail_server::client::{Client, Response};
use guardrail_server::groups::{central_pack, write_files, ResolvedPack};
use guardrail_server::runs::{from_report, RunMeta};

use crate::UserError;

/// Options of `check` and `audit` that connect them to a policy service.
#[derive(Args, Debug, Clone, Default)]
pub struct ServerArgs {
    /// The policy service (`https://HOST:PORT` or `http://HOST:PORT`; default: the
    /// GUARDRAIL_SERVER environment variable). Its policy groups decide which packs must run for
    /// the stack, at which levels; the run is uploaded to it. The API token comes from
    /// GUARDRAIL_TOKEN.
    #[arg(long, value_name = "URL")]
    pub server: Option<String>,

    /// A PEM file of certificate authorities to trust for an https service, beside the
    /// system's (default: GUARDRAIL_CA_CERT).
    #[arg(long, value_name = "FILE")]
    pub ca_cert: Option<PathBuf>,

    /// The stack this run is about, `ORG/PROJECT/STACK` (default: GUARDRAIL_STACK).
    #[arg(long, value_name = "ORG/PROJECT/STACK")]
    pub stack: Option<String>,

    /// When the service cannot be reached, run the packs cached from its last answer instead of
    /// failing; the run is then not recorded.
    #[arg(long)]
    pub offline_ok: bool,
}

/// A run connected to a service.
pub struct Remote {
    server: String,
    client: Client,
    token: String,
    org: String,
    project: String,
    stack: String,
    offline_ok: bool,
    cache: PathBuf,
    /// Set when the service could not be reached and the cached packs run instead.
    pub offline: Option<String>,
}

/// A client of the service at `server`, trusting for https the system's authorities and those
/// of `ca_cert` (default: GUARDRAIL_CA_CERT). A wrong URL or CA file is a usage error.
pub(crate) fn connect(server: &str, ca_cert: Option<&Path>) -> Result<Client, UserError> {
    Client::new(server, ca_cert).map_err(|m| {
        UserError::new(m).help(
            "name the service as `https://HOST:PORT` (or `http://HOST:PORT`); for a certificate signed by your own authority, pass `--ca-cert FILE` or set `GUARDRAIL_CA_CERT` to its PEM file",
        )
    })
}

/// The service could not be reached (`message` says why): the help fits the cause, a TLS
/// certificate problem or the network.
pub(crate) fn unreachable(message: String) -> UserError {
    let help = if message.contains("certificate") {
        "the connection was refused by this client's TLS checks: fix the certificate or its trust as the message says"
    } else {
        "check `--server` and that the service is running"
    };
    UserError::new(message).help(help)
}

fn env(name: &str) -> Option<String> {
    std::env::var(name).ok().filter(|v| !v.trim().is_empty())
}

/// Where packs and resolved sets are cached: GUARDRAIL_CACHE_DIR, else the user's cache
/// directory (`$XDG_CACHE_HOME` or `~/.cache`) under `guardrail`.
fn cache_dir() -> PathBuf {
    if let Some(dir) = env("GUARDRAIL_CACHE_DIR") {
        return PathBuf::from(dir);
    }
    let base = env("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .or_else(|| env("HOME").map(|h| PathBuf::from(h).join(".cache")))
        .unwrap_or_else(std::env::temp_dir);
    base.join("guardrail")
}

impl Remote {
    /// The connection the flags and environment ask for; `None` without a server.
    pub fn from_args(args: &ServerArgs) -> Result<Option<Remote>, UserError> {
        let server = args.server.clone().or_else(|| env("GUARDRAIL_SERVER"));
        let stack = args.stack.clone().or_else(|| env("GUARDRAIL_STACK"));
        let Some(server) = server else {
            if let Some(stack) = stack.filter(|_| args.stack.is_some()) {
                return Err(
                    UserError::new(format!("`--stack {stack}` needs a policy service"))
                        .help("pass `--server https://HOST:PORT` (or `http://`) or set `GUARDRAIL_SERVER`"),
                );
            }
            return Ok(None);
        };
        let stack = stack.ok_or_else(|| {
            UserError::new(format!("the run names no stack for the server `{server}`"))
                .help("pass `--stack ORG/PROJECT/STACK` or set `GUARDRAIL_STACK`: the server's groups decide by stack which policies must run")
        })?;
        let parts: Vec<&str> = stack.split('/').collect();
        let [org, project, name] = parts.as_slice() else {
            return Err(
                UserError::new(format!("the stack `{stack}` is not `ORG/PROJECT/STACK`")).help(
                    "name the organization, the project and the stack, e.g. `acme/shop/prod`",
                ),
            );
        };
        if [org, project, name].iter().any(|p| {
            p.is_empty()
                || !p
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'))
        }) {
            return Err(UserError::new(format!(
                "the stack `{stack}` is not valid: each part takes letters, digits, `.`, `_` and `-`"
            ))
            .help("name it `ORG/PROJECT/STACK`, e.g. `acme/shop/prod`"));
        }
        let token = env("GUARDRAIL_TOKEN").ok_or_else(|| {
            UserError::new(format!(
                "no API token for the server `{server}`: `GUARDRAIL_TOKEN` is not set"
            ))
            .help("set `GUARDRAIL_TOKEN` to a token of the organization (a CI token scoped to the stack will do)")
        })?;
        let client = connect(&server, args.ca_cert.as_deref())?;
        Ok(Some(Remote {
            server,
            client,
            token,
            org: (*org).to_owned(),
            project: (*project).to_owned(),
            stack: (*name).to_owned(),
            offline_ok: args.offline_ok,
            cache: cache_dir(),
            offline: None,
        }))
    }

    fn stack_path(&self) -> String {
        format!(
            "/api/v1/stacks/{}/{}/{}",
            self.org, self.project, self.stack
        )
    }

    fn call(&self, method: &str, path: &str, body: Option<&[u8]>) -> Result<Response, String> {
        self.client.request(method, path, Some(&self.token), body)
    }

    /// Why a refusal is a refusal, for a person.
    fn refused(&self, what: &str, r: &Response) -> UserError {
        UserError::new(format!(
            "the server `{}` refused {what}: {}",
            self.server,
            r.error_message()
        ))
        .help(match r.status {
            401 => "check `GUARDRAIL_TOKEN`: it is unknown, expired or revoked",
            403 => "the token must belong to the stack's organization (a CI token must be scoped to the stack)",
            _ => "fix what the server says; the run is not checked without the server's policy (or pass `--offline-ok` to run the cached packs)",
        })
    }

    fn resolved_cache(&self) -> PathBuf {
        let key = content_digest(format!("{}\n{}", self.server, self.stack_path()).as_bytes());
        self.cache
            .join("resolved")
            .join(format!("{}.json", key.trim_start_matches("sha256:")))
    }

    /// The central policy for the run: fetched (and cached), or with `--offline-ok` and an
    /// unreachable server, the cached one. `warn` tells the user about the fallback.
    pub fn central(&mut self, warn: &dyn Fn(&str)) -> Result<guardrail_run::Central, UserError> {
        let path = format!("{}/policy", self.stack_path());
        let answer = self.call("GET", &path, None);
        let resolved: Value = match answer {
            Ok(r) if r.status == 200 => {
                let v = r.json();
                // the last answer, for `--offline-ok` runs
                let _ = write_atomic(&self.resolved_cache(), &r.body);
                v
            }
            Ok(r) if !self.offline_ok || r.status < 500 => {
                return Err(self.refused("the stack's policy", &r));
            }
            other => {
                let why = match other {
                    Ok(r) => format!("it answered {}: {}", r.status, r.error_message()),
                    Err(e) => e,
                };
                if !self.offline_ok {
                    return Err(UserError::new(format!(
                        "cannot get the policy of `{}/{}/{}` from the server: {why}",
                        self.org, self.project, self.stack
                    ))
                    .help("the run fails closed without the server's policy: check `--server` and the network, or pass `--offline-ok` to run the cached packs without recording the run"));
                }
                let cached = std::fs::read(self.resolved_cache()).ok();
                let v = cached
                    .and_then(|b| serde_json::from_slice(&b).ok())
                    .ok_or_else(|| {
                        UserError::new(format!(
                            "cannot reach the server ({why}) and no policy of `{}/{}/{}` is cached",
                            self.org, self.project, self.stack
                        ))
                        .help("run once with the server reachable so that its packs are cached")
                    })?;
                let note = format!(
                    "the server `{}` cannot be reached ({why}): running the packs cached from its last answer; this run is not recorded",
                    self.server
                );
                warn(&note);
                self.offline = Some(note);
                v
            }
        };
        let packs: Vec<ResolvedPack> = serde_json::from_value(
            resolved
                .get("packs")
                .cloned()
                .unwrap_or(Value::Array(vec![])),
        )
        .map_err(|e| {
            UserError::new(format!("the server's policy answer cannot be read: {e}"))
                .help("the server and this client may be of different versions")
        })?;
        let mut central = guardrail_run::Central::default();
        for pack in &packs {
            let content = self.pack(pack)?;
            let dir = self.pack_dir(&pack.digest).join("files");
            let required = central_pack(pack, &content, |files| {
                // The files run from the cache only when they are exactly the verified pack's.
                if dir.is_dir() && !same_files(&dir, files) {
                    std::fs::remove_dir_all(&dir).map_err(|e| {
                        format!("cannot replace the changed cache `{}`: {e}", dir.display())
                    })?;
                }
                if !dir.is_dir() {
                    let partial = dir.with_extension(format!("partial-{}", std::process::id()));
                    let _ = std::fs::remove_dir_all(&partial);
                    write_files(&partial, files)?;
                    std::fs::rename(&partial, &dir).or_else(|e| {
                        // another run may have put it there first
                        let _ = std::fs::remove_dir_all(&partial);
                        if dir.is_dir() {
                            Ok(())
                        } else {
                            Err(format!("cannot cache the pack in `{}`: {e}", dir.display()))
                        }
                    })?;
                }
                Ok(dir.clone())
            })
            .map_err(|m| UserError::new(m).help("remove the cache directory and run again"))?;
            central.packs.push(required);
        }
        let granted: Vec<guardrail_server::exemptions::Granted> = serde_json::from_value(
            resolved
                .get("exemptions")
                .cloned()
                .unwrap_or(Value::Array(vec![])),
        )
        .map_err(|e| {
            UserError::new(format!("the server's exemptions cannot be read: {e}"))
                .help("the server and this client may be of different versions")
        })?;
        let now = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX));
        // A cached answer (`--offline-ok`) may hold a break-glass exemption past its hours.
        central.exemptions = granted
            .iter()
            .filter(|g| g.applies_at(now))
            .map(guardrail_server::exemptions::Granted::to_exemption)
            .collect();
        Ok(central)
    }

    fn pack_dir(&self, digest: &str) -> PathBuf {
        self.cache
            .join("packs")
            .join(digest.trim_start_matches("sha256:"))
    }

    /// A pack's content: from the cache when it is there and matches its digest, else
    /// downloaded, checked against the digest and cached.
    fn pack(&self, pack: &ResolvedPack) -> Result<Vec<u8>, UserError> {
        let valid_digest = pack
            .digest
            .strip_prefix("sha256:")
            .is_some_and(|h| h.len() == 64 && h.chars().all(|c| c.is_ascii_hexdigit()));
        if !valid_digest {
            return Err(UserError::new(format!(
                "the server gave the pack `{}@{}` the digest `{}`, which is no SHA-256 digest",
                pack.name, pack.version, pack.digest
            ))
            .help("tell the server's operator"));
        }
        let file = self.pack_dir(&pack.digest).join("pack.json");
        if let Ok(bytes) = std::fs::read(&file) {
            if content_digest(&bytes) == pack.digest {
                return Ok(bytes);
            }
        }
        if self.offline.is_some() {
            return Err(UserError::new(format!(
                "the pack `{}@{}` is not cached and the server cannot be reached",
                pack.name, pack.version
            ))
            .help("run once with the server reachable so that its packs are cached"));
        }
        let path = format!(
            "/api/v1/orgs/{}/packs/{}/versions/{}/content",
            self.org, pack.name, pack.version
        );
        let r = self.call("GET", &path, None).map_err(|e| {
            UserError::new(e).help("the run fails closed without the server's packs")
        })?;
        if r.status != 200 {
            return Err(self.refused(&format!("the pack `{}@{}`", pack.name, pack.version), &r));
        }
        let got = content_digest(&r.body);
        if got != pack.digest {
            return Err(UserError::new(format!(
                "the pack `{}@{}` downloaded from the server has the digest `{got}`, not `{}`: it was changed on the way",
                pack.name, pack.version, pack.digest
            ))
            .help("nothing ran; check the network path to the server (a proxy that rewrites answers) and run again"));
        }
        write_atomic(&file, &r.body).map_err(|e| {
            UserError::new(format!(
                "cannot cache the pack in `{}`: {e}",
                file.display()
            ))
            .help("set GUARDRAIL_CACHE_DIR to a writable directory")
        })?;
        Ok(r.body)
    }

    /// Uploads the run (made from its JSON report, with its coverage); returns the run's id. With `--offline-ok`,
    /// a server that cannot be reached (before the run or during it) leaves the run unrecorded
    /// (`None`) instead of failing it; a refusal still fails it.
    pub fn upload(
        &self,
        json_report: &str,
        kind: &str,
        coverage: Option<guardrail_store::RunCoverage>,
    ) -> Result<Option<i64>, UserError> {
        if self.offline.is_some() {
            return Ok(None);
        }
        let report: Value = serde_json::from_str(json_report)
            .map_err(|e| UserError::new(format!("cannot read the run's JSON report: {e}")))?;
        let mut upload = from_report(&report, ci_meta(kind));
        upload.coverage = coverage;
        let body = serde_json::to_vec(&upload)
            .map_err(|e| UserError::new(format!("cannot write the run's upload: {e}")))?;
        let path = format!("{}/runs", self.stack_path());
        let why = match self.call("POST", &path, Some(&body)) {
            Ok(r) if r.status == 201 => return Ok(r.json().get("id").and_then(Value::as_i64)),
            // a refusal is never waived: the token or the run is wrong, not the network
            Ok(r) if !self.offline_ok || r.status < 500 => {
                return Err(self.refused("the run's upload", &r))
            }
            Ok(r) => format!("it answered {}: {}", r.status, r.error_message()),
            Err(e) => e,
        };
        if self.offline_ok {
            // `--offline-ok` accepts an unrecorded run, whether the server was down before the
            // run or went down during it
            eprintln!(
                "warning: the server `{}` cannot be reached ({why})",
                self.server
            );
            return Ok(None);
        }
        Err(UserError::new(format!("cannot record the run: {why}")).help(
            "the run is not recorded, so it does not count as checked; run it again when the server is reachable (or pass `--offline-ok` to accept an unrecorded run)",
        ))
    }
}

/// Whether `dir` holds exactly these files with this text (and nothing else).
fn same_files(dir: &Path, files: &serde_json::Map<String, Value>) -> bool {
    fn count(dir: &Path) -> Option<usize> {
        let mut n = 0;
        for entry in std::fs::read_dir(dir).ok()? {
            let path = entry.ok()?.path();
            n += if path.is_dir() { count(&path)? } else { 1 };
        }
        Some(n)
    }
    count(dir) == Some(files.len())
        && files.iter().all(|(path, text)| {
            std::fs::read(dir.join(path))
                .is_ok_and(|bytes| Some(bytes.as_slice()) == text.as_str().map(str::as_bytes))
        })
}

fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    let partial = path.with_extension(format!("partial-{}", std::process::id()));
    std::fs::write(&partial, bytes)?;
    std::fs::rename(&partial, path)
}

/// The commit, branch, pull request and actor of the run: `GUARDRAIL_COMMIT`,
/// `GUARDRAIL_BRANCH`, `GUARDRAIL_PULL_REQUEST` and `GUARDRAIL_ACTOR` when set, else the CI's
/// own variables (GitHub Actions, GitLab CI, Buildkite, CircleCI, Azure Pipelines, Jenkins),
/// else the local user.
pub fn ci_meta(kind: &str) -> RunMeta {
    ci_meta_from(kind, &|name| env(name))
}

fn ci_meta_from(kind: &str, var: &dyn Fn(&str) -> Option<String>) -> RunMeta {
    let first = |names: &[&str]| names.iter().find_map(|n| var(n));
    let github_pr = var("GITHUB_REF").and_then(|r| {
        r.strip_prefix("refs/pull/")
            .and_then(|rest| rest.split('/').next())
            .map(str::to_owned)
    });
    let circle_pr =
        var("CIRCLE_PULL_REQUEST").and_then(|url| url.rsplit('/').next().map(str::to_owned));
    RunMeta {
        kind: kind.to_owned(),
        commit: first(&[
            "GUARDRAIL_COMMIT",
            "GITHUB_SHA",
            "CI_COMMIT_SHA",
            "BUILDKITE_COMMIT",
            "CIRCLE_SHA1",
            "BUILD_SOURCEVERSION",
            "GIT_COMMIT",
        ]),
        branch: first(&[
            "GUARDRAIL_BRANCH",
            "GITHUB_HEAD_REF",
            "GITHUB_REF_NAME",
            "CI_MERGE_REQUEST_SOURCE_BRANCH_NAME",
            "CI_COMMIT_BRANCH",
            "CI_COMMIT_REF_NAME",
            "BUILDKITE_BRANCH",
            "CIRCLE_BRANCH",
            "SYSTEM_PULLREQUEST_SOURCEBRANCH",
            "BUILD_SOURCEBRANCHNAME",
            "CHANGE_BRANCH",
            "GIT_BRANCH",
        ]),
        pull_request: first(&["GUARDRAIL_PULL_REQUEST"])
            .or(github_pr)
            .or_else(|| {
                first(&[
                    "CI_MERGE_REQUEST_IID",
                    "SYSTEM_PULLREQUEST_PULLREQUESTNUMBER",
                    "CHANGE_ID",
                    "CIRCLE_PR_NUMBER",
                ])
            })
            .or_else(|| var("BUILDKITE_PULL_REQUEST").filter(|v| v != "false"))
            .or(circle_pr),
        actor: first(&[
            "GUARDRAIL_ACTOR",
            "GITHUB_ACTOR",
            "GITLAB_USER_LOGIN",
            "BUILDKITE_BUILD_CREATOR",
            "CIRCLE_USERNAME",
            "BUILD_REQUESTEDFOR",
            "USER",
            "USERNAME",
        ]),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(vars: &[(&str, &str)]) -> RunMeta {
        let vars: Vec<(String, String)> = vars
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect();
        ci_meta_from("plan", &|n| {
            vars.iter().find(|(k, _)| k == n).map(|(_, v)| v.clone())
        })
    }

    #[test]
    fn commit_branch_pull_request_and_actor_come_from_the_ci() {
        let github = meta(&[
            ("GITHUB_SHA", "abc"),
            ("GITHUB_REF", "refs/pull/42/merge"),
            ("GITHUB_HEAD_REF", "feature"),
            ("GITHUB_REF_NAME", "42/merge"),
            ("GITHUB_ACTOR", "octocat"),
        ]);
        assert_eq!(github.commit.as_deref(), Some("abc"));
        assert_eq!(github.branch.as_deref(), Some("feature"));
        assert_eq!(github.pull_request.as_deref(), Some("42"));
        assert_eq!(github.actor.as_deref(), Some("octocat"));
        let gitlab = meta(&[
            ("CI_COMMIT_SHA", "def"),
            ("CI_MERGE_REQUEST_IID", "7"),
            ("CI_MERGE_REQUEST_SOURCE_BRANCH_NAME", "fix"),
            ("CI_COMMIT_REF_NAME", "fix"),
            ("GITLAB_USER_LOGIN", "tanuki"),
        ]);
        assert_eq!(
            (gitlab.commit.as_deref(), gitlab.branch.as_deref()),
            (Some("def"), Some("fix"))
        );
        assert_eq!(gitlab.pull_request.as_deref(), Some("7"));
        let buildkite = meta(&[
            ("BUILDKITE_PULL_REQUEST", "false"),
            ("BUILDKITE_BRANCH", "main"),
        ]);
        assert_eq!(buildkite.pull_request, None);
        let own = meta(&[("GUARDRAIL_COMMIT", "mine"), ("GITHUB_SHA", "abc")]);
        assert_eq!(own.commit.as_deref(), Some("mine"));
        assert_eq!(meta(&[]).commit, None);
    }
}
