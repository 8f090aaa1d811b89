//! K8S-NAMESPACE-002: Namespaces enforce a Pod Security Standard

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-NAMESPACE-002",
    name: "namespace-pod-security-enforced",
    title: "Namespaces enforce a Pod Security Standard",
    description: "Without a `pod-security.kubernetes.io/enforce` label the built-in Pod Security admission lets any pod in.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["namespace"],
    topics: &["governance", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.1"],
        },
        Control {
            framework: "pss",
            controls: &["baseline", "restricted"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-7", "CM-6"],
        },
    ]),
    resource_types: &["kubernetes:core/v1:Namespace", "kubernetes_namespace", "kubernetes_namespace_v1"],
    remediation: "Label the namespace `pod-security.kubernetes.io/enforce: restricted` (or `baseline`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Namespaces (manifests and Pulumi `kubernetes:core/v1:Namespace`, Terraform `kubernetes_namespace` and `_v1`) without the label `pod-security.kubernetes.io/enforce` set to `baseline` or `restricted` are violations; `privileged` is a violation too. The system namespaces `kube-system`, `kube-public` and `kube-node-lease` are not applicable.",
        why: "Pod Security admission checks every pod against the standards, but only in namespaces that ask for it. A labelled namespace stops privileged pods, host mounts and root containers at the API server, whatever created them — the checks of this catalog then back a control that really runs. CIS 5.2.1 asks for an active policy control mechanism.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: Namespace
    metadata:
      name: shop

Terraform:

    resource "kubernetes_namespace_v1" "shop" {
      metadata {
        name = "shop"
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: Namespace
    metadata:
      name: shop
      labels:
        pod-security.kubernetes.io/enforce: restricted
        pod-security.kubernetes.io/enforce-version: latest

Terraform:

    resource "kubernetes_namespace_v1" "shop" {
      metadata {
        name = "shop"
        labels = {
          "pod-security.kubernetes.io/enforce" = "restricted"
          "pod-security.kubernetes.io/enforce-version" = "latest"
        }
      }
    }"#,
        fix: "Add `labels: {pod-security.kubernetes.io/enforce: restricted}` (and `…/enforce-version: latest`) to the Namespace; start with `warn`/`audit` labels to see what would break.",
        references: &[
            "Kubernetes: Enforce Pod Security Standards with Namespace Labels — https://kubernetes.io/docs/tasks/configure-pod-container/enforce-standards-namespace-labels/",
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
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
    let name = object_name(view);
    if matches!(
        name.as_str(),
        "kube-system" | "kube-public" | "kube-node-lease"
    ) {
        return Ok(Verdict::not_applicable("a system namespace"));
    }
    let path = match view.resource.spelling {
        guardrail_core::Spelling::Pulumi => "metadata.labels",
        guardrail_core::Spelling::Terraform => "metadata[0].labels",
    };
    let labels = crate::support::read(view, "metadata.labels")?;
    let level = labels
        .and_then(|l| l.as_object())
        .and_then(|m| m.get("pod-security.kubernetes.io/enforce"));
    if level.is_some_and(|l| l.is_unknown()) {
        return Err(Halt::unknown(format!(
            "{path}[\"pod-security.kubernetes.io/enforce\"]"
        )));
    }
    let what = match level.and_then(|l| l.as_str()) {
        Some("baseline" | "restricted") => return Ok(Verdict::Pass),
        Some(other) => {
            let secret = level.is_some_and(|l| l.is_secret());
            format!("enforces the {} level", shown_text(other, secret))
        }
        None => "enforces no Pod Security Standard (no `pod-security.kubernetes.io/enforce` label)"
            .to_string(),
    };
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!("namespace `{}` {what}", view.resource.name))
            .at(path),
    ))
}
