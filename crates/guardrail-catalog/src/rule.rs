//! What a catalog rule is: static metadata, documentation and logic, declared together in one
//! file per rule, and [`Rule`], the [`Policy`] the engine runs.

use std::fmt::Write as _;

use guardrail_core::{
    Enforcement, FixSafety, FrameworkRef, Halt, Policy, PolicyKind, PolicyMeta, ResourceView,
    Severity, StackFinding, StackView, Value, Verdict,
};

/// Validates one resource: the view and the configuration (schema defaults merged with user
/// config by the engine).
pub type ResourceCheck = fn(ResourceView<'_>, &serde_json::Value) -> Result<Verdict, Halt>;

/// Fixes one resource: the fixed properties, or `None` when nothing needs changing.
pub type ResourceFix = fn(ResourceView<'_>, &serde_json::Value) -> Result<Option<Value>, Halt>;

/// Validates the whole stack.
pub type StackCheck = fn(StackView<'_>, &serde_json::Value) -> Result<Vec<StackFinding>, Halt>;

/// A rule's logic; the variant decides the rule's [`PolicyKind`].
#[derive(Clone, Copy)]
pub enum Check {
    /// A resource rule, with an optional fix.
    Resource {
        /// The validation.
        validate: ResourceCheck,
        /// The remediation, if the rule offers one.
        remediate: Option<ResourceFix>,
    },
    /// A stack rule.
    Stack(StackCheck),
}

impl std::fmt::Debug for Check {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Check::Resource { remediate, .. } => f
                .debug_struct("Resource")
                .field("remediate", &remediate.is_some())
                .finish(),
            Check::Stack(_) => f.write_str("Stack"),
        }
    }
}

/// A compliance framework control set a rule maps to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Control {
    /// Framework slug: `cis-aws`, `cis-azure`, `pci-dss`, `soc2`, `iso27001`, `hipaa`,
    /// `nist-800-53`.
    pub framework: &'static str,
    /// Control ids within the framework (the version is named in the rule's references).
    pub controls: &'static [&'static str],
}

/// A rule's framework mappings, or the stated reason it has none.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Frameworks {
    /// The controls the rule helps satisfy.
    Mapped(&'static [Control]),
    /// No mapping, and why (e.g. an organisation convention rather than a compliance control).
    None {
        /// Why no framework control applies.
        reason: &'static str,
    },
}

/// A rule's documentation, in fixed sections, compiled into the binary (`guardrail rule ID`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RuleDocs {
    /// What the rule checks, precisely: which resources, which properties, which values.
    pub what: &'static str,
    /// Why it matters: the risk a violation carries.
    pub why: &'static str,
    /// A non-compliant example (Pulumi and/or Terraform source).
    pub noncompliant: &'static str,
    /// The compliant counterpart of the example.
    pub compliant: &'static str,
    /// How to fix a violation, in Pulumi and in Terraform.
    pub fix: &'static str,
    /// Where to read more: vendor documentation, benchmark sections.
    pub references: &'static [&'static str],
}

/// Everything about a rule, declared in one place in the rule's own file.
#[derive(Debug)]
pub struct RuleSpec {
    /// Stable id, `VENDOR-SERVICE-NNN` or `PLATFORM-NNN`.
    pub id: &'static str,
    /// Unique slug name, e.g. `lb-target-group-admin-port`.
    pub name: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// What it checks and why, in a sentence or two.
    pub description: &'static str,
    /// Severity of a violation.
    pub severity: Severity,
    /// Default enforcement level.
    pub enforcement: Enforcement,
    /// `aws`, `platform`, ...
    pub vendor: &'static str,
    /// Services, e.g. `ec2`.
    pub services: &'static [&'static str],
    /// Topics, e.g. `network`.
    pub topics: &'static [&'static str],
    /// Framework mappings (or why there are none).
    pub frameworks: Frameworks,
    /// Resource types in every spelling; empty means every resource (the rule filters itself).
    /// For stack rules: the types the rule reads (informational).
    pub resource_types: &'static [&'static str],
    /// How to fix a violation, in a sentence or two.
    pub remediation: &'static str,
    /// Whether the rule fixes resources itself, and how safely.
    pub fix: FixSafety,
    /// JSON Schema of the configuration, with `default`s.
    pub config_schema: Option<fn() -> serde_json::Value>,
    /// Documentation sections.
    pub docs: RuleDocs,
    /// The logic.
    pub check: Check,
    /// The rule's source file (`file!()`); its fixtures sit beside it as `<stem>.fixtures.json`.
    pub source: &'static str,
}

impl RuleSpec {
    /// Resource or stack rule.
    pub fn kind(&self) -> PolicyKind {
        match self.check {
            Check::Resource { .. } => PolicyKind::Resource,
            Check::Stack(_) => PolicyKind::Stack,
        }
    }

