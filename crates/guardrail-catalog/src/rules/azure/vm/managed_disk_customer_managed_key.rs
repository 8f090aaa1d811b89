//! AZURE-VM-004: Managed disks encrypt with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-004",
    name: "managed-disk-customer-managed-key",
    title: "Managed disks encrypt with a customer-managed key",
    description: "Disks encrypted with a customer-managed key (through a disk encryption set) put the data at rest under the organisation's key policy.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["vm"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["7.3", "7.4"] }, Control { framework: "pci-dss", controls: &["3.6.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12", "SC-28"] }]),
    resource_types: &["azurerm_managed_disk", "azure:compute/managedDisk:ManagedDisk", "azure-native:compute:Disk"],
    remediation: r#"Set `disk_encryption_set_id` (Pulumi `diskEncryptionSetId`, Azure Native `encryption: { type: "EncryptionAtRestWithCustomerKey", diskEncryptionSetId }`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Managed disks (`azurerm_managed_disk`, Pulumi `azure:compute/managedDisk:ManagedDisk`, Azure Native `azure-native:compute:Disk`): Terraform and Pulumi `azure` read `disk_encryption_set_id`, Azure Native `encryption.diskEncryptionSetId`; unset means platform-managed keys, a violation. Advisory by default.",
        why: "With a customer-managed key, revoking the key makes the disk and its snapshots unreadable, key use is logged, and rotation follows the organisation's cryptoperiod; the CIS benchmark asks for it on OS, data and unattached disks holding critical data.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.ManagedDisk("data", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new compute.Disk("data", { /* ... */ });

Terraform:

    resource "azurerm_managed_disk" "data" {
      # ... no disk_encryption_set_id
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.ManagedDisk("data", { /* ... */ diskEncryptionSetId: des.id });

Pulumi Azure Native (TypeScript):

    new compute.Disk("data", { /* ... */ encryption: { type: "EncryptionAtRestWithCustomerKey", diskEncryptionSetId: des.id } });

Terraform:

    resource "azurerm_managed_disk" "data" {
      # ...
      disk_encryption_set_id = azurerm_disk_encryption_set.app.id
    }"#,
        fix: "Create a disk encryption set with a Key Vault key and assign it. No automatic fix: the set must exist.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 7.3 Ensure that 'OS and Data' disks are encrypted with Customer Managed Key (CMK); 7.4 Ensure that 'Unattached disks' are encrypted with 'Customer Managed Key' (CMK)",
            "Microsoft Learn: Server-side encryption of Azure Disk Storage — https://learn.microsoft.com/azure/virtual-machines/disk-encryption",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("diskEncryptionSetId");

const NATIVE: Want = Want::present("encryption.diskEncryptionSetId");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "managed disk",
        "is encrypted with a platform-managed key only",
    )
}
