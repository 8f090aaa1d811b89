//! AZURE-ACR-004: Container registries do not allow exporting artifacts.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-ACR-004",
    name: "container-registry-export-disabled",
    title: "Container registries do not allow exporting artifacts",
    description: "With export enabled, anyone with the right role can copy every image out of a private-network registry to another one.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["acr"],
    topics: &["data-protection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.12"] }, Control { framework: "nist-800-53", controls: &["AC-4"] }]),
    resource_types: &["azurerm_container_registry", "azure:containerservice/registry:Registry", "azure-native:containerregistry:Registry"],
    remediation: r#"Set `export_policy_enabled = false` (Pulumi `exportPolicyEnabled`, Azure Native `policies.exportPolicy.status: "disabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Container registries in every spelling: Terraform and Pulumi `azure` read `export_policy_enabled` (default `true`), Azure Native `policies.exportPolicy.status` (default `enabled`). Disabling it needs the Premium tier and public access disabled. Advisory by default.",
        why: "Registries behind private endpoints can still be emptied by an import into another registry; disabling export closes that path.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", {
        // ...
        exportPolicyEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", {
        // ...
        policies: { exportPolicy: { status: "enabled" } },
    });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      export_policy_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", {
        // ...
        exportPolicyEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", {
        // ...
        policies: { exportPolicy: { status: "disabled" } },
    });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      export_policy_enabled = false
    }"#,
        fix: "Disable public access and export on Premium registries that hold sensitive images. No automatic fix.",
        references: &[
            "Microsoft Learn: Disable artifact export — https://learn.microsoft.com/azure/container-registry/data-loss-prevention",
            "NIST SP 800-53 Rev. 5: AC-4",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("exportPolicyEnabled", true);

const NATIVE: Want = Want::one_of("policies.exportPolicy.status", &["disabled"], "enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "container registry",
        "allows exporting its artifacts",
    )
}
