//! AZURE-NETWORK-011: Network flow logs feed Traffic Analytics in Log Analytics.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-NETWORK-011",
    name: "flow-log-traffic-analytics",
    title: "Network flow logs feed Traffic Analytics in Log Analytics",
    description: "Flow logs left in a storage account are rarely read; Traffic Analytics puts them in Log Analytics where they can be queried and alerted on.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["network"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["5.1.6"] }, Control { framework: "pci-dss", controls: &["10.2.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.15"] }, Control { framework: "hipaa", controls: &["164.312(b)"] }, Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] }]),
    resource_types: &["azurerm_network_watcher_flow_log", "azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog", "azure-native:network:FlowLog"],
    remediation: "Set `traffic_analytics` (Pulumi `trafficAnalytics`, Azure Native `flowAnalyticsConfiguration`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Network Watcher flow logs in every spelling: Terraform reads the `traffic_analytics` block, Pulumi `azure` `trafficAnalytics`, Azure Native `flowAnalyticsConfiguration`. Unset is a violation. Advisory by default.",
        why: "Flow records that nobody queries do not detect anything; in Log Analytics they can drive alerts on unusual traffic and answer investigations quickly.",
        noncompliant: "The flow log without `traffic_analytics` (Pulumi `trafficAnalytics`, Azure Native `flowAnalyticsConfiguration`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.network.NetworkWatcherFlowLog("web", {
        // ...
        trafficAnalytics: { enabled: true, workspaceId: "a0b1c2d3-e4f5-6789-abcd-ef0123456789", workspaceRegion: "westeurope", workspaceResourceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops" },
    });

Pulumi Azure Native (TypeScript):

    new network.FlowLog("web", {
        // ...
        flowAnalyticsConfiguration: { networkWatcherFlowAnalyticsConfiguration: { enabled: true, workspaceResourceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops", trafficAnalyticsInterval: 10 } },
    });

Terraform:

    resource "azurerm_network_watcher_flow_log" "web" {
      # ...
      traffic_analytics {
        enabled = true
        workspace_id = "<unknown>"
        workspace_region = "westeurope"
        workspace_resource_id = "<unknown>"
        interval_in_minutes = 10
      }
    }"#,
        fix: "Add Traffic Analytics with a Log Analytics workspace. No automatic fix: the workspace must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 5.1.6 Ensure that Network Security Group Flow logs are captured and sent to Log Analytics",
            "Microsoft Learn: Traffic analytics overview — https://learn.microsoft.com/azure/network-watcher/traffic-analytics",
            "NIST SP 800-53 Rev. 5: AU-2, AU-12",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("trafficAnalytics");

const NATIVE: Want = Want::present("flowAnalyticsConfiguration");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "flow log",
        "does not send flows to Log Analytics",
    )
}
