//! K8S-RBAC-010: Roles do not grant exec or attach into pods

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-010",
    name: "rbac-no-pod-exec",
    title: "Roles do not grant exec or attach into pods",
    description: "Exec and attach run commands inside running containers, with their identity and secrets.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
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
    remediation: "Remove `create`, `get` on `pods/exec`, `pods/attach` from the role.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that grants `create` or `get` on `pods/exec` or `pods/attach` is a violation.",
        why: "Exec into a pod gives its service account token, its mounted secrets and its network position to whoever holds the verb; it is how most lateral movement in clusters starts. It also changes running workloads outside any review.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - ''
      resources:
      - pods/exec
      verbs:
      - create

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["pods/exec"]
        verbs = ["create"]
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - ''
      resources:
      - pods/log
      verbs:
      - get

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["pods/log"]
        verbs = ["get"]
      }
    }"#,
        fix: "Use logs, metrics and ephemeral debug containers under a break-glass role instead of standing exec rights.",
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
        let resources: Vec<String> = ["pods/exec", "pods/attach"]
            .iter()
            .filter(|r| g.has_resource(&[""], r))
            .map(|r| (*r).to_string())
            .collect();
        let verbs: Vec<String> = ["create", "get"]
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
