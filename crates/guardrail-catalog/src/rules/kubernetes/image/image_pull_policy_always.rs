//! K8S-IMAGE-003: Images not pinned by digest are pulled Always

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-IMAGE-003",
    name: "image-pull-policy-always",
    title: "Images not pinned by digest are pulled Always",
    description: "With `IfNotPresent` or `Never`, a node reuses whatever image it cached under the tag, without asking the registry.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["image"],
    topics: &["supply-chain", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["CM-2"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `imagePullPolicy: Always`, or pin the image by digest.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each container, init container and ephemeral container whose image has no digest and whose `imagePullPolicy` (Terraform `image_pull_policy`) is not `Always` is a violation. Unset takes the Kubernetes default: `Always` for `latest` or no tag, else `IfNotPresent`. Images pinned by digest pass whatever the policy.",
        why: "A cached image skips the registry's authorization check: on a shared node, a pod can run a private image another tenant pulled. It also keeps running an old image after the tag moved. `Always` makes each start verify the tag and the credentials; a digest makes the question moot.",
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
            imagePullPolicy: Always

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
              image_pull_policy = "Always"
            }
          }
        }
      }
    }"#,
        fix: "Add `imagePullPolicy: Always` (Terraform `image_pull_policy = \"Always\"`) or, better, pin the image by digest.",
        references: &[
            "Kubernetes: Images (image names, tags and digests; pull policy) — https://kubernetes.io/docs/concepts/containers/images/",
            "Kubernetes admission controller AlwaysPullImages — https://kubernetes.io/docs/reference/access-authn-authz/admission-controllers/#alwayspullimages",
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
        let s = spec.spelling;
        let Some(image) = c.field(s, "image")?.and_then(|i| i.as_str()) else {
            return Ok(None);
        };
        let parts = parse_image(image);
        if parts.digest.is_some() {
            return Ok(None);
        }
        let path = format!(
            "{}.{}",
            c.path,
            key(s, "imagePullPolicy", "image_pull_policy")
        );
        let policy = c
            .field(s, "imagePullPolicy")?
            .and_then(|p| p.as_str())
            .filter(|p| !p.is_empty());
        let why = match policy {
            Some("Always") => return Ok(None),
            Some(p) if c.value.secret_at("imagePullPolicy") => {
                let _ = p;
                format!("(`imagePullPolicy` is {})", shown_text("", true))
            }
            Some(p) => format!("(`imagePullPolicy` is `{p}`)"),
            None if parts.tag.is_none_or(|t| t == "latest") => return Ok(None),
            None => "(`imagePullPolicy` is unset, which means `IfNotPresent`)".to_string(),
        };
        Ok(Some((
            format!("may run a stale or unverified image {why}"),
            path,
        )))
    })
}
