//! K8S-IMAGE-001: Images use a fixed tag, not latest

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-IMAGE-001",
    name: "image-no-latest-tag",
    title: "Images use a fixed tag, not latest",
    description: "`latest` or no tag at all means the image can change under a running workload without any change to its configuration.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["image"],
    topics: &["supply-chain", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["CM-2", "CM-3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.32"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Use a versioned tag (`nginx:1.25.3`) or a digest.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose `image` has the tag `latest` or no tag, and no digest, is a violation.",
        why: "A moving tag makes deployments irreproducible: two nodes can run different code under one manifest, a rollback does not roll back, and a compromised upstream image reaches production on the next pod restart without a review.",
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
            image: nginx:latest

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
              image = "nginx:latest"
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
        fix: "Pin the image to a release tag, ideally with its digest (`nginx:1.25.3@sha256:...`), and update it through a pull request.",
        references: &[
            "Kubernetes: Images (image names, tags and digests; pull policy) — https://kubernetes.io/docs/concepts/containers/images/",
            "Kubernetes: Configuration best practices (container images) — https://kubernetes.io/docs/concepts/configuration/overview/#container-images",
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
        let Some(image) = c.field(spec.spelling, "image")?.and_then(|i| i.as_str()) else {
            return Ok(None);
        };
        let parts = parse_image(image);
        let moving = parts.digest.is_none() && parts.tag.is_none_or(|t| t == "latest");
        Ok(moving.then(|| {
            let secret = c.value.secret_at("image");
            (
                format!(
                    "uses the image {} without a fixed tag",
                    shown_text(image, secret)
                ),
                format!("{}.image", c.path),
            )
        }))
    })
}
