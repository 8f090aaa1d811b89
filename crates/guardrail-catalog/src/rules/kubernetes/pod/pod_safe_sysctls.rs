//! K8S-POD-023: Pods set only safe sysctls

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-023",
    name: "pod-safe-sysctls",
    title: "Pods set only safe sysctls",
    description: "Unsafe sysctls change kernel settings that are shared with the node or other pods.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pss",
            controls: &["baseline.sysctls"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-7", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove sysctls outside the safe set from `securityContext.sysctls`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each entry of the pod's `securityContext.sysctls` (Terraform `security_context.sysctl`) whose name is not one of `kernel.shm_rmid_forced`, `net.ipv4.ip_local_port_range`, `net.ipv4.ip_unprivileged_port_start`, `net.ipv4.tcp_syncookies`, `net.ipv4.ping_group_range`, `net.ipv4.ip_local_reserved_ports`, `net.ipv4.tcp_keepalive_time`, `net.ipv4.tcp_fin_timeout`, `net.ipv4.tcp_keepalive_intvl`, `net.ipv4.tcp_keepalive_probes` is a violation.",
        why: "Only namespaced sysctls that cannot affect other pods are safe. Others (`kernel.msgmax`, `vm.*`, most of `net.*`) change the node's kernel for every pod on it or can starve it. The Baseline Pod Security Standard allows only the safe set.",
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
          securityContext:
            sysctls:
            - name: net.ipv4.tcp_syncookies
              value: '1'
            - name: kernel.msgmax
              value: '65536'

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
            security_context {
              sysctl {
                name = "net.ipv4.tcp_syncookies"
                value = "1"
              }
              sysctl {
                name = "kernel.msgmax"
                value = "65536"
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
          securityContext:
            sysctls:
            - name: net.ipv4.ip_local_port_range
              value: 1024 65000

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
            security_context {
              sysctl {
                name = "net.ipv4.ip_local_port_range"
                value = "1024 65000"
              }
            }
          }
        }
      }
    }"#,
        fix: "Drop the unsafe sysctl; if a workload really needs it, tune the node (a dedicated node pool with kubelet `--allowed-unsafe-sysctls`) instead of the pod.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "Kubernetes: Using sysctls in a Kubernetes Cluster — https://kubernetes.io/docs/tasks/administer-cluster/sysctl-cluster/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const SAFE: [&str; 10] = [
    "kernel.shm_rmid_forced",
    "net.ipv4.ip_local_port_range",
    "net.ipv4.ip_unprivileged_port_start",
    "net.ipv4.tcp_syncookies",
    "net.ipv4.ping_group_range",
    "net.ipv4.ip_local_reserved_ports",
    "net.ipv4.tcp_keepalive_time",
    "net.ipv4.tcp_fin_timeout",
    "net.ipv4.tcp_keepalive_intvl",
    "net.ipv4.tcp_keepalive_probes",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    pod_check(view, |spec| {
        let s = spec.spelling;
        let k = key(s, "sysctls", "sysctl");
        let base = block_path(s, &spec.path, &["securityContext"], 1);
        let list_path = format!("{base}.{k}");
        let list = spec
            .value
            .field(&format!("securityContext.{k}"))
            .map_err(|_| Halt::unknown(list_path.clone()))?;
        let Some(list) = list else {
            return Ok(Vec::new());
        };
        let mut found = Vec::new();
        for (path, item) in crate::support::items_at(list, &list_path)? {
            let name = item
                .field("name")
                .map_err(|_| Halt::unknown(format!("{path}.name")))?
                .and_then(|n| n.as_str())
                .unwrap_or_default();
            if !SAFE.contains(&name) {
                let secret = view.props.secret_at(&path) || item.contains_secret();
                found.push((
                    format!("sets the unsafe sysctl {}", shown_text(name, secret)),
                    path,
                ));
            }
        }
        Ok(found)
    })
}
