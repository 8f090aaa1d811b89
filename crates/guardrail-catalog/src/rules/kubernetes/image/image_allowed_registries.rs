//! K8S-IMAGE-004: Images come from the allowed registries

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-IMAGE-004",
    name: "image-allowed-registries",
    title: "Images come from the allowed registries",
    description: "Images pulled from arbitrary registries bypass the scanning and signing of the organisation's own.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["image"],
    topics: &["supply-chain", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.5.1"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-7(5)", "SI-7"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Mirror the image into an allowed registry and reference it there.",
    fix: FixSafety::None,
    config_schema: Some(config_schema),
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: when the configuration lists `registries` (prefixes such as `registry.example.com/` or `123456789012.dkr.ecr.eu-west-1.amazonaws.com/`), each container, init container and ephemeral container whose `image` starts with none of them is a violation. A name without a registry (`nginx`) is read as Docker Hub's `docker.io/library/nginx`. With no `registries` configured the rule is not applicable.",
        why: "The registry is where images are scanned, signed and retained. An image from a public or personal registry skips all of that, and its publisher can change it at will; typosquatted public images have shipped crypto miners.",
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
            image: docker.io/library/nginx:1.25.3

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
              image = "docker.io/library/nginx:1.25.3"
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
        fix: "Copy the image into an allowed registry (`crane copy`, a pull-through cache) and change `image` to that reference; add a registry to `registries` only after it meets the same controls.",
        references: &[
            "Kubernetes: Images (image names, tags and digests; pull policy) — https://kubernetes.io/docs/concepts/containers/images/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

/// The image as its full reference: a name without a registry is a Docker Hub image.
fn full_reference(image: &str) -> String {
    let first = image.split('/').next().unwrap_or_default();
    let has_registry =
        image.contains('/') && (first.contains('.') || first.contains(':') || first == "localhost");
    match (has_registry, image.contains('/')) {
        (true, _) => image.to_string(),
        (false, true) => format!("docker.io/{image}"),
        (false, false) => format!("docker.io/library/{image}"),
    }
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let allowed: Vec<&str> = config
        .get("registries")
        .and_then(serde_json::Value::as_array)
        .map(|list| list.iter().filter_map(serde_json::Value::as_str).collect())
        .unwrap_or_default();
    if allowed.is_empty() {
        return Ok(Verdict::not_applicable("no `registries` configured"));
    }
    each_container(view, |spec, c| {
        let Some(image) = c.field(spec.spelling, "image")?.and_then(|i| i.as_str()) else {
            return Ok(None);
        };
        let full = full_reference(image.trim());
        let ok = allowed
            .iter()
            .any(|prefix| full.starts_with(prefix) || image.trim().starts_with(prefix));
        Ok((!ok).then(|| {
            let secret = c.value.secret_at("image");
            (
                format!(
                    "uses the image {} from outside the allowed registries",
                    shown_text(image, secret)
                ),
                format!("{}.image", c.path),
            )
        }))
    })
}

fn config_schema() -> serde_json::Value {
    serde_json::json!({
        "type": "object",
        "properties": {
            "registries": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Image reference prefixes that are allowed, e.g. `registry.example.com/`; empty: the rule does not apply."
            }
        },
        "additionalProperties": false
    })
}
