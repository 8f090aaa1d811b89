//! guardrail-catalog: the built-in policy catalog.
//!
//! Each rule lives in its own file, `src/rules/<vendor>/<service>/<rule>.rs`, declaring one
//! [`RuleSpec`] — metadata, documentation and logic together — with its fixtures beside it in
//! `<rule>.fixtures.json`. Every rule runs on both Pulumi and Terraform spellings.
//!
//! For the CLI:
//! - [`builtin_pack`] is the pack of every rule; [`pack_of`] builds one from a selection;
//! - [`rules()`] lists the specs in declared order, [`find`] looks one up by id or name
//!   (case-insensitive), [`suggest`] names the nearest for a "did you mean";
//! - [`select`] is the grammar of `--select` and `--ignore` (ids, prefixes, names, vendor,
//!   service, severity, topic, framework), parsed into a [`Selection`];
//! - [`explain`] renders a rule's documentation as markdown (`guardrail rule ID`); the
//!   sections themselves are [`RuleSpec::docs`];
//! - [`frameworks`] holds the compliance frameworks rules map to, each with the controls
//!   guardrail knows of it, and the coverage of each by the rules.

pub mod frameworks;
pub mod rule;
pub mod rules;
pub mod select;
mod support;

use std::fmt;
use std::sync::Arc;

use guardrail_core::{Pack, Policy};

pub use frameworks::{Coverage, Framework, FrameworkControl, FrameworkError};
pub use rule::{
    Check, Control, Frameworks, ResourceCheck, ResourceFix, Rule, RuleDocs, RuleSpec, StackCheck,
};
pub use rules::platform::tagging::required_tags::TAGGABLE;
pub use select::{SelectError, Selection};

/// The built-in pack's name.
pub const PACK_NAME: &str = "guardrail-builtin";

/// The catalog's version (the crate's).
pub const VERSION: &str = env!("CARGO_PKG_VERSION");

/// Every rule's spec, in declared order.
pub fn rules() -> &'static [&'static RuleSpec] {
    rules::registry()
}

/// Every rule as a policy, in declared order.
pub fn all() -> Vec<Arc<dyn Policy>> {
    rules()
        .iter()
        .map(|spec| Arc::new(spec.policy()) as Arc<dyn Policy>)
        .collect()
}

/// The pack of every built-in rule: name [`PACK_NAME`], version [`VERSION`], no pack-level
/// enforcement (each rule's own default applies).
pub fn builtin_pack() -> Pack {
    Pack {
        central: false,
        name: PACK_NAME.to_string(),
        version: Some(VERSION.to_string()),
        enforcement: None,
        policies: all(),
    }
}

/// The ids of the rules enabled when nothing is selected: every rule but the organization
/// demos ([`select::in_default_set`]).
pub fn default_selection() -> Vec<&'static str> {
    rules()
        .iter()
        .filter(|spec| select::in_default_set(spec))
        .map(|spec| spec.id)
        .collect()
}

/// A rule by id (`AWS-EC2-001`) or name (`required-tags`), ignoring case.
pub fn find(id_or_name: &str) -> Option<&'static RuleSpec> {
    let wanted = id_or_name.trim();
    rules()
        .iter()
        .copied()
        .find(|spec| spec.id.eq_ignore_ascii_case(wanted) || spec.name.eq_ignore_ascii_case(wanted))
}

/// A rule's documentation sections, by id or name.
pub fn docs(id_or_name: &str) -> Option<&'static RuleDocs> {
    find(id_or_name).map(|spec| &spec.docs)
}

/// A rule's full documentation as markdown (metadata, configuration, every section), by id or
/// name.
pub fn explain(id_or_name: &str) -> Option<String> {
    find(id_or_name).map(RuleSpec::explain)
}

/// The id or name nearest to an unknown one, for "did you mean".
pub fn suggest(unknown: &str) -> Option<&'static str> {
    let wanted = unknown.trim().to_ascii_lowercase();
    rules()
        .iter()
        .flat_map(|spec| [spec.id, spec.name])
        .map(|candidate| {
            (
                distance(&wanted, &candidate.to_ascii_lowercase()),
                candidate,
            )
        })
        .filter(|(d, candidate)| *d <= (candidate.len() / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, candidate)| candidate)
}