    /// The engine's metadata for this rule.
    pub fn meta(&self) -> PolicyMeta {
        let strings = |list: &[&str]| list.iter().map(|s| (*s).to_string()).collect();
        PolicyMeta {
            id: self.id.to_string(),
            name: self.name.to_string(),
            title: self.title.to_string(),
            description: self.description.to_string(),
            severity: self.severity,
            enforcement: self.enforcement,
            kind: self.kind(),
            vendor: self.vendor.to_string(),
            services: strings(self.services),
            topics: strings(self.topics),
            frameworks: match self.frameworks {
                Frameworks::Mapped(list) => list
                    .iter()
                    .map(|c| FrameworkRef {
                        framework: c.framework.to_string(),
                        controls: strings(c.controls),
                    })
                    .collect(),
                Frameworks::None { .. } => Vec::new(),
            },
            resource_types: strings(self.resource_types),
            remediation: self.remediation.to_string(),
            fix: self.fix,
            config_schema: self.config_schema.map(|schema| schema()),
        }
    }

    /// The rule as a policy the engine runs.
    pub fn policy(&'static self) -> Rule {
        Rule::new(self)
    }

    /// The rule's documentation as markdown, for `guardrail rule ID`.
    pub fn explain(&self) -> String {
        let mut out = String::new();
        let _ = writeln!(out, "# {} `{}`: {}\n", self.id, self.name, self.title);
        let _ = writeln!(out, "{}\n", self.description);
        let _ = writeln!(
            out,
            "- severity: {}\n- default enforcement: {}\n- fix: {}",
            self.severity,
            self.enforcement,
            match self.fix {
                FixSafety::None => "none",
                FixSafety::Safe => "safe (applied under `remediate`)",
                FixSafety::Unsafe => "unsafe (review it)",
            }
        );
        let _ = writeln!(out, "- services: {}", self.services.join(", "));
        let _ = writeln!(out, "- topics: {}", self.topics.join(", "));
        match self.frameworks {
            Frameworks::Mapped(list) => {
                let joined: Vec<String> = list
                    .iter()
                    .map(|c| format!("{} {}", c.framework, c.controls.join(", ")))
                    .collect();
                let _ = writeln!(out, "- frameworks: {}", joined.join("; "));
            }
            Frameworks::None { reason } => {
                let _ = writeln!(out, "- frameworks: none ({reason})");
            }
        }
        if self.resource_types.is_empty() {
            let _ = writeln!(
                out,
                "- resource types: any (the rule selects by configuration)"
            );
        } else {
            let _ = writeln!(out, "- resource types: {}", self.resource_types.join(", "));
        }
        if let Some(schema) = self.config_schema {
            let schema = schema();
            if let Some(props) = schema.get("properties").and_then(|p| p.as_object()) {
                let _ = writeln!(out, "- configuration:");
                for (key, prop) in props {
                    let about = prop
                        .get("description")
                        .and_then(serde_json::Value::as_str)
                        .unwrap_or_default();
                    let default = prop
                        .get("default")
                        .map(|d| format!(" (default `{d}`)"))
                        .unwrap_or_default();
                    let _ = writeln!(out, "  - `{key}`{default}: {about}");
                }
            }
        }
        let docs = &self.docs;
        let sections = [
            ("What it checks", docs.what),
            ("Why it matters", docs.why),
            ("Non-compliant example", docs.noncompliant),
            ("Compliant example", docs.compliant),
            ("How to fix", docs.fix),
        ];
        for (title, body) in sections {
            let _ = writeln!(out, "\n## {title}\n\n{}", body.trim());
        }
        let _ = writeln!(out, "\n## References\n");
        for reference in docs.references {
            let _ = writeln!(out, "- {reference}");
        }
        out
    }
}

/// A catalog rule as the engine runs it: the static spec plus its built metadata.
#[derive(Debug)]
pub struct Rule {
    spec: &'static RuleSpec,
    meta: PolicyMeta,
}

impl Rule {
    /// Builds the policy for a spec.
    pub fn new(spec: &'static RuleSpec) -> Self {
        Rule {
            spec,
            meta: spec.meta(),
        }
    }

    /// The rule's static declaration.
    pub fn spec(&self) -> &'static RuleSpec {
        self.spec
    }

    /// The rule's documentation.
    pub fn docs(&self) -> &'static RuleDocs {
        &self.spec.docs
    }
}

impl Policy for Rule {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }

    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        config: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        match self.spec.check {
            Check::Resource { validate, .. } => validate(view, config),
            Check::Stack(_) => Ok(Verdict::not_applicable("a stack rule")),
        }
    }

    fn validate_stack(
        &self,
        view: StackView<'_>,
        config: &serde_json::Value,
    ) -> Result<Vec<StackFinding>, Halt> {
        match self.spec.check {
            Check::Stack(check) => check(view, config),
            Check::Resource { .. } => Ok(Vec::new()),
        }
    }

    /// Runs the rule's fix whatever its declared [`FixSafety`], so the catalog lint can catch a
    /// rule whose declaration and behaviour disagree.
    fn remediate(
        &self,
        view: ResourceView<'_>,
        config: &serde_json::Value,
    ) -> Result<Option<Value>, Halt> {
        match self.spec.check {
            Check::Resource {
                remediate: Some(fix),
                ..
            } => fix(view, config),
            _ => Ok(None),
        }
    }
}
