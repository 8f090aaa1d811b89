//! K8S-NETWORK-001: Every namespace with workloads has a NetworkPolicy

use guardrail_core::{Enforcement, FixSafety, Halt, Severity, StackFinding, StackView};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-NETWORK-001",
    name: "namespace-has-network-policy",
    title: "Every namespace with workloads has a NetworkPolicy",
    description: "Without a NetworkPolicy every pod of a namespace accepts traffic from every pod of the cluster and may reach anything.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["network"],
    topics: &["network", "isolation"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.3.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-7", "AC-4"],
        },
        Control {
            framework: "pci-dss",
            controls: &["1.3.1", "1.4.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.20", "A.8.22"],
        },
    ]),
    resource_types: &["kubernetes:networking.k8s.io/v1:NetworkPolicy", "kubernetes_network_policy", "kubernetes_network_policy_v1", "kubernetes:core/v1:Namespace", "kubernetes_namespace", "kubernetes_namespace_v1"],
    remediation: "Add a NetworkPolicy to each namespace, starting with a default deny and allowing the flows the application needs.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over one input (a plan, a stack, a manifest file or directory): every Namespace it declares and every workload it declares (every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources) whose namespace (`metadata.namespace`; unset is `default`) has no NetworkPolicy in the same input is a violation, attributed to that Namespace or workload. A NetworkPolicy whose namespace is known only after apply makes the uncovered resources indeterminate. Any NetworkPolicy counts, whatever its selector: the rule checks that the namespace is governed by policies, as CIS 5.3.2 asks, not what they allow.",
        why: "Kubernetes networking is flat by default: any pod can open connections to any other pod in any namespace. A compromised pod then reaches databases, internal APIs and the pods of other teams. Network policies only take effect in a namespace once one selects its pods.",
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

    apiVersion: networking.k8s.io/v1
    kind: NetworkPolicy
    metadata:
      name: default-deny
      namespace: shop
    spec:
      podSelector: {}
      policyTypes:
      - Ingress
      - Egress

Terraform:

    resource "kubernetes_network_policy_v1" "default_deny" {
      metadata {
        name = "default-deny"
        namespace = "shop"
      }
      spec {
        pod_selector {
        }
        policy_types = ["Ingress", "Egress"]
      }
    }"#,
        fix: "Add a default-deny policy (`podSelector: {}`, `policyTypes: [Ingress, Egress]`) to each namespace and policies that allow the application's real flows (and DNS).",
        references: &[
            "Kubernetes: Network Policies — https://kubernetes.io/docs/concepts/services-networking/network-policies/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
            "NSA/CISA Kubernetes Hardening Guide — https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    namespaces_without(view, "kubernetes_network_policy", "NetworkPolicy")
}
