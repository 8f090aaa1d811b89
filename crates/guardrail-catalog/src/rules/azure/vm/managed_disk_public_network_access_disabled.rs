//! AZURE-VM-007: Managed disks refuse import and export over public networks.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-007",
    name: "managed-disk-public-network-access-disabled",
    title: "Managed disks refuse import and export over public networks",
    description: "Disks with public network access can be imported or exported over the internet when a SAS is issued.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["vm"],
    topics: &["network", "data-protection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_managed_disk", "azure:compute/managedDisk:ManagedDisk", "azure-native:compute:Disk"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `publicNetworkAccess: "Disabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Managed disks in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (default `true`), Azure Native `publicNetworkAccess` (unset: `Enabled`). Advisory by default.",
        why: "Disabling public access limits disk import and export to private endpoints, so a leaked export SAS is useless outside the network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.ManagedDisk("data", {
        // ...
        publicNetworkAccessEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new compute.Disk("data", {
        // ...
        publicNetworkAccess: "Enabled",
    });

Terraform:

    resource "azurerm_managed_disk" "data" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.ManagedDisk("data", {
        // ...
        publicNetworkAccessEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new compute.Disk("data", {
        // ...
        publicNetworkAccess: "Disabled",
    });

Terraform:

    resource "azurerm_managed_disk" "data" {
      # ...
      public_network_access_enabled = false
    }"#,
        fix: "Disable public access (and set `network_access_policy`, AZURE-VM-005). No automatic fix.",
        references: &[
            "Microsoft Learn: Restrict import/export access for managed disks — https://learn.microsoft.com/azure/virtual-machines/disks-restrict-import-export-overview",
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
        "managed disk",
        "allows import and export over public networks",
    )
}
