//! AZURE-VM-008: Virtual machines have a virtual TPM.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-008",
    name: "vm-vtpm-enabled",
    title: "Virtual machines have a virtual TPM",
    description: "A virtual TPM enables measured boot and attestation, and protects keys and credentials on the machine.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["vm"],
    topics: &["hardening"],
    frameworks: Frameworks::Mapped(&[Control { framework: "iso27001", controls: &["A.8.9"] }, Control { framework: "nist-800-53", controls: &["SI-7"] }]),
    resource_types: &["azurerm_linux_virtual_machine", "azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azure-native:compute:VirtualMachine", "azurerm_windows_virtual_machine", "azure:compute/windowsVirtualMachine:WindowsVirtualMachine"],
    remediation: "Set `vtpm_enabled = true` (Pulumi `vtpmEnabled`, Azure Native `securityProfile.uefiSettings.vTpmEnabled: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Linux and Windows virtual machines in every spelling: Terraform and Pulumi `azure` read `vtpm_enabled`, Azure Native `securityProfile.uefiSettings.vTpmEnabled`; both default to `false`. Advisory by default: it needs Trusted Launch (a Gen2 image).",
        why: "Without a TPM, boot integrity cannot be attested and credentials cannot be sealed to the machine; Trusted Launch pairs it with Secure Boot (AZURE-VM-003).",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", {
        // ...
        vtpmEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", {
        // ...
        securityProfile: { uefiSettings: { vTpmEnabled: false } },
    });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      vtpm_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", {
        // ...
        vtpmEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", {
        // ...
        securityProfile: { uefiSettings: { vTpmEnabled: true } },
    });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      vtpm_enabled = true
    }"#,
        fix: "Enable Trusted Launch with vTPM. No automatic fix: it may replace the machine.",
        references: &[
            "Microsoft Learn: Trusted Launch for Azure virtual machines — https://learn.microsoft.com/azure/virtual-machines/trusted-launch",
            "NIST SP 800-53 Rev. 5: SI-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("vtpmEnabled", false);

const NATIVE: Want = Want::on("securityProfile.uefiSettings.vTpmEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "virtual machine",
        "has no virtual TPM",
    )
}
