//! K8S-NAMESPACE-004: Every namespace with workloads has a ResourceQuota

use guardrail_core::{Enforcement, FixSafety, Halt, Severity, StackFinding, StackView};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-NAMESPACE-004",
    name: "namespace-has-resource-quota",
    title: "Every namespace with workloads has a ResourceQuota",
    description: "A ResourceQuota caps what one namespace may consume, so that one team or one runaway deployment cannot starve the cluster.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["namespace"],
    topics: &["availability", "governance"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["SC-6"],
        },
        Control {
            framework: "soc2",
            controls: &["A1.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.6"],
        },
    ]),
    resource_types: &["kubernetes:core/v1:ResourceQuota", "kubernetes_resource_quota", "kubernetes_resource_quota_v1", "kubernetes:core/v1:Namespace", "kubernetes_namespace", "kubernetes_namespace_v1"],
    remediation: "Add a ResourceQuota to each namespace that runs workloads.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over one input: every Namespace it declares and every workload (every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources) whose namespace (`metadata.namespace`; unset is `default`) has no ResourceQuota in the same input is a violation, attributed to that Namespace or workload. A ResourceQuota whose namespace is known only after apply makes the uncovered resources indeterminate.",
        why: "Without a quota a namespace can create pods, services and volumes until the cluster is full: a scaling bug, a fork bomb of Jobs or a compromised CI token then degrades every other tenant.",
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

    apiVersion: v1
    kind: ResourceQuota
    metadata:
      name: quota
      namespace: shop
    spec:
      hard:
        requests.cpu: '4'
        requests.memory: 8Gi
        limits.cpu: '8'
        limits.memory: 16Gi
        pods: '40'

Terraform:

    resource "kubernetes_resource_quota_v1" "quota" {
      metadata {
        name = "quota"
        namespace = "shop"
      }
      spec {
        hard = {
          "requests.cpu" = "4"
          "requests.memory" = "8Gi"
          "limits.cpu" = "8"
          "limits.memory" = "16Gi"
          pods = "40"
        }
      }
    }"#,
        fix: "Add a ResourceQuota with `hard` limits on CPU, memory and object counts (Terraform `kubernetes_resource_quota_v1`).",
        references: &[
            "Kubernetes: Resource Quotas — https://kubernetes.io/docs/concepts/policy/resource-quotas/",
            "NSA/CISA Kubernetes Hardening Guide — https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    namespaces_without(view, "kubernetes_resource_quota", "ResourceQuota")
}
