//! AZURE-SQL-004: SQL servers have a Microsoft Entra administrator.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-004",
    name: "sql-server-entra-admin",
    title: "SQL servers have a Microsoft Entra administrator",
    description: "Without a Microsoft Entra administrator a SQL server can only use SQL logins, whose passwords live outside central identity controls.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["sql"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.1.4"] }, Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2", "AC-2"] }]),
    resource_types: &["azurerm_mssql_server", "azure:mssql/server:Server", "azure-native:sql:Server"],
    remediation: "Add an `azuread_administrator` block naming an Entra group (Pulumi `azureadAdministrator`, Azure Native `administrators`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Logical SQL servers in every spelling: a Microsoft Entra administrator must be configured. Terraform reads the `azuread_administrator` block, Pulumi `azure` `azureadAdministrator`, Azure Native `administrators` (`administratorType: ActiveDirectory`). Unset is a violation.",
        why: "Entra authentication puts database access under the directory: multi-factor authentication, conditional access, group-based grants and immediate revocation when someone leaves. Without an Entra administrator no Entra user can be created in the databases, so everyone keeps using SQL logins with shared passwords.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        version: "12.0",
        administratorLogin: "sqladmin",
        administratorLoginPassword: password,
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        resourceGroupName: rg.name,
        administratorLogin: "sqladmin",
        administratorLoginPassword: password,
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      version                      = "12.0"
      administrator_login          = "sqladmin"
      administrator_login_password = var.sql_password
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        azureadAdministrator: { loginUsername: "sql-admins", objectId: sqlAdmins.objectId },
    });

Pulumi Azure Native (TypeScript):

    new sql.Server("app", {
        // ...
        administrators: { administratorType: "ActiveDirectory", login: "sql-admins", sid: sqlAdmins.objectId },
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      azuread_administrator {
        login_username = "sql-admins"
        object_id      = azuread_group.sql_admins.object_id
      }
    }"#,
        fix: "Name an Entra group (not a person) as administrator. No automatic fix: the group must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.1.4 Ensure that Microsoft Entra authentication is Configured for SQL Servers",
            "Microsoft Learn: Configure and manage Microsoft Entra authentication with Azure SQL — https://learn.microsoft.com/azure/azure-sql/database/authentication-aad-configure",
            "NIST SP 800-53 Rev. 5: IA-2, AC-2",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("azureadAdministrator");

const NATIVE: Want = Want::present("administrators");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL server",
        "has no Microsoft Entra administrator",
    )
}
