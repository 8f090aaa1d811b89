//! K8S-POD-014: Containers must run as non-root

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-014",
    name: "pod-run-as-non-root",
    title: "Containers must run as non-root",
    description: "Without `runAsNonRoot: true` the kubelet starts a container as root whenever its image says so.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["least-privilege", "containers"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.2.7"],
        },
        Control {
            framework: "pss",
            controls: &["restricted.running-as-non-root"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Set `runAsNonRoot: true` in the pod's `securityContext` (or on every container).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each of its containers, init containers and ephemeral containers whose effective `runAsNonRoot` — its own `securityContext.runAsNonRoot`, else the pod's — is not `true` is a violation. Unset on both is a violation.",
        why: "Root in a container is root on the node as far as the kernel is concerned, short of user namespaces: any escape or hostPath mount is then a node compromise. With `runAsNonRoot: true` the kubelet refuses to start an image that would run as UID 0. The Restricted Pod Security Standard requires it.",
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
              runAsNonRoot: true

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
                run_as_non_root = true
              }
            }
          }
        }
      }
    }"#,
        fix: "Add `runAsNonRoot: true` to `spec.securityContext` (Terraform `security_context { run_as_non_root = true }`) and give the image a non-root `USER`, or set `runAsUser` to a non-zero UID.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "Kubernetes: Configure a Security Context for a Pod or Container — https://kubernetes.io/docs/tasks/configure-pod-container/security-context/",
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
        let found = effective_setting(spec, c, "runAsNonRoot")?;
        let on = found.as_ref().and_then(|(v, _)| v.as_bool());
        Ok((on != Some(true)).then(|| {
            let path = found.map_or_else(|| context_path(spec, c, "runAsNonRoot"), |(_, p)| p);
            (
                "may run as root (`runAsNonRoot` is not `true` for it or its pod)".to_string(),
                path,
            )
        }))
    })
}
