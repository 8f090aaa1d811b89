//! K8S-RBAC-009: Roles do not grant creating service account tokens

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RBAC-009",
    name: "rbac-no-token-creation",
    title: "Roles do not grant creating service account tokens",
    description: "Creating a token for a service account is acting as it.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["rbac"],
    topics: &["least-privilege", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.13"],
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
    remediation: "Remove `create` on `serviceaccounts/token` from the role.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Roles and ClusterRoles (manifests and Pulumi `kubernetes:rbac.authorization.k8s.io/v1:Role`/`ClusterRole`, Terraform `kubernetes_role`/`kubernetes_cluster_role` and `_v1`): each rule (`rules`, Terraform `rule` blocks) that grants `create` on `serviceaccounts/token` is a violation.",
        why: "The TokenRequest API issues a token for any service account the subject may name: it inherits that account's permissions. CIS 5.1.13 asks to minimise it.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRole
    metadata:
      name: ops
    rules:
    - apiGroups:
      - ''
      resources:
      - serviceaccounts/token
      verbs:
      - create

Terraform:

    resource "kubernetes_cluster_role_v1" "ops" {
      metadata {
        name = "ops"
      }
      rule {
        api_groups = [""]
        resources = ["serviceaccounts/token"]
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
      - serviceaccounts
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
        resources = ["serviceaccounts"]
        verbs = ["get", "list"]
      }
    }"#,
        fix: "Let pods get tokens through projected volumes; keep `serviceaccounts/token` to the components that federate identities.",
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
        let resources: Vec<String> = ["serviceaccounts/token"]
            .iter()
            .filter(|r| g.has_resource(&[""], r))
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
