//! AZURE-COSMOSDB-008: Cosmos DB accounts fail over automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-008",
    name: "cosmosdb-automatic-failover",
    title: "Cosmos DB accounts fail over automatically",
    description: "Without service-managed failover, a regional outage of the write region needs a manual failover.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["resilience"],
    frameworks: Frameworks::Mapped(&[Control { framework: "soc2", controls: &["A1.2"] }, Control { framework: "nist-800-53", controls: &["CP-10"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: "Set `automatic_failover_enabled = true` (Pulumi `automaticFailoverEnabled`, Azure Native `enableAutomaticFailover: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cosmos DB accounts in every spelling: Terraform and Pulumi `azure` read `automatic_failover_enabled` (azurerm 3: `enable_automatic_failover`), Azure Native `enableAutomaticFailover`; all default to `false`. Advisory by default (it matters with more than one region).",
        why: "Automatic failover promotes a secondary region when the write region is down; without it writes stop until someone acts.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        automaticFailoverEnabled: false,
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        enableAutomaticFailover: false,
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      automatic_failover_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", {
        // ...
        automaticFailoverEnabled: true,
    });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", {
        // ...
        enableAutomaticFailover: true,
    });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      automatic_failover_enabled = true
    }"#,
        fix: "Enable it and add a second region. No automatic fix.",
        references: &[
            "Microsoft Learn: High availability in Azure Cosmos DB — https://learn.microsoft.com/azure/reliability/reliability-cosmos-db-nosql",
            "NIST SP 800-53 Rev. 5: CP-10",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("automaticFailoverEnabled|enableAutomaticFailover", false);

const NATIVE: Want = Want::on("enableAutomaticFailover", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Cosmos DB account",
        "does not fail over automatically",
    )
}
