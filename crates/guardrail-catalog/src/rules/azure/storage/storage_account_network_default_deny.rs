//! AZURE-STORAGE-004: Storage account firewalls deny by default.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, StackFinding, StackView, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, standing, uncovered, want_of, Coverage, Known, Standing, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-004",
    name: "storage-account-network-default-deny",
    title: "Storage account firewalls deny by default",
    description: "A storage account whose network rules allow by default accepts requests from every network, relying on keys alone.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.8"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount", "azurerm_storage_account_network_rules", "azure:storage/accountNetworkRules:AccountNetworkRules"],
    remediation: r#"Add `network_rules { default_action = "Deny" }` with the allowed subnets and addresses (Pulumi `networkRules.defaultAction`, Azure Native `networkRuleSet.defaultAction: "Deny"`), or an `azurerm_storage_account_network_rules` resource that denies by default."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: the network rules' default action must be `Deny`. Terraform reads `network_rules[0].default_action`, Pulumi `azure` `networkRules.defaultAction`, Azure Native `networkRuleSet.defaultAction`; an `azurerm_storage_account_network_rules` resource (Pulumi `azure:storage/accountNetworkRules:AccountNetworkRules`) whose `storage_account_id` refers to the account covers it too when its `default_action` is `Deny`. Without either, the account allows every network: a violation. A stack rule, so that the separate resource is seen.",
        why: "Allow-by-default leaves the data endpoints open to the whole internet: a leaked key or SAS token is usable from anywhere. Deny-by-default limits access to chosen virtual networks, addresses and trusted Azure services.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ... no networkRules
        accountTier: "Standard",
        accountReplicationType: "GRS",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        networkRuleSet: { defaultAction: "Allow" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      network_rules {
        default_action = "Allow"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        networkRules: {
            defaultAction: "Deny",
            bypasses: ["AzureServices"],
            virtualNetworkSubnetIds: [appSubnet.id],
        },
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        networkRuleSet: {
            defaultAction: "Deny",
            bypass: "AzureServices",
            virtualNetworkRules: [{ virtualNetworkResourceId: appSubnet.id }],
        },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
    }

    resource "azurerm_storage_account_network_rules" "appdata" {
      storage_account_id         = azurerm_storage_account.appdata.id
      default_action             = "Deny"
      bypass                     = ["AzureServices"]
      virtual_network_subnet_ids = [azurerm_subnet.app.id]
    }"#,
        fix: "Set the default action to `Deny` and list the subnets (service endpoints), address ranges and private endpoints that need access. No automatic fix: the allowed networks must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.8 Ensure Default Network Access Rule for Storage Accounts is Set to Deny",
            "Microsoft Learn: Configure Azure Storage firewalls and virtual networks — https://learn.microsoft.com/azure/storage/common/storage-network-security",
            "PCI DSS v4.0: 1.3.1; NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

const BRIDGED: Want = Want::one_of("networkRules.defaultAction", &["Deny"], "Allow");

const NATIVE: Want = Want::one_of("networkRuleSet.defaultAction", &["Deny"], "Allow");

fn known(result: Result<Standing, Halt>) -> Known {
    match result {
        Ok(Standing::Good) => Known::Yes,
        Ok(Standing::Bad { .. }) => Known::No,
        Err(Halt::Unknown { path, .. }) => Known::Unknown(path),
        Err(Halt::Error(_)) => Known::No,
    }
}

fn inline(account: ResourceView<'_>) -> Known {
    known(standing(account, want_of(account, BRIDGED, NATIVE)))
}

fn companion(rules: ResourceView<'_>) -> Known {
    known(standing(
        rules,
        Want::one_of("defaultAction", &["Deny"], "Allow").required(),
    ))
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let coverage = Coverage {
        target: "azurerm_storage_account",
        names: &["id"],
        companions: &["azurerm_storage_account_network_rules"],
        key: "storageAccountId",
        inline: &inline,
        companion: &companion,
    };
    Ok(uncovered(view, &coverage, |account, referred| {
        let note = if referred {
            "its network rules resource allows by default".to_string()
        } else {
            match standing(account, want_of(account, BRIDGED, NATIVE)) {
                Ok(Standing::Bad { note, .. }) => note,
                _ => "no network rules deny by default".to_string(),
            }
        };
        Violation::new(format!(
            "storage account `{}` accepts traffic from any network ({note})",
            account.resource.name
        ))
        .at(at(account, want_of(account, BRIDGED, NATIVE).path))
    }))
}
