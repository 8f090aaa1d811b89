//! AZURE-MYSQL-011: MySQL flexible servers run with high availability.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-011",
    name: "mysql-flexible-server-high-availability",
    title: "MySQL flexible servers run with high availability",
    description: "Without high availability a zone or host failure takes the database down until Azure restores it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "iso27001", controls: &["A.8.14"] }, Control { framework: "nist-800-53", controls: &["CP-10"] }]),
    resource_types: &["azurerm_mysql_flexible_server", "azure:mysql/flexibleServer:FlexibleServer", "azure-native:dbformysql:Server"],
    remediation: r#"Set `high_availability.mode = "ZoneRedundant"` (Pulumi `highAvailability.mode`, Azure Native `highAvailability.mode: "ZoneRedundant"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "MySQL flexible servers in every spelling: `high_availability[0].mode` (Pulumi and Azure Native `highAvailability.mode`) must be `ZoneRedundant` or `SameZone`; without the block the server has no standby. Advisory by default: it doubles compute cost.",
        why: "A standby fails over automatically within minutes; without it an outage lasts until the host is replaced.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServer("app", {
        // ...
        highAvailability: { mode: "Disabled" },
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.Server("app", {
        // ...
        highAvailability: { mode: "Disabled" },
    });

Terraform:

    resource "azurerm_mysql_flexible_server" "app" {
      # ...
      high_availability {
        mode = "Disabled"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServer("app", {
        // ...
        highAvailability: { mode: "ZoneRedundant" },
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.Server("app", {
        // ...
        highAvailability: { mode: "ZoneRedundant" },
    });

Terraform:

    resource "azurerm_mysql_flexible_server" "app" {
      # ...
      high_availability {
        mode = "ZoneRedundant"
      }
    }"#,
        fix: "Add a high availability block. No automatic fix: it doubles the cost.",
        references: &[
            "Microsoft Learn: High availability in Azure Database for MySQL flexible server — https://learn.microsoft.com/azure/mysql/flexible-server/concepts-high-availability",
            "NIST SP 800-53 Rev. 5: CP-10",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::one_of(
    "highAvailability.mode",
    &["ZoneRedundant", "SameZone"],
    "Disabled",
);

const NATIVE: Want = Want::one_of(
    "highAvailability.mode",
    &["ZoneRedundant", "SameZone"],
    "Disabled",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "MySQL flexible server",
        "has no standby",
    )
}
