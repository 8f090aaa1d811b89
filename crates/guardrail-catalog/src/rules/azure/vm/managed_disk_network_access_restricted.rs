//! AZURE-VM-005: Managed disks cannot be exported from every network.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-005",
    name: "managed-disk-network-access-restricted",
    title: "Managed disks cannot be exported from every network",
    description: "Under the default network access policy, anyone granted a disk's SAS export URL can download it from any network.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["vm"],
    topics: &["network", "data-protection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7", "AC-4"] }]),
    resource_types: &["azurerm_managed_disk", "azure:compute/managedDisk:ManagedDisk", "azure-native:compute:Disk"],
    remediation: r#"Set `network_access_policy = "DenyAll"` (or `AllowPrivate` with a disk access resource; Pulumi and Azure Native `networkAccessPolicy`)."#,
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Managed disks in every spelling: `network_access_policy` (Pulumi and Azure Native `networkAccessPolicy`) must be `DenyAll` or `AllowPrivate`; the default, which allows export from every network, is a violation (so is setting it explicitly). Advisory by default.",
        why: "Under the default policy a disk export SAS works from anywhere: a leaked URL or an over-privileged identity can copy the whole disk out. `DenyAll` blocks exports, `AllowPrivate` limits them to private endpoints.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.ManagedDisk("data", { /* ... networkAccessPolicy unset */ });

Pulumi Azure Native (TypeScript):

    new compute.Disk("data", { /* ... networkAccessPolicy unset */ });

Terraform:

    resource "azurerm_managed_disk" "data" {
      # ... network_access_policy unset
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.ManagedDisk("data", { /* ... */ networkAccessPolicy: "DenyAll" });

Pulumi Azure Native (TypeScript):

    new compute.Disk("data", { /* ... */ networkAccessPolicy: "DenyAll", publicNetworkAccess: "Disabled" });

Terraform:

    resource "azurerm_managed_disk" "data" {
      # ...
      network_access_policy         = "DenyAll"
      public_network_access_enabled = false
    }"#,
        fix: "guardrail's fix writes `DenyAll` and is unsafe: disk exports (and some backup tools that export) stop working.",
        references: &[
            "Microsoft Learn: Restrict import/export access for managed disks — https://learn.microsoft.com/azure/virtual-machines/disks-restrict-import-export-overview",
            "NIST SP 800-53 Rev. 5: AC-4, SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::one_of(
    "networkAccessPolicy",
    &["DenyAll", "AllowPrivate"],
    "AllowAll",
);

const NATIVE: Want = Want::one_of(
    "networkAccessPolicy",
    &["DenyAll", "AllowPrivate"],
    "AllowAll",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "managed disk",
        "can be exported from any network",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("DenyAll")),
        (NATIVE, Lit::Text("DenyAll")),
    )
}
