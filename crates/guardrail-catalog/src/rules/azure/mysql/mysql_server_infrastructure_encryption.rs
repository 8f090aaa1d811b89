//! AZURE-MYSQL-010: MySQL single servers use infrastructure double encryption.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-010",
    name: "mysql-server-infrastructure-encryption",
    title: "MySQL single servers use infrastructure double encryption",
    description: "Infrastructure double encryption adds a second, independent layer of encryption at rest.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "nist-800-53", controls: &["SC-28(1)"] }]),
    resource_types: &["azurerm_mysql_server", "azure:mysql/server:Server", "azure-native:dbformysql:SingleServer"],
    remediation: r#"Set `infrastructure_encryption_enabled = true` (Pulumi `infrastructureEncryptionEnabled`, Azure Native `properties.infrastructureEncryption: "Enabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "MySQL single servers in every spelling: Terraform and Pulumi `azure` read `infrastructure_encryption_enabled` (default `false`), Azure Native `properties.infrastructureEncryption` (default `Disabled`). Advisory by default.",
        why: "Two layers with different keys protect the data if one layer is compromised.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        infrastructureEncryptionEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { infrastructureEncryption: "Disabled" },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      infrastructure_encryption_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        infrastructureEncryptionEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { infrastructureEncryption: "Enabled" },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      infrastructure_encryption_enabled = true
    }"#,
        fix: "It can only be chosen at creation. No automatic fix.",
        references: &[
            "Microsoft Learn: Infrastructure double encryption for Azure Database for MySQL — https://learn.microsoft.com/azure/mysql/single-server/concepts-infrastructure-double-encryption",
            "NIST SP 800-53 Rev. 5: SC-28(1)",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("infrastructureEncryptionEnabled", false);

const NATIVE: Want = Want::one_of(
    "properties.infrastructureEncryption",
    &["Enabled"],
    "Disabled",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "MySQL server",
        "does not use infrastructure double encryption",
    )
}
