//! K8S-RBAC-013: Nothing is bound to anonymous or all users

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-013",
    name: "rbac-no-anonymous-subjects",
    title: "Nothing is bound to anonymous or all users",
    description: "Bindings to `system:anonymous`, `system:unauthenticated` or `system:authenticated` grant their role to anyone who can reach the API server.",
    severity: Severity::Critical,
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
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(1)"],
        },
    ]),
    resource_types: BINDING_TYPES,
    remediation: "Remove the subject and bind the role to the specific groups or service accounts that need it.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RoleBindings and ClusterRoleBindings (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:RoleBinding`/`ClusterRoleBinding`, Terraform `kubernetes_role_binding`/`kubernetes_cluster_role_binding` and `_v1`): each subject that is the user `system:anonymous` or the group `system:unauthenticated` or `system:authenticated` is a violation.",
        why: "`system:anonymous` and `system:unauthenticated` are requests without credentials; `system:authenticated` is every identity any configured authenticator accepts — on managed clusters that can be every account of the cloud provider. Roles bound to them are public.",
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
    - kind: Group
      name: system:unauthenticated
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
        name = "system:unauthenticated"
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
        fix: "Remove the subject and bind the role to the specific groups or service accounts that need it.",
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
        let matched: Option<&str> = match (kind.as_str(), name.as_str()) {
            ("User", "system:anonymous") => Some("lets anonymous requests in"),
            ("Group", "system:unauthenticated") => Some("lets anonymous requests in"),
            ("Group", "system:authenticated") => {
                Some("grants the role to every authenticated identity")
            }
            _ => None,
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
