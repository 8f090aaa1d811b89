//! AZURE-COSMOSDB-004: Cosmos DB accounts limit network access.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, standing, Standing, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-COSMOSDB-004",
    name: "cosmosdb-network-restricted",
    title: "Cosmos DB accounts limit network access",
    description: "A Cosmos DB account with public access, no virtual network filter and no IP rules answers requests from every network.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["cosmosdb"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.5.1"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_cosmosdb_account", "azure:cosmosdb/account:Account", "azure-native:documentdb:DatabaseAccount"],
    remediation: "Disable public network access and use private endpoints, or enable the virtual network filter or IP rules.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: r#"Cosmos DB accounts in every spelling pass when public network access is disabled (`public_network_access_enabled = false`, Azure Native `publicNetworkAccess: "Disabled"`), or the virtual network filter is on (`is_virtual_network_filter_enabled`, Azure Native `isVirtualNetworkFilterEnabled`), or IP rules are set (`ip_range_filter`, Pulumi `ipRangeFilters`, Azure Native `ipRules`). Otherwise the account is open to every network: a violation."#,
        why: "An account open to all networks can be reached with a leaked key or token from anywhere. Network restrictions keep the data plane to the networks that need it.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... no network settings */ });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ publicNetworkAccess: "Enabled" });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      public_network_access_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.cosmosdb.Account("app", { /* ... */ isVirtualNetworkFilterEnabled: true, virtualNetworkRules: [{ id: appSubnet.id }] });

Pulumi Azure Native (TypeScript):

    new documentdb.DatabaseAccount("app", { /* ... */ publicNetworkAccess: "Disabled" });

Terraform:

    resource "azurerm_cosmosdb_account" "app" {
      # ...
      ip_range_filter = ["203.0.113.0/24"]
    }"#,
        fix: "Choose one of the restrictions above. No automatic fix: the allowed networks must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.5.1 Ensure That 'Firewalls & Networks' Is Limited to Use Selected Networks Instead of All Networks",
            "Microsoft Learn: Configure IP firewall in Azure Cosmos DB — https://learn.microsoft.com/azure/cosmos-db/how-to-configure-firewall",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let native = is_native(view);
    let public = if native {
        Want::one_of("publicNetworkAccess", &["Enabled"], "Enabled")
    } else {
        Want::on("publicNetworkAccessEnabled", true)
    };
    if standing(view, public)? != Standing::Good {
        return Ok(Verdict::Pass);
    }
    let filter = Want::on("isVirtualNetworkFilterEnabled", false);
    if standing(view, filter)? == Standing::Good {
        return Ok(Verdict::Pass);
    }
    let rules = Want::present(if native {
        "ipRules"
    } else {
        "ipRangeFilter|ipRangeFilters"
    });
    if standing(view, rules)? == Standing::Good {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "Cosmos DB account `{}` accepts requests from any network (public network access \
             without a virtual network filter or IP rules)",
            view.resource.name
        ))
        .at(at(view, public.path)),
    ))
}
