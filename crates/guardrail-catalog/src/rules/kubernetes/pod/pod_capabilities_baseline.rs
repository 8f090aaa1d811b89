//! K8S-POD-009: Containers add no capabilities beyond the default set

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-009",
    name: "pod-capabilities-baseline",
    title: "Containers add no capabilities beyond the default set",
    description: "Capabilities outside the container runtime's default set (NET_ADMIN, SYS_PTRACE, ...) give kernel powers that break isolation.",
    severity: Severity::High,
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
            controls: &["AC-6", "CM-7"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove the extra capabilities from `securityContext.capabilities.add`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose `securityContext.capabilities.add` names a capability outside `AUDIT_WRITE`, `CHOWN`, `DAC_OVERRIDE`, `FOWNER`, `FSETID`, `KILL`, `MKNOD`, `NET_BIND_SERVICE`, `SETFCAP`, `SETGID`, `SETPCAP`, `SETUID`, `SYS_CHROOT` (compared without case and without a `CAP_` prefix) is a violation.",
        why: "The Baseline Pod Security Standard allows only the capabilities container runtimes grant by default. Others (`NET_ADMIN`, `SYS_PTRACE`, `SYS_MODULE`, `BPF`, ...) let a process reconfigure the node's network, read other processes' memory or load code into the kernel.",
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
                - NET_ADMIN
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
                  add = ["NET_ADMIN", "CHOWN"]
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
                - CHOWN
                - cap_kill

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
                  add = ["CHOWN", "cap_kill"]
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Drop the capability from `add`. If the workload truly needs it (a CNI plugin, a debugger), run it as a system component in its own namespace with a documented exemption.",
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

const ALLOWED: [&str; 13] = [
    "AUDIT_WRITE",
    "CHOWN",
    "DAC_OVERRIDE",
    "FOWNER",
    "FSETID",
    "KILL",
    "MKNOD",
    "NET_BIND_SERVICE",
    "SETFCAP",
    "SETGID",
    "SETPCAP",
    "SETUID",
    "SYS_CHROOT",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    each_container(view, |spec, c| {
        let (added, secret) = capabilities(spec, c, "add")?;
        let extra: Vec<String> = added
            .into_iter()
            .filter(|cap| !ALLOWED.contains(&cap.as_str()))
            .collect();
        Ok((!extra.is_empty()).then(|| {
            (
                format!(
                    "adds capabilities beyond the default set: {}",
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
