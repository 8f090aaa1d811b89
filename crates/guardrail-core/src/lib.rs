//! guardrail-core: the resource model, values with unknown and secret markers, the policy trait,
//! enforcement resolution, remediation and evaluation.
//!
//! This crate performs no I/O. Input adapters (`guardrail-inputs`) build [`Stack`]s, policy crates
//! implement [`Policy`], and renderers (`guardrail-report`) print an [`Evaluation`].

pub mod engine;
pub mod fixture;
pub mod map;
pub mod policy;
pub mod redact;
pub mod resource;
pub mod source;
pub mod types;
pub mod value;

pub use engine::{
    evaluate, Evaluation, EvaluationOptions, Exemption, Outcome, OutcomeKind, Pack, PolicyRef,
    PolicySettings, Remediation, Summary,
};
pub use policy::{
    Enforcement, FixSafety, Found, FrameworkRef, Halt, Policy, PolicyKind, PolicyMeta,
    ResourceView, Severity, StackFinding, StackView, Verdict, Violation,
};
pub use redact::Redactor;
pub use resource::{Mode, Operation, Resource, Spelling, Stack};
pub use source::SourceLocation;
pub use types::canonical_type;
pub use value::{Map, Shown, Value};

/// `1 resource`, `2 resources`: a count with the noun it counts, for every message a person
/// reads.
pub fn plural(n: impl std::fmt::Display, one: &str, many: &str) -> String {
    let n = n.to_string();
    let noun = if n == "1" { one } else { many };
    format!("{n} {noun}")
}

#[cfg(test)]
mod plural_tests {
    use super::plural;

    #[test]
    fn one_is_singular_and_every_other_count_plural() {
        assert_eq!(plural(1u32, "policy", "policies"), "1 policy");
        assert_eq!(plural(0u32, "policy", "policies"), "0 policies");
        assert_eq!(plural(2u64, "day", "days"), "2 days");
        assert_eq!(plural(11usize, "day", "days"), "11 days");
    }
}
