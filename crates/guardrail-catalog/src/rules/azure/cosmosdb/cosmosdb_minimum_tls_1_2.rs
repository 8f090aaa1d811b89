//! AZURE-COSMOSDB-007: Cosmos DB accounts refuse TLS versions below 1.2.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-007",
    name: "cosmosdb-minimum-tls-1-2",
    title: "Cosmos DB accounts refuse TLS versions below 1.2",
    description: "Cosmos DB accounts that accept TLS 1.0 or 1.1 let clients negotiate deprecated protocol versions.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: r#"Set `minimal_tls_version = "Tls12"` (Pulumi `minimalTlsVersion`, Azure Native `minimalTlsVersion: "Tls12"`)."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Cosmos DB accounts in every spelling: `minimal_tls_version` (Pulumi and Azure Native `minimalTlsVersion`) must be `Tls12` or later. The azurerm 4 default is `Tls12`; the Azure API treats an unset value as `Tls` (1.0) for the SQL, Table and Gremlin APIs, a violation.",
        why: "TLS 1.0 and 1.1 are deprecated and weak against downgrade attacks.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        minimalTlsVersion: "Tls11",
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        minimalTlsVersion: "Tls11",
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      minimal_tls_version = "Tls11"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        minimalTlsVersion: "Tls12",
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        minimalTlsVersion: "Tls12",
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      minimal_tls_version = "Tls12"
    }"#,
        fix: "Set `Tls12`; guardrail's fix (safe) writes it. Clients on old SDKs must upgrade first.",
        references: &[
            "Microsoft Learn: Self-serve minimum TLS version enforcement in Azure Cosmos DB — https://learn.microsoft.com/azure/cosmos-db/self-serve-minimum-tls-enforcement",
            "NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::tls("minimalTlsVersion", 1, 2, "Tls12");

const NATIVE: Want = Want::tls("minimalTlsVersion", 1, 2, "Tls");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Cosmos DB account",
        "accepts TLS versions below 1.2",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Text("Tls12")),
        (NATIVE, Lit::Text("Tls12")),
    )
}
