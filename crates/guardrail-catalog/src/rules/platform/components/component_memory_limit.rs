//! PLATFORM-001: a component type's memory stays within a limit.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{config_str, parse_size, show, size_of, type_matches};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "PLATFORM-001",
    name: "component-memory-limit",
    title: "Components stay within the platform's memory limit",
    description: "Resources of a configured component type (by default any `Microservice` \
                  component) must not ask for more memory than the configured limit.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "platform",
    services: &["components"],
    topics: &["cost", "capacity"],
    frameworks: Frameworks::None {
        reason: "a platform team's capacity convention, not a compliance control",
    },
    resource_types: &[],
    remediation: "Lower the component's memory to the limit, or ask the platform team to raise \
                  the limit for this stack.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every resource whose type matches `componentType` (a glob with `*` and `?`, by \
               default `*:*:Microservice`, which matches Pulumi component types such as \
               `acme:index:Microservice`) is checked for the property `memoryProperty` (by \
               default `memory`; a dotted path such as `resources.limits.memory` works too). \
               The value must not exceed `limit` (by default `1Gi`).\n\n\
               Sizes: a number with an optional unit. Binary units `Ki`, `Mi`, `Gi`, `Ti`, `Pi` \
               (powers of 1024; `KiB`... also accepted), decimal units `K` or `k`, `M`, `G`, \
               `T`, `P` (powers of 1000; `KB`... also accepted), `B` for bytes. A plain number — \
               a JSON number or a string without unit — is bytes, as in Kubernetes quantities. \
               Lowercase `m` is rejected, because in Kubernetes it means thousandths. A value \
               that cannot be read as a size is a violation that says so; a resource without \
               the property passes (the component's own default applies); a value known only \
               after apply is indeterminate. An unreadable `limit` in the configuration is a \
               policy error.",
        why: "Platform teams size clusters, quotas and budgets for the components they offer. \
              A service that asks for far more memory than the platform planned for crowds out \
              its neighbours, fails to schedule, or quietly multiplies the bill. Catching it in \
              the pull request keeps the conversation early and cheap.",
        noncompliant: r#"Pulumi (TypeScript), with a `Microservice` component from the platform library:

    const api = new acme.Microservice("api", { image: "api:1.4", memory: "4Gi" });

Terraform (with `componentType = "kubernetes_deployment"` and
`memoryProperty = "spec.template.spec.container.resources.limits.memory"`):

    resources { limits = { memory = "4Gi" } }"#,
        compliant: r#"Pulumi (TypeScript):

    const api = new acme.Microservice("api", { image: "api:1.4", memory: "512Mi" });

Terraform:

    resources { limits = { memory = "512Mi" } }"#,
        fix: "Pulumi: set the component's `memory` input to the limit or below (`512Mi`, `1Gi`). \
              Terraform: lower the configured property (for a Kubernetes deployment, \
              `resources.limits.memory` of the container). If the workload needs more, ask the \
              platform team to raise `limit` for that stack, or to grant an exemption.",
        references: &[
            "Kubernetes: Resource Management for Pods and Containers (memory units) — https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#meaning-of-memory",
            "Pulumi: Component resources — https://www.pulumi.com/docs/iac/concepts/resources/components/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "componentType": {
                "description": "Type glob of the component to check (`*` and `?`).",
                "type": "string",
                "default": "*:*:Microservice"
            },
            "memoryProperty": {
                "description": "Property path that holds the memory size.",
                "type": "string",
                "default": "memory"
            },
            "limit": {
                "description": "Largest memory allowed, e.g. `512Mi`, `1Gi`, `2G`.",
                "type": ["string", "number"],
                "default": "1Gi"
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let component = config_str(config, "componentType")?;
    if !type_matches(component, &view.resource.type_) {
        return Ok(Verdict::not_applicable(format!(
            "not a `{component}` component"
        )));
    }
    let limit = limit_bytes(config)?;
    let property = config_str(config, "memoryProperty")?;
    let Some(memory) = view.field(property)? else {
        return Ok(Verdict::Pass);
    };
    let name = &view.resource.name;
    let Some(bytes) = size_of(memory) else {
        return Ok(Verdict::violation(
            Violation::new(format!(
                "component `{name}` has {property} {}, which is not a memory size: use bytes or \
                 a number with a unit such as 512Mi or 1Gi",
                show(memory)
            ))
            .at(property),
        ));
    };
    if bytes <= limit.0 {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "component `{name}` asks for {} of memory ({property}), above the limit of {}",
            match memory.reveal() {
                Value::String(s) => s.trim().to_string(),
                other => format!("{} bytes", other.to_json_redacted()),
            },
            limit.1
        ))
        .at(property),
    ))
}

/// The configured limit in bytes, and as written.
fn limit_bytes(config: &serde_json::Value) -> Result<(f64, String), Halt> {
    let bad = |shown: String| {
        Halt::error(format!(
            "config `limit` is {shown}, which is not a memory size: use bytes or a number with \
             a unit such as 512Mi or 1Gi"
        ))
    };
    match config.get("limit") {
        Some(serde_json::Value::String(s)) => parse_size(s)
            .map(|b| (b, s.clone()))
            .ok_or_else(|| bad(format!("`{s}`"))),
        Some(serde_json::Value::Number(n)) => n
            .as_f64()
            .filter(|b| *b >= 0.0)
            .map(|b| (b, guardrail_core::plural(n, "byte", "bytes")))
            .ok_or_else(|| bad(format!("`{n}`"))),
        Some(other) => Err(bad(format!("`{other}`"))),
        None => Err(Halt::error("config `limit` is missing")),
    }
}
