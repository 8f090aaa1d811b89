//! K8S-POD-021: Containers keep a standard SELinux type and no custom user or role

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-021",
    name: "pod-selinux-options",
    title: "Containers keep a standard SELinux type and no custom user or role",
    description: "A custom SELinux type such as `spc_t` or `unconfined_t` takes a container out of SELinux confinement.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pss",
            controls: &["baseline.selinux"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Remove `seLinuxOptions.type`, `user` and `role`, or use `container_t`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose `seLinuxOptions` (its own or the pod's) sets a `type` other than `container_t`, `container_init_t`, `container_kvm_t` or `container_engine_t`, or sets a `user` or `role`, is a violation. A `level` alone is fine.",
        why: "On SELinux nodes the container type is what keeps a process from the node's files and other containers. `spc_t` (super-privileged container) and `unconfined_t` disable that; custom users and roles can grant more. The Baseline Pod Security Standard allows only the container types.",
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
              seLinuxOptions:
                type: spc_t

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
              security_context {
                se_linux_options {
                  type = "spc_t"
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
            securityContext:
              seLinuxOptions:
                type: container_t
                level: s0:c123,c456

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
              security_context {
                se_linux_options {
                  type = "container_t"
                  level = "s0:c123,c456"
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Remove the custom `type`, `user` and `role`; keep `level` if you assign MCS categories.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "Kubernetes: Configure a Security Context for a Pod or Container — https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const TYPES: [&str; 4] = [
    "container_t",
    "container_init_t",
    "container_kvm_t",
    "container_engine_t",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    each_container(view, |spec, c| {
        let s = spec.spelling;
        let own = c.field(s, "securityContext.seLinuxOptions")?;
        let own_path = block_path(s, &c.path, &["securityContext", "seLinuxOptions"], 2);
        let pod_path = block_path(s, &spec.path, &["securityContext", "seLinuxOptions"], 2);
        let pod = spec
            .value
            .field("securityContext.seLinuxOptions")
            .map_err(|_| Halt::unknown(pod_path.clone()))?;
        for (options, path, holder) in [(own, own_path, c.value), (pod, pod_path, spec.value)] {
            let Some(options) = options else { continue };
            let secret =
                holder.secret_at("securityContext.seLinuxOptions") || options.contains_secret();
            let text = |k: &str| -> Result<Option<&str>, Halt> {
                Ok(options
                    .field(k)
                    .map_err(|_| Halt::unknown(format!("{path}.{k}")))?
                    .and_then(|v| v.as_str())
                    .filter(|v| !v.is_empty()))
            };
            if let Some(t) = text("type")? {
                if !TYPES.contains(&t) {
                    return Ok(Some((
                        format!("sets the SELinux type {}", shown_text(t, secret)),
                        path,
                    )));
                }
            }
            for k in ["user", "role"] {
                if let Some(v) = text(k)? {
                    return Ok(Some((
                        format!("sets the SELinux {k} {}", shown_text(v, secret)),
                        path,
                    )));
                }
            }
        }
        Ok(None)
    })
}
