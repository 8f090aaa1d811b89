//! K8S-POD-001: Containers do not run privileged

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-001",
    name: "pod-no-privileged-containers",
    title: "Containers do not run privileged",
    description: "A privileged container has every capability and the host's devices: escaping it is trivial and gives the node.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["least-privilege", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.2"],
        },
        Control {
            framework: "pss",
            controls: &["baseline.privileged-containers"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "CM-7"],
        },
        Control {
            framework: "pci-dss",
            controls: &["2.2.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.2", "A.8.9"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `securityContext.privileged: true`; add only the capabilities the container needs.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers with `securityContext.privileged: true` (Terraform `security_context.privileged = true`) is a violation. Unset means `false`, the Kubernetes default.",
        why: "Privileged mode turns off most of the container's isolation: all Linux capabilities, every host device, no seccomp or AppArmor confinement. A process in it can mount the node's disks or load kernel modules, and so owns the node and every pod on it. The Baseline Pod Security Standard forbids it.",
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
              privileged: true

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
                privileged = true
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
              privileged: false

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
                privileged = false
              }
            }
          }
        }
      }
    }"#,
        fix: "Delete `privileged: true` (or set it to `false`). If the workload really needs a kernel feature, grant the one capability it needs under `securityContext.capabilities.add`, or run it as a node-level agent outside the application namespaces.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Configure a Security Context for a Pod or Container — https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            "Terraform kubernetes provider: kubernetes_deployment_v1 (pod spec and security_context blocks) — https://registry.terraform.io/providers/hashicorp/kubernetes/latest/docs/resources/deployment_v1",
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
        let on = c
            .field(spec.spelling, "securityContext.privileged")?
            .and_then(|v| v.as_bool());
        Ok((on == Some(true)).then(|| {
            (
                "runs privileged".to_string(),
                context_path(spec, c, "privileged"),
            )
        }))
    })
}
