//! Rego unit tests: every `test_*` rule of the `*_test.rego` files, as `opa test` runs them.

use std::path::PathBuf;
use std::time::Instant;

use regorus::Value as Rego;

use crate::{build_engine, timer, PackError, RegoPack};

/// The result of one `test_*` rule.
#[derive(Clone, Debug, PartialEq)]
pub struct RegoTest {
    /// `data.<package>.<rule>`.
    pub name: String,
    /// The file that defines it.
    pub file: PathBuf,
    /// Its line.
    pub line: usize,
    /// Whether it passed (defined and true).
    pub passed: bool,
    /// Why it failed.
    pub failure: Option<String>,
    /// How long it took, in microseconds.
    pub micros: u128,
}

/// Runs the pack's `test_*` rules with its modules. A test passes when its rule is defined and
/// true; `false`, undefined and errors fail it.
pub fn run(pack: &RegoPack) -> Result<Vec<RegoTest>, PackError> {
    if pack.tests.is_empty() {
        return Ok(Vec::new());
    }
    let sources: Vec<(PathBuf, String)> = pack
        .modules
        .iter()
        .chain(&pack.tests)
        .map(|f| (f.path.clone(), f.text.clone()))
        .collect();
    let prefer_v0 = pack.layout == crate::Layout::PulumiOpa;
    let (mut engine, files, infos) = build_engine(&sources, prefer_v0)?;
    engine.set_execution_timer_config(timer(&pack.options));
    let mut out = Vec::new();
    let first_test = pack.modules.len();
    for (fi, info) in infos.iter().enumerate().skip(first_test) {
        let file = files.get(fi).map(|f| f.path.clone()).unwrap_or_default();
        let mut seen = std::collections::BTreeSet::new();
        for rule in info
            .rules
            .iter()
            .filter(|r| !r.function && r.name.starts_with("test_"))
        {
            if !seen.insert(rule.name.clone()) {
                continue;
            }
            let name = format!("data.{}.{}", info.package, rule.name);
            let start = Instant::now();
            let result = engine.eval_rule(name.clone());
            let micros = start.elapsed().as_micros();
            let (passed, failure) = match result {
                Ok(Rego::Bool(true)) => (true, None),
                Ok(Rego::Undefined) => (
                    false,
                    Some(
                        "the test rule is undefined (a condition in its body does not hold)"
                            .to_string(),
                    ),
                ),
                Ok(other) => (
                    false,
                    Some(format!(
                        "the test rule is {}, not true",
                        crate::convert::plain(&other)
                    )),
                ),
                Err(e) => (false, Some(crate::error::one_line(&e.to_string()))),
            };
            out.push(RegoTest {
                name,
                file: file.clone(),
                line: rule.line,
                passed,
                failure,
                micros,
            });
        }
    }
    Ok(out)
}
