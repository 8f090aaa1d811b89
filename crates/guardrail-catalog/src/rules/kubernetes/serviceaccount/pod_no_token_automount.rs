//! K8S-SA-002: Pods do not mount a service account token unless they need one

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SA-002",
    name: "pod-no-token-automount",
    title: "Pods do not mount a service account token unless they need one",
    description: "A mounted token lets anyone who compromises the pod call the Kubernetes API as its service account.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["sa", "serviceaccount"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.1.6"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "IA-5"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `automountServiceAccountToken: false` in the pod spec; opt in only for pods that call the API.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: a pod spec whose `automountServiceAccountToken` (Terraform `automount_service_account_token`) is not `false` is a violation. Unset means mounted, the Kubernetes default (a ServiceAccount's own setting applies only when the pod leaves it unset; this rule asks the pod to decide).",
        why: "Most applications never talk to the Kubernetes API, yet by default every pod gets a token in `/var/run/secrets/kubernetes.io/serviceaccount`. After a remote code execution that token is the attacker's first step into the cluster.",
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
          automountServiceAccountToken: false

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
            automount_service_account_token = false
          }
        }
      }
    }"#,
        fix: "Add `automountServiceAccountToken: false` to the pod spec (Terraform `automount_service_account_token = false`); where a pod needs the API, mount a short-lived projected token.",
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
        let on = pod_field(
            spec,
            "automountServiceAccountToken",
            "automount_service_account_token",
        )?
        .and_then(|v| v.as_bool());
        Ok(if on == Some(false) {
            Vec::new()
        } else {
            vec![(
                "mounts a service account token (`automountServiceAccountToken` is not `false`)"
                    .to_string(),
                spec.at(
                    "automountServiceAccountToken",
                    "automount_service_account_token",
                ),
            )]
        })
    })
}
