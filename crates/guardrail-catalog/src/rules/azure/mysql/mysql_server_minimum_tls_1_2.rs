//! AZURE-MYSQL-006: MySQL single servers refuse TLS versions below 1.2.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MYSQL-006",
    name: "mysql-server-minimum-tls-1-2",
    title: "MySQL single servers refuse TLS versions below 1.2",
    description: "A minimal TLS version below 1.2, or TLS enforcement disabled, lets clients connect with deprecated protocols.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["mysql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_mysql_server", "azure:mysql/server:Server", "azure-native:dbformysql:SingleServer"],
    remediation: r#"Set `ssl_minimal_tls_version_enforced = "TLS1_2"` (Pulumi `sslMinimalTlsVersionEnforced`, Azure Native `properties.minimalTlsVersion: "TLS1_2"`)."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "MySQL single servers in every spelling: Terraform and Pulumi `azure` read `ssl_minimal_tls_version_enforced` (default `TLS1_2`), Azure Native `properties.minimalTlsVersion` (unset: `TLSEnforcementDisabled`, a violation).",
        why: "TLS 1.0 and 1.1 are deprecated and weak against downgrade attacks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        sslMinimalTlsVersionEnforced: "TLS1_0",
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { minimalTlsVersion: "TLSEnforcementDisabled" },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      ssl_minimal_tls_version_enforced = "TLS1_0"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mysql.Server("app", {
        // ...
        sslMinimalTlsVersionEnforced: "TLS1_2",
    });

Pulumi Azure Native (TypeScript):

    new dbformysql.SingleServer("app", {
        // ...
        properties: { minimalTlsVersion: "TLS1_2" },
    });

Terraform:

    resource "azurerm_mysql_server" "app" {
      # ...
      ssl_minimal_tls_version_enforced = "TLS1_2"
    }"#,
        fix: "Set `TLS1_2`; guardrail's fix (safe) writes it.",
        references: &[
            "Microsoft Learn: Configure TLS settings in Azure Database for MySQL - Single Server — https://learn.microsoft.com/azure/mysql/single-server/how-to-tls-configurations",
            "NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::tls("sslMinimalTlsVersionEnforced", 1, 2, "TLS1_2");

const NATIVE: Want = Want::tls(
    "properties.minimalTlsVersion",
    1,
    2,
    "TLSEnforcementDisabled",
);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "MySQL server",
        "accepts TLS versions below 1.2",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("TLS1_2")),
        (NATIVE, Lit::Text("TLS1_2")),
    )
}
