//! K8S-PROBE-001: Containers define a liveness probe

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-PROBE-001",
    name: "container-liveness-probe",
    title: "Containers define a liveness probe",
    description: "Without a liveness probe Kubernetes cannot tell a hung container from a working one and never restarts it.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["probe"],
    topics: &["availability", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SI-6"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Add a `livenessProbe` (HTTP, TCP or exec) to each long-running container.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For the long-running workloads (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, PodTemplate, in every spelling): each app container without `livenessProbe` (Terraform `liveness_probe`) is a violation. Jobs and CronJobs run to completion and are not applicable; init and ephemeral containers are left out.",
        why: "A deadlocked or wedged process keeps its container running and, without a liveness probe, keeps receiving traffic or holding work forever. The kubelet restarts only what a probe reports as failed.",
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
            livenessProbe:
              httpGet:
                path: /healthz
                port: 8080

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
              liveness_probe {
                http_get {
                  path = "/healthz"
                  port = 8080
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Add `livenessProbe: {httpGet: {path: /healthz, port: 8080}}` (or `tcpSocket`/`exec`), with thresholds that fit the application's start-up time.",
        references: &[
            "Kubernetes: Configure Liveness, Readiness and Startup Probes — https://kubernetes.io/docs/tasks/configure-pod-container/configure-liveness-readiness-startup-probes/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(spec) = pod_spec(view)? {
        if matches!(spec.noun, "job" | "cron job") {
            return Ok(Verdict::not_applicable("a job runs to completion"));
        }
    }
    each_container(view, |spec, c| {
        if c.kind != ContainerKind::App {
            return Ok(None);
        }
        let probe = set_value(c.field(spec.spelling, "livenessProbe")?);
        Ok(probe.is_none().then(|| {
            (
                "has no liveness probe".to_string(),
                format!(
                    "{}.{}",
                    c.path,
                    key(spec.spelling, "livenessProbe", "liveness_probe")
                ),
            )
        }))
    })
}
