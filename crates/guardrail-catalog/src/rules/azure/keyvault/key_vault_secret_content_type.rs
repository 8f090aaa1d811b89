//! AZURE-KEYVAULT-009: Key Vault secrets say what they hold.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-009",
    name: "key-vault-secret-content-type",
    title: "Key Vault secrets say what they hold",
    description: "A content type tells operators what a secret is (password, connection string, certificate) and how to rotate it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["secrets"],
    frameworks: Frameworks::None {
        reason: "an operational convention for handling secrets, not a control of the benchmarks and frameworks the catalog maps to",
    },
    resource_types: &["azurerm_key_vault_secret", "azure:keyvault/secret:Secret", "azure-native:keyvault:Secret"],
    remediation: "Set `content_type` (Pulumi `contentType`, Azure Native `properties.contentType`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Key Vault secrets in every spelling: Terraform and Pulumi `azure` read `content_type`, Azure Native `properties.contentType`. Unset is a violation. The secret's value is never read or shown. Advisory by default.",
        why: "Secrets without a description of what they hold are hard to rotate, audit or clean up safely; the content type is the one standard field for it.",
        noncompliant: "The key vault secret without `content_type` (Pulumi `contentType`, Azure Native `properties.contentType`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.Secret("db", {
        // ...
        contentType: "password",
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Secret("db", {
        // ...
        properties: { contentType: "connection-string" },
    });

Terraform:

    resource "azurerm_key_vault_secret" "db" {
      # ...
      content_type = "password"
    }"#,
        fix: "Set a content type. No automatic fix: only the owner knows what the secret is.",
        references: &[
            "Microsoft Learn: About Azure Key Vault secrets — https://learn.microsoft.com/azure/key-vault/secrets/about-secrets",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("contentType");

const NATIVE: Want = Want::present("properties.contentType");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "key vault secret",
        "has no content type",
    )
}
