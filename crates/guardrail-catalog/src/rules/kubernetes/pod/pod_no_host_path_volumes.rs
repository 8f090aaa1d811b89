//! K8S-POD-006: Pods do not mount host paths

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-006",
    name: "pod-no-host-path-volumes",
    title: "Pods do not mount host paths",
    description: "A `hostPath` volume gives the pod files of the node: its credentials, its container runtime, other pods' data.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.12"],
        },
        Control {
            framework: "pss",
            controls: &["baseline.hostpath-volumes"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Replace `hostPath` volumes with `emptyDir`, a ConfigMap, a Secret or a PersistentVolumeClaim.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each volume of the pod spec (`volumes`, Terraform `volume`) that sets `hostPath` (Terraform `host_path`) is a violation, whatever the path.",
        why: "The node's filesystem holds the kubelet's credentials, the container runtime's socket, and the volumes of every other pod. A writable host path is a direct route to the node; even a read-only one leaks secrets. The Baseline Pod Security Standard forbids host paths.",
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
          volumes:
          - name: logs
            hostPath:
              path: /var/log

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
            volume {
              name = "logs"
              host_path {
                path = "/var/log"
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
          volumes:
          - name: cache
            emptyDir: {}

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
            volume {
              name = "cache"
              empty_dir {
              }
            }
          }
        }
      }
    }"#,
        fix: "Use an `emptyDir` for scratch space, a ConfigMap or Secret for configuration, a PersistentVolumeClaim for data. Node agents that must read host files belong in a dedicated namespace with an exemption.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Volumes (hostPath) — https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
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
        let mut found = Vec::new();
        for (path, volume) in pod_list(spec, "volumes", "volume")? {
            let host = volume
                .field("hostPath")
                .map_err(|_| Halt::unknown(format!("{path}.hostPath")))?;
            let Some(host) = set_value(host) else {
                continue;
            };
            let secret = view.props.secret_at(&path)
                || volume.secret_at("hostPath")
                || host.contains_secret();
            let target = match host.field("path").ok().flatten().and_then(|p| p.as_str()) {
                Some(p) => shown_text(p, secret),
                None => "(no path)".to_string(),
            };
            let name = volume.get("name").and_then(|n| n.as_str()).unwrap_or("?");
            found.push((
                format!(
                    "mounts the host path {target} (volume {})",
                    shown_text(name, secret)
                ),
                path,
            ));
        }
        Ok(found)
    })
}
