//! AZURE-MYSQL-004: MySQL flexible servers allow only TLS 1.2 and later.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-004",
    name: "mysql-flexible-server-tls-1-2",
    title: "MySQL flexible servers allow only TLS 1.2 and later",
    description: "Listing TLSv1 or TLSv1.1 in tls_version lets clients negotiate deprecated protocol versions.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.4.2"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_mysql_flexible_server_configuration", "azure:mysql/flexibleServerConfiguration:FlexibleServerConfiguration", "azure-native:dbformysql:Configuration"],
    remediation: "Set the `tls_version` parameter to `TLSv1.2` or `TLSv1.2,TLSv1.3`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "MySQL flexible server parameters (in every spelling, as for AZURE-MYSQL-003) named `tls_version`: the comma-separated `value` must not list `TLSv1` or `TLSv1.1`. Other parameters are not applicable; the server default allows TLS 1.2 (and 1.3 on MySQL 8).",
        why: "TLS 1.0 and 1.1 are deprecated (RFC 8996); a client or an attacker in the path can negotiate them and weaken the protection of credentials and data.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServerConfiguration("tls-version", { /* ... */ name: "tls_version", value: "TLSv1.1,TLSv1.2" });

Pulumi Azure Native (TypeScript):

    new dbformysql.Configuration("tls-version", { /* ... */ configurationName: "tls_version", value: "TLSv1,TLSv1.1,TLSv1.2" });

Terraform:

    resource "azurerm_mysql_flexible_server_configuration" "tls_version" {
      # ...
      name  = "tls_version"
      value = "TLSv1,TLSv1.1,TLSv1.2"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.FlexibleServerConfiguration("tls-version", { /* ... */ name: "tls_version", value: "TLSv1.2,TLSv1.3" });

Pulumi Azure Native (TypeScript):

    new dbformysql.Configuration("tls-version", { /* ... */ configurationName: "tls_version", value: "TLSv1.2" });

Terraform:

    resource "azurerm_mysql_flexible_server_configuration" "tls_version" {
      # ...
      name  = "tls_version"
      value = "TLSv1.2,TLSv1.3"
    }"#,
        fix: "Remove the old versions from the list. No automatic fix: clients limited to TLS 1.0/1.1 are refused afterwards.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.4.2 Ensure 'TLS Version' is set to 'TLSV1.2' (or higher) for MySQL flexible Database Server",
            "Microsoft Learn: Encrypted connectivity using TLS/SSL in Azure Database for MySQL flexible server — https://learn.microsoft.com/azure/mysql/flexible-server/concepts-networking-ssl-tls",
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
        "tls_version",
        old_tls,
        "allows TLS versions below 1.2",
    )
}

fn old_tls(value: &str) -> bool {
    value
        .split(',')
        .map(|v| v.trim().to_ascii_lowercase())
        .any(|v| v == "tlsv1" || v == "tlsv1.0" || v == "tlsv1.1")
}
