//! AZURE-NETWORK-003: Network security groups do not open database or remote-administration ports to the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::nsg_ports_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-003",
    name: "nsg-no-admin-or-database-ports-from-internet",
    title: "Network security groups do not open database or remote-administration ports to the internet",
    description: "Databases, caches, search engines, Windows file sharing, telnet, VNC, WinRM and the Docker API should never answer the whole internet.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_network_security_group", "azure:network/networkSecurityGroup:NetworkSecurityGroup", "azure-native:network:NetworkSecurityGroup", "azurerm_network_security_rule", "azure:network/networkSecurityRule:NetworkSecurityRule", "azure-native:network:SecurityRule"],
    remediation: "Limit the rule's source to known ranges, or reach these services through private endpoints, Bastion or a VPN.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Network security groups (`azurerm_network_security_group` with inline `security_rule` blocks, Pulumi `azure:network/networkSecurityGroup:NetworkSecurityGroup` and Azure Native `azure-native:network:NetworkSecurityGroup` with `securityRules`) and security rules of their own (`azurerm_network_security_rule`, Pulumi `azure:network/networkSecurityRule:NetworkSecurityRule`, Azure Native `azure-native:network:SecurityRule`): no rule with `direction` `Inbound` and `access` `Allow` whose source (`source_address_prefix(es)`, Pulumi and Azure Native `sourceAddressPrefix(es)`) is `*`, `Internet`, `Any` or a `/0` range may open any of these TCP ports: 21 (ftp), 23 (telnet), 135 (msrpc), 139 (netbios), 445 (smb), 1433 (mssql), 1521 (oracle), 2375/2376 (docker), 3306 (mysql), 5432 (postgresql), 5900 (vnc), 5985/5986 (winrm), 6379 (redis), 9200 (elasticsearch), 11211 (memcached), 27017 (mongodb). SSH and RDP are AZURE-NETWORK-001 and 002.",
        why: "These services are built for trusted networks: many have weak or no authentication by default and are mass-scanned for data theft and ransom (open Redis, Elasticsearch and MongoDB instances are wiped daily).",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityRule("sql", { /* ... */ direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "1433", sourceAddressPrefix: "*", destinationAddressPrefix: "*" });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("redis", { /* ... */ direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "6379", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*" });

Terraform:

    resource "azurerm_network_security_rule" "postgres" {
      # ...
      direction              = "Inbound"
      access                 = "Allow"
      protocol               = "Tcp"
      destination_port_range = "5432"
      source_address_prefix  = "*"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityRule("sql", { /* ... */ destinationPortRange: "1433", sourceAddressPrefix: "VirtualNetwork" });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("redis", { /* ... */ destinationPortRange: "6379", sourceAddressPrefix: "10.1.0.0/16" });

Terraform:

    resource "azurerm_network_security_rule" "postgres" {
      # ...
      destination_port_range = "5432"
      source_address_prefix  = "10.1.0.0/16"
    }"#,
        fix: "Narrow the source to known address ranges or service tags, or remove the rule and reach the machines through Azure Bastion, just-in-time VM access or a VPN. No automatic fix: the right sources must be chosen.",
        references: &[
            "Microsoft Learn: Network security groups (security rules) — https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
            "Microsoft cloud security benchmark: NS-1, NS-2",
            "PCI DSS v4.0: 1.3.1; NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const PORTS: &[u16] = &[
    21, 23, 135, 139, 445, 1433, 1521, 2375, 2376, 3306, 5432, 5900, 5985, 5986, 6379, 9200, 11211,
    27017,
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    nsg_ports_verdict(view, "Tcp", PORTS, "database or administration traffic")
}
