//! The policy trait and its metadata.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Serialize};

use crate::resource::{Resource, Stack};
use crate::value::Value;

/// How serious a violation is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    /// Hygiene; little direct risk.
    Low,
    /// A weakness worth fixing soon.
    Medium,
    /// A weakness attackers use.
    High,
    /// Direct exposure of data or control.
    Critical,
}

impl Severity {
    /// All severities, lowest first.
    pub const ALL: [Severity; 4] = [
        Severity::Low,
        Severity::Medium,
        Severity::High,
        Severity::Critical,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Severity {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Severity::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!("unknown severity `{s}`: expected low, medium, high or critical")
            })
    }
}

/// What a violation does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Enforcement {
    /// Warn; never blocks.
    Advisory,
    /// Block the change.
    Mandatory,
    /// Fix the resource before validation; still violating afterwards blocks as mandatory.
    Remediate,
    /// Do not run.
    Disabled,
}

impl Enforcement {
    /// All levels.
    pub const ALL: [Enforcement; 4] = [
        Enforcement::Advisory,
        Enforcement::Mandatory,
        Enforcement::Remediate,
        Enforcement::Disabled,
    ];

    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Enforcement::Advisory => "advisory",
            Enforcement::Mandatory => "mandatory",
            Enforcement::Remediate => "remediate",
            Enforcement::Disabled => "disabled",
        }
    }
}

impl fmt::Display for Enforcement {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl FromStr for Enforcement {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Enforcement::ALL
            .into_iter()
            .find(|v| v.as_str().eq_ignore_ascii_case(s.trim()))
            .ok_or_else(|| {
                format!(
                    "unknown enforcement level `{s}`: expected advisory, mandatory, remediate or disabled"
                )
            })
    }
}

/// Whether a policy looks at one resource at a time or at the whole stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum PolicyKind {
    /// Validates each resource of the declared types.
    Resource,
    /// Validates the stack as a whole.
    Stack,
}

/// Whether a policy's fix can be applied without review.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum FixSafety {
    /// The policy offers no fix.
    None,
    /// The fix keeps behaviour users rely on.
    Safe,
    /// The fix may change behaviour; review it.
    Unsafe,
}

/// A compliance framework control a policy maps to.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FrameworkRef {
    /// Framework slug, e.g. `cis-aws`, `pci-dss`, `soc2`, `iso27001`, `hipaa`, `nist-800-53`.
    pub framework: String,
    /// Control ids within the framework.
    pub controls: Vec<String>,
}

/// Everything known about a policy besides its logic.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PolicyMeta {
    /// Stable id, e.g. `AWS-S3-001`.
    pub id: String,
    /// Slug name, e.g. `s3-bucket-encryption`.
    pub name: String,
    /// One-line title.
    pub title: String,
    /// What it checks and why.
    pub description: String,
    /// Severity of a violation.
    pub severity: Severity,
    /// The level used when nothing overrides it.
    pub enforcement: Enforcement,
    /// Resource or stack policy.
    pub kind: PolicyKind,
    /// `aws`, `azure`, `gcp`, `kubernetes`, `platform`...
    pub vendor: String,
    /// Services, e.g. `s3`.
    pub services: Vec<String>,
    /// Topics, e.g. `encryption`, `network`.
    pub topics: Vec<String>,
    /// Framework mappings.
    pub frameworks: Vec<FrameworkRef>,
    /// Resource types this policy validates, in any spelling (Pulumi token or Terraform type);
    /// empty means every resource.
    pub resource_types: Vec<String>,
    /// How to fix a violation, in a sentence or two.
    pub remediation: String,
    /// Whether and how safely the policy fixes resources itself.
    pub fix: FixSafety,
    /// JSON Schema of the policy's configuration, with defaults.
    pub config_schema: Option<serde_json::Value>,
}

/// One violation reported by a policy.
#[derive(Clone, Debug, PartialEq)]
pub struct Violation {
    /// What is wrong, for a person.
    pub message: String,
    /// The property at fault, e.g. `ingress[0].fromPort`.
    pub path: Option<String>,
}

impl Violation {
    /// A violation with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Violation {
            message: message.into(),
            path: None,
        }
    }

    /// Names the property at fault.
    pub fn at(mut self, path: impl Into<String>) -> Self {
        self.path = Some(path.into());
        self
    }
}

/// What a resource policy found.
#[derive(Clone, Debug, PartialEq)]
pub enum Verdict {
    /// Compliant.
    Pass,
    /// One or more violations.
    Violations(Vec<Violation>),
    /// The policy does not apply to this resource, and why.
    NotApplicable(String),
}

impl Verdict {
    /// A single violation.
    pub fn violation(v: Violation) -> Self {
        Verdict::Violations(vec![v])
    }

    /// Not applicable, with a reason.
    pub fn not_applicable(reason: impl Into<String>) -> Self {
        Verdict::NotApplicable(reason.into())
    }

    /// `Pass` when `violations` is empty.
    pub fn from_violations(violations: Vec<Violation>) -> Self {
        if violations.is_empty() {
            Verdict::Pass
        } else {
            Verdict::Violations(violations)
        }
    }
}

