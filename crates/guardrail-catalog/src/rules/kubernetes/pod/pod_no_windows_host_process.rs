//! K8S-POD-024: Windows containers do not run as HostProcess

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-024",
    name: "pod-no-windows-host-process",
    title: "Windows containers do not run as HostProcess",
    description: "A HostProcess container runs directly on the Windows node with its privileges.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.11"],
        },
        Control {
            framework: "pss",
            controls: &["baseline.hostprocess"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `windowsOptions.hostProcess: true`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose effective `securityContext.windowsOptions.hostProcess` (its own, else the pod's) is `true` is a violation.",
        why: "HostProcess containers share the Windows node's network and process space and can run as `SYSTEM`: they are the Windows equivalent of a privileged pod on the host network. The Baseline Pod Security Standard forbids them.",
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
              windowsOptions:
                hostProcess: true

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
                windows_options {
                  host_process = true
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
              windowsOptions:
                hostProcess: false

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
                windows_options {
                  host_process = false
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Delete `hostProcess: true`; run node administration outside application namespaces.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Create a Windows HostProcess Pod — https://kubernetes.io/docs/tasks/configure-pod-container/create-hostprocess-pod/",
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
        let Some((options, path)) = effective_setting(spec, c, "windowsOptions")? else {
            return Ok(None);
        };
        let on = options
            .field("hostProcess")
            .map_err(|_| Halt::unknown(format!("{path}.hostProcess")))?
            .and_then(|v| v.as_bool());
        Ok((on == Some(true)).then(|| {
            (
                "runs as a Windows HostProcess container".to_string(),
                format!(
                    "{path}.{}",
                    crate::support::spelled(spec.spelling, "hostProcess")
                ),
            )
        }))
    })
}
