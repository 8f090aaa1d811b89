//! K8S-RBAC-011: Nothing is bound to cluster-admin

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-011",
    name: "rbac-no-cluster-admin-binding",
    title: "Nothing is bound to cluster-admin",
    description: "`cluster-admin` is every permission on every object; a binding to it makes its subjects owners of the cluster.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.1"],
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
    remediation: "Bind a role with the permissions needed instead of `cluster-admin`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RoleBindings and ClusterRoleBindings (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:RoleBinding`/`ClusterRoleBinding`, Terraform `kubernetes_role_binding`/`kubernetes_cluster_role_binding` and `_v1`): a binding whose `roleRef` (Terraform `role_ref`) names the ClusterRole `cluster-admin` is a violation, whatever its subjects.",
        why: "Anything bound to `cluster-admin` can read every secret, change RBAC and run anything anywhere. CIS 5.1.1 asks to use it only where required; in code it is almost never required.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata:
      name: ops
    roleRef:
      apiGroup: rbac.authorization.k8s.io
      kind: ClusterRole
      name: cluster-admin
    subjects:
    - kind: Group
      name: platform-team
      apiGroup: rbac.authorization.k8s.io

Terraform:

    resource "kubernetes_cluster_role_binding_v1" "ops" {
      metadata {
        name = "ops"
      }
      role_ref {
        api_group = "rbac.authorization.k8s.io"
        kind = "ClusterRole"
        name = "cluster-admin"
      }
      subject {
        kind = "Group"
        name = "platform-team"
        api_group = "rbac.authorization.k8s.io"
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
    - kind: Group
      name: platform-team
      apiGroup: rbac.authorization.k8s.io

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
        kind = "Group"
        name = "platform-team"
        api_group = "rbac.authorization.k8s.io"
      }
    }"#,
        fix: "Create a ClusterRole or Role with the verbs and resources the subject uses and bind that; keep `cluster-admin` for break-glass access outside application code.",
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
    let Some((kind, name, path)) = role_ref(view)? else {
        return Ok(Verdict::not_applicable("the binding names no role"));
    };
    if name != "cluster-admin" || kind == "Role" {
        return Ok(Verdict::Pass);
    }
    let secret = view.props.secret_at(&path);
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!(
            "{} `{}` grants {}",
            role_noun(view),
            view.resource.name,
            shown_text(&name, secret)
        ))
        .at(path),
    ))
}
