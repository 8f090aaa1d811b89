//! K8S-POD-026: Pods do not share one process namespace between containers

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-026",
    name: "pod-no-shared-process-namespace",
    title: "Pods do not share one process namespace between containers",
    description: "With `shareProcessNamespace` every container sees, signals and reads the memory and files of the others.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `shareProcessNamespace: true`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: a pod spec with `shareProcessNamespace: true` (Terraform `share_process_namespace = true`) is a violation.",
        why: "Containers of a pod are separate processes trees by default. Sharing the namespace exposes every container's environment and `/proc/<pid>/root` — secrets of a sidecar included — to any container of the pod, so a compromise of the weakest one reaches all.",
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
          shareProcessNamespace: true

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
            share_process_namespace = true
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
          shareProcessNamespace: false

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
            share_process_namespace = false
          }
        }
      }
    }"#,
        fix: "Delete the field; use an ephemeral debug container (`kubectl debug --target`) for troubleshooting instead.",
        references: &[
            "Kubernetes: Share Process Namespace between Containers in a Pod — https://kubernetes.io/docs/tasks/configure-pod-container/share-process-namespace/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    pod_check(view, |spec| {
        let on = pod_field(spec, "shareProcessNamespace", "share_process_namespace")?
            .and_then(|v| v.as_bool());
        Ok(if on == Some(true) {
            vec![(
                "shares one process namespace between its containers".to_string(),
                spec.at("shareProcessNamespace", "share_process_namespace"),
            )]
        } else {
            Vec::new()
        })
    })
}
