//! K8S-RBAC-004: Roles do not grant creating pods

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-004",
    name: "rbac-no-pod-creation",
    title: "Roles do not grant creating pods",
    description: "Whoever creates pods can run any image with any service account of the namespace and mount its secrets.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.4"],
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
    remediation: "Remove `create` on `pods`, `deployments`, `daemonsets`, `statefulsets`, `replicasets`, `jobs`, `cronjobs` from the role.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that grants `create` on `pods` (or on the controllers that create them: `deployments`, `daemonsets`, `statefulsets`, `replicasets`, `jobs`, `cronjobs`) is a violation.",
        why: "Creating a pod is creating a process with a chosen identity: any service account of the namespace, any mounted secret, and — unless admission stops it — privileged settings. CIS 5.1.4 asks to minimise it.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - ''
      resources:
      - pods
      verbs:
      - create
      - delete

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["pods"]
        verbs = ["create", "delete"]
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
      - pods
      verbs:
      - get
      - delete

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["pods"]
        verbs = ["get", "delete"]
      }
    }"#,
        fix: "Let a deployment pipeline with its own identity create workloads; give people read access and `pods/log`.",
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
        let resources: Vec<String> = [
            "pods",
            "deployments",
            "daemonsets",
            "statefulsets",
            "replicasets",
            "jobs",
            "cronjobs",
        ]
        .iter()
        .filter(|r| g.has_resource(&["", "apps", "batch"], r))
        .map(|r| (*r).to_string())
        .collect();
        let verbs: Vec<String> = ["create"]
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
