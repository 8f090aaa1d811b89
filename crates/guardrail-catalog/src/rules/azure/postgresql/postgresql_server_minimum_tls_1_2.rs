//! AZURE-POSTGRESQL-002: PostgreSQL single servers refuse TLS versions below 1.2.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-002",
    name: "postgresql-server-minimum-tls-1-2",
    title: "PostgreSQL single servers refuse TLS versions below 1.2",
    description: "A minimal TLS version below 1.2, or TLS enforcement disabled, lets clients connect with deprecated protocols.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_postgresql_server", "azure:postgresql/server:Server", "azure-native:dbforpostgresql:SingleServer"],
    remediation: r#"Set `ssl_minimal_tls_version_enforced = "TLS1_2"` (Pulumi `sslMinimalTlsVersionEnforced`, Azure Native `properties.minimalTlsVersion: "TLS1_2"`)."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "PostgreSQL single servers in every spelling: the minimal TLS version must be 1.2. Terraform and Pulumi `azure` read `ssl_minimal_tls_version_enforced` (default `TLS1_2`; `TLSEnforcementDisabled` is a violation), Azure Native `properties.minimalTlsVersion` (unset: `TLSEnforcementDisabled`, a violation). Azure Native spells single servers `azure-native:dbforpostgresql:SingleServer` and keeps their settings under `properties` (the create-mode union is not flattened).",
        why: "TLS 1.0 and 1.1 are deprecated and weak against downgrade and padding-oracle attacks; `TLSEnforcementDisabled` accepts all of them.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        sslMinimalTlsVersionEnforced: "TLSEnforcementDisabled",
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        properties: { createMode: "Default", minimalTlsVersion: "TLS1_0" /* ... */ },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      ssl_minimal_tls_version_enforced = "TLS1_1"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        sslMinimalTlsVersionEnforced: "TLS1_2",
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        properties: { createMode: "Default", minimalTlsVersion: "TLS1_2" /* ... */ },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      ssl_minimal_tls_version_enforced = "TLS1_2"
    }"#,
        fix: "Set `TLS1_2`; guardrail's fix (safe) writes it. Clients on older drivers must upgrade first.",
        references: &[
            "Microsoft Learn: TLS settings in Azure Database for PostgreSQL - Single Server — https://learn.microsoft.com/azure/postgresql/single-server/how-to-tls-configurations",
            "PCI DSS v4.0: 4.2.1; NIST SP 800-53 Rev. 5: SC-8",
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
        "PostgreSQL server",
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
