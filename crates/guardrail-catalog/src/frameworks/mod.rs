//! The compliance frameworks rules map to, each with the list of controls guardrail knows.
//!
//! One data file per framework, `src/frameworks/<slug>.toml`, compiled into the binary: the
//! framework's name and version, a `scope` paragraph saying which of its controls the list
//! holds and why, and every listed control with its id (as the framework publishes it), a short
//! title of our own and whether infrastructure code can decide it at all (`automatable`). A
//! control that no scanner can decide ("staff are trained") is listed with `automatable = false`
//! so that a compliance report shows it as out of scope, never as passed.
//!
//! The catalog lint checks that every control a rule maps to is listed, and automatable, in its
//! framework's file. [`coverage`] counts the controls at least one rule maps to.

use std::collections::BTreeSet;
use std::fmt;
use std::sync::OnceLock;

use serde::{Deserialize, Serialize};

use crate::rule::{Frameworks, RuleSpec};

/// The data files: slug (the file's stem) and text.
const FILES: [(&str, &str); 10] = [
    ("cis-aws", include_str!("cis-aws.toml")),
    ("cis-azure", include_str!("cis-azure.toml")),
    ("cis-gcp", include_str!("cis-gcp.toml")),
    ("cis-kubernetes", include_str!("cis-kubernetes.toml")),
    ("pss", include_str!("pss.toml")),
    ("pci-dss", include_str!("pci-dss.toml")),
    ("soc2", include_str!("soc2.toml")),
    ("iso27001", include_str!("iso27001.toml")),
    ("nist-800-53", include_str!("nist-800-53.toml")),
    ("hipaa", include_str!("hipaa.toml")),
];

/// A compliance framework and the controls guardrail knows of it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Framework {
    /// The slug rules name it by: `pci-dss`, `cis-aws`, ...
    pub slug: &'static str,
    /// Its full name, e.g. `PCI DSS`.
    pub name: String,
    /// The version the control ids belong to, e.g. `v4.0`.
    pub version: String,
    /// Which of the framework's controls the list holds, and why.
    pub scope: String,
    /// The controls, in the framework's order.
    pub controls: Vec<FrameworkControl>,
}

/// One control of a framework.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FrameworkControl {
    /// The id as the framework publishes it: `1.2.1`, `CC6.1`, `A.8.24`, `SC-7(18)`.
    pub id: String,
    /// A short title of our own.
    pub title: String,
    /// Whether infrastructure code (a plan, a state, a manifest) can show the control holds;
    /// `false` for controls about people, processes and documents, which a scanner never
    /// passes.
    #[serde(default = "yes")]
    pub automatable: bool,
}

fn yes() -> bool {
    true
}

/// A data file as written.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    name: String,
    version: String,
    scope: String,
    #[serde(rename = "control")]
    controls: Vec<FrameworkControl>,
}

/// A framework data file that does not parse: a defect of this build, found by the catalog's
/// tests before a release.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FrameworkError {
    /// The file, `src/frameworks/<slug>.toml`.
    pub file: String,
    /// What is wrong with it.
    pub problem: String,
}

impl fmt::Display for FrameworkError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "the built-in framework list `{}` is malformed: {}",
            self.file, self.problem
        )
    }
}

impl std::error::Error for FrameworkError {}

fn parse(slug: &'static str, text: &str) -> Result<Framework, FrameworkError> {
    let error = |problem: String| FrameworkError {
        file: format!("src/frameworks/{slug}.toml"),
        problem,
    };
    let file: File = toml::from_str(text).map_err(|e| error(e.message().to_string()))?;
    let mut seen = BTreeSet::new();
    for control in &file.controls {
        if !seen.insert(control.id.as_str()) {
            return Err(error(format!("control `{}` is listed twice", control.id)));
        }
        if control.id.trim().is_empty() || control.title.trim().is_empty() {
            return Err(error("a control has an empty id or title".to_string()));
        }
    }
    if file.controls.is_empty() {
        return Err(error("it lists no control".to_string()));
    }
    Ok(Framework {
        slug,
        name: file.name,
        version: file.version,
        scope: file.scope.trim().to_string(),
        controls: file.controls,
    })
}

/// Every framework, in the order of [`slugs`], parsed once.
pub fn all() -> Result<&'static [Framework], FrameworkError> {
    static PARSED: OnceLock<Result<Vec<Framework>, FrameworkError>> = OnceLock::new();
    PARSED
        .get_or_init(|| FILES.iter().map(|(slug, text)| parse(slug, text)).collect())
        .as_ref()
        .map(Vec::as_slice)
        .map_err(Clone::clone)
}

/// The framework slugs guardrail knows, in a fixed order (CIS benchmarks first).
pub fn slugs() -> [&'static str; FILES.len()] {
    FILES.map(|(slug, _)| slug)
}

