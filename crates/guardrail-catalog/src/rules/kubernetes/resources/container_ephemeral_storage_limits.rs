//! K8S-RESOURCES-005: Containers set an ephemeral-storage limit

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RESOURCES-005",
    name: "container-ephemeral-storage-limits",
    title: "Containers set an ephemeral-storage limit",
    description: "Without one a container can fill the node's disk with logs and scratch files and get every pod there evicted.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["resources"],
    topics: &["availability", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["SC-6"],
        },
        Control {
            framework: "soc2",
            controls: &["A1.1"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `resources.limits.ephemeral-storage` on every container.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each container and init container without `resources.limits.ephemeral-storage` (Terraform `resources { limits = { ephemeral-storage = ... } }`) is a violation.",
        why: "Writable layers, `emptyDir` volumes and container logs share the node's disk. A container that writes without bound triggers disk-pressure eviction of its neighbours, and no CPU or memory limit stops it.",
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
            resources:
              limits:
                ephemeral-storage: 1Gi

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
              resources {
                limits = {
                  ephemeral-storage = "1Gi"
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Add `ephemeral-storage` to `resources.limits` (and a request), and size `emptyDir` volumes with `sizeLimit`.",
        references: &[
            "Kubernetes: Local ephemeral storage — https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/#local-ephemeral-storage",
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
        if c.kind == ContainerKind::Ephemeral {
            return Ok(None);
        }
        let limits = c.field(spec.spelling, "resources.limits")?;
        let limit = match limits.and_then(|l| l.as_object()) {
            Some(map) => map.get("ephemeral-storage"),
            None => None,
        };
        if limit.is_some_and(|l| l.is_unknown()) {
            return Err(Halt::unknown(block_path(
                spec.spelling,
                &c.path,
                &["resources", "limits"],
                1,
            )));
        }
        Ok(set_value(limit).is_none().then(|| {
            (
                "sets no ephemeral-storage limit".to_string(),
                block_path(spec.spelling, &c.path, &["resources", "limits"], 1),
            )
        }))
    })
}
