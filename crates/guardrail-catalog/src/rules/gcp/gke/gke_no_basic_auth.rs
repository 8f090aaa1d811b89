//! GCP-GKE-024: GKE clusters do not use basic authentication.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-GKE-024",
    name: "gke-no-basic-auth",
    title: "GKE clusters do not use basic authentication",
    description: "A static username and password for the Kubernetes API is a shared, long-lived credential with cluster-admin rights.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["gke"],
    topics: &["kubernetes", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["8.3.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.5"] },
        Control { framework: "nist-800-53", controls: &["IA-2", "IA-5"] },
    ]),
    resource_types: &["google_container_cluster", "gcp:container/cluster:Cluster"],
    remediation: "Remove `username` and `password` from `master_auth`; authenticate with IAM.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "GKE clusters (`google_container_cluster`, Pulumi `gcp:container/cluster:Cluster`): `master_auth.username` and `master_auth.password` (Pulumi `masterAuth.username`, `masterAuth.password`) must not be set. Either one set is a violation; values known only after apply are indeterminate. The password itself is never printed.",
        why: "Basic authentication bypasses IAM, cannot be tied to a person, and its password sits in state files and pipeline variables. GKE removed it from version 1.19; configurations that still set it fail to apply or keep old clusters exposed.",
        noncompliant: r#"Pulumi (TypeScript):

    new gcp.container.Cluster("gke-cluster", {
        initialNodeCount: 1,
        masterAuth: { username, password },
    });"#,
        compliant: r#"Pulumi (TypeScript):

    new gcp.container.Cluster("gke-cluster", {
        initialNodeCount: 1,
    });"#,
        fix: "Delete `username` and `password` from `master_auth` and use `gcloud container clusters get-credentials`, which authenticates with IAM. Rotate any password that was set.",
        references: &["Google Cloud: Authenticate to the Kubernetes API server — https://cloud.google.com/kubernetes-engine/docs/how-to/api-server-authentication", "Google Cloud: Harden your cluster's security — https://cloud.google.com/kubernetes-engine/docs/how-to/hardening-your-cluster"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let username = support::gcp::text_at(view, "masterAuth.username")?;
    let password = support::gcp::text_at(view, "masterAuth.password")?;
    if username.is_none() && password.is_none() {
        return Ok(Verdict::Pass);
    }
    let path = if password.is_some() {
        support::at(view, "masterAuth.password")
    } else {
        support::at(view, "masterAuth.username")
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} lets clients log in to the Kubernetes API with a static username and password",
            support::who(view, "GKE cluster")
        ))
        .at(path),
    ))
}
