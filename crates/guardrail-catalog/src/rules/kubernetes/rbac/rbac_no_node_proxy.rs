//! K8S-RBAC-006: Roles do not grant the nodes/proxy subresource

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-006",
    name: "rbac-no-node-proxy",
    title: "Roles do not grant the nodes/proxy subresource",
    description: "The `nodes/proxy` subresource reaches the kubelet API, which executes commands in any pod of the node.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.10"],
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
    remediation: "Remove `get`, `create` on `nodes/proxy` from the role.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that grants `get` or `create` on `nodes/proxy` is a violation (`nodes/*` and `*` count).",
        why: "Through `nodes/proxy` the API server forwards requests to the kubelet: exec into any container of the node, read its logs, without any audit record of the pod-level action. CIS 5.1.10 asks to minimise it.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - ''
      resources:
      - nodes/proxy
      - nodes/metrics
      verbs:
      - get

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["nodes/proxy", "nodes/metrics"]
        verbs = ["get"]
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
      - nodes/metrics
      - nodes/stats
      verbs:
      - get

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["nodes/metrics", "nodes/stats"]
        verbs = ["get"]
      }
    }"#,
        fix: "Use `nodes/metrics` or `nodes/stats` for monitoring, and `pods/log` or `pods/exec` (audited) where people need them.",
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
        let resources: Vec<String> = ["nodes/proxy"]
            .iter()
            .filter(|r| g.has_resource(&[""], r))
            .map(|r| (*r).to_string())
            .collect();
        let verbs: Vec<String> = ["get", "create"]
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
