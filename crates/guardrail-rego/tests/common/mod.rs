//! Helpers shared by the integration tests: temporary pack directories, loading, stacks and
//! evaluation.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use guardrail_core::engine::{PolicyOverride, PolicySettings};
use guardrail_core::{
    evaluate, fixture, Enforcement, Evaluation, EvaluationOptions, Outcome, OutcomeKind, Stack,
};
use guardrail_rego::{load_pack, LoadOptions, PackError, RegoPack};

/// A directory under the system temp dir, removed on drop.
pub struct TempDir(pub PathBuf);

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

impl TempDir {
    /// A new, empty directory with a unique name.
    pub fn new(tag: &str) -> TempDir {
        static N: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "guardrail-rego-it-{tag}-{}-{}",
            std::process::id(),
            N.fetch_add(1, Ordering::SeqCst)
        ));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        TempDir(dir)
    }

    /// Writes a file (creating its directories) and returns the directory for chaining.
    pub fn write(&self, rel: &str, text: &str) -> &Self {
        self.write_bytes(rel, text.as_bytes())
    }

    /// Writes raw bytes.
    pub fn write_bytes(&self, rel: &str, bytes: &[u8]) -> &Self {
        let p = self.0.join(rel);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, bytes).unwrap();
        self
    }

    /// The directory.
    pub fn path(&self) -> &Path {
        &self.0
    }

    /// A path inside the directory.
    pub fn join(&self, rel: &str) -> PathBuf {
        self.0.join(rel)
    }
}

/// Loads a pack with default options, failing the test with the error's text.
pub fn load(dir: &Path) -> RegoPack {
    load_pack(dir, &LoadOptions::default()).unwrap_or_else(|e| panic!("load failed:\n{e}"))
}

/// Loads a pack with options.
pub fn load_with(dir: &Path, options: &LoadOptions) -> RegoPack {
    load_pack(dir, options).unwrap_or_else(|e| panic!("load failed:\n{e}"))
}

/// Loads a pack that must fail, returning the error.
pub fn load_err(dir: &Path) -> PackError {
    match load_pack(dir, &LoadOptions::default()) {
        Ok(p) => panic!(
            "expected an error, loaded {} policies",
            p.pack.policies.len()
        ),
        Err(e) => e,
    }
}

/// Options with a time limit.
pub fn limit(ms: u64) -> LoadOptions {
    LoadOptions {
        time_limit: Some(Duration::from_millis(ms)),
        ..LoadOptions::default()
    }
}

/// A stack from fixture JSON (`{"resources": [...]}` or one resource).
pub fn stack_of(json: serde_json::Value) -> Stack {
    fixture::stack(&json, None).unwrap()
}

/// Evaluates one pack with default options.
pub fn run(pack: &RegoPack, stack: &Stack) -> Evaluation {
    evaluate(
        std::slice::from_ref(&pack.pack),
        stack,
        &EvaluationOptions::default(),
    )
}

/// Evaluates one pack with options.
pub fn eval_with(pack: &RegoPack, stack: &Stack, options: &EvaluationOptions) -> Evaluation {
    evaluate(std::slice::from_ref(&pack.pack), stack, options)
}

/// Options setting one policy's config (and optionally its level).
pub fn configured(
    id: &str,
    level: Option<Enforcement>,
    config: serde_json::Value,
) -> EvaluationOptions {
    let mut settings = PolicySettings::default();
    settings.policies.insert(
        id.to_string(),
        PolicyOverride {
            enforcement: level,
            config: config.as_object().cloned().unwrap_or_default(),
        },
    );
    EvaluationOptions {
        settings,
        ..EvaluationOptions::default()
    }
}

/// Options putting every policy at one level.
pub fn all_at(level: Enforcement) -> EvaluationOptions {
    EvaluationOptions {
        settings: PolicySettings {
            all: Some(level),
            ..PolicySettings::default()
        },
        ..EvaluationOptions::default()
    }
}

/// The index of the policy with this id in an evaluation.
pub fn policy_index(eval: &Evaluation, id: &str) -> usize {
    eval.policies
        .iter()
        .position(|p| p.meta.id == id)
        .unwrap_or_else(|| {
            let ids: Vec<_> = eval.policies.iter().map(|p| p.meta.id.as_str()).collect();
            panic!("no policy `{id}` among {ids:?}")
        })
}

/// The outcomes of one policy.
pub fn outcomes_of<'a>(eval: &'a Evaluation, id: &str) -> Vec<&'a Outcome> {
    let pi = policy_index(eval, id);
    eval.outcomes.iter().filter(|o| o.policy == pi).collect()
}

/// The outcomes of one policy on one resource (by name); `None` for the stack-level ones.
pub fn outcomes_on<'a>(
    eval: &'a Evaluation,
    stack: &Stack,
    id: &str,
    resource: Option<&str>,
) -> Vec<&'a Outcome> {
    let want = resource.map(|n| {
        stack
            .resources
            .iter()
            .position(|r| r.name == n)
            .unwrap_or_else(|| panic!("no resource `{n}`"))
    });
    outcomes_of(eval, id)
        .into_iter()
        .filter(|o| o.resource == want)
        .collect()
}

/// The kinds and messages of a list of outcomes, for compact assertions.
pub fn summary(outcomes: &[&Outcome]) -> Vec<(OutcomeKind, String)> {
    outcomes
        .iter()
        .map(|o| (o.kind, o.message.clone().unwrap_or_default()))
        .collect()
}

/// A readable dump of an evaluation for assertion messages.
pub fn dump(eval: &Evaluation) -> String {
    eval.outcomes
        .iter()
        .map(|o| {
            format!(
                "{} r={:?} {:?} {:?} {:?}",
                eval.policies[o.policy].meta.id, o.resource, o.kind, o.level, o.message
            )
        })
        .collect::<Vec<_>>()
        .join("\n")
}
