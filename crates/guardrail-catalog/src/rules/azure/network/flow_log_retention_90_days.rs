//! AZURE-NETWORK-010: Network flow logs are kept for at least 90 days.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-010",
    name: "flow-log-retention-90-days",
    title: "Network flow logs are kept for at least 90 days",
    description: "Flow logs kept for less than 90 days are gone before many investigations need them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["network"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["6.5"] }, Control { framework: "pci-dss", controls: &["10.5.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "nist-800-53", controls: &["AU-11"] }]),
    resource_types: &["azurerm_network_watcher_flow_log", "azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog", "azure-native:network:FlowLog"],
    remediation: "Set `retention_policy { enabled = true, days = 90 }` or more (Azure Native `retentionPolicy`), or keep them indefinitely with `days = 0`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Network Watcher flow logs (`azurerm_network_watcher_flow_log`, Pulumi `azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog`, Azure Native `azure-native:network:FlowLog`): with a retention policy enabled (`retention_policy[0].enabled`, Pulumi and Azure Native `retentionPolicy.enabled`), `days` must be 0 (keep forever) or at least 90. A disabled retention policy keeps logs indefinitely and passes.",
        why: "Flow logs show which addresses talked to which ports: the evidence of lateral movement and exfiltration. The benchmark asks for 90 days at least.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkWatcherFlowLog("web", {
        // ...
        retentionPolicy: { enabled: true, days: 7 },
    });

Pulumi Azure Native (TypeScript):

    new network.FlowLog("web", {
        // ...
        retentionPolicy: { enabled: true, days: 30 },
    });

Terraform:

    resource "azurerm_network_watcher_flow_log" "web" {
      # ...
      retention_policy {
        enabled = true
        days = 7
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkWatcherFlowLog("web", {
        // ...
        retentionPolicy: { enabled: true, days: 90 },
    });

Pulumi Azure Native (TypeScript):

    new network.FlowLog("web", {
        // ...
        retentionPolicy: { enabled: true, days: 365 },
    });

Terraform:

    resource "azurerm_network_watcher_flow_log" "web" {
      # ...
      retention_policy {
        enabled = true
        days = 90
      }
    }"#,
        fix: "Raise the retention to 90 days or more. No automatic fix: retention costs storage.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 6.5 Ensure that Network Security Group Flow Log retention period is 'greater than 90 days'",
            "Microsoft Learn: Flow logging for network security groups — https://learn.microsoft.com/azure/network-watcher/nsg-flow-logs-overview",
            "NIST SP 800-53 Rev. 5: AU-11",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if read(view, "retentionPolicy.enabled")?.and_then(|v| v.as_bool()) != Some(true) {
        return Ok(Verdict::Pass);
    }
    let Some(days) = read(view, "retentionPolicy.days")? else {
        return Ok(Verdict::Pass);
    };
    match days.as_i64() {
        Some(n) if n == 0 || n >= 90 => Ok(Verdict::Pass),
        _ => {
            let secret = view.secret_at("retentionPolicy.days");
            Ok(Verdict::violation(
                Violation::new(format!(
                    "flow log `{}` keeps flow records for less than 90 days (`{}` is `{}`)",
                    view.resource.name,
                    at(view, "retentionPolicy.days"),
                    days.clone().tainted_if(secret).shown()
                ))
                .at(at(view, "retentionPolicy.days")),
            ))
        }
    }
}
