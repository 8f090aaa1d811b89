//! K8S-NAMESPACE-001: Objects are not placed in the default namespace

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-NAMESPACE-001",
    name: "no-default-namespace",
    title: "Objects are not placed in the default namespace",
    description: "The `default` namespace is where everything lands that nobody placed: shared by unrelated workloads and policies.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["namespace"],
    topics: &["isolation", "governance"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-kubernetes",
            controls: &["5.7.1", "5.7.4"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-2", "AC-4"],
        },
    ]),
    resource_types: &["kubernetes:core/v1:Pod", "kubernetes_pod", "kubernetes_pod_v1", "kubernetes:apps/v1:Deployment", "kubernetes:apps/v1beta1:Deployment", "kubernetes:apps/v1beta2:Deployment", "kubernetes:extensions/v1beta1:Deployment", "kubernetes_deployment", "kubernetes_deployment_v1", "kubernetes:apps/v1:StatefulSet", "kubernetes:apps/v1beta1:StatefulSet", "kubernetes:apps/v1beta2:StatefulSet", "kubernetes_stateful_set", "kubernetes_stateful_set_v1", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1beta2:DaemonSet", "kubernetes:extensions/v1beta1:DaemonSet", "kubernetes_daemonset", "kubernetes_daemon_set_v1", "kubernetes:apps/v1:ReplicaSet", "kubernetes:apps/v1beta2:ReplicaSet", "kubernetes:extensions/v1beta1:ReplicaSet", "kubernetes:core/v1:ReplicationController", "kubernetes_replication_controller", "kubernetes_replication_controller_v1", "kubernetes:batch/v1:Job", "kubernetes_job", "kubernetes_job_v1", "kubernetes:batch/v1:CronJob", "kubernetes:batch/v1beta1:CronJob", "kubernetes_cron_job", "kubernetes_cron_job_v1", "kubernetes:core/v1:PodTemplate", "kubernetes:core/v1:Service", "kubernetes_service", "kubernetes_service_v1", "kubernetes:core/v1:ConfigMap", "kubernetes_config_map", "kubernetes_config_map_v1", "kubernetes:core/v1:Secret", "kubernetes_secret", "kubernetes_secret_v1", "kubernetes:core/v1:ServiceAccount", "kubernetes_service_account", "kubernetes_service_account_v1", "kubernetes:networking.k8s.io/v1:Ingress", "kubernetes_ingress_v1", "kubernetes:rbac.authorization.k8s.io/v1:Role", "kubernetes_role", "kubernetes_role_v1", "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding", "kubernetes_role_binding", "kubernetes_role_binding_v1"],
    remediation: "Set `metadata.namespace` to the application's own namespace.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Namespaced objects — every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources, and Services, ConfigMaps, Secrets, ServiceAccounts, Ingresses, Roles and RoleBindings in every spelling — whose `metadata.namespace` is `default` or unset are violations. Unset counts as `default` because that is where the Terraform provider and Pulumi put the object (for a manifest it is the namespace `kubectl` or `helm` is given; pass it explicitly to make the manifest say what it deploys).",
        why: "Namespaces are the unit of RBAC, network policy, quotas and Pod Security admission. Objects in `default` share all of those with whatever else was dropped there, and cluster-wide tooling often treats `default` as unowned. CIS 5.7.4 says the default namespace should not be used.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: apps/v1
    kind: Deployment
    metadata:
      name: web
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
        fix: "Create a namespace per application or team and set `metadata.namespace` (Terraform `metadata { namespace = ... }`) on every object.",
        references: &[
            "Kubernetes: Namespaces — https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/",
            "CIS Kubernetes Benchmark v1.8.0, section 5 (Policies) — https://www.cisecurity.org/benchmark/kubernetes",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let ns = namespace_of(view)?.unwrap_or("default");
    if ns != "default" {
        return Ok(Verdict::Pass);
    }
    let path = match view.resource.spelling {
        guardrail_core::Spelling::Pulumi => "metadata.namespace",
        guardrail_core::Spelling::Terraform => "metadata[0].namespace",
    };
    let secret = view.props.secret_at(path);
    let noun = workload_noun(&view).map_or_else(
        || {
            let kind = view.resource.type_.rsplit(':').next().unwrap_or_default();
            match guardrail_core::canonical_type(&view.resource.type_).as_ref() {
                "kubernetes_service" => "service".to_string(),
                "kubernetes_config_map" => "config map".to_string(),
                "kubernetes_secret" => "secret".to_string(),
                "kubernetes_service_account" => "service account".to_string(),
                "kubernetes_ingress_v1" => "ingress".to_string(),
                "kubernetes_role" => "role".to_string(),
                "kubernetes_role_binding" => "role binding".to_string(),
                _ => kind.to_ascii_lowercase(),
            }
        },
        str::to_string,
    );
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!(
            "{noun} `{}` is in the {} namespace",
            view.resource.name,
            shown_text("default", secret)
        ))
        .at(path),
    ))
}
