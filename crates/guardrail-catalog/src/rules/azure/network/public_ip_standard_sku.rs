//! AZURE-NETWORK-006: Public IP addresses use the Standard SKU.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-006",
    name: "public-ip-standard-sku",
    title: "Public IP addresses use the Standard SKU",
    description: "Basic public IPs are open to inbound traffic unless an NSG blocks it, have no zone redundancy, and are retired.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["network"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_public_ip", "azure:network/publicIp:PublicIp", "azure-native:network:PublicIPAddress"],
    remediation: r#"Set `sku = "Standard"` (Pulumi `sku`, Azure Native `sku: { name: "Standard" }`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Public IP addresses (`azurerm_public_ip`, Pulumi `azure:network/publicIp:PublicIp`, Azure Native `azure-native:network:PublicIPAddress`): Terraform and Pulumi `azure` read `sku` (azurerm 4 default `Standard`; plans of older providers show their `Basic` default explicitly), Azure Native `sku.name` (unset: `Basic`). `Basic` is a violation. Advisory by default.",
        why: "A Standard public IP is closed to inbound traffic until a network security group allows it (secure by default); a Basic one is open. Basic IPs also lack availability zones and were retired on 30 September 2025.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.PublicIp("web", { /* ... */ allocationMethod: "Dynamic", sku: "Basic" });

Pulumi Azure Native (TypeScript):

    new network.PublicIPAddress("web", { /* ... */ publicIPAllocationMethod: "Dynamic" });

Terraform:

    resource "azurerm_public_ip" "web" {
      # ...
      allocation_method = "Dynamic"
      sku               = "Basic"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.PublicIp("web", { /* ... */ allocationMethod: "Static", sku: "Standard" });

Pulumi Azure Native (TypeScript):

    new network.PublicIPAddress("web", { /* ... */ publicIPAllocationMethod: "Static", sku: { name: "Standard" } });

Terraform:

    resource "azurerm_public_ip" "web" {
      # ...
      allocation_method = "Static"
      sku               = "Standard"
    }"#,
        fix: "Upgrade the address to Standard (static allocation) and add an NSG that allows the intended traffic. No automatic fix: the SKU change needs the NSG and replaces dynamic addresses.",
        references: &[
            "Microsoft Learn: Public IP addresses in Azure (SKU) — https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-addresses#sku",
            "Microsoft Learn: Upgrade a basic public IP address to standard SKU — https://learn.microsoft.com/azure/virtual-network/ip-services/public-ip-basic-upgrade-guidance",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of("sku", &["Standard"], "Standard");

const NATIVE: Want = Want::one_of("sku.name", &["Standard"], "Basic");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "public IP address",
        "does not use the Standard SKU",
    )
}
