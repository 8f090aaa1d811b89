//! AZURE-MYSQL-002: MySQL flexible servers are not reachable from public networks.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-002",
    name: "mysql-flexible-server-public-network-access-disabled",
    title: "MySQL flexible servers are not reachable from public networks",
    description: "A MySQL flexible server with public access takes connections from the internet, limited only by its firewall rules.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_mysql_flexible_server", "azure:mysql/flexibleServer:FlexibleServer", "azure-native:dbformysql:Server"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `network.publicNetworkAccess: "Disabled"`), or deploy the server into a delegated subnet."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "MySQL flexible servers in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (azurerm 4 default `true`), Azure Native `network.publicNetworkAccess` (unset: `Enabled`). A server in a delegated subnet (`delegated_subnet_id`, Azure Native `network.delegatedSubnetResourceId`) is not applicable. Advisory by default.",
        why: "A public endpoint exposes the server's login to the internet; one wide firewall rule then exposes all its databases.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServer("app", { /* ... */ });

Pulumi Azure Native (TypeScript):

    new dbformysql.Server("app", { /* ... */ network: { publicNetworkAccess: "Enabled" } });

Terraform:

    resource "azurerm_mysql_flexible_server" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServer("app", { /* ... */ delegatedSubnetId: dbSubnet.id, privateDnsZoneId: zone.id });

Pulumi Azure Native (TypeScript):

    new dbformysql.Server("app", { /* ... */ network: { publicNetworkAccess: "Disabled" } });

Terraform:

    resource "azurerm_mysql_flexible_server" "app" {
      # ...
      public_network_access_enabled = false
    }"#,
        fix: "Use private endpoints or VNet integration, then disable public access. No automatic fix.",
        references: &[
            "Microsoft Learn: Connectivity and networking concepts for Azure Database for MySQL flexible server — https://learn.microsoft.com/azure/mysql/flexible-server/concepts-networking",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("network.publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let subnet = if is_native(view) {
        "network.delegatedSubnetResourceId"
    } else {
        "delegatedSubnetId"
    };
    // set, even to an id known only after apply: the server has no public endpoint
    if !matches!(view.field(subnet), Ok(None)) {
        return Ok(Verdict::not_applicable(
            "the server is injected into a virtual network (private access)",
        ));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "MySQL flexible server",
        "is reachable from public networks",
    )
}
