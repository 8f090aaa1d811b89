//! K8S-POD-012: Containers do not add SYS_ADMIN

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-012",
    name: "pod-no-sys-admin",
    title: "Containers do not add SYS_ADMIN",
    description: "`SYS_ADMIN` is close to root on the node: mount, namespaces, BPF, and most known container escapes.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["least-privilege", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.9"],
        },
        Control {
            framework: "pss",
            controls: &["baseline.capabilities"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `SYS_ADMIN` from `securityContext.capabilities.add`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers that adds `SYS_ADMIN` (or `CAP_SYS_ADMIN`, any case) is a violation.",
        why: "`SYS_ADMIN` allows mounting filesystems, creating namespaces, and many privileged kernel interfaces; published escapes (cgroup `release_agent`, device mounts) need nothing more. It is the single capability closest to `privileged: true`.",
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
                - SYS_ADMIN

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
                  add = ["SYS_ADMIN"]
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
        fix: "Delete `SYS_ADMIN` from `add`; find the narrower capability the workload needs, or move the task out of the container.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Linux capabilities(7) — https://man7.org/linux/man-pages/man7/capabilities.7.html",
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
        Ok(added.iter().any(|a| a == "SYS_ADMIN").then(|| {
            (
                format!("adds the {} capability", shown_text("SYS_ADMIN", secret)),
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
