//! AZURE-SQL-009: SQL servers protect TDE with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-009",
    name: "sql-server-tde-customer-managed-key",
    title: "SQL servers protect TDE with a customer-managed key",
    description: "A customer-managed TDE protector puts every database of the server under the organisation's key policy.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["sql"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.1.3"] }, Control { framework: "pci-dss", controls: &["3.6.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12", "SC-28"] }]),
    resource_types: &["azurerm_mssql_server", "azure:mssql/server:Server"],
    remediation: "Set `transparent_data_encryption_key_vault_key_id` (Pulumi `transparentDataEncryptionKeyVaultKeyId`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Logical SQL servers in Terraform and Pulumi `azure`: `transparent_data_encryption_key_vault_key_id` (Pulumi `transparentDataEncryptionKeyVaultKeyId`) must be set. A separate `azurerm_mssql_server_transparent_data_encryption` resource is not seen; Azure Native sets the protector on a separate `EncryptionProtector` resource. Advisory by default.",
        why: "With the TDE protector in Key Vault, revoking the key makes the databases and their backups unreadable, and every use of the key is logged.",
        noncompliant: "The SQL server without `transparent_data_encryption_key_vault_key_id` (Pulumi `transparentDataEncryptionKeyVaultKeyId`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.Server("app", {
        // ...
        transparentDataEncryptionKeyVaultKeyId: "https://kv-app-prod.vault.azure.net/keys/tde/0f1e2d3c",
    });

Terraform:

    resource "azurerm_mssql_server" "app" {
      # ...
      transparent_data_encryption_key_vault_key_id = "https://kv-app-prod.vault.azure.net/keys/tde/0f1e2d3c"
    }"#,
        fix: "Grant the server identity access to a Key Vault key and set it as TDE protector. No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.1.3 Ensure SQL server's Transparent Data Encryption (TDE) protector is encrypted with Customer-managed key",
            "Microsoft Learn: Transparent data encryption with customer-managed keys — https://learn.microsoft.com/azure/azure-sql/database/transparent-data-encryption-byok-overview",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("transparentDataEncryptionKeyVaultKeyId");

const NATIVE: Want = Want::present("transparentDataEncryptionKeyVaultKeyId");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "SQL server",
        "protects TDE with a service-managed key only",
    )
}
