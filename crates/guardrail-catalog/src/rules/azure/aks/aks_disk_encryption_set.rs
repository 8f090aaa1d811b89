//! AZURE-AKS-010: AKS clusters encrypt node disks with a customer-managed key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{setting_verdict, Want};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-010",
    name: "aks-disk-encryption-set",
    title: "AKS clusters encrypt node disks with a customer-managed key",
    description: "Node OS and data disks encrypted with a disk encryption set are under the organisation's key policy.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "azure",
    services: &["aks"],
    topics: &["encryption", "kubernetes"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["3.6.1"] }, Control { framework: "soc2", controls: &["CC6.1"] }, Control { framework: "iso27001", controls: &["A.8.24"] }, Control { framework: "nist-800-53", controls: &["SC-12", "SC-28"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Set `disk_encryption_set_id` (Pulumi `diskEncryptionSetId`, Azure Native `diskEncryptionSetID`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling: Terraform and Pulumi `azure` read `disk_encryption_set_id`, Azure Native `diskEncryptionSetID`. Unset is a violation. Advisory by default.",
        why: "Node disks hold container images, logs and emptyDir volumes; a customer-managed key lets the organisation revoke access to them and logs key use.",
        noncompliant: "The AKS cluster without `disk_encryption_set_id` (Pulumi `diskEncryptionSetId`, Azure Native `diskEncryptionSetID`) set.",
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", {
        // ...
        diskEncryptionSetId: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Compute/diskEncryptionSets/des-aks",
    });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", {
        // ...
        diskEncryptionSetID: "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Compute/diskEncryptionSets/des-aks",
    });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      disk_encryption_set_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-app/providers/Microsoft.Compute/diskEncryptionSets/des-aks"
    }"#,
        fix: "Create a disk encryption set and set it when the cluster is created. No automatic fix: it replaces the node pools.",
        references: &[
            "Microsoft Learn: Bring your own keys with Azure managed disks in AKS — https://learn.microsoft.com/azure/aks/azure-disk-customer-managed-keys",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

const BRIDGED: Want = Want::present("diskEncryptionSetId");

const NATIVE: Want = Want::present("diskEncryptionSetID");

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    setting_verdict(
        view,
        BRIDGED,
        NATIVE,
        "AKS cluster",
        "does not encrypt node disks with a customer-managed key",
    )
}
