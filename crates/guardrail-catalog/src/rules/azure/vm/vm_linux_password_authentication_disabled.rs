//! AZURE-VM-001: Linux virtual machines sign in with SSH keys only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, read, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-VM-001",
    name: "vm-linux-password-authentication-disabled",
    title: "Linux virtual machines sign in with SSH keys only",
    description: "Password sign-in over SSH invites brute-force and credential-stuffing attacks; keys cannot be guessed.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["vm"],
    topics: &["identity", "hardening"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2", "IA-5"] }]),
    resource_types: &["azurerm_linux_virtual_machine", "azure:compute/linuxVirtualMachine:LinuxVirtualMachine", "azure-native:compute:VirtualMachine"],
    remediation: "Set `disable_password_authentication = true` with an `admin_ssh_key` (Pulumi `disablePasswordAuthentication`, Azure Native `osProfile.linuxConfiguration.disablePasswordAuthentication: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Linux virtual machines (`azurerm_linux_virtual_machine`, Pulumi `azure:compute/linuxVirtualMachine:LinuxVirtualMachine`, Azure Native `azure-native:compute:VirtualMachine`): password authentication must be disabled. Terraform and Pulumi `azure` read `disable_password_authentication` (default `true`); Azure Native reads `osProfile.linuxConfiguration.disablePasswordAuthentication`, which the API treats as `false` when unset. Azure Native machines with a `windowsConfiguration`, or without an OS profile (attached disks), are not applicable.",
        why: "SSH endpoints are scanned constantly; a password can be guessed, reused from a breach or phished, whereas a private key never leaves its owner. The admin password also sits in state files and pipelines.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", { /* ... */ adminPassword: password, disablePasswordAuthentication: false });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", { /* ... */ osProfile: { computerName: "app", adminUsername: "azureuser", adminPassword: password } });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      admin_password                  = var.admin_password
      disable_password_authentication = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.compute.LinuxVirtualMachine("app", { /* ... */ adminSshKeys: [{ username: "azureuser", publicKey }] });

Pulumi Azure Native (TypeScript):

    new compute.VirtualMachine("app", { /* ... */ osProfile: { computerName: "app", adminUsername: "azureuser", linuxConfiguration: { disablePasswordAuthentication: true, ssh: { publicKeys: [{ path: "/home/azureuser/.ssh/authorized_keys", keyData: publicKey }] } } } });

Terraform:

    resource "azurerm_linux_virtual_machine" "app" {
      # ...
      disable_password_authentication = true
      admin_ssh_key {
        username   = "azureuser"
        public_key = file("~/.ssh/id_ed25519.pub")
      }
    }"#,
        fix: "Provide an SSH key (or use Entra ID sign-in for Linux) and disable passwords. No automatic fix: changing it replaces the machine.",
        references: &[
            "Microsoft Learn: Detailed steps: Create and manage SSH keys for authentication to a Linux VM in Azure — https://learn.microsoft.com/azure/virtual-machines/linux/create-ssh-keys-detailed",
            "Microsoft cloud security benchmark: IM-6",
            "NIST SP 800-53 Rev. 5: IA-2, IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("disablePasswordAuthentication", true);

const NATIVE: Want = Want::on(
    "osProfile.linuxConfiguration.disablePasswordAuthentication",
    false,
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if is_native(view) {
        if read(view, "osProfile.windowsConfiguration")?.is_some() {
            return Ok(Verdict::not_applicable("a Windows virtual machine"));
        }
        if read(view, "osProfile")?.is_none() {
            return Ok(Verdict::not_applicable(
                "no OS profile: the machine boots an existing disk",
            ));
        }
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Linux virtual machine",
        "accepts password sign-in",
    )
}
