//! AZURE-KEYVAULT-003: Key vault firewalls deny by default.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{is_native, read, setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-KEYVAULT-003",
    name: "key-vault-network-default-deny",
    title: "Key vault firewalls deny by default",
    description: "A key vault whose network ACLs allow by default answers requests for its keys and secrets from every network.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["keyvault"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["8.7"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_key_vault", "azure:keyvault/keyVault:KeyVault", "azure-native:keyvault:Vault"],
    remediation: r#"Add `network_acls { default_action = "Deny", bypass = "AzureServices" }` with the allowed subnets and addresses (Azure Native `properties.networkAcls.defaultAction: "Deny"`), or disable public network access."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: r#"Key vaults in every spelling: the network ACLs' default action must be `Deny`. Terraform reads `network_acls[0].default_action`, Pulumi `azure` `networkAcls.defaultAction`, Azure Native `properties.networkAcls.defaultAction`; without ACLs the vault allows every network (a violation). A vault with public network access disabled (`public_network_access_enabled = false`, Azure Native `properties.publicNetworkAccess: "Disabled"`) is reached only through private endpoints and is not applicable. Azure Native keeps a vault's settings under its `properties` input (`properties.enablePurgeProtection`): the Key Vault resources are not flattened."#,
        why: "Secrets and keys are the most valuable data in a subscription; with allow-by-default any stolen token can read them from anywhere. Deny-by-default limits the data plane to the virtual networks, addresses and private endpoints that need it.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        // ... no networkAcls
        tenantId,
        skuName: "standard",
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        properties: { tenantId, sku: { family: "A", name: "standard" }, networkAcls: { defaultAction: "Allow" } },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      network_acls {
        default_action = "Allow"
        bypass         = "AzureServices"
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.keyvault.KeyVault("app", {
        // ...
        networkAcls: { defaultAction: "Deny", bypass: "AzureServices", virtualNetworkSubnetIds: [appSubnet.id] },
    });

Pulumi Azure Native (TypeScript):

    new keyvault.Vault("app", {
        properties: {
            tenantId,
            sku: { family: "A", name: "standard" },
            networkAcls: { defaultAction: "Deny", bypass: "AzureServices" },
        },
    });

Terraform:

    resource "azurerm_key_vault" "app" {
      # ...
      network_acls {
        default_action             = "Deny"
        bypass                     = "AzureServices"
        virtual_network_subnet_ids = [azurerm_subnet.app.id]
      }
    }"#,
        fix: "Set the default action to `Deny` and list the subnets and address ranges that need the vault, or use private endpoints and disable public network access. No automatic fix: the allowed networks must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 8.7 Ensure that Private Endpoints are Used for Azure Key Vault",
            "Microsoft Learn: Configure Azure Key Vault networking settings — https://learn.microsoft.com/azure/key-vault/general/how-to-azure-key-vault-network-security",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn pick_public(view: ResourceView<'_>) -> &'static str {
    if is_native(view) {
        "properties.publicNetworkAccess"
    } else {
        "publicNetworkAccessEnabled"
    }
}

const BRIDGED: Want = Want::one_of("networkAcls.defaultAction", &["Deny"], "Allow");

const NATIVE: Want = Want::one_of("properties.networkAcls.defaultAction", &["Deny"], "Allow");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(false) = read(view, pick_public(view))?.and_then(|v| match v.as_str() {
        Some(s) => Some(!s.eq_ignore_ascii_case("Disabled")),
        None => v.as_bool(),
    }) {
        return Ok(Verdict::not_applicable("public network access is disabled"));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "key vault",
        "accepts requests from any network",
    )
}
