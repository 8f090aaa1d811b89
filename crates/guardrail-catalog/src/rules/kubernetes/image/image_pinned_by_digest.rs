//! K8S-IMAGE-002: Images are pinned by digest

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-IMAGE-002",
    name: "image-pinned-by-digest",
    title: "Images are pinned by digest",
    description: "A tag can be moved to other content by whoever controls the registry; a digest cannot.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["image"],
    topics: &["supply-chain", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["SI-7", "CM-14"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.19"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Reference images as `name:tag@sha256:<digest>`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each container, init container and ephemeral container whose `image` has no `@sha256:...` (or other) digest is a violation.",
        why: "Tags are mutable: a pushed-over tag or a compromised registry account changes what runs without any change in Git. Pinning by digest makes the manifest name exactly the bytes that were reviewed, scanned and signed.",
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
            image: registry.example.com/shop/web:1.4.2@sha256:8f9c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7

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
              image = "registry.example.com/shop/web:1.4.2@sha256:8f9c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"
            }
          }
        }
      }
    }"#,
        fix: "Resolve the tag to its digest at build or release time (`crane digest`, `docker buildx imagetools inspect`) and write `image: name:tag@sha256:...`; let a bot (Renovate, Dependabot) update it.",
        references: &[
            "Kubernetes: Images (image names, tags and digests; pull policy) — https://kubernetes.io/docs/concepts/containers/images/",
            "SLSA: Supply-chain Levels for Software Artifacts — https://slsa.dev/",
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
        Ok(parse_image(image).digest.is_none().then(|| {
            let secret = c.value.secret_at("image");
            (
                format!(
                    "uses the image {} without a digest",
                    shown_text(image, secret)
                ),
                format!("{}.image", c.path),
            )
        }))
    })
}
