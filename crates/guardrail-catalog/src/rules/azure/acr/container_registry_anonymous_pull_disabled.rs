//! AZURE-ACR-002: Container registries do not allow anonymous pull.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-ACR-002",
    name: "container-registry-anonymous-pull-disabled",
    title: "Container registries do not allow anonymous pull",
    description: "Anonymous pull lets anyone on the internet download every image, with the code and secrets baked into it.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["acr"],
    topics: &["public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["7.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.3"] }, Control { framework: "nist-800-53", controls: &["AC-3"] }]),
    resource_types: &["azurerm_container_registry", "azure:containerservice/registry:Registry", "azure-native:containerregistry:Registry"],
    remediation: "Set `anonymous_pull_enabled = false` (Pulumi and Azure Native `anonymousPullEnabled: false`).",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Container registries in every spelling: `anonymous_pull_enabled` (Pulumi and Azure Native `anonymousPullEnabled`, default `false`) must not be `true`.",
        why: "Images often contain proprietary code, configuration and, by mistake, credentials; anonymous pull publishes them to anyone who knows the registry name.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", { /* ... */ anonymousPullEnabled: true });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", { /* ... */ anonymousPullEnabled: true });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      anonymous_pull_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", { /* ... */ anonymousPullEnabled: false });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      anonymous_pull_enabled = false
    }"#,
        fix: "Turn it off; guardrail's fix is unsafe: public consumers of the images lose access. Publish public images to a registry meant for that.",
        references: &[
            "Microsoft Learn: Make your container registry content publicly available (anonymous pull) — https://learn.microsoft.com/azure/container-registry/anonymous-pull-access",
            "NIST SP 800-53 Rev. 5: AC-3",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::off("anonymousPullEnabled", false);

const NATIVE: Want = Want::off("anonymousPullEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "container registry",
        "lets anyone pull its images",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Bool(false)),
        (NATIVE, Lit::Bool(false)),
    )
}
