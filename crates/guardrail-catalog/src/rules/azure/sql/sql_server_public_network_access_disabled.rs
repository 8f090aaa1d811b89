//! AZURE-SQL-001: SQL servers are reached through private endpoints only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-001",
    name: "sql-server-public-network-access-disabled",
    title: "SQL servers are reached through private endpoints only",
    description: "A logical SQL server with public network access takes connections from the internet, limited only by its firewall rules.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["sql"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_mssql_server", "azure:mssql/server:Server", "azure-native:sql:Server"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `publicNetworkAccess: "Disabled"`) and connect through private endpoints."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Logical SQL servers (`azurerm_mssql_server`, Pulumi `azure:mssql/server:Server`, Azure Native `azure-native:sql:Server`): public network access must be disabled. Terraform and Pulumi `azure` read `public_network_access_enabled` (default `true`), Azure Native `publicNetworkAccess` (unset: `Enabled`). Advisory by default.",
        why: r#"With public access on, the server's endpoint is reachable from the internet and one permissive firewall rule (or the "Allow Azure services" rule) exposes every database to password spraying and exploitation. Private endpoints keep the traffic on private addresses."#,
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        version: "12.0",
        administratorLogin: "sqladmin",
        administratorLoginPassword: password,
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        resourceGroupName: rg.name,
        administratorLogin: "sqladmin",
        administratorLoginPassword: password,
        publicNetworkAccess: "Enabled",
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        publicNetworkAccessEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        // ...
        publicNetworkAccess: "Disabled",
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      public_network_access_enabled = false
    }"#,
        fix: "Add a private endpoint (sub-resource `sqlServer`) with its private DNS zone, move clients to it, then disable public access. No automatic fix.",
        references: &[
            "Microsoft Learn: Azure SQL connectivity settings (deny public network access) — https://learn.microsoft.com/azure/azure-sql/database/connectivity-settings",
            "Microsoft cloud security benchmark: NS-2",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL server",
        "is reachable from public networks",
    )
}
