//! AZURE-MONITOR-002: Activity log profiles capture every category in every region.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, join_words, string_list};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-MONITOR-002",
    name: "log-profile-captures-all-activity",
    title: "Activity log profiles capture every category in every region",
    description: "A log profile without the Write, Delete or Action category, or without the global region, silently drops part of the control-plane audit trail.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["monitor"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["10.2.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "hipaa", controls: &["164.312(b)"] }, Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] }]),
    resource_types: &["azurerm_monitor_log_profile", "azure:monitoring/logProfile:LogProfile", "azure-native:insights:LogProfile"],
    remediation: r#"List `categories = ["Action", "Delete", "Write"]` and every region in use plus `global` in `locations`."#,
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Activity log profiles (`azurerm_monitor_log_profile`, Pulumi `azure:monitoring/logProfile:LogProfile`, Azure Native `azure-native:insights:LogProfile`; the same names in every spelling, `retention_policy` a block in Terraform): `categories` must include `Write`, `Delete` and `Action`, and `locations` must include `global` (where events of global services such as Microsoft Entra and Front Door are recorded). Log profiles are the legacy way to export the activity log (Microsoft recommends diagnostic settings now); the rule keeps existing ones honest.",
        why: "An export that leaves out deletions or global events misses exactly the operations an attacker or a mistaken script performs; the gap only shows when the logs are needed.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.monitoring.LogProfile("activity", { /* ... */ categories: ["Write"], locations: ["westeurope"] });

Pulumi Azure Native (TypeScript):

    new insights.LogProfile("activity", { /* ... */ categories: ["Write", "Delete"], locations: ["westeurope"] });

Terraform:

    resource "azurerm_monitor_log_profile" "activity" {
      # ...
      categories = ["Write", "Delete"]
      locations  = ["westeurope"]
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.monitoring.LogProfile("activity", { /* ... */ categories: ["Action", "Delete", "Write"], locations: ["westeurope", "global"] });

Pulumi Azure Native (TypeScript):

    new insights.LogProfile("activity", { /* ... */ categories: ["Action", "Delete", "Write"], locations: ["westeurope", "northeurope", "global"] });

Terraform:

    resource "azurerm_monitor_log_profile" "activity" {
      # ...
      categories = ["Action", "Delete", "Write"]
      locations  = ["westeurope", "global"]
    }"#,
        fix: "Add the missing categories and regions. No automatic fix: the region list must cover the subscription's regions.",
        references: &[
            "Microsoft Learn: Azure Monitor activity log (legacy log profiles) — https://learn.microsoft.com/azure/azure-monitor/essentials/activity-log",
            "NIST SP 800-53 Rev. 5: AU-2, AU-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let categories = string_list(view, "categories")?;
    let locations = string_list(view, "locations")?;
    let mut missing: Vec<String> = ["Action", "Delete", "Write"]
        .iter()
        .filter(|want| {
            !categories
                .iter()
                .any(|c| c.trim().eq_ignore_ascii_case(want))
        })
        .map(|want| format!("category `{want}`"))
        .collect();
    if !locations
        .iter()
        .any(|l| l.trim().eq_ignore_ascii_case("global"))
    {
        missing.push("location `global`".to_string());
    }
    if missing.is_empty() {
        return Ok(Verdict::Pass);
    }
    let path = if missing.iter().any(|m| m.starts_with("category")) {
        "categories"
    } else {
        "locations"
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "log profile `{}` leaves out {}",
            view.resource.name,
            join_words(&missing)
        ))
        .at(at(view, path)),
    ))
}
