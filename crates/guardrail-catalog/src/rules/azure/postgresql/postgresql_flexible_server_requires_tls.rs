//! AZURE-POSTGRESQL-009: PostgreSQL flexible servers keep require_secure_transport on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-009",
    name: "postgresql-flexible-server-requires-tls",
    title: "PostgreSQL flexible servers keep require_secure_transport on",
    description: "Setting require_secure_transport to off lets clients connect to a flexible server without TLS.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.3.1"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_postgresql_flexible_server_configuration", "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration", "azure-native:dbforpostgresql:Configuration"],
    remediation: "Remove the `require_secure_transport` override or set it to `on`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL flexible server parameters (`azurerm_postgresql_flexible_server_configuration`, Pulumi `azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration`, Azure Native `azure-native:dbforpostgresql:Configuration`) named `require_secure_transport` (Azure Native `configurationName`) must not have the `value` `off`. The server default is `on`; other parameters are not applicable.",
        why: "With the parameter off the server accepts unencrypted connections: passwords and data cross the network in clear text.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServerConfiguration("tls", { serverId: server.id, name: "require_secure_transport", value: "off" });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Configuration("tls", { resourceGroupName: rg.name, serverName: server.name, configurationName: "require_secure_transport", value: "off", source: "user-override" });

Terraform:

    resource "azurerm_postgresql_flexible_server_configuration" "tls" {
      name      = "require_secure_transport"
      server_id = azurerm_postgresql_flexible_server.app.id
      value     = "off"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServerConfiguration("tls", { serverId: server.id, name: "require_secure_transport", value: "on" });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Configuration("tls", { resourceGroupName: rg.name, serverName: server.name, configurationName: "require_secure_transport", value: "on", source: "user-override" });

Terraform:

    resource "azurerm_postgresql_flexible_server_configuration" "tls" {
      name      = "require_secure_transport"
      server_id = azurerm_postgresql_flexible_server.app.id
      value     = "on"
    }"#,
        fix: "Set the value to `on` or delete the override. No automatic fix: clients without TLS are refused afterwards.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.3.1 Ensure 'Enforce SSL connection' is set to 'ENABLED' for PostgreSQL Database Server",
            "Microsoft Learn: Secure connectivity with TLS and SSL in Azure Database for PostgreSQL flexible server — https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-networking-ssl-tls",
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

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(name) = parameter(view)? else {
        return Ok(Verdict::not_applicable("the parameter name is not set"));
    };
    if !name.trim().eq_ignore_ascii_case("require_secure_transport") {
        return Ok(Verdict::not_applicable(format!(
            "`{name}` is not `require_secure_transport`"
        )));
    }
    let Some(value) = read(view, "value")? else {
        return Ok(Verdict::Pass);
    };
    let off = value.as_str().is_some_and(|v| {
        matches!(
            v.trim().to_ascii_lowercase().as_str(),
            "off" | "false" | "0"
        )
    });
    if !off {
        return Ok(Verdict::Pass);
    }
    let shown = value
        .clone()
        .tainted_if(view.secret_at("value"))
        .shown()
        .to_string();
    Ok(Verdict::violation(
        Violation::new(format!(
            "server parameter `{}` lets clients connect without TLS (`{}` is `{shown}`)",
            view.resource.name,
            at(view, "value")
        ))
        .at(at(view, "value")),
    ))
}
