//! AZURE-NETWORK-005: Network security groups do not admit UDP from the internet.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{canonical, internet_rules};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-005",
    name: "nsg-no-udp-from-internet",
    title: "Network security groups do not admit UDP from the internet",
    description: "UDP services open to the internet (DNS, NTP, SNMP, CLDAP, SSDP) are abused for amplification attacks and leak information.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["network"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["6.3"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_network_security_group", "azure:network/networkSecurityGroup:NetworkSecurityGroup", "azure-native:network:NetworkSecurityGroup", "azurerm_network_security_rule", "azure:network/networkSecurityRule:NetworkSecurityRule", "azure-native:network:SecurityRule"],
    remediation: "Limit UDP rules to known sources, or remove them.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Network security groups (`azurerm_network_security_group` with inline `security_rule` blocks, Pulumi `azure:network/networkSecurityGroup:NetworkSecurityGroup` and Azure Native `azure-native:network:NetworkSecurityGroup` with `securityRules`) and security rules of their own (`azurerm_network_security_rule`, Pulumi `azure:network/networkSecurityRule:NetworkSecurityRule`, Azure Native `azure-native:network:SecurityRule`): no rule with `direction` `Inbound` and `access` `Allow` whose source (`source_address_prefix(es)`, Pulumi and Azure Native `sourceAddressPrefix(es)`) is `*`, `Internet`, `Any` or a `/0` range may carry UDP (protocol `Udp`, or `*` / `Any`), on any port.",
        why: "Reflective DDoS attacks use internet-reachable UDP services as amplifiers, and many UDP protocols (SNMP, CLDAP, NetBIOS) disclose configuration to anyone who asks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityRule("dns", { /* ... */ direction: "Inbound", access: "Allow", protocol: "Udp", sourcePortRange: "*", destinationPortRange: "53", sourceAddressPrefix: "*", destinationAddressPrefix: "*" });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("any", { /* ... */ direction: "Inbound", access: "Allow", protocol: "*", sourcePortRange: "*", destinationPortRange: "*", sourceAddressPrefix: "Internet", destinationAddressPrefix: "*" });

Terraform:

    resource "azurerm_network_security_rule" "snmp" {
      # ...
      protocol               = "Udp"
      destination_port_range = "161"
      source_address_prefix  = "*"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkSecurityRule("dns", { /* ... */ protocol: "Udp", destinationPortRange: "53", sourceAddressPrefix: "10.0.0.0/8" });

Pulumi Azure Native (TypeScript):

    new network.SecurityRule("https", { /* ... */ protocol: "Tcp", destinationPortRange: "443", sourceAddressPrefix: "Internet" });

Terraform:

    resource "azurerm_network_security_rule" "snmp" {
      # ...
      protocol              = "Udp"
      source_address_prefix = "10.20.0.0/24"
    }"#,
        fix: "Restrict the source of each UDP rule. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 6.3 Ensure that UDP access from the Internet is evaluated and restricted",
            "Microsoft Learn: Network security groups — https://learn.microsoft.com/azure/virtual-network/network-security-groups-overview",
            "NIST SP 800-53 Rev. 5: SC-7, SC-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let own = canonical(&view) == "azurerm_network_security_rule";
    let mut violations = Vec::new();
    for rule in internet_rules(view)? {
        if !rule.carries("Udp") {
            continue;
        }
        let message = if own {
            format!(
                "security rule `{}` admits UDP from the internet",
                view.resource.name
            )
        } else {
            format!(
                "network security group `{}` admits UDP from the internet in {}",
                view.resource.name,
                rule.label()
            )
        };
        let mut violation = Violation::new(message);
        if !rule.path.is_empty() {
            violation = violation.at(rule.path.clone());
        }
        violations.push(violation);
    }
    Ok(Verdict::from_violations(violations))
}
