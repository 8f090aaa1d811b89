//! K8S-RBAC-001: Roles grant no wildcard permissions

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-001",
    name: "rbac-no-wildcards",
    title: "Roles grant no wildcard permissions",
    description: "A `*` in verbs, resources or API groups grants everything that exists now and everything added later.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.3"],
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
    remediation: "Replace `*` with the exact verbs, resources and API groups needed.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that has `*` among its `verbs`, `resources`, `apiGroups` or `nonResourceURLs` is a violation.",
        why: "Wildcards grant far more than anyone reviews: `resources: [\"*\"]` includes secrets and RBAC objects themselves, and new resource types (CRDs) added later are granted silently. CIS 5.1.3 asks to minimise them.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - apps
      resources:
      - '*'
      verbs:
      - get
      - list

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = ["apps"]
        resources = ["*"]
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
      - apps
      resources:
      - deployments
      verbs:
      - get
      - list

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = ["apps"]
        resources = ["deployments"]
        verbs = ["get", "list"]
      }
    }"#,
        fix: "List the API groups, resources and verbs the subject really uses (`kubectl auth can-i --list` and audit logs help).",
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
        let mut fields = Vec::new();
        for (name, list) in [
            ("verbs", &g.verbs),
            ("resources", &g.resources),
            ("API groups", &g.groups),
        ] {
            if list.iter().any(|v| v == "*") {
                fields.push(name);
            }
        }
        (!fields.is_empty())
            .then(|| format!("uses the wildcard {} in {}", g.show("*"), fields.join(", ")))
    })
}
