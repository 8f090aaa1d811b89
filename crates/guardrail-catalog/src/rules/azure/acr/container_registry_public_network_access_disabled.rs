//! AZURE-ACR-003: Container registries are reached through private endpoints only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-ACR-003",
    name: "container-registry-public-network-access-disabled",
    title: "Container registries are reached through private endpoints only",
    description: "A registry with public network access can be reached from the internet, limited only by its authentication and firewall rules.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["acr"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_container_registry", "azure:containerservice/registry:Registry", "azure-native:containerregistry:Registry"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `publicNetworkAccess: "Disabled"`) on a Premium registry with private endpoints."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Container registries in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (default `true`), Azure Native `publicNetworkAccess` (unset: `Enabled`). Advisory by default: private endpoints need the Premium tier.",
        why: "With public access, stolen credentials or tokens can push and pull from anywhere; private endpoints tie the registry to the networks of the clusters and build agents.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", { /* ... */ publicNetworkAccess: "Enabled" });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", { /* ... */ sku: "Premium", publicNetworkAccessEnabled: false });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", { /* ... */ sku: { name: "Premium" }, publicNetworkAccess: "Disabled" });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      sku                           = "Premium"
      public_network_access_enabled = false
    }"#,
        fix: "Add private endpoints for the registry (and its data endpoints), then disable public access. No automatic fix.",
        references: &[
            "Microsoft Learn: Connect privately to an Azure container registry using Azure Private Link — https://learn.microsoft.com/azure/container-registry/container-registry-private-link",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "container registry",
        "is reachable from public networks",
    )
}
