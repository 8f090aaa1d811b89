//! AZURE-STORAGE-002: Storage accounts refuse TLS versions below 1.2.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Spelling, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, with_keys, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-STORAGE-002",
    name: "storage-account-minimum-tls-1-2",
    title: "Storage accounts refuse TLS versions below 1.2",
    description: "TLS 1.0 and 1.1 have known weaknesses and are retired across Azure; a storage account should refuse them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["storage"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["3.15"] }, Control { framework: "pci-dss", controls: &["4.2.1"] }, Control { framework: "soc2", controls: &["CC6.7"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "hipaa", controls: &["164.312(e)(1)"] }, Control { framework: "nist-800-53", controls: &["SC-8"] }]),
    resource_types: &["azurerm_storage_account", "azure:storage/account:Account", "azure-native:storage:StorageAccount"],
    remediation: r#"Set `min_tls_version = "TLS1_2"` (Pulumi `minTlsVersion`, Azure Native `minimumTlsVersion: "TLS1_2"`)."#,
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Storage accounts in every spelling: the minimum TLS version must be 1.2 or later. Terraform and Pulumi `azure` read `min_tls_version`/`minTlsVersion`, whose provider default is `TLS1_2` (unset passes); Azure Native reads `minimumTlsVersion`, which the Azure API treats as `TLS1_0` when unset (a violation). A Terraform plan without the `min_tls_version` key at all comes from an azurerm provider older than the argument, whose accounts kept the Azure default of the time, `TLS1_0`: a violation too.",
        why: "Clients that negotiate TLS 1.0 or 1.1 use ciphers and handshakes with published attacks, and Microsoft ends support for them on Azure Storage. A minimum of 1.2 makes the account refuse such connections instead of silently accepting them.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        minTlsVersion: "TLS1_0",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        // ... minimumTlsVersion unset: TLS 1.0
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      min_tls_version = "TLS1_1"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.storage.Account("appdata", {
        // ...
        minTlsVersion: "TLS1_2",
    });

Pulumi Azure Native (TypeScript):

    new storage.StorageAccount("appdata", {
        kind: "StorageV2",
        sku: { name: "Standard_GRS" },
        minimumTlsVersion: "TLS1_2",
    });

Terraform:

    resource "azurerm_storage_account" "appdata" {
      # ...
      min_tls_version = "TLS1_2"
    }"#,
        fix: "Set the minimum to `TLS1_2`. guardrail's fix (safe) writes `TLS1_2`. Check the account's logs for clients still on older TLS before applying.",
        references: &[
            r#"CIS Microsoft Azure Foundations Benchmark v2.1.0: 3.15 Ensure the "Minimum TLS version" for storage accounts is set to "Version 1.2""#,
            "Microsoft Learn: Enforce a minimum required version of TLS for requests to a storage account — https://learn.microsoft.com/azure/storage/common/transport-layer-security-configure-minimum-version",
            "PCI DSS v4.0: 4.2.1; NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::tls("minTlsVersion", 1, 2, "TLS1_2");

const NATIVE: Want = Want::tls("minimumTlsVersion", 1, 2, "TLS1_0");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    // A Terraform plan or state lists every argument of the provider's schema, null when unset:
    // without the key at all, the azurerm provider predates it, and the account kept the Azure
    // default of its time, TLS 1.0.
    if view.resource.spelling == Spelling::Terraform && view.props.get("min_tls_version").is_none()
    {
        return Ok(Verdict::violation(
            Violation::new(format!(
                "storage account `{}` accepts TLS versions below 1.2 (`min_tls_version` is not in the \
                 plan: the azurerm provider predates it, and Azure's default then was `TLS1_0`)",
                view.resource.name
            ))
            .at("min_tls_version"),
        ));
    }
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "storage account",
        "accepts TLS versions below 1.2",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if view.resource.spelling == Spelling::Terraform && view.props.get("min_tls_version").is_none()
    {
        return Ok(with_keys(
            view,
            &[("minTlsVersion", Value::string("TLS1_2"))],
        ));
    }
    setting_fix(
        view,
        (BRIDGED, Lit::Text("TLS1_2")),
        (NATIVE, Lit::Text("TLS1_2")),
    )
}
