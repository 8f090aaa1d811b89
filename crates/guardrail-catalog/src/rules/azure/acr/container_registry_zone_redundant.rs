//! AZURE-ACR-006: Premium container registries are zone-redundant.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-ACR-006",
    name: "container-registry-zone-redundant",
    title: "Premium container registries are zone-redundant",
    description: "A registry without zone redundancy is unavailable during a zone outage, which stops every deployment and node scale-out.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["acr"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "nist-800-53", controls: &["CP-10"] }]),
    resource_types: &["azurerm_container_registry", "azure:containerservice/registry:Registry", "azure-native:containerregistry:Registry"],
    remediation: r#"Set `zone_redundancy_enabled = true` (Pulumi `zoneRedundancyEnabled`, Azure Native `zoneRedundancy: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Container registries in every spelling: Terraform and Pulumi `azure` read `zone_redundancy_enabled` (default `false`), Azure Native `zoneRedundancy` (default `Disabled`). Advisory by default: it needs the Premium tier.",
        why: "Clusters pull images at every scale-out and node replacement; a registry outage turns a zone failure into a cluster-wide one.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", {
        // ...
        zoneRedundancyEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", {
        // ...
        zoneRedundancy: "Disabled",
    });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      zone_redundancy_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", {
        // ...
        zoneRedundancyEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", {
        // ...
        zoneRedundancy: "Enabled",
    });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      zone_redundancy_enabled = true
    }"#,
        fix: "Enable zone redundancy when creating a Premium registry. No automatic fix: it replaces the registry.",
        references: &[
            "Microsoft Learn: Enable zone redundancy in Azure Container Registry — https://learn.microsoft.com/azure/container-registry/zone-redundancy",
            "NIST SP 800-53 Rev. 5: CP-10",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("zoneRedundancyEnabled", false);

const NATIVE: Want = Want::one_of("zoneRedundancy", &["Enabled"], "Disabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "container registry",
        "is not zone-redundant",
    )
}
