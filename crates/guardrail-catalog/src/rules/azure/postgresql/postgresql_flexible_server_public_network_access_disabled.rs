//! AZURE-POSTGRESQL-006: PostgreSQL flexible servers are not reachable from public networks.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-006",
    name: "postgresql-flexible-server-public-network-access-disabled",
    title: "PostgreSQL flexible servers are not reachable from public networks",
    description: "A flexible server with public access takes connections from the internet, limited only by its firewall rules.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_postgresql_flexible_server", "azure:postgresql/flexibleServer:FlexibleServer", "azure-native:dbforpostgresql:Server"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `network.publicNetworkAccess: "Disabled"`) and use private endpoints, or deploy the server into a delegated subnet."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL flexible servers in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (azurerm 4 default `true`), Azure Native `network.publicNetworkAccess` (unset: `Enabled`). A server injected into a virtual network (`delegated_subnet_id`, Azure Native `network.delegatedSubnetResourceId`) has no public endpoint and is not applicable. Advisory by default.",
        why: "A public endpoint exposes the server's login to the internet; one wide firewall rule then exposes every database. Private access keeps traffic inside the virtual network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServer("app", { /* ... */ publicNetworkAccessEnabled: true });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Server("app", { /* ... */ network: { publicNetworkAccess: "Enabled" } });

Terraform:

    resource "azurerm_postgresql_flexible_server" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServer("app", { /* ... */ delegatedSubnetId: dbSubnet.id, privateDnsZoneId: zone.id, publicNetworkAccessEnabled: false });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Server("app", { /* ... */ network: { publicNetworkAccess: "Disabled" } });

Terraform:

    resource "azurerm_postgresql_flexible_server" "app" {
      # ...
      public_network_access_enabled = false
    }

    resource "azurerm_private_endpoint" "app_db" {
      # ... subresource_names = ["postgresqlServer"]
    }"#,
        fix: "Add a private endpoint (or redeploy into a delegated subnet) and disable public access. No automatic fix.",
        references: &[
            "Microsoft Learn: Networking overview for Azure Database for PostgreSQL flexible server — https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking",
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
        "PostgreSQL flexible server",
        "is reachable from public networks",
    )
}
