//! AZURE-POSTGRESQL-010: PostgreSQL single servers are not reachable from public networks.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-010",
    name: "postgresql-server-public-network-access-disabled",
    title: "PostgreSQL single servers are not reachable from public networks",
    description: "A PostgreSQL server with public network access takes connections from the internet, limited only by its firewall rules.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_postgresql_server", "azure:postgresql/server:Server", "azure-native:dbforpostgresql:SingleServer"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `properties.publicNetworkAccess: "Disabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL single servers in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (default `true`), Azure Native `properties.publicNetworkAccess` (unset: `Enabled`). Advisory by default. Azure Native spells single servers `azure-native:dbforpostgresql:SingleServer` and keeps their settings under `properties` (the create-mode union is not flattened).",
        why: "A public endpoint exposes the server's login to password spraying and exploits from the whole internet.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        publicNetworkAccessEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        // ...
        properties: { publicNetworkAccess: "Enabled" },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        publicNetworkAccessEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        // ...
        properties: { publicNetworkAccess: "Disabled" },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      public_network_access_enabled = false
    }"#,
        fix: "Use private endpoints and disable public access. No automatic fix.",
        references: &[
            "Microsoft Learn: Private Link for Azure Database for PostgreSQL - Single Server — https://learn.microsoft.com/azure/postgresql/single-server/concepts-data-access-and-security-private-link",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("properties.publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "PostgreSQL server",
        "is reachable from public networks",
    )
}
