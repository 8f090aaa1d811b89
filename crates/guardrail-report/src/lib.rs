//! guardrail-report: renders evaluations for people and machines.
//!
//! - [`human`]: grouped by resource, with level, policy, message and how to fix; colour optional.
//! - [`json`]: the stable, versioned JSON report (schema in `docs/report-schema.json`).
//! - [`fixes`]: the resources changed by remediation, as JSON.
//! - [`sarif`]: SARIF 2.1.0 for code scanning; [`junit`]: JUnit XML; [`markdown`]: a pull-request
//!   comment; [`github`]: GitHub Actions annotations.
//! - [`baseline`]: stable fingerprints, baselines and gating (`--fail-on`, `--baseline`).
//! - [`compliance`]: compliance reports per framework control (markdown, HTML, JSON), built
//!   from evidence that a run or recorded outcomes provide.
//!
//! Every renderer prints only what the engine already redacted (messages, paths) and property
//! values through [`guardrail_core::Value`]'s redacting serializer, so no secret plaintext can
//! reach a report.

use std::borrow::Cow;
use std::path::{Component, Path, PathBuf};

use guardrail_core::{Evaluation, Exemption, Outcome, Resource, Severity, Stack, Summary};

pub mod baseline;
pub mod compliance;
pub mod fixes;
pub mod github;
pub mod human;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod sarif;

/// One evaluated input: the stack and its evaluation.
#[derive(Clone, Copy, Debug)]
pub struct Run<'a> {
    /// The stack as loaded.
    pub stack: &'a Stack,
    /// What the policies found.
    pub evaluation: &'a Evaluation,
}

/// Settings of the whole invocation that reports show.
#[derive(Clone, Copy, Debug, Default)]
pub struct Context<'a> {
    /// Whether indeterminate outcomes block under mandatory.
    pub strict: bool,
    /// The exemptions that were in force.
    pub exemptions: &'a [Exemption],
    /// Why findings that could have blocked did not (filled in by the gate).
    pub lenient: baseline::Leniency,
    /// The `fail_on_severity` floor that was in force, if any.
    pub min_severity: Option<Severity>,
    /// Where `--fix-output` wrote the proposed fixes, if it was given.
    pub fix_output: Option<&'a str>,
    /// The working directory and the repository root: when given, reports for machines and
    /// pull requests (JSON `source`, SARIF, JUnit, markdown, annotations) name files from the
    /// root; the human report keeps paths as seen from the working directory.
    pub workspace: Option<&'a Workspace>,
    /// Notices about the run as a whole that every report carries (e.g. that it ran offline
    /// and was not recorded by the policy service).
    pub notices: &'a [String],
}

impl<'a> Context<'a> {
    /// `file` (a path relative to the working directory, or absolute) from the repository root
    /// when [`Context::workspace`] is set; unchanged otherwise.
    pub fn repo_path<'f>(&self, file: &'f str) -> Cow<'f, str> {
        match self.workspace {
            Some(w) => Cow::Owned(w.from_root(file)),
            None => Cow::Borrowed(file),
        }
    }

    /// A place as [`Place::display`] shows it, with the file from the repository root.
    pub fn place_display(&self, place: &Place<'_>) -> String {
        let file = self.repo_path(place.file);
        match place.line {
            Some(line) => format!("{file}:{line}"),
            None => file.into_owned(),
        }
    }
}

/// The name the inputs give standard input; it is not a path.
const STDIN_NAME: &str = "stdin";

/// Where a run happens: the directory relative paths start from, and the root of the
/// repository that code scanning and pull requests name files from (`GITHUB_WORKSPACE`, the
/// top of the git work tree, or the working directory; the front door decides, reports only
/// compute with it).
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Workspace {
    /// The working directory, absolute.
    pub working_dir: PathBuf,
    /// The repository root, absolute.
    pub root: PathBuf,
}

/// `.` and `..` resolved without touching the file system.
fn lexical(path: &Path) -> PathBuf {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            Component::ParentDir if matches!(parts.last(), Some(Component::RootDir)) => {}
            c => parts.push(c),
        }
    }
    parts.iter().collect()
}

impl Workspace {
    /// `file` (relative to the working directory, or absolute) relative to the root, with `/`
    /// separators: `db.tf` run in `infra/` → `infra/db.tf`. A file outside the root stays an
    /// absolute path; standard input keeps its name.
    pub fn from_root(&self, file: &str) -> String {
        if file == STDIN_NAME || file.is_empty() {
            return file.to_string();
        }
        let path = Path::new(file);
        let absolute = lexical(&if path.is_absolute() {
            path.to_path_buf()
        } else {
            self.working_dir.join(path)
        });
        match absolute.strip_prefix(lexical(&self.root)) {
            Ok(rel) if !rel.as_os_str().is_empty() => rel.to_string_lossy().replace('\\', "/"),
            _ => absolute.to_string_lossy().replace('\\', "/"),
        }
    }

