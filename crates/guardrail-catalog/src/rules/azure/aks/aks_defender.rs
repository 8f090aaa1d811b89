//! AZURE-AKS-012: AKS clusters run Microsoft Defender for Containers.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-012",
    name: "aks-defender",
    title: "AKS clusters run Microsoft Defender for Containers",
    description: "Defender for Containers watches the cluster's runtime and audit logs for attacks.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["threat-detection", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["11.5.1"] }, Control { framework: "soc2", controls: &["CC7.2"] }, Control { framework: "iso27001", controls: &["A.8.16"] }, Control { framework: "nist-800-53", controls: &["SI-4"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `microsoft_defender` (Pulumi `microsoftDefender`, Azure Native `securityProfile.defender.securityMonitoring.enabled: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform reads the `microsoft_defender` block, Pulumi `azure` `microsoftDefender`, Azure Native `securityProfile.defender.securityMonitoring.enabled`. Unset is a violation. Advisory by default (other runtime security tools meet the intent).",
        why: "Container escapes, crypto-mining and suspicious API calls are only seen by runtime monitoring; without it an intrusion can go unnoticed.",
        noncompliant: "The AKS cluster without `microsoft_defender` (Pulumi `microsoftDefender`, Azure Native `securityProfile.defender.securityMonitoring.enabled`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        microsoftDefender: { logAnalyticsWorkspaceId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops" },
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        securityProfile: { defender: { securityMonitoring: { enabled: true } } },
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      microsoft_defender {
        log_analytics_workspace_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ops/providers/Microsoft.OperationalInsights/workspaces/law-ops"
      }
    }"#,
        fix: "Enable Defender for Containers with a Log Analytics workspace. No automatic fix.",
        references: &[
            "Microsoft Learn: Overview of Microsoft Defender for Containers — https://learn.microsoft.com/azure/defender-for-cloud/defender-for-containers-introduction",
            "NIST SP 800-53 Rev. 5: SI-4",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("microsoftDefender");

const NATIVE: Want = Want::on("securityProfile.defender.securityMonitoring.enabled", false);

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not run Microsoft Defender for Containers",
    )
}