/// Why a policy stopped without a verdict.
#[derive(Clone, Debug, PartialEq)]
pub enum Halt {
    /// The check needs a value that is known only after apply.
    Unknown {
        /// The property that was unknown.
        path: String,
        /// The resource whose property it is, by id, when a stack policy names it (a resource
        /// policy's own resource goes without saying).
        resource: Option<String>,
    },
    /// The policy failed (bad config, unexpected data).
    Error(String),
}

impl Halt {
    /// The check needs the unknown value at `path`.
    pub fn unknown(path: impl Into<String>) -> Self {
        Halt::Unknown {
            path: path.into(),
            resource: None,
        }
    }

    /// A stack policy needs the unknown value at `path` of the resource `id`.
    pub fn unknown_in(id: impl Into<String>, path: impl Into<String>) -> Self {
        Halt::Unknown {
            path: path.into(),
            resource: Some(id.into()),
        }
    }

    /// The policy failed.
    pub fn error(message: impl Into<String>) -> Self {
        Halt::Error(message.into())
    }
}

/// A resource as a policy sees it: the resource and its current properties (after any
/// remediation that ran before).
#[derive(Clone, Copy, Debug)]
pub struct ResourceView<'a> {
    /// The resource.
    pub resource: &'a Resource,
    /// The properties to validate.
    pub props: &'a Value,
}

impl<'a> ResourceView<'a> {
    /// Shorthand for `props.field(path)`.
    pub fn field(&self, path: &str) -> Result<Option<&'a Value>, Halt> {
        self.props.field(path)
    }

    /// Whether what a rule reads at `path` (from the props) is secret: the value, or any block
    /// around it. Text a rule derives from it (a number, a service's name) must be masked.
    pub fn secret_at(&self, path: &str) -> bool {
        self.props.secret_at(path)
    }
}

/// The stack as a stack policy sees it.
#[derive(Clone, Copy, Debug)]
pub struct StackView<'a> {
    /// The stack.
    pub stack: &'a Stack,
    /// Current properties of each resource, in the stack's order.
    pub props: &'a [&'a Value],
}

impl<'a> StackView<'a> {
    /// The resources that will exist after the change (deletions left out), with current props.
    pub fn resources(&self) -> impl Iterator<Item = ResourceView<'a>> + 'a {
        let props = self.props;
        self.stack
            .resources
            .iter()
            .zip(props.iter())
            .filter(|(r, _)| r.will_exist())
            .map(|(resource, props)| ResourceView { resource, props })
    }
}

/// What a stack policy found: a violation, or a resource it cannot decide for yet, optionally
/// attributed to one resource.
#[derive(Clone, Debug, PartialEq)]
pub struct StackFinding {
    /// The resource the finding is about, by id; `None` for the stack as a whole.
    pub resource: Option<String>,
    /// What was found.
    pub found: Found,
}

/// What a [`StackFinding`] says about its resource.
#[derive(Clone, Debug, PartialEq)]
pub enum Found {
    /// The resource violates the policy.
    Violation(Violation),
    /// The policy cannot decide for the resource: it needs the value at `path`, known only after
    /// apply, of the resource `of` (by id; `None` for the finding's own resource). A companion
    /// whose naming argument is unknown may configure any of several resources: each of them
    /// gets a finding of this kind, so that none passes and none is reported as violating.
    Unknown {
        /// The property that is unknown.
        path: String,
        /// The resource whose property it is, when not the finding's own.
        of: Option<String>,
    },
}

impl StackFinding {
    /// A violation of the resource `id`.
    pub fn violation(id: impl Into<String>, violation: Violation) -> Self {
        StackFinding {
            resource: Some(id.into()),
            found: Found::Violation(violation),
        }
    }

    /// A violation of the stack as a whole.
    pub fn stack_violation(violation: Violation) -> Self {
        StackFinding {
            resource: None,
            found: Found::Violation(violation),
        }
    }

    /// The resource `id` cannot be decided yet: the value at `path` of the resource `of` (its
    /// own when `None`) is known only after apply.
    pub fn unknown(id: impl Into<String>, path: impl Into<String>, of: Option<String>) -> Self {
        StackFinding {
            resource: Some(id.into()),
            found: Found::Unknown {
                path: path.into(),
                of,
            },
        }
    }
}

/// A policy. Implementations must be cheap to call concurrently from many threads.
pub trait Policy: Send + Sync {
    /// The policy's metadata.
    fn meta(&self) -> &PolicyMeta;

    /// Validates one resource of a declared type (resource policies).
    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        config: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        let _ = (view, config);
        Ok(Verdict::not_applicable("not a resource policy"))
    }

    /// Validates the stack (stack policies); an empty list is a pass.
    fn validate_stack(
        &self,
        view: StackView<'_>,
        config: &serde_json::Value,
    ) -> Result<Vec<StackFinding>, Halt> {
        let _ = (view, config);
        Ok(Vec::new())
    }

    /// Returns fixed properties for a resource, or `None` when nothing needs changing.
    /// Called only when the policy's level is `remediate`.
    fn remediate(
        &self,
        view: ResourceView<'_>,
        config: &serde_json::Value,
    ) -> Result<Option<Value>, Halt> {
        let _ = (view, config);
        Ok(None)
    }
}
