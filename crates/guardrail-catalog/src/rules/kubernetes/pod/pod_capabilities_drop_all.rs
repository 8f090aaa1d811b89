//! K8S-POD-011: Containers drop ALL capabilities

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-011",
    name: "pod-capabilities-drop-all",
    title: "Containers drop ALL capabilities",
    description: "Dropping `ALL` capabilities leaves a compromised process with none of the runtime's defaults.",
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
            controls: &["AC-6", "CM-7"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `securityContext.capabilities.drop: [\"ALL\"]` on every container.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose `securityContext.capabilities.drop` (Terraform `security_context.capabilities.drop`) does not contain `ALL` (any case) is a violation; unset counts as not dropped.",
        why: "Container runtimes grant about fourteen capabilities by default, among them `NET_RAW` (packet spoofing) and `DAC_OVERRIDE` (ignore file permissions). Most applications need none. The Restricted Pod Security Standard requires dropping `ALL`.",
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
                drop:
                - ALL

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
                  drop = ["ALL"]
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Add `capabilities: {drop: [\"ALL\"]}` to each container's `securityContext`, then add back a single capability only where needed.",
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
        let (dropped, _) = capabilities(spec, c, "drop")?;
        Ok((!dropped.iter().any(|d| d == "ALL")).then(|| {
            (
                "does not drop `ALL` capabilities".to_string(),
                block_path(
                    spec.spelling,
                    &c.path,
                    &["securityContext", "capabilities", "drop"],
                    2,
                ),
            )
        }))
    })
}
