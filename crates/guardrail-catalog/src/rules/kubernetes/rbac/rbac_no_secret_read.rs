//! K8S-RBAC-003: Roles do not read secrets broadly

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-003",
    name: "rbac-no-secret-read",
    title: "Roles do not read secrets broadly",
    description: "Reading Secrets means reading every credential stored in them: tokens, passwords, keys.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.2"],
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
    remediation: "Drop `get`, `list` and `watch` on `secrets`, or limit `get` to `resourceNames`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that grants `list` or `watch` on `secrets` in the core API group, or `get` without `resourceNames`, is a violation (`*` verbs, resources and groups count).",
        why: "Secrets hold the cluster's credentials, service account tokens included; `list` and `watch` return all of them with their values. CIS 5.1.2 asks to minimise access to them.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - ''
      resources:
      - secrets
      verbs:
      - get
      - list

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["secrets"]
        verbs = ["get", "list"]
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
      - secrets
      verbs:
      - get
      resourceNames:
      - web-tls

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["secrets"]
        verbs = ["get"]
        resource_names = ["web-tls"]
      }
    }"#,
        fix: "Give the workload `get` on the specific secrets it needs (`resourceNames`), or mount them into its pod instead of reading them through the API.",
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
        if !g.has_resource(&[""], "secrets") {
            return None;
        }
        let mut verbs: Vec<String> = Vec::new();
        if g.has_verb("get") && g.names.is_empty() {
            verbs.push("get".to_string());
        }
        for v in ["list", "watch"] {
            if g.has_verb(v) {
                verbs.push(v.to_string());
            }
        }
        (!verbs.is_empty()).then(|| {
            let listed: Vec<String> = verbs.iter().map(|v| format!("`{v}`")).collect();
            if g.secret {
                format!("reads secrets ({})", g.show(""))
            } else {
                format!("reads secrets ({})", listed.join(", "))
            }
        })
    })
}
