//! AZURE-SQL-007: SQL servers restrict outbound network access.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-007",
    name: "sql-server-outbound-network-restricted",
    title: "SQL servers restrict outbound network access",
    description: "Outbound restrictions stop a compromised database from sending data to arbitrary endpoints (BULK INSERT, external tables, linked servers).",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["sql"],
    topics: &["network", "data-protection"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.12"] }, Control { framework: "nist-800-53", controls: &["SC-7", "AC-4"] }]),
    resource_types: &["azurerm_mssql_server", "azure:mssql/server:Server", "azure-native:sql:Server"],
    remediation: r#"Set `outbound_network_restriction_enabled = true` (Pulumi `outboundNetworkRestrictionEnabled`, Azure Native `restrictOutboundNetworkAccess: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Logical SQL servers in every spelling: Terraform and Pulumi `azure` read `outbound_network_restriction_enabled` (default `false`), Azure Native `restrictOutboundNetworkAccess` (default `Disabled`). Advisory by default.",
        why: "With outbound restriction on, the server reaches only the fully qualified domain names listed as allowed, which closes a common data exfiltration path.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        outboundNetworkRestrictionEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        // ...
        restrictOutboundNetworkAccess: "Disabled",
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      outbound_network_restriction_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        outboundNetworkRestrictionEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        // ...
        restrictOutboundNetworkAccess: "Enabled",
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      outbound_network_restriction_enabled = true
    }"#,
        fix: "Turn it on and list the allowed outbound FQDNs. No automatic fix: features that call out must be listed first.",
        references: &[
            "Microsoft Learn: Outbound firewall rules for Azure SQL Database — https://learn.microsoft.com/azure/azure-sql/database/outbound-firewall-rule-overview",
            "NIST SP 800-53 Rev. 5: AC-4, SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("outboundNetworkRestrictionEnabled", false);

const NATIVE: Want = Want::one_of("restrictOutboundNetworkAccess", &["Enabled"], "Disabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL server",
        "allows outbound connections to any endpoint",
    )
}
