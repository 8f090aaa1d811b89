//! K8S-POD-019: Containers do not turn seccomp off

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-019",
    name: "pod-seccomp-not-unconfined",
    title: "Containers do not turn seccomp off",
    description: "An explicit `Unconfined` seccomp profile removes the system-call filter the node would otherwise apply.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pss",
            controls: &["baseline.seccomp"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-7", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `seccompProfile.type: Unconfined`; use `RuntimeDefault`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose effective `seccompProfile.type` (its own, else the pod's) is `Unconfined` is a violation. An unset profile passes here (K8S-POD-018 asks for one).",
        why: "Explicitly unconfined containers opt out of the node's default system-call filtering, which is exactly what kernel exploits need. The Baseline Pod Security Standard forbids `Unconfined`.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      replicas: 2
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: app
            image: registry.example.com/shop/web:1.4.2
            securityContext:
              seccompProfile:
                type: Unconfined

Terraform:

    resource "kubernetes_deployment_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        replicas = 2
        selector {
          match_labels = {
            app = "web"
          }
        }
        template {
          metadata {
            labels = {
              app = "web"
            }
          }
          spec {
            container {
              name = "app"
              image = "registry.example.com/shop/web:1.4.2"
              security_context {
                seccomp_profile {
                  type = "Unconfined"
                }
              }
            }
          }
        }
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      replicas: 2
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          containers:
          - name: app
            image: registry.example.com/shop/web:1.4.2
            securityContext:
              seccompProfile:
                type: RuntimeDefault

Terraform:

    resource "kubernetes_deployment_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        replicas = 2
        selector {
          match_labels = {
            app = "web"
          }
        }
        template {
          metadata {
            labels = {
              app = "web"
            }
          }
          spec {
            container {
              name = "app"
              image = "registry.example.com/shop/web:1.4.2"
              security_context {
                seccomp_profile {
                  type = "RuntimeDefault"
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Change the profile to `RuntimeDefault` (or a `Localhost` profile written for the application).",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "Kubernetes: Restrict a Container's Syscalls with seccomp — https://kubernetes.io/docs/tutorials/security/seccomp/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    each_container(view, |spec, c| {
        let Some((profile, path)) = effective_setting(spec, c, "seccompProfile")? else {
            return Ok(None);
        };
        let kind = profile
            .field("type")
            .map_err(|_| Halt::unknown(format!("{path}.type")))?
            .and_then(|t| t.as_str());
        Ok((kind == Some("Unconfined"))
            .then(|| ("turns seccomp off (`Unconfined`)".to_string(), path)))
    })
}