    /// The root as an absolute `file:` URI ending with `/`, for SARIF's `originalUriBaseIds`.
    pub fn root_uri(&self) -> String {
        let mut uri = crate::sarif::path_uri(&lexical(&self.root).to_string_lossy());
        if !uri.starts_with("file:") {
            // a root without a leading `/` (Windows: `C:/...`)
            uri = format!("file:///{uri}");
        }
        if !uri.ends_with('/') {
            uri.push('/');
        }
        uri
    }
}

/// How every report marks a finding of a policy that the policy service requires: ` [server]`
/// after the policy id (empty for local policies).
pub fn server_mark(policy: &guardrail_core::PolicyRef) -> &'static str {
    if policy.central {
        " [server]"
    } else {
        ""
    }
}

/// Why a mandatory violation does not block, from the gate that was applied: below
/// `fail_on_severity`, `--fail-on never`, or in the baseline. `None` for anything else, and
/// when no gate let anything through.
pub fn why_not_blocking(
    o: &guardrail_core::Outcome,
    p: &guardrail_core::PolicyRef,
    ctx: &Context<'_>,
) -> Option<String> {
    if o.blocking
        || o.kind != guardrail_core::OutcomeKind::Violation
        || o.level != guardrail_core::Enforcement::Mandatory
    {
        return None;
    }
    match ctx.min_severity {
        Some(min) if p.meta.severity < min => {
            return Some(format!("below fail_on_severity `{min}`"));
        }
        _ => {}
    }
    if ctx.lenient.fail_on_never > 0 {
        Some("`--fail-on never`".to_string())
    } else if ctx.lenient.baselined > 0 {
        // mandatory, severe enough and failing on mandatory: only the baseline lets it through
        Some("in the baseline".to_string())
    } else {
        None
    }
}

/// Why a run passed or failed, shared by every report.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verdict {
    /// Whether anything blocks.
    pub blocked: bool,
    /// The verdict line without its reasons: `blocked: 3 blocking findings`,
    /// `passed: nothing blocks`, `error: a policy failed`.
    pub headline: String,
    /// Why the findings that did not block did not: `1 advisory`, `2 exempted`,
    /// `3 in the baseline`, `1 below fail_on_severity `high``.
    pub not_blocking: Vec<String>,
}

impl Verdict {
    /// The verdict of some runs.
    pub fn of(runs: &[Run<'_>], ctx: &Context<'_>) -> Verdict {
        let t = total(runs);
        let headline = if t.errors > 0 {
            "error: a policy failed".to_string()
        } else if t.blocking > 0 {
            let mut why = plural(t.blocking, "blocking finding", "blocking findings");
            if ctx.strict && t.indeterminate > 0 {
                why.push_str(" (strict mode: indeterminate counts under mandatory)");
            }
            format!("blocked: {why}")
        } else {
            "passed: nothing blocks".to_string()
        };
        let mut not_blocking = Vec::new();
        let phrases = ctx.lenient.phrases(ctx.min_severity);
        let (advisory, rest) = phrases.split_at(usize::from(ctx.lenient.advisory > 0));
        not_blocking.extend_from_slice(advisory);
        if t.suppressed > 0 {
            not_blocking.push(format!("{} exempted", t.suppressed));
        }
        not_blocking.extend_from_slice(rest);
        Verdict {
            blocked: t.blocking > 0,
            headline,
            not_blocking,
        }
    }

    /// `headline (not blocking: reasons)`, or the headline alone.
    pub fn line(&self) -> String {
        if self.not_blocking.is_empty() {
            self.headline.clone()
        } else {
            format!(
                "{} (not blocking: {})",
                self.headline,
                self.not_blocking.join(", ")
            )
        }
    }
}

/// Where a finding points: the program's source when the resource's block or registration is
/// known (`--source`, Pulumi's `sourcePosition`), else the input file and the resource's line in
/// it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Place<'a> {
    /// The file: a source file, or the input file as given.
    pub file: &'a str,
    /// The 1-based line, when known.
    pub line: Option<usize>,
    /// Whether `file` is a source file (not the input).
    pub in_source: bool,
}

impl Place<'_> {
    /// `file:line`, or `file` when the line is unknown.
    pub fn display(&self) -> String {
        match self.line {
            Some(line) => format!("{}:{line}", self.file),
            None => self.file.to_string(),
        }
    }
}

