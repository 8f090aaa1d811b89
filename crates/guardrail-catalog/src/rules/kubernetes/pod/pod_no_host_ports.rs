//! K8S-POD-008: Containers do not bind host ports

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-008",
    name: "pod-no-host-ports",
    title: "Containers do not bind host ports",
    description: "A host port opens the node's own address to the container, around Services and network policies.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["network", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.13"],
        },
        Control {
            framework: "pss",
            controls: &["baseline.host-ports"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7", "CM-7"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `hostPort`; expose the container through a Service.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each port of its containers, init containers and ephemeral containers (`ports`, Terraform `port`) with a `hostPort` (`host_port`) other than 0 is a violation.",
        why: "A host port makes the container reachable on every address of the node, bypassing the Service layer and most network policy implementations, and it pins the pod to nodes where the port is free. The Baseline Pod Security Standard allows only an unset or zero host port.",
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
            ports:
            - containerPort: 8080
              hostPort: 8080

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
              port {
                container_port = 8080
                host_port = 8080
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
        fix: "Delete `hostPort` and put a Service (ClusterIP, or a LoadBalancer/Ingress for outside traffic) in front of the pod.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Configuration best practices (Services) — https://kubernetes.io/docs/concepts/configuration/overview/#services",
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
        let ports_key = key(s, "ports", "port");
        let base = format!("{}.{ports_key}", c.path);
        let Some(list) = c
            .value
            .field(&ports_key)
            .map_err(|_| Halt::unknown(base.clone()))?
        else {
            return Ok(None);
        };
        for (path, port) in crate::support::items_at(list, &base)? {
            let host_path = format!("{path}.{}", key(s, "hostPort", "host_port"));
            let host = port
                .field("hostPort")
                .map_err(|_| Halt::unknown(host_path.clone()))?;
            if let Some(n) = host.and_then(|h| h.as_i64()).filter(|n| *n != 0) {
                let secret = view.props.secret_at(&host_path);
                return Ok(Some((
                    format!(
                        "binds host port {}",
                        crate::support::shown_number(n, secret)
                    ),
                    host_path,
                )));
            }
        }
        Ok(None)
    })
}
