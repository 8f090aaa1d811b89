//! AZURE-VM-006: Windows virtual machines install updates automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{canonical, is_native, read, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-006",
    name: "vm-windows-automatic-updates",
    title: "Windows virtual machines install updates automatically",
    description: "Turning automatic updates off leaves Windows machines without security patches unless another process installs them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["vm"],
    topics: &["patching"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["6.3.3"] }, Control { framework: "soc2", controls: &["CC7.1"] }, Control { framework: "iso27001", controls: &["A.8.8"] }, Control { framework: "nist-800-53", controls: &["SI-2"] }]),
    resource_types: &["azurerm_windows_virtual_machine", "azure:compute/windowsVirtualMachine:WindowsVirtualMachine", "azure-native:compute:VirtualMachine", "azurerm_linux_virtual_machine"],
    remediation: "Set `automatic_updates_enabled = true` (Pulumi `automaticUpdatesEnabled`, Azure Native `osProfile.windowsConfiguration.enableAutomaticUpdates: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Windows virtual machines (`azurerm_windows_virtual_machine`, Pulumi `azure:compute/windowsVirtualMachine:WindowsVirtualMachine`, Azure Native `azure-native:compute:VirtualMachine` with a `windowsConfiguration`): Terraform and Pulumi `azure` read `automatic_updates_enabled` (azurerm 3: `enable_automatic_updates`), Azure Native `osProfile.windowsConfiguration.enableAutomaticUpdates`; all default to `true`. Linux machines on Azure Native are not applicable.",
        why: "Unpatched Windows hosts are the most common way in for ransomware; automatic updates (or Azure Update Manager) keep them current.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.WindowsVirtualMachine("win", {
        // ...
        automaticUpdatesEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("win", {
        // ...
        osProfile: { windowsConfiguration: { enableAutomaticUpdates: false } },
    });

Terraform:

    resource "azurerm_windows_virtual_machine" "win" {
      # ...
      automatic_updates_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.WindowsVirtualMachine("win", {
        // ...
        automaticUpdatesEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("win", {
        // ...
        osProfile: { windowsConfiguration: { enableAutomaticUpdates: true } },
    });

Terraform:

    resource "azurerm_windows_virtual_machine" "win" {
      # ...
      automatic_updates_enabled = true
    }"#,
        fix: r#"Turn automatic updates back on, or patch with Azure Update Manager (`patch_mode = "AutomaticByPlatform"`) and document it with an exemption. No automatic fix."#,
        references: &[
            "Microsoft Learn: Automatic VM guest patching for Azure VMs — https://learn.microsoft.com/azure/virtual-machines/automatic-vm-guest-patching",
            "NIST SP 800-53 Rev. 5: SI-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("automaticUpdatesEnabled|enableAutomaticUpdates", true);

const NATIVE: Want = Want::on(
    "osProfile.windowsConfiguration.enableAutomaticUpdates",
    true,
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if is_native(view) && read(view, "osProfile.windowsConfiguration")?.is_none() {
        return Ok(Verdict::not_applicable("not a Windows virtual machine"));
    }
    if canonical(&view) == "azurerm_linux_virtual_machine" && !is_native(view) {
        return Ok(Verdict::not_applicable("not a Windows virtual machine"));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Windows virtual machine",
        "does not install updates automatically",
    )
}
