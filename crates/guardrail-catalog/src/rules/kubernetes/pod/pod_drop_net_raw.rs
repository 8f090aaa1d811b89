//! K8S-POD-013: Containers drop NET_RAW

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-013",
    name: "pod-drop-net-raw",
    title: "Containers drop NET_RAW",
    description: "`NET_RAW` lets a container forge packets: ARP and DNS spoofing against its neighbours on the node.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["network", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.8"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "SC-7"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Drop `NET_RAW` (or `ALL`) in `securityContext.capabilities.drop`, and do not add it back.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers that neither drops `NET_RAW` nor `ALL`, or that adds `NET_RAW`, is a violation.",
        why: "Container runtimes grant `NET_RAW` by default so that `ping` works. With it, a compromised container can craft raw packets and spoof traffic of other pods on the same node (CVE-2020-14386 and ARP-spoofing attacks used it).",
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
        fix: "Add `NET_RAW` or `ALL` to `securityContext.capabilities.drop`.",
        references: &[
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Configure a Security Context for a Pod or Container — https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
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
        let (dropped, _) = capabilities(spec, c, "drop")?;
        let (added, _) = capabilities(spec, c, "add")?;
        let removed = dropped.iter().any(|d| d == "ALL" || d == "NET_RAW");
        let readded = added.iter().any(|a| a == "NET_RAW");
        Ok((!removed || readded).then(|| {
            (
                "keeps the `NET_RAW` capability".to_string(),
                block_path(
                    spec.spelling,
                    &c.path,
                    &["securityContext", "capabilities"],
                    2,
                ),
            )
        }))
    })
}
