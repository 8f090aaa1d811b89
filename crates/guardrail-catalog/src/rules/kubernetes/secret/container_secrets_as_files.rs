//! K8S-SECRET-002: Containers read secrets from files, not environment variables

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SECRET-002",
    name: "container-secrets-as-files",
    title: "Containers read secrets from files, not environment variables",
    description: "Environment variables leak: into crash dumps, child processes, debug endpoints and `kubectl describe`.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["secret"],
    topics: &["secrets", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.4.1"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Mount the Secret as a volume and read the file.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each container, init container and ephemeral container with an environment variable taken from a Secret (`env[].valueFrom.secretKeyRef`) or a whole Secret (`envFrom[].secretRef`) is a violation (the first one found is reported).",
        why: "A process's environment is copied to every child process, often logged on crashes and exposed by diagnostics endpoints; files mounted from a Secret are updated on rotation and readable only by the process that opens them. CIS 5.4.1 prefers secrets as files.",
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
            env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db
                  key: password

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
              env {
                name = "DB_PASSWORD"
                value_from {
                  secret_key_ref {
                    name = "db"
                    key = "password"
                  }
                }
              }
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
            env:
            - name: LOG_LEVEL
              value: info

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
              env {
                name = "LOG_LEVEL"
                value = "info"
              }
            }
          }
        }
      }
    }"#,
        fix: "Add a `secret` volume and a `volumeMount` (read-only), and point the application at the file (`DB_PASSWORD_FILE=/run/secrets/db/password`).",
        references: &[
            "Kubernetes: Good practices for Kubernetes Secrets — https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
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
        let base = format!("{}.env", c.path);
        if let Some(list) = c
            .value
            .field("env")
            .map_err(|_| Halt::unknown(base.clone()))?
        {
            for (path, var) in crate::support::items_at(list, &base)? {
                let from = block_path(s, &path, &["valueFrom", "secretKeyRef"], 2);
                let reference = var
                    .field("valueFrom.secretKeyRef")
                    .map_err(|_| Halt::unknown(from.clone()))?;
                if let Some(reference) = set_value(reference) {
                    let name = reference
                        .get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("?");
                    let secret = var.secret_at("valueFrom.secretKeyRef.name");
                    return Ok(Some((
                        format!(
                            "reads the secret {} into the environment",
                            shown_text(name, secret)
                        ),
                        from,
                    )));
                }
            }
        }
        let key_from = key(s, "envFrom", "env_from");
        let base = format!("{}.{key_from}", c.path);
        if let Some(list) = c
            .value
            .field(&key_from)
            .map_err(|_| Halt::unknown(base.clone()))?
        {
            for (path, source) in crate::support::items_at(list, &base)? {
                let reference = source
                    .field("secretRef")
                    .map_err(|_| Halt::unknown(format!("{path}.secretRef")))?;
                if let Some(reference) = set_value(reference) {
                    let name = reference
                        .get("name")
                        .and_then(|n| n.as_str())
                        .unwrap_or("?");
                    let secret = source.secret_at("secretRef.name");
                    return Ok(Some((
                        format!(
                            "reads the secret {} into the environment",
                            shown_text(name, secret)
                        ),
                        path,
                    )));
                }
            }
        }
        Ok(None)
    })
}
