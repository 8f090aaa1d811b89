//! AZURE-STORAGE-016: Storage accounts limit how long SAS tokens may be valid.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-016",
    name: "storage-account-sas-expiration-policy",
    title: "Storage accounts limit how long SAS tokens may be valid",
    description: "A SAS expiration policy flags or blocks shared access signatures valid for longer than the set period.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "nist-800-53", controls: &["IA-5", "AC-12"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Set `sas_policy` (Pulumi `sasPolicy`, Azure Native `sasPolicy`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: Terraform reads the `sas_policy` block, Pulumi `azure` `sasPolicy`, Azure Native `sasPolicy`. Unset is a violation. Advisory by default.",
        why: "SAS tokens are bearer credentials that cannot be revoked individually; the benchmark asks that they expire within an hour, and the policy makes longer ones visible (or blocked).",
        noncompliant: "The storage account without `sas_policy` (Pulumi `sasPolicy`, Azure Native `sasPolicy`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        sasPolicy: { expirationPeriod: "00.01:00:00", expirationAction: "Log" },
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ...
        sasPolicy: { sasExpirationPeriod: "0.01:00:00", expirationAction: "Log" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      sas_policy {
        expiration_period = "00.01:00:00"
        expiration_action = "Log"
      }
    }"#,
        fix: "Add a SAS policy with a short expiration period. No automatic fix: the period is a decision.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.6 Ensure that Shared Access Signature Tokens Expire Within an Hour",
            "Microsoft Learn: Configure a SAS expiration policy — https://learn.microsoft.com/azure/storage/common/sas-expiration-policy",
            "NIST SP 800-53 Rev. 5: IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("sasPolicy");

const NATIVE: Want = Want::present("sasPolicy");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "sets no SAS expiration policy",
    )
}
