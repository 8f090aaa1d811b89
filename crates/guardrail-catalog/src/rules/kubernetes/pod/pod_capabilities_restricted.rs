//! K8S-POD-010: Containers add no capability but NET_BIND_SERVICE

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-010",
    name: "pod-capabilities-restricted",
    title: "Containers add no capability but NET_BIND_SERVICE",
    description: "The Restricted Pod Security Standard allows a container to add only `NET_BIND_SERVICE`.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["least-privilege", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.10"],
        },
        Control {
            framework: "pss",
            controls: &["restricted.capabilities"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove every capability but `NET_BIND_SERVICE` from `securityContext.capabilities.add`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose `securityContext.capabilities.add` names anything but `NET_BIND_SERVICE` is a violation. The companion rule K8S-POD-011 checks that `ALL` is dropped.",
        why: "Even the runtime's default capabilities (`CHOWN`, `SETUID`, `DAC_OVERRIDE`, ...) widen what an attacker inside the container can do. Restricted workloads drop all of them and add back at most the right to bind ports below 1024.",
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
              capabilities:
                add:
                - CHOWN

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
                capabilities {
                  add = ["CHOWN"]
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
              capabilities:
                add:
                - NET_BIND_SERVICE

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
                capabilities {
                  add = ["NET_BIND_SERVICE"]
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Keep only `NET_BIND_SERVICE` in `add` (or none: listen on a port above 1024 instead).",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Configure a Security Context for a Pod or Container — https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
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
        let (added, secret) = capabilities(spec, c, "add")?;
        let extra: Vec<String> = added
            .into_iter()
            .filter(|cap| cap != "NET_BIND_SERVICE")
            .collect();
        Ok((!extra.is_empty()).then(|| {
            (
                format!(
                    "adds capabilities other than `NET_BIND_SERVICE`: {}",
                    shown_list(&extra, secret)
                ),
                block_path(
                    spec.spelling,
                    &c.path,
                    &["securityContext", "capabilities", "add"],
                    2,
                ),
            )
        }))
    })
}
