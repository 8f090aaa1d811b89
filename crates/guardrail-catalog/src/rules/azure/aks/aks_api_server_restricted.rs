//! AZURE-AKS-008: AKS API servers are private or limited to known addresses.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, is_native, is_world_cidr, read, string_list};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-AKS-008",
    name: "aks-api-server-restricted",
    title: "AKS API servers are private or limited to known addresses",
    description: "A public AKS API server without authorized IP ranges can be reached, and attacked, from the whole internet.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["aks"],
    topics: &["network", "kubernetes", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_kubernetes_cluster", "azure:containerservice/kubernetesCluster:KubernetesCluster", "azure-native:containerservice:ManagedCluster"],
    remediation: "Make the cluster private (`private_cluster_enabled = true`, Azure Native `apiServerAccessProfile.enablePrivateCluster`) or set authorized IP ranges (`api_server_access_profile { authorized_ip_ranges = [...] }`, Azure Native `apiServerAccessProfile.authorizedIPRanges`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "AKS clusters in every spelling pass when the API server is private (Terraform and Pulumi `azure` `private_cluster_enabled`, Azure Native `apiServerAccessProfile.enablePrivateCluster`) or limited to authorized IP ranges (Terraform `api_server_access_profile[0].authorized_ip_ranges`, azurerm 3 `api_server_authorized_ip_ranges`, Pulumi `apiServerAccessProfile.authorizedIpRanges`, Azure Native `apiServerAccessProfile.authorizedIPRanges`). A range of `0.0.0.0/0` does not count. Otherwise a violation.",
        why: "The Kubernetes API server is the cluster's control plane: exposed to the internet it receives credential stuffing and exploits of API-server vulnerabilities, and a leaked kubeconfig works from anywhere.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... public, no ranges */ });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      private_cluster_enabled = false
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.containerservice.KubernetesCluster("main", { /* ... */ apiServerAccessProfile: { authorizedIpRanges: ["203.0.113.0/24"] } });

Pulumi Azure Native (TypeScript):

    new containerservice.ManagedCluster("main", { /* ... */ apiServerAccessProfile: { enablePrivateCluster: true } });

Terraform:

    resource "azurerm_kubernetes_cluster" "main" {
      # ...
      api_server_access_profile {
        authorized_ip_ranges = ["203.0.113.0/24"]
      }
    }"#,
        fix: "Add the CI runners' and administrators' egress ranges, or make the cluster private and reach it through a VPN, Bastion or `az aks command invoke`. No automatic fix.",
        references: &[
            "Microsoft Learn: Secure access to the API server using authorized IP address ranges in AKS — https://learn.microsoft.com/azure/aks/api-server-authorized-ip-ranges",
            "Microsoft Learn: Create a private AKS cluster — https://learn.microsoft.com/azure/aks/private-clusters",
            "NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (private, ranges): (&str, &[&str]) = if is_native(view) {
        (
            "apiServerAccessProfile.enablePrivateCluster",
            &["apiServerAccessProfile.authorizedIPRanges"],
        )
    } else {
        (
            "privateClusterEnabled",
            &[
                "apiServerAccessProfile.authorizedIpRanges",
                "apiServerAuthorizedIpRanges",
            ],
        )
    };
    if read(view, private)?.and_then(|v| v.as_bool()) == Some(true) {
        return Ok(Verdict::Pass);
    }
    for camel in ranges {
        let list = string_list(view, camel)?;
        if !list.is_empty() && !list.iter().any(|cidr| is_world_cidr(cidr)) {
            return Ok(Verdict::Pass);
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "AKS cluster `{}` exposes its API server to the internet (not private, no authorized \
             IP ranges)",
            view.resource.name
        ))
        .at(at(view, private)),
    ))
}
