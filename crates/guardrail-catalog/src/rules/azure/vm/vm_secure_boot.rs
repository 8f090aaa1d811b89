//! AZURE-VM-003: Virtual machines boot with Secure Boot.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-003",
    name: "vm-secure-boot",
    title: "Virtual machines boot with Secure Boot",
    description: "Secure Boot (Trusted Launch) stops boot kits and rootkits from loading unsigned boot components.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["vm"],
    topics: &["hardening"],
    frameworks: Frameworks::Mapped(&[Control { framework: "iso27001", controls: &["A.8.9"] }, Control { framework: "nist-800-53", controls: &["SI-7"] }]),
    resource_types: &["azurerm_linux_virtual_machine", "azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azure-native:compute:VirtualMachine", "azurerm_windows_virtual_machine", "azure:compute/windowsVirtualMachine:WindowsVirtualMachine"],
    remediation: r#"Set `secure_boot_enabled = true` and `vtpm_enabled = true` on a Gen2 image (Azure Native `securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } }`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Linux and Windows virtual machines in every spelling: Terraform and Pulumi `azure` read `secure_boot_enabled`, Azure Native `securityProfile.uefiSettings.secureBootEnabled`; both default to `false`. Advisory by default: it needs a Generation 2 image and size.",
        why: "Malware that replaces the bootloader or kernel runs below the operating system and its defences; Secure Boot verifies signatures of every boot component, and with a vTPM, measured boot makes tampering visible to attestation.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", { /* ... */ });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      secure_boot_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", { /* ... */ secureBootEnabled: true, vtpmEnabled: true });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", { /* ... */ securityProfile: { securityType: "TrustedLaunch", uefiSettings: { secureBootEnabled: true, vTpmEnabled: true } } });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      secure_boot_enabled = true
      vtpm_enabled        = true
    }"#,
        fix: "Use a Gen2 image that supports Trusted Launch and enable Secure Boot and vTPM. No automatic fix: it may replace the machine.",
        references: &[
            "Microsoft Learn: Trusted Launch for Azure virtual machines — https://learn.microsoft.com/azure/virtual-machines/trusted-launch",
            "NIST SP 800-53 Rev. 5: SI-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("secureBootEnabled", false);

const NATIVE: Want = Want::on("securityProfile.uefiSettings.secureBootEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "virtual machine",
        "boots without Secure Boot",
    )
}
