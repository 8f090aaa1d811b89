//! AZURE-MYSQL-005: MySQL single servers enforce SSL connections.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-005",
    name: "mysql-server-ssl-enforced",
    title: "MySQL single servers enforce SSL connections",
    description: "A MySQL server that does not enforce SSL accepts clients whose passwords and queries cross the network in clear text.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.4.1"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_mysql_server", "azure:mysql/server:Server", "azure-native:dbformysql:SingleServer"],
    remediation: r#"Set `ssl_enforcement_enabled = true` (Pulumi `sslEnforcementEnabled`, Azure Native `properties.sslEnforcement: "Enabled"`)."#,
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure Database for MySQL single servers (`azurerm_mysql_server`, Pulumi `azure:mysql/server:Server`, Azure Native `azure-native:dbformysql:SingleServer`, settings under `properties`): Terraform and Pulumi `azure` read `ssl_enforcement_enabled`, Azure Native `properties.sslEnforcement` (server default `Enabled`).",
        why: "Without enforcement a client can connect in clear text, exposing credentials and data on the network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        sslEnforcementEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { sslEnforcement: "Disabled" },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      ssl_enforcement_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        sslEnforcementEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { sslEnforcement: "Enabled" },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      ssl_enforcement_enabled = true
    }"#,
        fix: "Enforce SSL once clients connect with TLS. guardrail's fix is unsafe: clients without SSL are refused afterwards.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.4.1 Ensure 'Enforce SSL connection' is set to 'Enabled' for Standard MySQL Database Server",
            "Microsoft Learn: SSL/TLS connectivity in Azure Database for MySQL - Single Server — https://learn.microsoft.com/azure/mysql/single-server/concepts-ssl-connection-security",
            "NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::on("sslEnforcementEnabled", true);

const NATIVE: Want = Want::one_of("properties.sslEnforcement", &["Enabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "MySQL server",
        "accepts connections without SSL",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Bool(true)),
        (NATIVE, Lit::Text("Enabled")),
    )
}