/// A selection named a rule the catalog does not have.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct UnknownRule {
    /// The id or name as given.
    pub name: String,
    /// The nearest known id or name.
    pub suggestion: Option<&'static str>,
}

impl fmt::Display for UnknownRule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "unknown rule `{}`", self.name)?;
        match self.suggestion {
            Some(s) => write!(f, "; did you mean `{s}`?"),
            None => write!(f, "; `guardrail rules` lists them"),
        }
    }
}

impl std::error::Error for UnknownRule {}

/// The built-in pack restricted to the given ids or names, kept in declared order.
pub fn pack_of<S: AsRef<str>>(selection: &[S]) -> Result<Pack, UnknownRule> {
    let mut chosen = Vec::new();
    for item in selection {
        let item = item.as_ref();
        let spec = find(item).ok_or_else(|| UnknownRule {
            name: item.to_string(),
            suggestion: suggest(item),
        })?;
        chosen.push(spec.id);
    }
    Ok(Pack {
        central: false,
        name: PACK_NAME.to_string(),
        version: Some(VERSION.to_string()),
        enforcement: None,
        policies: rules()
            .iter()
            .filter(|spec| chosen.contains(&spec.id))
            .map(|spec| Arc::new(spec.policy()) as Arc<dyn Policy>)
            .collect(),
    })
}

/// Edit distance (insertions, deletions, substitutions).
pub(crate) fn distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut row: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut diagonal = row.first().copied().unwrap_or(0);
        if let Some(first) = row.first_mut() {
            *first = i + 1;
        }
        for (j, cb) in b.iter().enumerate() {
            let above = row.get(j + 1).copied().unwrap_or(usize::MAX);
            let left = row.get(j).copied().unwrap_or(usize::MAX);
            let replace = diagonal + usize::from(ca != *cb);
            diagonal = above;
            if let Some(cell) = row.get_mut(j + 1) {
                *cell = replace
                    .min(above.saturating_add(1))
                    .min(left.saturating_add(1));
            }
        }
    }
    row.last().copied().unwrap_or(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_by_id_or_name_ignoring_case() {
        assert_eq!(find("aws-ec2-001").map(|s| s.id), Some("AWS-EC2-001"));
        assert_eq!(find("Required-Tags").map(|s| s.id), Some("PLATFORM-003"));
        assert!(find("nope").is_none());
        assert!(docs("PLATFORM-001").is_some());
        let text = explain("AWS-ELB-001").unwrap_or_default();
        assert!(text.contains("## Why it matters"), "{text}");
        assert!(
            text.contains("`ports` (default `[22,23,3389,5432,3306]`)"),
            "{text}"
        );
    }

    #[test]
    fn suggests_the_nearest_rule() {
        assert_eq!(suggest("AWS-EC2-01"), Some("AWS-EC2-001"));
        assert_eq!(suggest("required-tag"), Some("required-tags"));
        assert_eq!(suggest("completely different"), None);
        assert_eq!(distance("kitten", "sitting"), 3);
    }

    #[test]
    fn packs() {
        let pack = builtin_pack();
        assert_eq!(pack.name, "guardrail-builtin");
        assert_eq!(pack.policies.len(), rules().len());
        let defaults = default_selection();
        assert!(defaults.iter().all(|id| !id.starts_with("PLATFORM-")));
        let demos = rules()
            .iter()
            .filter(|s| s.id.starts_with("PLATFORM-"))
            .count();
        assert!(demos > 0);
        assert_eq!(defaults.len() + demos, rules().len());
        let some = pack_of(&["required-tags", "AWS-ELB-001"]).unwrap_or_else(|e| panic!("{e}"));
        let ids: Vec<_> = some.policies.iter().map(|p| p.meta().id.clone()).collect();
        assert_eq!(ids, vec!["AWS-ELB-001", "PLATFORM-003"]);
        let err = pack_of(&["AWS-ELB-01"]).err().map(|e| e.to_string());
        assert_eq!(
            err.as_deref(),
            Some("unknown rule `AWS-ELB-01`; did you mean `AWS-ELB-001`?")
        );
    }
}
