//! K8S-RBAC-014: Roles are not bound to a default service account

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-014",
    name: "rbac-no-default-service-account-binding",
    title: "Roles are not bound to a default service account",
    description: "Every pod that names no service account runs as `default`: a role bound to it goes to all of them.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.5"],
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
    resource_types: BINDING_TYPES,
    remediation: "Create a dedicated ServiceAccount for the workload, bind the role to it and set `serviceAccountName` in its pod spec.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RoleBindings and ClusterRoleBindings (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:RoleBinding`/`ClusterRoleBinding`, Terraform `kubernetes_role_binding`/`kubernetes_cluster_role_binding` and `_v1`): each subject of kind `ServiceAccount` named `default` is a violation.",
        why: "Binding a role to a namespace's `default` service account grants it to every pod there that did not choose an identity — today's and tomorrow's. CIS 5.1.5 asks that default service accounts hold no roles.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: ops
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: view
    subjects:
    - kind: ServiceAccount
      name: default
      namespace: shop

Terraform:

    resource "kubernetes_cluster_role_binding_v1" "ops" {
      metadata {
        name = "ops"
      }
      role_ref {
        api_group = "rbac.authorization.k8s.io"
        kind = "ClusterRole"
        name = "view"
      }
      subject {
        kind = "ServiceAccount"
        name = "default"
        namespace = "shop"
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: ops
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: view
    subjects:
    - kind: ServiceAccount
      name: web
      namespace: shop

Terraform:

    resource "kubernetes_cluster_role_binding_v1" "ops" {
      metadata {
        name = "ops"
      }
      role_ref {
        api_group = "rbac.authorization.k8s.io"
        kind = "ClusterRole"
        name = "view"
      }
      subject {
        kind = "ServiceAccount"
        name = "web"
        namespace = "shop"
      }
    }"#,
        fix: "Create a dedicated ServiceAccount for the workload, bind the role to it and set `serviceAccountName` in its pod spec.",
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
    let list = subjects(view)?;
    if list.is_empty() {
        return Ok(Verdict::not_applicable("the binding has no subjects"));
    }
    let who = format!("{} `{}`", role_noun(view), view.resource.name);
    let mut violations = Vec::new();
    for (i, subject) in list.iter().enumerate() {
        let (kind, name) = (&subject.kind, &subject.name);
        let matched: Option<&str> = if kind == "ServiceAccount" && name == "default" {
            Some("is a namespace's default service account")
        } else {
            None
        };
        if let Some(what) = matched {
            let shown = if subject.secret {
                shown_text(name, true)
            } else {
                format!("{kind} `{name}`")
            };
            violations.push(
                guardrail_core::Violation::new(format!("{who}: subject #{} {shown} {what}", i + 1))
                    .at(subject.path.clone()),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
