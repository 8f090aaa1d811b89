//! K8S-POD-018: Containers run with the RuntimeDefault or a Localhost seccomp profile

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-018",
    name: "pod-seccomp-restricted",
    title: "Containers run with the RuntimeDefault or a Localhost seccomp profile",
    description: "Without a seccomp profile every system call of the kernel is open to the container.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.7.2"],
        },
        Control {
            framework: "pss",
            controls: &["restricted.seccomp"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-7", "SC-39"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `securityContext.seccompProfile.type: RuntimeDefault` on the pod.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose effective `seccompProfile.type` (its own `securityContext`, else the pod's) is not `RuntimeDefault` or `Localhost` is a violation; unset on both is a violation, unless the pod template carries the legacy annotation `seccomp.security.alpha.kubernetes.io/pod` (or `container.seccomp.security.alpha.kubernetes.io/<name>`) set to `runtime/default`, `docker/default` or `localhost/...`.",
        why: "Kubernetes runs containers `Unconfined` by default: hundreds of rarely used system calls stay reachable, and many kernel exploits go through one of them. The runtime's default profile blocks the dangerous ones at no cost to ordinary applications. The Restricted Pod Security Standard requires a profile.",
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
            securityContext:
              seccompProfile:
                type: RuntimeDefault

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
                seccomp_profile {
                  type = "RuntimeDefault"
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Add `seccompProfile: {type: RuntimeDefault}` to `spec.securityContext` (Terraform `seccomp_profile { type = \"RuntimeDefault\" }`).",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Restrict a Container's Syscalls with seccomp — https://kubernetes.io/docs/tutorials/security/seccomp/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn allowed(profile: &str) -> bool {
    matches!(profile, "RuntimeDefault" | "Localhost")
}

fn legacy_allowed(annotation: &str) -> bool {
    annotation == "runtime/default"
        || annotation == "docker/default"
        || annotation.starts_with("localhost/")
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    each_container(view, |spec, c| {
        let found = effective_setting(spec, c, "seccompProfile")?;
        let profile = match &found {
            Some((v, path)) => Some(
                v.field("type")
                    .map_err(|_| Halt::unknown(format!("{path}.type")))?
                    .and_then(|t| t.as_str())
                    .unwrap_or_default(),
            ),
            None => None,
        };
        if profile.is_some_and(allowed) {
            return Ok(None);
        }
        if profile.is_none() {
            let name = c
                .value
                .get("name")
                .and_then(|n| n.as_str())
                .unwrap_or_default();
            let own = format!("container.seccomp.security.alpha.kubernetes.io/{name}");
            let legacy = match pod_annotation(spec, &own)? {
                Some(found) => Some(found),
                None => pod_annotation(spec, "seccomp.security.alpha.kubernetes.io/pod")?,
            };
            if legacy.is_some_and(|(a, _)| legacy_allowed(a)) {
                return Ok(None);
            }
        }
        let path = found.map_or_else(|| context_path(spec, c, "seccompProfile"), |(_, p)| p);
        Ok(Some((
            "runs without a seccomp profile (`RuntimeDefault` or `Localhost`)".to_string(),
            path,
        )))
    })
}
