//! AZURE-STORAGE-009: Storage account firewalls let trusted Azure services through.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, read, read_want, Lit, Pass, Unset, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-009",
    name: "storage-account-trusted-services-bypass",
    title: "Storage account firewalls let trusted Azure services through",
    description: "A storage firewall without the Azure services bypass blocks Azure Backup, Monitor diagnostic logs and other trusted services that need to write to it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["storage"],
    topics: &["network", "logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.9"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: "Add `AzureServices` to the network rules' `bypass` (Pulumi `networkRules.bypasses`, Azure Native `networkRuleSet.bypass`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts whose network rules deny by default (Terraform `network_rules[0].default_action`, Pulumi `networkRules.defaultAction`, Azure Native `networkRuleSet.defaultAction` = `Deny`): the bypass list must include `AzureServices`. Terraform and Pulumi `azure` read `network_rules[0].bypass` / `networkRules.bypasses` (a list; unset in the provider means `AzureServices`); Azure Native reads `networkRuleSet.bypass`, a comma-separated string (unset means `AzureServices`). Accounts that allow by default are not applicable.",
        why: "Trusted Microsoft services (Azure Backup, Site Recovery, Event Grid, Monitor when it writes diagnostic and activity logs) reach the account from Microsoft's networks; without the bypass, a deny-by-default firewall silently breaks log archiving and backups.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("logs", {
        // ...
        networkRules: { defaultAction: "Deny", bypasses: ["None"] },
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("logs", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        networkRuleSet: { defaultAction: "Deny", bypass: "None" },
    });

Terraform:

    resource "azurerm_storage_account" "logs" {
      # ...
      network_rules {
        default_action = "Deny"
        bypass         = ["None"]
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("logs", {
        // ...
        networkRules: { defaultAction: "Deny", bypasses: ["AzureServices", "Logging"] },
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("logs", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        networkRuleSet: { defaultAction: "Deny", bypass: "AzureServices, Logging" },
    });

Terraform:

    resource "azurerm_storage_account" "logs" {
      # ...
      network_rules {
        default_action = "Deny"
        bypass         = ["AzureServices", "Logging"]
      }
    }"#,
        fix: "Add `AzureServices` to the bypass. No automatic fix: some teams exclude trusted services on purpose and route them through private endpoints.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.9 Ensure 'Allow Azure services on the trusted services list to access this storage account' is Enabled for Storage Account Access",
            "Microsoft Learn: Grant access to trusted Azure services — https://learn.microsoft.com/azure/storage/common/storage-network-security#grant-access-to-trusted-azure-services",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (rules, bypass) = if is_native(view) {
        ("networkRuleSet", "networkRuleSet.bypass")
    } else {
        ("networkRules", "networkRules.bypasses|networkRules.bypass")
    };
    let action = read(view, &format!("{rules}.defaultAction"))?.and_then(|v| v.as_str());
    if !action.is_some_and(|a| a.eq_ignore_ascii_case("Deny")) {
        return Ok(Verdict::not_applicable(
            "the network rules allow every network by default",
        ));
    }
    let want = Want {
        path: bypass,
        pass: Pass::OneOf(&["AzureServices"]),
        unset: Unset::Default(Lit::Text("AzureServices")),
    };
    let (found, camel) = read_want(view, want)?;
    let Some(found) = found else {
        return Ok(Verdict::Pass);
    };
    // a list (bridged) or a comma-separated string (native)
    let mut names = Vec::new();
    for item in found.items() {
        if item.is_unknown() {
            return Err(Halt::unknown(at(view, camel)));
        }
        if let Some(text) = item.as_str() {
            names.extend(text.split(',').map(|s| s.trim().to_string()));
        }
    }
    if names
        .iter()
        .any(|n| n.eq_ignore_ascii_case("AzureServices"))
    {
        return Ok(Verdict::Pass);
    }
    let secret = view.secret_at(camel);
    let shown = if secret {
        "[secret]".to_string()
    } else {
        names.join(", ")
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "storage account `{}` denies trusted Azure services (`{}` is `{shown}`)",
            view.resource.name,
            at(view, camel)
        ))
        .at(at(view, camel)),
    ))
}
