//! AZURE-NETWORK-001: Network security groups do not open SSH to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::nsg_ports_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-001",
    name: "nsg-no-ssh-from-internet",
    title: "Network security groups do not open SSH to the internet",
    description: "An inbound allow rule from any source to port 22 exposes SSH to constant brute-force and exploit attempts.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["6.2"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_network_security_group", "azure:network/networkSecurityGroup:NetworkSecurityGroup", "azure-native:network:NetworkSecurityGroup", "azurerm_network_security_rule", "azure:network/networkSecurityRule:NetworkSecurityRule", "azure-native:network:SecurityRule"],
    remediation: "Limit the rule's source to known ranges, or use Azure Bastion or just-in-time access instead of an open port 22.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Network security groups (`azurerm_network_security_group` with inline `security_rule` blocks, Pulumi `azure:network/networkSecurityGroup:NetworkSecurityGroup` and Azure Native `azure-native:network:NetworkSecurityGroup` with `securityRules`) and security rules of their own (`azurerm_network_security_rule`, Pulumi `azure:network/networkSecurityRule:NetworkSecurityRule`, Azure Native `azure-native:network:SecurityRule`): no rule with `direction` `Inbound` and `access` `Allow` whose source (`source_address_prefix(es)`, Pulumi and Azure Native `sourceAddressPrefix(es)`) is `*`, `Internet`, `Any` or a `/0` range may open TCP port 22 (its `destination_port_range(s)`, Pulumi and Azure Native `destinationPortRange(s)`, by a single port, a range or `*`; protocol `Tcp` or `*`). Each offending rule is one violation.",
        why: "SSH on the internet is scanned within minutes of exposure; weak or leaked credentials and SSH server vulnerabilities then give an attacker a shell inside the network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityGroup("web", {
        // ...
        securityRules: [{ name: "ssh", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp",
            sourcePortRange: "*", destinationPortRange: "22", sourceAddressPrefix: "*", destinationAddressPrefix: "*" }],
    });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("ssh", {
        resourceGroupName: rg.name,
        networkSecurityGroupName: nsg.name,
        priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp",
        sourcePortRange: "*", destinationPortRange: "22", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*",
    });

Terraform:

    resource "azurerm_network_security_rule" "ssh" {
      # ...
      direction                  = "Inbound"
      access                     = "Allow"
      protocol                   = "Tcp"
      source_port_range          = "*"
      destination_port_range     = "22"
      source_address_prefix      = "*"
      destination_address_prefix = "*"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityGroup("web", {
        // ...
        securityRules: [{ name: "ssh-office", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp",
            sourcePortRange: "*", destinationPortRange: "22", sourceAddressPrefix: "203.0.113.0/24", destinationAddressPrefix: "*" }],
    });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("ssh", {
        // ...
        destinationPortRange: "22", sourceAddressPrefix: "203.0.113.0/24",
    });

Terraform:

    resource "azurerm_network_security_rule" "ssh" {
      # ...
      destination_port_range = "22"
      source_address_prefix  = "203.0.113.0/24"
    }"#,
        fix: "Narrow the source to known address ranges or service tags, or remove the rule and reach the machines through Azure Bastion, just-in-time VM access or a VPN. No automatic fix: the right sources must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 6.2 Ensure that SSH access from the Internet is evaluated and restricted",
            "Microsoft Learn: Network security groups (security rules) — https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
            "PCI DSS v4.0: 1.3.1; NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const PORTS: &[u16] = &[22];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    nsg_ports_verdict(view, "Tcp", PORTS, "SSH")
}
