//! K8S-POD-017: Containers have a read-only root filesystem

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-017",
    name: "pod-read-only-root-filesystem",
    title: "Containers have a read-only root filesystem",
    description: "A writable root filesystem lets an intruder drop tools and alter the application's own files.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["immutability", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["CM-5", "SI-7"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `securityContext.readOnlyRootFilesystem: true`; mount an `emptyDir` where the application writes.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each container and init container whose `securityContext.readOnlyRootFilesystem` is not `true` is a violation (unset means writable). Ephemeral debug containers are left out.",
        why: "Attackers who get code execution in a container usually write next: a downloaded binary, a modified script, a web shell. A read-only root filesystem stops that and keeps the running container identical to its image.",
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
              readOnlyRootFilesystem: true

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
                read_only_root_filesystem = true
              }
            }
          }
        }
      }
    }"#,
        fix: "Add `readOnlyRootFilesystem: true` and give the application `emptyDir` volumes for its temporary and cache directories (`/tmp`, `/var/cache/...`).",
        references: &[
            "Kubernetes: Configure a Security Context for a Pod or Container — https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
            "NSA/CISA Kubernetes Hardening Guide — https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
            "Checkov CKV_K8S_22 (read-only root filesystem) — https://www.checkov.io/5.Policy%20Index/kubernetes.html",
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
        let on = c
            .field(spec.spelling, "securityContext.readOnlyRootFilesystem")?
            .and_then(|v| v.as_bool());
        Ok((on != Some(true)).then(|| {
            (
                "has a writable root filesystem".to_string(),
                context_path(spec, c, "readOnlyRootFilesystem"),
            )
        }))
    })
}
