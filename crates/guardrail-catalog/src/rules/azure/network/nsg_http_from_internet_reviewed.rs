//! AZURE-NETWORK-004: Network security groups open HTTP(S) to the internet only where intended.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::nsg_ports_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-004",
    name: "nsg-http-from-internet-reviewed",
    title: "Network security groups open HTTP(S) to the internet only where intended",
    description: "Web ports open to the internet on machines that are not meant to be public web servers widen the attack surface.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["6.4"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_network_security_group", "azure:network/networkSecurityGroup:NetworkSecurityGroup", "azure-native:network:NetworkSecurityGroup", "azurerm_network_security_rule", "azure:network/networkSecurityRule:NetworkSecurityRule", "azure-native:network:SecurityRule"],
    remediation: "Put web servers behind Application Gateway or Front Door and allow 80/443 only from their service tags, or exempt the groups of intended public web servers.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Network security groups (`azurerm_network_security_group` with inline `security_rule` blocks, Pulumi `azure:network/networkSecurityGroup:NetworkSecurityGroup` and Azure Native `azure-native:network:NetworkSecurityGroup` with `securityRules`) and security rules of their own (`azurerm_network_security_rule`, Pulumi `azure:network/networkSecurityRule:NetworkSecurityRule`, Azure Native `azure-native:network:SecurityRule`): no rule with `direction` `Inbound` and `access` `Allow` whose source (`source_address_prefix(es)`, Pulumi and Azure Native `sourceAddressPrefix(es)`) is `*`, `Internet`, `Any` or a `/0` range may open TCP port 80 or 443. Advisory by default: public web servers need these ports; use an exemption for them, and the finding to review every other one.",
        why: "Web servers exposed directly (instead of through a gateway with a WAF) receive exploit traffic for every framework vulnerability; CIS asks that each such exposure be evaluated.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityRule("http", { /* ... */ direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "80", sourceAddressPrefix: "*", destinationAddressPrefix: "*" });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("http", { /* ... */ direction: "Inbound", access: "Allow", protocol: "Tcp", sourcePortRange: "*", destinationPortRange: "80", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*" });

Terraform:

    resource "azurerm_network_security_rule" "http" {
      # ...
      destination_port_range = "80"
      source_address_prefix  = "*"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityRule("http", { /* ... */ destinationPortRange: "443", sourceAddressPrefix: "GatewayManager" });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("https", { /* ... */ destinationPortRange: "443", sourceAddressPrefix: "AzureFrontDoor.Backend" });

Terraform:

    resource "azurerm_network_security_rule" "https" {
      # ...
      destination_port_range = "443"
      source_address_prefix  = "AzureFrontDoor.Backend"
    }"#,
        fix: "Review the exposure; put the service behind a gateway or exempt the rule with a reason. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 6.4 Ensure that HTTP(S) access from the Internet is evaluated and restricted",
            "Microsoft Learn: Network security groups — https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const PORTS: &[u16] = &[80, 443];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    nsg_ports_verdict(view, "Tcp", PORTS, "HTTP or HTTPS")
}
