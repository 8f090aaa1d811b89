//! AZURE-MYSQL-003: MySQL flexible servers keep require_secure_transport on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-003",
    name: "mysql-flexible-server-requires-tls",
    title: "MySQL flexible servers keep require_secure_transport on",
    description: "Setting require_secure_transport to OFF lets clients connect to a MySQL flexible server without TLS.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.4.1"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_mysql_flexible_server_configuration", "azure:mysql/flexibleServerConfiguration:FlexibleServerConfiguration", "azure-native:dbformysql:Configuration"],
    remediation: "Remove the `require_secure_transport` override or set it to `ON`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "MySQL flexible server parameters (`azurerm_mysql_flexible_server_configuration`, Pulumi `azure:mysql/flexibleServerConfiguration:FlexibleServerConfiguration`, Azure Native `azure-native:dbformysql:Configuration`) named `require_secure_transport` (Azure Native `configurationName`) must not have the `value` `OFF`. The server default is `ON`; other parameters are not applicable.",
        why: "With the parameter off the server accepts unencrypted connections, exposing credentials and data on the network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServerConfiguration("tls", { resourceGroupName: rg.name, serverName: server.name, name: "require_secure_transport", value: "OFF" });

Pulumi Azure Native (TypeScript):

    new dbformysql.Configuration("tls", { resourceGroupName: rg.name, serverName: server.name, configurationName: "require_secure_transport", value: "OFF", source: "user-override" });

Terraform:

    resource "azurerm_mysql_flexible_server_configuration" "tls" {
      name                = "require_secure_transport"
      resource_group_name = azurerm_resource_group.app.name
      server_name         = azurerm_mysql_flexible_server.app.name
      value               = "OFF"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServerConfiguration("tls", { resourceGroupName: rg.name, serverName: server.name, name: "require_secure_transport", value: "ON" });

Pulumi Azure Native (TypeScript):

    new dbformysql.Configuration("tls", { resourceGroupName: rg.name, serverName: server.name, configurationName: "require_secure_transport", value: "ON", source: "user-override" });

Terraform:

    resource "azurerm_mysql_flexible_server_configuration" "tls" {
      # ...
      name  = "require_secure_transport"
      value = "ON"
    }"#,
        fix: "Set `ON` or delete the override. No automatic fix: clients without TLS are refused afterwards.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.4.1 Ensure 'Enforce SSL connection' is set to 'Enabled' for Standard MySQL Database Server",
            "Microsoft Learn: Connect to Azure Database for MySQL flexible server with encrypted connections — https://learn.microsoft.com/azure/mysql/flexible-server/how-to-connect-tls-ssl",
            "PCI DSS v4.0: 4.2.1; NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn parameter<'a>(view: ResourceView<'a>) -> Result<Option<&'a str>, Halt> {
    let key = if is_native(view) {
        "configurationName"
    } else {
        "name"
    };
    Ok(read(view, key)?.and_then(|v| v.as_str()))
}

fn judge(
    view: ResourceView<'_>,
    wanted: &str,
    bad: fn(&str) -> bool,
    problem: &str,
) -> Result<Verdict, Halt> {
    let Some(name) = parameter(view)? else {
        return Ok(Verdict::not_applicable("the parameter name is not set"));
    };
    if !name.trim().eq_ignore_ascii_case(wanted) {
        return Ok(Verdict::not_applicable(format!(
            "`{name}` is not `{wanted}`"
        )));
    }
    let Some(value) = read(view, "value")? else {
        return Ok(Verdict::Pass);
    };
    if !value.as_str().is_some_and(bad) {
        return Ok(Verdict::Pass);
    }
    let shown = value
        .clone()
        .tainted_if(view.secret_at("value"))
        .shown()
        .to_string();
    Ok(Verdict::violation(
        Violation::new(format!(
            "server parameter `{}` {problem} (`{}` is `{shown}`)",
            view.resource.name,
            at(view, "value")
        ))
        .at(at(view, "value")),
    ))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    judge(
        view,
        "require_secure_transport",
        |v| v.trim().eq_ignore_ascii_case("off"),
        "lets clients connect without TLS",
    )
}
