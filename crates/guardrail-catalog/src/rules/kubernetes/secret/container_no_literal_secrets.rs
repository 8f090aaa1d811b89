//! K8S-SECRET-001: Containers take no credentials from literal environment values

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SECRET-001",
    name: "container-no-literal-secrets",
    title: "Containers take no credentials from literal environment values",
    description: "A password or token written as an `env` value is stored in the manifest, the cluster's object store and every copy of both.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["secret"],
    topics: &["secrets", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.6.2", "8.3.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-5(7)", "SC-28"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.17", "A.8.5"],
        },
        Control {
            framework: "cis-kubernetes",
            controls: &["5.4.1"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Move the value into a Secret and reference it with `valueFrom.secretKeyRef`, or mount it as a file.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each environment variable of a container, init container or ephemeral container whose name looks like a credential (contains `PASSWORD`, `PASSWD`, `SECRET`, `TOKEN`, `API_KEY`, `APIKEY`, `PRIVATE_KEY`, `ACCESS_KEY` or `CREDENTIAL`, any case) and that has a non-empty literal `value` is a violation. The value is never printed.",
        why: "Literal values live in Git, in CI logs, in `kubectl describe` output and in the API server's storage without the extra protection Secrets can get (encryption at rest, narrower RBAC). PCI DSS 8.6.2 forbids hard-coded passwords in configuration files.",
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
            - name: LOG_LEVEL
              value: info
            - name: DB_PASSWORD
              value: Tr0ub4dor&3

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
              env {
                name = "DB_PASSWORD"
                value = "Tr0ub4dor&3"
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
        fix: "Create a Secret (from a secret manager, sealed-secrets or the External Secrets Operator) and use `valueFrom: {secretKeyRef: {name: db, key: password}}`; rotate the exposed value.",
        references: &[
            "Kubernetes: Good practices for Kubernetes Secrets — https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
            "Kubernetes: Distribute Credentials Securely Using Secrets — https://kubernetes.io/docs/tasks/inject-data-application/distribute-credentials-secure/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const MARKERS: [&str; 9] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    each_container(view, |spec, c| {
        let base = format!("{}.env", c.path);
        let Some(list) = c
            .value
            .field("env")
            .map_err(|_| Halt::unknown(base.clone()))?
        else {
            return Ok(None);
        };
        for (path, var) in crate::support::items_at(list, &base)? {
            let name = var.get("name").and_then(|n| n.as_str()).unwrap_or_default();
            let upper = name.to_ascii_uppercase();
            if !MARKERS.iter().any(|m| upper.contains(m)) {
                continue;
            }
            let value_path = format!("{path}.value");
            let value = var
                .field("value")
                .map_err(|_| Halt::unknown(value_path.clone()))?;
            if value
                .and_then(|v| v.as_str())
                .is_some_and(|v| !v.is_empty())
            {
                let secret_name = var.secret_at("name");
                return Ok(Some((
                    format!(
                        "sets {} from a literal value",
                        shown_text(name, secret_name)
                    ),
                    value_path,
                )));
            }
        }
        let _ = spec;
        Ok(None)
    })
}
