//! AZURE-NETWORK-002: Network security groups do not open RDP to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::nsg_ports_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-002",
    name: "nsg-no-rdp-from-internet",
    title: "Network security groups do not open RDP to the internet",
    description: "An inbound allow rule from any source to port 3389 exposes Remote Desktop to brute-force attacks and RDP exploits.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["6.1"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_network_security_group", "azure:network/networkSecurityGroup:NetworkSecurityGroup", "azure-native:network:NetworkSecurityGroup", "azurerm_network_security_rule", "azure:network/networkSecurityRule:NetworkSecurityRule", "azure-native:network:SecurityRule"],
    remediation: "Limit the rule's source to known ranges, or use Azure Bastion or just-in-time access instead of an open port 3389.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Network security groups (`azurerm_network_security_group` with inline `security_rule` blocks, Pulumi `azure:network/networkSecurityGroup:NetworkSecurityGroup` and Azure Native `azure-native:network:NetworkSecurityGroup` with `securityRules`) and security rules of their own (`azurerm_network_security_rule`, Pulumi `azure:network/networkSecurityRule:NetworkSecurityRule`, Azure Native `azure-native:network:SecurityRule`): no rule with `direction` `Inbound` and `access` `Allow` whose source (`source_address_prefix(es)`, Pulumi and Azure Native `sourceAddressPrefix(es)`) is `*`, `Internet`, `Any` or a `/0` range may open TCP port 3389 (by a single port, a range or `*`; protocol `Tcp` or `*`). Each offending rule is one violation.",
        why: "Internet-facing RDP is one of the most common ransomware entry points: password spraying and unpatched RDP vulnerabilities give direct interactive access to Windows machines.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityGroup("web", { /* ... */ securityRules: [{ name: "rdp", priority: 100, direction: "Inbound", access: "Allow", protocol: "*", sourcePortRange: "*", destinationPortRange: "3389", sourceAddressPrefix: "*", destinationAddressPrefix: "*" }] });

Pulumi Azure Native (TypeScript):

    new network.NetworkSecurityGroup("web", { /* ... */ securityRules: [{ name: "rdp", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "3389", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*" }] });

Terraform:

    resource "azurerm_network_security_group" "web" {
      # ...
      security_rule {
        name                       = "rdp"
        priority                   = 100
        direction                  = "Inbound"
        access                     = "Allow"
        protocol                   = "Tcp"
        source_port_range          = "*"
        destination_port_range     = "3389"
        source_address_prefix      = "*"
        destination_address_prefix = "*"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityGroup("web", { /* ... no inbound 3389 from the internet */ });

Pulumi Azure Native (TypeScript):

    new network.NetworkSecurityGroup("web", { /* ... */ securityRules: [{ name: "rdp-bastion", priority: 100, direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "3389", sourceAddressPrefix: "10.0.250.0/26", destinationAddressPrefix: "*" }] });

Terraform:

    resource "azurerm_network_security_group" "web" {
      # ...
      security_rule {
        # ...
        destination_port_range = "3389"
        source_address_prefix  = azurerm_subnet.bastion.address_prefixes[0]
      }
    }"#,
        fix: "Narrow the source to known address ranges or service tags, or remove the rule and reach the machines through Azure Bastion, just-in-time VM access or a VPN. No automatic fix: the right sources must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 6.1 Ensure that RDP access from the Internet is evaluated and restricted",
            "Microsoft Learn: Network security groups (security rules) — https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
            "PCI DSS v4.0: 1.3.1; NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const PORTS: &[u16] = &[3389];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    nsg_ports_verdict(view, "Tcp", PORTS, "RDP")
}