/// The framework with this slug (ignoring case), if guardrail knows it.
pub fn get(slug: &str) -> Result<Option<&'static Framework>, FrameworkError> {
    Ok(all()?
        .iter()
        .find(|f| f.slug.eq_ignore_ascii_case(slug.trim())))
}

impl Framework {
    /// The control with this id, if listed.
    pub fn control(&self, id: &str) -> Option<&FrameworkControl> {
        self.controls.iter().find(|c| c.id == id)
    }

    /// `name version`, e.g. `PCI DSS v4.0`.
    pub fn label(&self) -> String {
        format!("{} {}", self.name, self.version)
    }
}

/// The control ids of `framework` that `spec` maps to.
pub fn mapped<'a>(spec: &'a RuleSpec, framework: &str) -> impl Iterator<Item = &'static str> + 'a {
    let list = match spec.frameworks {
        Frameworks::Mapped(list) => list,
        Frameworks::None { .. } => &[],
    };
    let framework = framework.to_string();
    list.iter()
        .filter(move |c| c.framework == framework)
        .flat_map(|c| c.controls.iter().copied())
}

/// How much of a framework's list the rules cover.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Controls in the list.
    pub controls: usize,
    /// Of them, the ones infrastructure code can decide.
    pub automatable: usize,
    /// Controls at least one rule maps to.
    pub covered: usize,
    /// Automatable controls no rule maps to yet, in the list's order.
    pub uncovered: Vec<String>,
}

impl Coverage {
    /// `covered / controls` as a percentage with one decimal, e.g. `25.0`.
    pub fn percent(&self) -> f64 {
        if self.controls == 0 {
            return 0.0;
        }
        let ratio = self.covered as f64 / self.controls as f64;
        (ratio * 1000.0).round() / 10.0
    }
}

/// The coverage of `framework` by `rules`: which listed controls at least one rule maps to.
pub fn coverage(framework: &Framework, rules: &[&RuleSpec]) -> Coverage {
    let covered: BTreeSet<&str> = rules
        .iter()
        .flat_map(|spec| mapped(spec, framework.slug))
        .collect();
    Coverage {
        controls: framework.controls.len(),
        automatable: framework.controls.iter().filter(|c| c.automatable).count(),
        covered: framework
            .controls
            .iter()
            .filter(|c| covered.contains(c.id.as_str()))
            .count(),
        uncovered: framework
            .controls
            .iter()
            .filter(|c| c.automatable && !covered.contains(c.id.as_str()))
            .map(|c| c.id.clone())
            .collect(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_parses_with_unique_ids() {
        let all = all().unwrap_or_else(|e| panic!("{e}"));
        assert_eq!(all.len(), slugs().len());
        for framework in all {
            assert!(!framework.scope.is_empty(), "{}", framework.slug);
            assert!(
                framework.controls.iter().any(|c| c.automatable),
                "{}",
                framework.slug
            );
        }
        let pci = get("PCI-DSS").ok().flatten().map(|f| f.label());
        assert_eq!(pci.as_deref(), Some("PCI DSS v4.0"));
        assert!(get("sox").ok().flatten().is_none());
    }

    #[test]
    fn a_malformed_file_is_an_error_naming_it() {
        let e = parse(
            "x",
            "name = \"X\"\nversion = \"1\"\nscope = \"s\"\n[[control]]\nid = \"1\"\n",
        )
        .err()
        .map(|e| e.to_string())
        .unwrap_or_default();
        assert!(
            e.starts_with("the built-in framework list `src/frameworks/x.toml` is malformed: ")
                && e.contains("title"),
            "{e}"
        );
        let twice = "name = \"X\"\nversion = \"1\"\nscope = \"s\"\n[[control]]\nid = \"1\"\ntitle = \"a\"\n[[control]]\nid = \"1\"\ntitle = \"b\"\n";
        let e = parse("x", twice).err().map(|e| e.problem);
        assert_eq!(e.as_deref(), Some("control `1` is listed twice"));
    }

    #[test]
    fn coverage_counts_listed_controls_that_rules_map() {
        let Some(cis) = get("cis-aws").ok().flatten() else {
            panic!("cis-aws is listed")
        };
        let imds: Vec<&RuleSpec> = crate::rules()
            .iter()
            .copied()
            .filter(|s| mapped(s, "cis-aws").any(|c| c == "5.6"))
            .collect();
        assert!(!imds.is_empty());
        let c = coverage(cis, &imds);
        assert_eq!(c.controls, cis.controls.len());
        assert!(c.covered >= 1 && c.covered < c.controls);
        assert!(!c.uncovered.contains(&"5.6".to_string()));
        assert!(c.uncovered.contains(&"4.16".to_string()));
        // out of scope controls are never "uncovered work": 1.5 (root MFA) is not automatable
        assert!(!c.uncovered.contains(&"1.5".to_string()));
        let none = coverage(cis, &[]);
        assert_eq!((none.covered, none.percent()), (0, 0.0));
    }
}
