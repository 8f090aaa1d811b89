//! AZURE-SQL-002: SQL servers refuse TLS versions below 1.2.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-002",
    name: "sql-server-minimum-tls-1-2",
    title: "SQL servers refuse TLS versions below 1.2",
    description: "A SQL server that accepts TLS 1.0 or 1.1 lets clients connect with deprecated protocols.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["sql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_mssql_server", "azure:mssql/server:Server", "azure-native:sql:Server"],
    remediation: r#"Set `minimum_tls_version = "1.2"` (Pulumi `minimumTlsVersion`, Azure Native `minimalTlsVersion: "1.2"`)."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Logical SQL servers in every spelling: the minimal TLS version must be 1.2 or later. Terraform and Pulumi `azure` read `minimum_tls_version` (default `1.2`; `Disabled` accepts any version and is a violation), Azure Native reads `minimalTlsVersion`, which when unset is `None` (any version): a violation.",
        why: "TLS 1.0 and 1.1 are deprecated (RFC 8996) and allow downgrade and padding-oracle attacks on the login exchange and the data in transit.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        minimumTlsVersion: "1.0",
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        // ... minimalTlsVersion unset: any version
        administratorLogin: "sqladmin",
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      minimum_tls_version = "Disabled"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        minimumTlsVersion: "1.2",
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        // ...
        minimalTlsVersion: "1.2",
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      minimum_tls_version = "1.2"
    }"#,
        fix: "Set the minimum to `1.2`; guardrail's fix (safe) writes it. Check the server's connection logs for older clients first.",
        references: &[
            "Microsoft Learn: Azure SQL connectivity settings (minimal TLS version) — https://learn.microsoft.com/azure/azure-sql/database/connectivity-settings#minimal-tls-version",
            "PCI DSS v4.0: 4.2.1; NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::tls("minimumTlsVersion", 1, 2, "1.2");

const NATIVE: Want = Want::tls("minimalTlsVersion", 1, 2, "None");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL server",
        "accepts TLS versions below 1.2",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("1.2")),
        (NATIVE, Lit::Text("1.2")),
    )
}
