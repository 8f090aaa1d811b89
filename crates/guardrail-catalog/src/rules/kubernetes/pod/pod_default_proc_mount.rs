//! K8S-POD-022: Containers keep the default /proc mount

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-022",
    name: "pod-default-proc-mount",
    title: "Containers keep the default /proc mount",
    description: "`procMount: Unmasked` exposes the parts of /proc the runtime hides from containers.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pss",
            controls: &["baseline.proc-mount-type"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `securityContext.procMount` or set it to `Default`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose `securityContext.procMount` is set to anything but `Default` is a violation.",
        why: "Runtimes mask and make read-only parts of `/proc` (`/proc/kcore`, `/proc/sys`, `/proc/sysrq-trigger`) that leak kernel memory or change node settings. `Unmasked` removes that protection. The Baseline Pod Security Standard requires the default.",
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
              procMount: Unmasked

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
                proc_mount = "Unmasked"
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
              procMount: Default

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
                proc_mount = "Default"
              }
            }
          }
        }
      }
    }"#,
        fix: "Delete `procMount` (its default is `Default`).",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
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
        let mount = c
            .field(spec.spelling, "securityContext.procMount")?
            .and_then(|v| v.as_str())
            .filter(|m| !m.is_empty());
        Ok(mount.filter(|m| *m != "Default").map(|m| {
            let secret = c.value.secret_at("securityContext.procMount");
            (
                if secret {
                    "unmasks /proc (`procMount` from a secret)".to_string()
                } else {
                    format!("unmasks /proc (`procMount: {m}`)")
                },
                context_path(spec, c, "procMount"),
            )
        }))
    })
}
