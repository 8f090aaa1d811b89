//! K8S-SA-001: Pods use a dedicated service account

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SA-001",
    name: "pod-no-default-service-account",
    title: "Pods use a dedicated service account",
    description: "Pods left on the namespace's `default` service account share its identity and every permission anyone grants it.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["sa", "serviceaccount"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.5"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-2", "AC-6"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.3"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Create a ServiceAccount for the workload and set `serviceAccountName`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: a pod spec whose `serviceAccountName` (or the deprecated `serviceAccount`; Terraform `service_account_name`) is unset or `default` is a violation.",
        why: "Every pod of a namespace that names no service account runs as `default`. A role bound to it for one workload silently extends to all of them, and audit logs cannot tell them apart. CIS asks that the default service accounts not be used.",
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
          serviceAccountName: web

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
            service_account_name = "web"
          }
        }
      }
    }"#,
        fix: "Create a ServiceAccount per workload (`kind: ServiceAccount`, Terraform `kubernetes_service_account_v1`), bind only what it needs, and set `serviceAccountName` in the pod spec.",
        references: &[
            "Kubernetes: Configure Service Accounts for Pods — https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/",
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
    pod_check(view, |spec| {
        let path = spec.at("serviceAccountName", "service_account_name");
        let name = match pod_field(spec, "serviceAccountName", "service_account_name")? {
            Some(v) => v.as_str(),
            None => pod_field(spec, "serviceAccount", "service_account")?.and_then(|v| v.as_str()),
        };
        let name = name.filter(|n| !n.is_empty()).unwrap_or("default");
        if name != "default" {
            return Ok(Vec::new());
        }
        let secret = spec.value.secret_at(&key(
            spec.spelling,
            "serviceAccountName",
            "service_account_name",
        ));
        Ok(vec![(
            format!("runs as the {} service account", shown_text(name, secret)),
            path,
        )])
    })
}
