//! AZURE-ACR-001: Container registries disable the admin user.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_fix, setting_verdict, Lit, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-ACR-001",
    name: "container-registry-admin-user-disabled",
    title: "Container registries disable the admin user",
    description: "The registry admin user is a shared username and password with push and pull rights on every repository.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["acr"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["8.2.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.5"] }, Control { framework: "nist-800-53", controls: &["IA-2", "IA-5"] }]),
    resource_types: &["azurerm_container_registry", "azure:containerservice/registry:Registry", "azure-native:containerregistry:Registry"],
    remediation: "Set `admin_enabled = false` (Pulumi `adminEnabled`, Azure Native `adminUserEnabled: false`) and pull with managed identities or tokens.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Container registries (`azurerm_container_registry`, Pulumi `azure:containerservice/registry:Registry`, Azure Native `azure-native:containerregistry:Registry`): Terraform and Pulumi `azure` read `admin_enabled`, Azure Native `adminUserEnabled`; both default to `false`, so only `true` is a violation.",
        why: "The admin credentials are shared by everyone who uses them, leave no individual trace, and let anyone who finds them push a poisoned image that every cluster then pulls.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", { /* ... */ adminEnabled: true });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", { /* ... */ adminUserEnabled: true });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      admin_enabled = true
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.Registry("app", { /* ... */ adminEnabled: false });

Pulumi Azure Native (TypeScript):

    new containerregistry.Registry("app", { /* ... */ adminUserEnabled: false });

Terraform:

    resource "azurerm_container_registry" "app" {
      # ...
      admin_enabled = false
    }"#,
        fix: "Give pullers and pushers managed identities with AcrPull/AcrPush, then disable the admin user. guardrail's fix is unsafe: anything still using the admin password stops working.",
        references: &[
            "Microsoft Learn: Authenticate with an Azure container registry (admin account) — https://learn.microsoft.com/azure/container-registry/container-registry-authentication#admin-account",
            "Microsoft cloud security benchmark: IM-1",
            "NIST SP 800-53 Rev. 5: IA-2, IA-5",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

const BRIDGED: Want = Want::off("adminEnabled", false);

const NATIVE: Want = Want::off("adminUserEnabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "container registry",
        "has its shared admin user enabled",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    setting_fix(
        view,
        (BRIDGED, Lit::Bool(false)),
        (NATIVE, Lit::Bool(false)),
    )
}
