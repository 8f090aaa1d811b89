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
