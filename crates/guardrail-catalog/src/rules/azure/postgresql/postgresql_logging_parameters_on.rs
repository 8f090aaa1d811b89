//! AZURE-POSTGRESQL-008: PostgreSQL server parameters keep connection and checkpoint logging on.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-008",
    name: "postgresql-logging-parameters-on",
    title: "PostgreSQL server parameters keep connection and checkpoint logging on",
    description: "Turning off log_checkpoints, log_connections, log_disconnections or connection throttling, or keeping logs for three days or less, removes the evidence of who connected and when.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.3.2", "4.3.3", "4.3.4", "4.3.5", "4.3.6"] }, Control { framework: "pci-dss", controls: &["10.2.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "hipaa", controls: &["164.312(b)"] }, Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] }]),
    resource_types: &["azurerm_postgresql_configuration", "azure:postgresql/configuration:Configuration", "azure-native:dbforpostgresql:SingleServerConfiguration", "azurerm_postgresql_flexible_server_configuration", "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration", "azure-native:dbforpostgresql:Configuration"],
    remediation: "Set `log_checkpoints`, `log_connections`, `log_disconnections` and `connection_throttling` to `on`, and `logfiles.retention_days` (single server: `log_retention_days`) to 4 or more.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL server parameters set through `azurerm_postgresql_configuration` and `azurerm_postgresql_flexible_server_configuration` (Pulumi `azure:postgresql/configuration:Configuration` and `azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration`, Azure Native `azure-native:dbforpostgresql:SingleServerConfiguration` and `azure-native:dbforpostgresql:Configuration`): the parameters `log_checkpoints`, `log_connections`, `log_disconnections`, `connection_throttling` and `connection_throttle.enable` must not be `off`, and `log_retention_days` / `logfiles.retention_days` must be more than 3. The parameter name is `name` (Azure Native `configurationName`), its setting `value`. Other parameters are not applicable; a parameter never set keeps the server default.",
        why: "Connection and disconnection logs are the audit trail of database access: without them a brute-force attempt or a stolen credential leaves no trace. Throttling slows password guessing, and logs kept for only a few days are gone before an investigation starts.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServerConfiguration("log-connections", {
        serverId: server.id,
        name: "log_connections",
        value: "off",
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Configuration("log-connections", {
        resourceGroupName: rg.name,
        serverName: server.name,
        configurationName: "log_connections",
        value: "off",
        source: "user-override",
    });

Terraform:

    resource "azurerm_postgresql_configuration" "log_retention" {
      name                = "log_retention_days"
      resource_group_name = azurerm_resource_group.app.name
      server_name         = azurerm_postgresql_server.app.name
      value               = "2"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.FlexibleServerConfiguration("log-connections", {
        serverId: server.id,
        name: "log_connections",
        value: "on",
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.Configuration("log-connections", {
        resourceGroupName: rg.name,
        serverName: server.name,
        configurationName: "log_connections",
        value: "on",
        source: "user-override",
    });

Terraform:

    resource "azurerm_postgresql_configuration" "log_retention" {
      # ...
      name  = "log_retention_days"
      value = "7"
    }"#,
        fix: "Set the parameter back to `on` (or the retention to 4 days or more), or remove the override. No automatic fix: the value is the team's choice once it is compliant.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.3.2 log_checkpoints, 4.3.3 log_connections, 4.3.4 log_disconnections, 4.3.5 connection_throttling, 4.3.6 log_retention_days greater than 3 days",
            "Microsoft Learn: Server parameters in Azure Database for PostgreSQL flexible server — https://learn.microsoft.com/azure/postgresql/flexible-server/concepts-server-parameters",
            "PCI DSS v4.0: 10.2.1; NIST SP 800-53 Rev. 5: AU-2, AU-12",
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

const SWITCHES: &[&str] = &[
    "log_checkpoints",
    "log_connections",
    "log_disconnections",
    "connection_throttling",
    "connection_throttle.enable",
];

const RETENTION: &[&str] = &["log_retention_days", "logfiles.retention_days"];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(name) = parameter(view)? else {
        return Ok(Verdict::not_applicable("the parameter name is not set"));
    };
    let name = name.trim().to_ascii_lowercase();
    let switch = SWITCHES.contains(&name.as_str());
    let retention = RETENTION.contains(&name.as_str());
    if !switch && !retention {
        return Ok(Verdict::not_applicable(format!(
            "`{name}` is not a logging parameter"
        )));
    }
    let Some(value) = read(view, "value")? else {
        return Ok(Verdict::Pass);
    };
    let text = value
        .as_str()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    let bad = if switch {
        matches!(text.as_str(), "off" | "false" | "0")
    } else {
        value.as_i64().is_some_and(|days| days <= 3)
    };
    if !bad {
        return Ok(Verdict::Pass);
    }
    let shown = value
        .clone()
        .tainted_if(view.secret_at("value"))
        .shown()
        .to_string();
    let problem = if switch {
        format!("turns `{name}` off")
    } else {
        format!("keeps PostgreSQL logs for 3 days or less (`{name}`)")
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "server parameter `{}` {problem} (`{}` is `{shown}`)",
            view.resource.name,
            at(view, "value")
        ))
        .at(at(view, "value")),
    ))
}
