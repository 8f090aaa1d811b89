//! AZURE-COSMOSDB-001: Cosmos DB accounts disable key-based authentication.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-001",
    name: "cosmosdb-local-auth-disabled",
    title: "Cosmos DB accounts disable key-based authentication",
    description: "Cosmos DB primary keys give full data access to whoever holds them and leave no identity in the logs.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.5.3"] }, Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: "Set `local_authentication_disabled = true` (Pulumi `localAuthenticationDisabled`, Azure Native `disableLocalAuth: true`) and use Microsoft Entra ID with Cosmos DB data-plane roles.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cosmos DB accounts (`azurerm_cosmosdb_account`, Pulumi `azure:cosmosdb/account:Account`, Azure Native `azure-native:documentdb:DatabaseAccount`): key-based (local) authentication must be disabled. Terraform and Pulumi `azure` read `local_authentication_disabled` (default `false`), Azure Native `disableLocalAuth` (default `false`).",
        why: "An account key is a bearer credential for every database and container: it appears in connection strings, app settings and scripts, and a leaked copy works from anywhere until the key is regenerated. Entra ID tokens are scoped by role, expire, and name the caller in the logs.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... */ localAuthenticationDisabled: false });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ disableLocalAuth: false });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      local_authentication_disabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... */ localAuthenticationDisabled: true });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ disableLocalAuth: true });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      local_authentication_disabled = true
    }"#,
        fix: "Grant applications Cosmos DB built-in data roles through their managed identities, then disable local auth. No automatic fix: key-based clients stop working.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.5.3 Use Entra ID Client Authentication and Azure RBAC where possible",
            "Microsoft Learn: Use data plane role-based access control with Azure Cosmos DB — https://learn.microsoft.com/azure/cosmos-db/how-to-setup-rbac",
            "NIST SP 800-53 Rev. 5: IA-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("localAuthenticationDisabled", false);

const NATIVE: Want = Want::on("disableLocalAuth", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "Cosmos DB account",
        "accepts its account keys for data access",
    )
}
