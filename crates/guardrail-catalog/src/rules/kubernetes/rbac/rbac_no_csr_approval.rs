//! K8S-RBAC-007: Roles do not grant approving certificate signing requests

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-007",
    name: "rbac-no-csr-approval",
    title: "Roles do not grant approving certificate signing requests",
    description: "Approving CSRs issues client certificates the API server trusts: any identity, any group.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.11"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6"],
        },
        Control {
            framework: "pci-dss",
            controls: &["7.2.1", "7.2.2"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.15", "A.8.2"],
        },
    ]),
    resource_types: ROLE_TYPES,
    remediation: "Remove `update`, `patch` on `certificatesigningrequests/approval` from the role.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that grants `update` or `patch` on `certificatesigningrequests/approval` in `certificates.k8s.io` is a violation.",
        why: "A subject that can approve its own CSR can mint a certificate for `system:masters` or a node identity. CIS 5.1.11 asks to minimise access to the approval subresource.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - certificates.k8s.io
      resources:
      - certificatesigningrequests/approval
      verbs:
      - update

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = ["certificates.k8s.io"]
        resources = ["certificatesigningrequests/approval"]
        verbs = ["update"]
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - certificates.k8s.io
      resources:
      - certificatesigningrequests
      verbs:
      - create
      - get

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = ["certificates.k8s.io"]
        resources = ["certificatesigningrequests"]
        verbs = ["create", "get"]
      }
    }"#,
        fix: "Leave approval to the controller manager's approver and the cluster administrators.",
        references: &[
            "Kubernetes: Using RBAC Authorization — https://kubernetes.io/docs/reference/access-authn-authz/rbac/",
            "Kubernetes: Role Based Access Control Good Practices — https://kubernetes.io/docs/concepts/security/rbac-good-practices/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    grants_verdict(view, |g| {
        let resources: Vec<String> = ["certificatesigningrequests/approval"]
            .iter()
            .filter(|r| g.has_resource(&["certificates.k8s.io"], r))
            .map(|r| (*r).to_string())
            .collect();
        let verbs: Vec<String> = ["update", "patch"]
            .iter()
            .filter(|v| g.has_verb(v))
            .map(|v| (*v).to_string())
            .collect();
        (!resources.is_empty() && !verbs.is_empty()).then(|| {
            format!(
                "grants {} on {}",
                shown_list(&verbs, g.secret),
                shown_list(&resources, g.secret)
            )
        })
    })
}
