//! AZURE-VM-010: Virtual machines keep boot diagnostics.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-010",
    name: "vm-boot-diagnostics",
    title: "Virtual machines keep boot diagnostics",
    description: "Boot diagnostics capture the serial console log and screenshots needed to investigate a machine that does not boot.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["vm"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "nist-800-53", controls: &["AU-12"] }]),
    resource_types: &["azurerm_linux_virtual_machine", "azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azure-native:compute:VirtualMachine", "azurerm_windows_virtual_machine", "azure:compute/windowsVirtualMachine:WindowsVirtualMachine"],
    remediation: "Set `boot_diagnostics` (Pulumi `bootDiagnostics`, Azure Native `diagnosticsProfile.bootDiagnostics.enabled: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Linux and Windows virtual machines in every spelling: Terraform and Pulumi `azure` need a `boot_diagnostics` block (empty means a managed storage account), Azure Native `diagnosticsProfile.bootDiagnostics.enabled`. Unset is a violation. Advisory by default.",
        why: "When a machine hangs at boot after a change or an attack, the serial log and screenshot are the only way to see why without rebuilding it.",
        noncompliant: "The virtual machine without `boot_diagnostics` (Pulumi `bootDiagnostics`, Azure Native `diagnosticsProfile.bootDiagnostics.enabled`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", {
        // ...
        bootDiagnostics: {  },
    });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", {
        // ...
        diagnosticsProfile: { bootDiagnostics: { enabled: true } },
    });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      boot_diagnostics {
      }
    }"#,
        fix: "Add `boot_diagnostics {}` (managed storage). guardrail offers no automatic fix.",
        references: &[
            "Microsoft Learn: Azure boot diagnostics — https://learn.microsoft.com/azure/virtual-machines/boot-diagnostics",
            "NIST SP 800-53 Rev. 5: AU-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("bootDiagnostics");

const NATIVE: Want = Want::on("diagnosticsProfile.bootDiagnostics.enabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "virtual machine",
        "keeps no boot diagnostics",
    )
}
