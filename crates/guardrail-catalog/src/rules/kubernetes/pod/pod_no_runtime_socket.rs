//! K8S-POD-007: Pods do not mount the container runtime socket

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-007",
    name: "pod-no-runtime-socket",
    title: "Pods do not mount the container runtime socket",
    description: "Whoever talks to the Docker, containerd or CRI-O socket can start privileged containers on the node.",
    severity: Severity::Critical,
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
            framework: "nist-800-53",
            controls: &["AC-6", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove the socket mount; build images with a daemonless builder (Kaniko, BuildKit rootless) instead.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: a `hostPath` volume whose path ends in `docker.sock`, `containerd.sock`, `crio.sock` or `cri-dockerd.sock` is a violation. Other host paths are left to K8S-POD-006.",
        why: "The container runtime runs as root on the node and starts whatever it is asked to: a pod with its socket can start a privileged container with the node's root filesystem mounted, read every other container's memory and secrets, and erase its traces.",
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
          - name: docker
            hostPath:
              path: /var/run/docker.sock
              type: Socket

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
              name = "docker"
              host_path {
                path = "/var/run/docker.sock"
                type = "Socket"
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
        fix: "Delete the volume and its mount. For image builds in the cluster use a builder that needs no daemon; for monitoring use the kubelet's or the runtime's metrics endpoints.",
        references: &[
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "NSA/CISA Kubernetes Hardening Guide — https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
            "Kubernetes: Volumes (hostPath) — https://kubernetes.io/docs/concepts/storage/volumes/#hostpath",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const SOCKETS: [&str; 4] = [
    "docker.sock",
    "containerd.sock",
    "crio.sock",
    "cri-dockerd.sock",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    pod_check(view, |spec| {
        let mut found = Vec::new();
        for (path, volume) in pod_list(spec, "volumes", "volume")? {
            let Some(host) = set_value(
                volume
                    .field("hostPath")
                    .map_err(|_| Halt::unknown(format!("{path}.hostPath")))?,
            ) else {
                continue;
            };
            let target = host
                .field("path")
                .map_err(|_| Halt::unknown(format!("{path}.hostPath.path")))?
                .and_then(|p| p.as_str())
                .unwrap_or_default();
            if SOCKETS
                .iter()
                .any(|s| target.trim_end_matches('/').ends_with(s))
            {
                let secret = view.props.secret_at(&path)
                    || volume.secret_at("hostPath")
                    || host.contains_secret();
                found.push((
                    format!(
                        "mounts the container runtime socket {}",
                        shown_text(target, secret)
                    ),
                    path,
                ));
            }
        }
        Ok(found)
    })
}
