//! K8S-POD-020: Containers do not turn AppArmor off

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-020",
    name: "pod-apparmor-not-unconfined",
    title: "Containers do not turn AppArmor off",
    description: "An `unconfined` AppArmor profile removes the mandatory access control the node applies by default.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pss",
            controls: &["baseline.apparmor"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove the `unconfined` AppArmor annotation or profile; use `runtime/default` (`RuntimeDefault`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each container whose AppArmor profile is `unconfined` — the pod template annotation `container.apparmor.security.beta.kubernetes.io/<container>` set to `unconfined`, or `securityContext.appArmorProfile.type: Unconfined` on the container or the pod (Kubernetes 1.30+) — is a violation. An unset profile passes: the runtime's default applies.",
        why: "AppArmor confines what files, capabilities and mounts a container's processes may use; the runtime's default profile blocks writes to `/proc` and `/sys` and mount operations that container escapes rely on. The Baseline Pod Security Standard forbids turning it off.",
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
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: unconfined
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
            annotations = {
              "container.apparmor.security.beta.kubernetes.io/app" = "unconfined"
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
          annotations:
            container.apparmor.security.beta.kubernetes.io/app: runtime/default
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
            annotations = {
              "container.apparmor.security.beta.kubernetes.io/app" = "runtime/default"
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
        fix: "Delete the annotation (or set it to `runtime/default`); in the security context use `appArmorProfile: {type: RuntimeDefault}`.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "Kubernetes: Restrict a Container's Access to Resources with AppArmor — https://kubernetes.io/docs/tutorials/security/apparmor/",
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
        let name = c
            .value
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or_default();
        let annotation = format!("container.apparmor.security.beta.kubernetes.io/{name}");
        if let Some((profile, secret)) = pod_annotation(spec, &annotation)? {
            if profile == "unconfined" {
                let path = spec
                    .metadata
                    .as_ref()
                    .map_or_else(String::new, |(_, p)| format!("{p}.annotations"));
                return Ok(Some((
                    format!("runs without AppArmor ({})", shown_text(profile, secret)),
                    path,
                )));
            }
        }
        if let Some((profile, path)) = effective_setting(spec, c, "appArmorProfile")? {
            let kind = profile
                .field("type")
                .map_err(|_| Halt::unknown(format!("{path}.type")))?
                .and_then(|t| t.as_str());
            if kind == Some("Unconfined") {
                return Ok(Some((
                    "runs without AppArmor (`Unconfined`)".to_string(),
                    path,
                )));
            }
        }
        Ok(None)
    })
}
