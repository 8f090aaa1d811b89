//! AZURE-VM-002: Virtual machines encrypt at the host.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-002",
    name: "vm-encryption-at-host",
    title: "Virtual machines encrypt at the host",
    description: "Encryption at host also encrypts temporary disks and disk caches, which server-side encryption of managed disks does not cover.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["vm"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["3.5.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] }, Control { framework: "nist-800-53", controls: &["SC-28"] }]),
    resource_types: &["azurerm_linux_virtual_machine", "azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azure-native:compute:VirtualMachine", "azurerm_windows_virtual_machine", "azure:compute/windowsVirtualMachine:WindowsVirtualMachine"],
    remediation: "Set `encryption_at_host_enabled = true` (Pulumi `encryptionAtHostEnabled`, Azure Native `securityProfile.encryptionAtHost: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Linux and Windows virtual machines (`azurerm_linux_virtual_machine`, `azurerm_windows_virtual_machine`, their Pulumi `azure:compute/...` spellings, Azure Native `azure-native:compute:VirtualMachine`): Terraform and Pulumi `azure` read `encryption_at_host_enabled`, Azure Native `securityProfile.encryptionAtHost`; both default to `false`. Advisory by default (the subscription feature `EncryptionAtHost` must be registered).",
        why: "Managed disks are encrypted at rest in storage, but the temporary disk and the OS and data disk caches on the host are not; sensitive data paged or cached there is readable by anyone with access to the host hardware.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", { /* ... */ });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      encryption_at_host_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", { /* ... */ encryptionAtHostEnabled: true });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", { /* ... */ securityProfile: { encryptionAtHost: true } });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      encryption_at_host_enabled = true
    }"#,
        fix: "Register the feature, deallocate the machine and enable it. No automatic fix: the machine must be stopped.",
        references: &[
            "Microsoft Learn: Use the Azure portal to enable end-to-end encryption using encryption at host — https://learn.microsoft.com/azure/virtual-machines/disks-enable-host-based-encryption-portal",
            "PCI DSS v4.0: 3.5.1; NIST SP 800-53 Rev. 5: SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("encryptionAtHostEnabled", false);

const NATIVE: Want = Want::on("securityProfile.encryptionAtHost", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "virtual machine",
        "does not encrypt at the host",
    )
}
