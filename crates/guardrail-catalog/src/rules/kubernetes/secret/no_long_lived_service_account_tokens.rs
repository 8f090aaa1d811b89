//! K8S-SECRET-004: No long-lived service account token Secrets

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SECRET-004",
    name: "no-long-lived-service-account-tokens",
    title: "No long-lived service account token Secrets",
    description: "A Secret of type `kubernetes.io/service-account-token` holds a token that never expires.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["secret"],
    topics: &["secrets", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["IA-5(1)", "AC-2(3)"],
        },
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.13"],
        },
    ]),
    resource_types: &["kubernetes:core/v1:Secret", "kubernetes_secret", "kubernetes_secret_v1"],
    remediation: "Delete the Secret; let clients get short-lived tokens through the TokenRequest API or projected volumes.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Secrets (manifests and Pulumi `kubernetes:core/v1:Secret`, Terraform `kubernetes_secret` and `_v1`) of `type: kubernetes.io/service-account-token` are violations; other types pass.",
        why: "Since Kubernetes 1.24 pods get bound, expiring tokens. A token Secret creates the old kind: valid until the Secret is deleted, usable from anywhere, and usually copied into CI systems where it outlives everyone's memory of it.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: Secret
    metadata:
      name: ci-token
      namespace: shop
      annotations:
        kubernetes.io/service-account.name: ci
    type: kubernetes.io/service-account-token

Terraform:

    resource "kubernetes_secret_v1" "ci_token" {
      metadata {
        name = "ci-token"
        namespace = "shop"
        annotations = {
          "kubernetes.io/service-account.name" = "ci"
        }
      }
      type = "kubernetes.io/service-account-token"
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: Secret
    metadata:
      name: ci-token
      namespace: shop
      annotations:
        kubernetes.io/service-account.name: ci
    type: Opaque

Terraform:

    resource "kubernetes_secret_v1" "ci_token" {
      metadata {
        name = "ci-token"
        namespace = "shop"
        annotations = {
          "kubernetes.io/service-account.name" = "ci"
        }
      }
      type = "Opaque"
    }"#,
        fix: "Remove the Secret. For CI, use workload identity federation or `kubectl create token` with a short `--duration`.",
        references: &[
            "Kubernetes: Service account tokens (legacy token Secrets) — https://kubernetes.io/docs/concepts/security/service-accounts/#get-a-token",
            "Kubernetes: Good practices for Kubernetes Secrets — https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let kind = crate::support::text(view, "type")?;
    if kind != Some("kubernetes.io/service-account-token") {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!(
            "secret `{}` holds a long-lived service account token",
            view.resource.name
        ))
        .at("type"),
    ))
}