/// The place of an outcome of `stack`: the line of its property path in the resource's source
/// block when that is known, else the resource's line in the input file.
pub fn place<'a>(stack: &'a Stack, outcome: &Outcome) -> Place<'a> {
    let resource: Option<&'a Resource> = outcome.resource.and_then(|i| stack.resources.get(i));
    match resource.and_then(|r| r.source_location.as_deref()) {
        Some(loc) => Place {
            file: &loc.file,
            line: Some(loc.line_of(outcome.path.as_deref())).filter(|l| *l > 0),
            in_source: true,
        },
        None => Place {
            file: &stack.source,
            line: resource.and_then(|r| r.line).filter(|l| *l > 0),
            in_source: false,
        },
    }
}

/// Adds up the summaries of several runs.
pub fn total(runs: &[Run<'_>]) -> Summary {
    let mut t = Summary::default();
    for run in runs {
        let s = &run.evaluation.summary;
        t.resources += s.resources;
        t.policies = t.policies.max(s.policies);
        t.passed += s.passed;
        t.mandatory += s.mandatory;
        t.advisory += s.advisory;
        t.remediated += s.remediated;
        t.indeterminate += s.indeterminate;
        t.errors += s.errors;
        t.suppressed += s.suppressed;
        t.not_applicable += s.not_applicable;
        t.blocking += s.blocking;
    }
    t
}

/// What became of the exemptions over several runs.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExemptionStatus {
    /// Whether each exemption matched a finding in any run.
    pub used_at: Vec<bool>,
    /// Whether each exemption had expired.
    pub expired_at: Vec<bool>,
    /// Exemptions that matched something.
    pub used: usize,
    /// Exemptions in force that matched nothing.
    pub unused: usize,
    /// Exemptions past their expiry date (no longer applied).
    pub expired: usize,
}

/// Counts used, unused and expired exemptions. An expired exemption counts as expired only,
/// not also as unused.
pub fn exemption_status(runs: &[Run<'_>], ctx: &Context<'_>) -> ExemptionStatus {
    let any = |pick: fn(&Evaluation) -> &Vec<bool>, i: usize| {
        runs.iter()
            .any(|r| pick(r.evaluation).get(i).copied().unwrap_or(false))
    };
    let mut s = ExemptionStatus::default();
    for i in 0..ctx.exemptions.len() {
        let used = any(|e| &e.exemptions_used, i);
        let expired = any(|e| &e.exemptions_expired, i);
        s.used_at.push(used);
        s.expired_at.push(expired);
        if expired {
            s.expired += 1;
        } else if used {
            s.used += 1;
        } else {
            s.unused += 1;
        }
    }
    s
}

/// The exit code the runs call for: 2 when a policy failed, 1 when something blocks, else 0.
pub fn exit_code(runs: &[Run<'_>]) -> i32 {
    let t = total(runs);
    if t.errors > 0 {
        2
    } else if t.blocking > 0 {
        1
    } else {
        0
    }
}

pub(crate) use guardrail_core::plural;

#[cfg(test)]
mod scale_tests;

#[cfg(test)]
mod workspace_tests {
    use super::*;

    fn workspace() -> Workspace {
        Workspace {
            working_dir: PathBuf::from("/repo/infra"),
            root: PathBuf::from("/repo"),
        }
    }

    #[test]
    fn files_are_named_from_the_repository_root() {
        let w = workspace();
        assert_eq!(w.from_root("db.tf"), "infra/db.tf");
        assert_eq!(
            w.from_root("./modules/app/main.tf"),
            "infra/modules/app/main.tf"
        );
        assert_eq!(w.from_root("../shared/net.tf"), "shared/net.tf");
        assert_eq!(w.from_root("/repo/infra/db.tf"), "infra/db.tf");
        assert_eq!(w.from_root("/elsewhere/plan.json"), "/elsewhere/plan.json");
        assert_eq!(w.from_root("../../outside.tf"), "/outside.tf");
        assert_eq!(w.from_root("stdin"), "stdin", "standard input is no path");
        assert_eq!(w.root_uri(), "file:///repo/");
    }

    #[test]
    fn without_a_workspace_paths_stay_as_given() {
        let ctx = Context::default();
        assert_eq!(ctx.repo_path("db.tf"), "db.tf");
        let w = workspace();
        let ctx = Context {
            workspace: Some(&w),
            ..Context::default()
        };
        assert_eq!(ctx.repo_path("db.tf"), "infra/db.tf");
        let place = Place {
            file: "db.tf",
            line: Some(4),
            in_source: true,
        };
        assert_eq!(ctx.place_display(&place), "infra/db.tf:4");
        assert_eq!(place.display(), "db.tf:4", "the human report's form");
    }
}
