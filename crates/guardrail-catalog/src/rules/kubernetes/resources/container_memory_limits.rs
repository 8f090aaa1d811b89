//! K8S-RESOURCES-004: Containers set a memory limit

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-RESOURCES-004",
    name: "container-memory-limits",
    title: "Containers set a memory limit",
    description: "A container without a memory limit can exhaust its node's memory and get other pods killed.",
    severity: Severity::Medium,
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
        Control {
            framework: "iso27001",
            controls: &["A.8.6"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `resources.limits.memory` on every container.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each container and init container without `resources.limits.memory` (Terraform `resources { limits = { memory = ... } }`) is a violation. Ephemeral containers cannot set resources and are left out. A LimitRange in the namespace may fill in defaults at admission; this rule asks for the value in the workload itself.",
        why: "Memory cannot be throttled: a container without a limit that leaks or is abused grows until the node runs out, and the kernel's out-of-memory killer then picks victims among other pods too.",
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
                memory: 256Mi

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
                  memory = "256Mi"
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Add `resources: {limits: {memory: ...}}` to the container, sized from observed usage.",
        references: &[
            "Kubernetes: Resource Management for Pods and Containers — https://kubernetes.io/docs/concepts/configuration/manage-resources-containers/",
            "Kubernetes: Limit Ranges — https://kubernetes.io/docs/concepts/policy/limit-range/",
            "NSA/CISA Kubernetes Hardening Guide — https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
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
        let value = set_value(c.field(spec.spelling, "resources.limits.memory")?);
        Ok(value.is_none().then(|| {
            (
                "sets no memory limit".to_string(),
                block_path(
                    spec.spelling,
                    &c.path,
                    &["resources", "limits", "memory"],
                    1,
                ),
            )
        }))
    })
}
