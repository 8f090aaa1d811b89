//! AZURE-POSTGRESQL-001: PostgreSQL single servers enforce SSL connections.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-POSTGRESQL-001",
    name: "postgresql-server-ssl-enforced",
    title: "PostgreSQL single servers enforce SSL connections",
    description: "A PostgreSQL server that does not enforce SSL accepts clients whose passwords and queries cross the network in clear text.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["postgresql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.3.1"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_postgresql_server", "azure:postgresql/server:Server", "azure-native:dbforpostgresql:SingleServer"],
    remediation: r#"Set `ssl_enforcement_enabled = true` (Pulumi `sslEnforcementEnabled`, Azure Native `properties.sslEnforcement: "Enabled"`)."#,
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Azure Database for PostgreSQL single servers (`azurerm_postgresql_server`, Pulumi `azure:postgresql/server:Server`, Azure Native `azure-native:dbforpostgresql:SingleServer`): SSL must be enforced. Terraform and Pulumi `azure` read `ssl_enforcement_enabled`, Azure Native `properties.sslEnforcement` (`Enabled`, the server default when unset). Azure Native spells single servers `azure-native:dbforpostgresql:SingleServer` and keeps their settings under `properties` (the create-mode union is not flattened).",
        why: "Without enforcement a client (or a downgrade on the path) can connect in clear text, exposing credentials and data to anyone on the network between them and Azure.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        sslEnforcementEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        properties: { createMode: "Default", sslEnforcement: "Disabled" /* ... */ },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      ssl_enforcement_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.postgresql.Server("app", {
        // ...
        sslEnforcementEnabled: true,
        sslMinimalTlsVersionEnforced: "TLS1_2",
    });

Pulumi Azure Native (TypeScript):

    new dbforpostgresql.SingleServer("app", {
        properties: { createMode: "Default", sslEnforcement: "Enabled", minimalTlsVersion: "TLS1_2" /* ... */ },
    });

Terraform:

    resource "azurerm_postgresql_server" "app" {
      # ...
      ssl_enforcement_enabled          = true
      ssl_minimal_tls_version_enforced = "TLS1_2"
    }"#,
        fix: "Enforce SSL once every client connects with `sslmode=require` or stricter. guardrail's fix is unsafe: clients without SSL are refused afterwards.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.3.1 Ensure 'Enforce SSL connection' is set to 'ENABLED' for PostgreSQL Database Server",
            "Microsoft Learn: Configure TLS connectivity in Azure Database for PostgreSQL - Single Server — https://learn.microsoft.com/azure/postgresql/single-server/concepts-ssl-connection-security",
            "PCI DSS v4.0: 4.2.1; NIST SP 800-53 Rev. 5: SC-8",
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
        "PostgreSQL server",
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
