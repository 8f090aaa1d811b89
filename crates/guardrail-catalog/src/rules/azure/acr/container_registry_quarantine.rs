//! AZURE-ACR-007: Container registries quarantine new images until they are scanned.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-ACR-007",
    name: "container-registry-quarantine",
    title: "Container registries quarantine new images until they are scanned",
    description: "With the quarantine policy on, a pushed image cannot be pulled until a scanner marks it as passed.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["acr"],
    topics: &["supply-chain"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["6.3.2"] }, Control { framework: "nist-800-53", controls: &["SI-7", "RA-5"] }]),
    resource_types: &["azurerm_container_registry", "azure:containerservice/registry:Registry", "azure-native:containerregistry:Registry"],
    remediation: r#"Set `quarantine_policy_enabled = true` (Pulumi `quarantinePolicyEnabled`, Azure Native `policies.quarantinePolicy.status: "enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Premium container registries in every spelling: Terraform and Pulumi `azure` read `quarantine_policy_enabled` (default `false`), Azure Native `policies.quarantinePolicy.status` (default `disabled`). Advisory by default: it needs a scanner that releases images.",
        why: "Without quarantine, an image with a known-exploited vulnerability or malware is deployable the moment it is pushed.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", {
        // ...
        quarantinePolicyEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", {
        // ...
        policies: { quarantinePolicy: { status: "disabled" } },
    });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      quarantine_policy_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", {
        // ...
        quarantinePolicyEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", {
        // ...
        policies: { quarantinePolicy: { status: "enabled" } },
    });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      quarantine_policy_enabled = true
    }"#,
        fix: "Enable quarantine together with a scanning pipeline that releases clean images. No automatic fix.",
        references: &[
            "Microsoft Learn: Azure Container Registry policies (quarantine) — https://learn.microsoft.com/azure/container-registry/container-registry-faq",
            "NIST SP 800-53 Rev. 5: RA-5, SI-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("quarantinePolicyEnabled", false);

const NATIVE: Want = Want::one_of("policies.quarantinePolicy.status", &["enabled"], "disabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "container registry",
        "serves images before they are scanned",
    )
}
