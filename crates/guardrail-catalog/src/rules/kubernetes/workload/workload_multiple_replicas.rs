//! K8S-WORKLOAD-001: Deployments and StatefulSets run more than one replica

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-WORKLOAD-001",
    name: "workload-multiple-replicas",
    title: "Deployments and StatefulSets run more than one replica",
    description: "A single replica is down during every rollout, node drain and crash.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["workload"],
    topics: &["availability"],
    frameworks: Frameworks::None {
        reason: "an availability practice; no control of the listed frameworks asks for a replica count",
    },
    resource_types: &["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1beta1:Deployment", "kubernetes:apps/v1beta2:Deployment", "kubernetes:extensions/v1beta1:Deployment", "kubernetes_deployment", "kubernetes_deployment_v1", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1beta1:StatefulSet", "kubernetes:apps/v1beta2:StatefulSet", "kubernetes_stateful_set", "kubernetes_stateful_set_v1"],
    remediation: "Set `spec.replicas` to 2 or more (or let a HorizontalPodAutoscaler manage it).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Deployments and StatefulSets (manifests, Pulumi `kubernetes:apps/v1:Deployment`/`StatefulSet`, Terraform `kubernetes_deployment`/`kubernetes_stateful_set` and `_v1`) whose `spec.replicas` is 1 or unset (Kubernetes defaults to 1) are violations; 0 (scaled down on purpose) passes.",
        why: "With one replica, each rolling update, node upgrade or eviction is an outage, and a crash loop takes the service down until someone notices. Two replicas on different nodes (with a PodDisruptionBudget) keep it answering.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
      namespace: shop
    spec:
      replicas: 1
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          serviceAccountName: web
          automountServiceAccountToken: false
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          containers:
          - name: app
            image: registry.example.com/shop/web:1.4.2@sha256:8f9c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7
            imagePullPolicy: IfNotPresent
            ports:
            - containerPort: 8080
            resources:
              requests:
                cpu: 100m
                memory: 128Mi
              limits:
                cpu: 500m
                memory: 256Mi
                ephemeral-storage: 1Gi
            livenessProbe:
              httpGet:
                path: /healthz
                port: 8080
            readinessProbe:
              httpGet:
                path: /ready
                port: 8080
            securityContext:
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: true
              runAsNonRoot: true
              runAsUser: 10001
              capabilities:
                drop:
                - ALL

Terraform:

    resource "kubernetes_deployment_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        replicas = 1
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
            service_account_name = "web"
            automount_service_account_token = false
            security_context {
              run_as_non_root = true
              seccomp_profile {
                type = "RuntimeDefault"
              }
            }
            container {
              name = "app"
              image = "registry.example.com/shop/web:1.4.2@sha256:8f9c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"
              image_pull_policy = "IfNotPresent"
              port {
                container_port = 8080
              }
              resources {
                requests = {
                  cpu = "100m"
                  memory = "128Mi"
                }
                limits = {
                  cpu = "500m"
                  memory = "256Mi"
                  ephemeral-storage = "1Gi"
                }
              }
              liveness_probe {
                http_get {
                  path = "/healthz"
                  port = 8080
                }
              }
              readiness_probe {
                http_get {
                  path = "/ready"
                  port = 8080
                }
              }
              security_context {
                allow_privilege_escalation = false
                read_only_root_filesystem = true
                run_as_non_root = true
                run_as_user = 10001
                capabilities {
                  drop = ["ALL"]
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
      replicas: 3
      selector:
        matchLabels:
          app: web
      template:
        metadata:
          labels:
            app: web
        spec:
          serviceAccountName: web
          automountServiceAccountToken: false
          securityContext:
            runAsNonRoot: true
            seccompProfile:
              type: RuntimeDefault
          containers:
          - name: app
            image: registry.example.com/shop/web:1.4.2@sha256:8f9c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7
            imagePullPolicy: IfNotPresent
            ports:
            - containerPort: 8080
            resources:
              requests:
                cpu: 100m
                memory: 128Mi
              limits:
                cpu: 500m
                memory: 256Mi
                ephemeral-storage: 1Gi
            livenessProbe:
              httpGet:
                path: /healthz
                port: 8080
            readinessProbe:
              httpGet:
                path: /ready
                port: 8080
            securityContext:
              allowPrivilegeEscalation: false
              readOnlyRootFilesystem: true
              runAsNonRoot: true
              runAsUser: 10001
              capabilities:
                drop:
                - ALL

Terraform:

    resource "kubernetes_deployment_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        replicas = 3
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
            service_account_name = "web"
            automount_service_account_token = false
            security_context {
              run_as_non_root = true
              seccomp_profile {
                type = "RuntimeDefault"
              }
            }
            container {
              name = "app"
              image = "registry.example.com/shop/web:1.4.2@sha256:8f9c1a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f708192a3b4c5d6e7"
              image_pull_policy = "IfNotPresent"
              port {
                container_port = 8080
              }
              resources {
                requests = {
                  cpu = "100m"
                  memory = "128Mi"
                }
                limits = {
                  cpu = "500m"
                  memory = "256Mi"
                  ephemeral-storage = "1Gi"
                }
              }
              liveness_probe {
                http_get {
                  path = "/healthz"
                  port = 8080
                }
              }
              readiness_probe {
                http_get {
                  path = "/ready"
                  port = 8080
                }
              }
              security_context {
                allow_privilege_escalation = false
                read_only_root_filesystem = true
                run_as_non_root = true
                run_as_user = 10001
                capabilities {
                  drop = ["ALL"]
                }
              }
            }
          }
        }
      }
    }"#,
        fix: "Set `replicas: 2` or more, spread the pods with `topologySpreadConstraints`, and add a PodDisruptionBudget.",
        references: &[
            "Kubernetes: Deployments (replicas) — https://kubernetes.io/docs/concepts/workloads/controllers/deployment/",
            "Kubernetes: Specifying a Disruption Budget — https://kubernetes.io/docs/tasks/run-application/configure-pdb/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let count = crate::support::number(view, "spec.replicas")?.unwrap_or(1);
    if count != 1 {
        return Ok(Verdict::Pass);
    }
    let noun = workload_noun(&view).unwrap_or("workload");
    let path = match view.resource.spelling {
        guardrail_core::Spelling::Pulumi => "spec.replicas",
        guardrail_core::Spelling::Terraform => "spec[0].replicas",
    };
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!(
            "{noun} `{}` runs a single replica",
            view.resource.name
        ))
        .at(path),
    ))
}
