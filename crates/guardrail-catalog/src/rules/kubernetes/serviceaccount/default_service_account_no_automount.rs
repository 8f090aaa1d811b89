//! K8S-SA-003: The default service account does not mount tokens

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SA-003",
    name: "default-service-account-no-automount",
    title: "The default service account does not mount tokens",
    description: "Turning token mounting off on each namespace's `default` service account protects every pod that forgets to choose its own.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["sa", "serviceaccount"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.5"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6"],
        },
    ]),
    resource_types: &["kubernetes:core/v1:ServiceAccount", "kubernetes_service_account", "kubernetes_service_account_v1"],
    remediation: "Set `automountServiceAccountToken: false` on the `default` ServiceAccount of each namespace.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For ServiceAccounts (manifests and Pulumi `kubernetes:core/v1:ServiceAccount`, Terraform `kubernetes_service_account` and `_v1`) named `default`: `automountServiceAccountToken` (Terraform `automount_service_account_token`) must be `false`; unset means `true`. Other service accounts are not applicable.",
        why: "Pods that name no service account run as `default` and, unless it says otherwise, get its token mounted. CIS 5.1.5 asks that the default service accounts grant nothing and mount nothing, so that a workload has to opt in to an identity.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: default
      namespace: shop
    automountServiceAccountToken: true

Terraform:

    resource "kubernetes_service_account_v1" "default" {
      metadata {
        name = "default"
        namespace = "shop"
      }
      automount_service_account_token = true
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: ServiceAccount
    metadata:
      name: default
      namespace: shop
    automountServiceAccountToken: false

Terraform:

    resource "kubernetes_service_account_v1" "default" {
      metadata {
        name = "default"
        namespace = "shop"
      }
      automount_service_account_token = false
    }"#,
        fix: "Manage the namespace's `default` ServiceAccount in code with `automountServiceAccountToken: false` (Terraform: `kubernetes_default_service_account_v1` or `kubernetes_service_account_v1` with `automount_service_account_token = false`).",
        references: &[
            "Kubernetes: Configure Service Accounts for Pods — https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
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
    if object_name(view) != "default" {
        return Ok(Verdict::not_applicable(
            "not a namespace's default service account",
        ));
    }
    let path = crate::support::at(view, "automountServiceAccountToken");
    let on = crate::support::flag(view, "automountServiceAccountToken")?;
    if on == Some(false) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!(
            "service account `{}` lets pods mount its token (`automountServiceAccountToken` is not `false`)",
            view.resource.name
        ))
        .at(path),
    ))
}
