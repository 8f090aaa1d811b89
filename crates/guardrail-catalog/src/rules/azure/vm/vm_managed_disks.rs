//! AZURE-VM-009: Virtual machines use managed disks.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, canonical, is_native};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-009",
    name: "vm-managed-disks",
    title: "Virtual machines use managed disks",
    description: "Unmanaged disks are VHD blobs in a storage account: their protection depends on that account's keys and settings.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["vm"],
    topics: &["data-protection", "encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["7.2"] }, Control { framework: "pci-dss", controls: &["3.5.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(a)(2)(iv)"] }, Control { framework: "nist-800-53", controls: &["SC-28"] }]),
    resource_types: &["azurerm_virtual_machine", "azure:compute/virtualMachine:VirtualMachine", "azure-native:compute:VirtualMachine", "azurerm_linux_virtual_machine"],
    remediation: "Convert the machine to managed disks (`managed_disk_type` in `storage_os_disk` of `azurerm_virtual_machine`, or the `azurerm_linux_virtual_machine` / `azurerm_windows_virtual_machine` resources, which use managed disks only).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Virtual machines of the legacy `azurerm_virtual_machine` (Pulumi `azure:compute/virtualMachine:VirtualMachine`) and Azure Native `azure-native:compute:VirtualMachine`: the OS disk must not be an unmanaged VHD, i.e. `storage_os_disk[0].vhd_uri` (Pulumi `storageOsDisk.vhdUri`, Azure Native `storageProfile.osDisk.vhd.uri`) must not be set. The newer `azurerm_linux_virtual_machine` and `azurerm_windows_virtual_machine` always use managed disks and are not applicable.",
        why: "A VHD blob is readable by anyone with the storage account key or a SAS, is not covered by disk RBAC, disk encryption sets or export controls, and shares the account's limits; managed disks are encrypted and access-controlled as disks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.VirtualMachine("legacy", {
        // ...
        storageOsDisk: { vhdUri: "https://stlegacyvhds.blob.core.windows.net/vhds/osdisk.vhd" },
    });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("legacy", {
        // ...
        storageProfile: { osDisk: { vhd: { uri: "https://stlegacyvhds.blob.core.windows.net/vhds/osdisk.vhd" } } },
    });

Terraform:

    resource "azurerm_virtual_machine" "legacy" {
      # ...
      storage_os_disk {
        vhd_uri = "https://stlegacyvhds.blob.core.windows.net/vhds/osdisk.vhd"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.VirtualMachine("legacy", {
        // ...
        storageOsDisk: { managedDiskType: "Premium_LRS" },
    });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("legacy", {
        // ...
        storageProfile: { osDisk: { managedDisk: { storageAccountType: "Premium_LRS" } } },
    });

Terraform:

    resource "azurerm_virtual_machine" "legacy" {
      # ...
      storage_os_disk {
        managed_disk_type = "Premium_LRS"
      }
    }"#,
        fix: "Convert the machine to managed disks (`ConvertTo-AzVMManagedDisk`) and update the configuration. No automatic fix: it needs the machine deallocated.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 7.2 Ensure Virtual Machines are utilizing Managed Disks",
            "Microsoft Learn: Migrate your Azure unmanaged disks to managed disks — https://learn.microsoft.com/azure/virtual-machines/unmanaged-disks-deprecation",
            "PCI DSS v4.0: 3.5.1; NIST SP 800-53 Rev. 5: SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let vhd = if is_native(view) {
        "storageProfile.osDisk.vhd.uri"
    } else if canonical(&view) == "azurerm_virtual_machine" {
        "storageOsDisk.vhdUri"
    } else {
        return Ok(Verdict::not_applicable(
            "this resource type always uses managed disks",
        ));
    };
    // set, even to a value known only after apply: an unmanaged disk
    match view.field(vhd) {
        Ok(None) => return Ok(Verdict::Pass),
        Ok(Some(value)) if value.as_str().is_some_and(|s| s.trim().is_empty()) => {
            return Ok(Verdict::Pass)
        }
        _ => {}
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "virtual machine `{}` boots from an unmanaged VHD (`{}` is set)",
            view.resource.name,
            at(view, vhd)
        ))
        .at(at(view, vhd)),
    ))
}
