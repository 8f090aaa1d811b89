//! AZURE-SQL-005: SQL servers accept Microsoft Entra authentication only.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-005",
    name: "sql-server-entra-only-authentication",
    title: "SQL servers accept Microsoft Entra authentication only",
    description: "While SQL authentication stays enabled, the server administrator's password can sign in beside every Entra control.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["sql"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2"] }]),
    resource_types: &["azurerm_mssql_server", "azure:mssql/server:Server", "azure-native:sql:Server"],
    remediation: "Set `azuread_authentication_only = true` in `azuread_administrator` (Azure Native `administrators.azureADOnlyAuthentication: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Logical SQL servers in every spelling: Terraform reads `azuread_administrator[0].azuread_authentication_only`, Pulumi `azure` `azureadAdministrator.azureadAuthenticationOnly`, Azure Native `administrators.azureADOnlyAuthentication`; unset (also without the block) means SQL logins stay enabled, a violation. Advisory by default.",
        why: "Entra-only authentication disables SQL logins, including the server administrator created with the server: no password to spray, leak or forget to rotate.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        azureadAdministrator: { loginUsername: "sql-admins", objectId },
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        administrators: { administratorType: "ActiveDirectory", login: "sql-admins", sid: objectId },
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      azuread_administrator {
        login_username = "sql-admins"
        object_id      = var.sql_admins
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        azureadAdministrator: { loginUsername: "sql-admins", objectId, azureadAuthenticationOnly: true },
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        administrators: { administratorType: "ActiveDirectory", login: "sql-admins", sid: objectId, azureADOnlyAuthentication: true },
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      azuread_administrator {
        login_username              = "sql-admins"
        object_id                   = var.sql_admins
        azuread_authentication_only = true
      }
    }"#,
        fix: "Move applications to managed identities or Entra users, then turn on Entra-only authentication. No automatic fix: SQL logins stop working.",
        references: &[
            "Microsoft Learn: Microsoft Entra-only authentication with Azure SQL — https://learn.microsoft.com/azure/azure-sql/database/authentication-azure-ad-only-authentication",
            "NIST SP 800-53 Rev. 5: IA-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::on("azureadAdministrator.azureadAuthenticationOnly", false);

const NATIVE: Want = Want::on("administrators.azureADOnlyAuthentication", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL server",
        "still accepts SQL authentication",
    )
}
