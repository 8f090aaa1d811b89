//! K8S-RBAC-002: Roles do not grant escalate, bind or impersonate

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-002",
    name: "rbac-no-escalation-verbs",
    title: "Roles do not grant escalate, bind or impersonate",
    description: "These verbs let a subject give itself permissions it does not have, or act as another user.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.8"],
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
    remediation: "Remove the `escalate`, `bind` and `impersonate` verbs.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that grants the verb `escalate`, `bind` or `impersonate` (named explicitly; `*` is K8S-RBAC-001's) is a violation.",
        why: "RBAC normally stops a subject from granting more than it holds. `escalate` lifts that check for roles it edits, `bind` for bindings it creates, and `impersonate` lets it act as any user, group or service account, cluster admins included. CIS 5.1.8 asks to limit them.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - rbac.authorization.k8s.io
      resources:
      - clusterroles
      verbs:
      - bind
      - escalate

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = ["rbac.authorization.k8s.io"]
        resources = ["clusterroles"]
        verbs = ["bind", "escalate"]
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - rbac.authorization.k8s.io
      resources:
      - clusterroles
      verbs:
      - get
      - list

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = ["rbac.authorization.k8s.io"]
        resources = ["clusterroles"]
        verbs = ["get", "list"]
      }
    }"#,
        fix: "Keep these verbs to the cluster's own administration tooling; give operators a role with the permissions themselves instead.",
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
        let found: Vec<String> = ["escalate", "bind", "impersonate"]
            .iter()
            .filter(|v| g.verbs.iter().any(|have| have == *v))
            .map(|v| (*v).to_string())
            .collect();
        (!found.is_empty()).then(|| format!("grants {}", shown_list(&found, g.secret)))
    })
}
