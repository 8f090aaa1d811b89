//! AZURE-COSMOSDB-006: Cosmos DB accounts are reached through private endpoints only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-006",
    name: "cosmosdb-public-network-access-disabled",
    title: "Cosmos DB accounts are reached through private endpoints only",
    description: "A Cosmos DB account with public network access answers on the internet, limited only by its firewall.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.5.2"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: r#"Set `public_network_access_enabled = false` (Pulumi `publicNetworkAccessEnabled`, Azure Native `publicNetworkAccess: "Disabled"`)."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cosmos DB accounts in every spelling: Terraform and Pulumi `azure` read `public_network_access_enabled` (default `true`), Azure Native `publicNetworkAccess` (unset: `Enabled`). Advisory by default; AZURE-COSMOSDB-004 covers accounts kept public behind network filters.",
        why: "Private endpoints keep the data plane on private addresses: a leaked key or token is useless from outside the network.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        publicNetworkAccessEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        publicNetworkAccess: "Enabled",
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        publicNetworkAccessEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        publicNetworkAccess: "Disabled",
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      public_network_access_enabled = false
    }"#,
        fix: "Add private endpoints (sub-resource `Sql`, `MongoDB`...) and disable public access. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.5.2 Ensure That Private Endpoints Are Used Where Possible",
            "Microsoft Learn: Configure Azure Private Link for Azure Cosmos DB — https://learn.microsoft.com/azure/cosmos-db/how-to-configure-private-endpoints",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::off("publicNetworkAccessEnabled", true);

const NATIVE: Want = Want::one_of("publicNetworkAccess", &["Disabled"], "Enabled");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Cosmos DB account",
        "is reachable from public networks",
    )
}
