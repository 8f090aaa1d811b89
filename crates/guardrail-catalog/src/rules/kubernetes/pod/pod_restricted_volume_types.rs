//! K8S-POD-025: Pods use only the restricted volume types

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-POD-025",
    name: "pod-restricted-volume-types",
    title: "Pods use only the restricted volume types",
    description: "Restricted pods may mount only ConfigMaps, Secrets, projected and downward-API data, emptyDirs, CSI and claims.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["pod"],
    topics: &["isolation", "storage"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pss",
            controls: &["restricted.volume-types"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-7"],
        },
    ]),
    resource_types: WORKLOAD_TYPES,
    remediation: "Replace other volume types with a PersistentVolumeClaim or one of the allowed kinds.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "For every workload that embeds a pod spec — Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet, ReplicationController, Job, CronJob and PodTemplate, as manifests, Pulumi `kubernetes:*` resources and Terraform `kubernetes_*` / `kubernetes_*_v1` resources: each volume of the pod spec whose source is not one of `configMap`, `csi`, `downwardAPI`, `emptyDir`, `ephemeral`, `persistentVolumeClaim`, `projected`, `secret` (Terraform's snake_case names; empty blocks a plan lists for unset sources are ignored) is a violation.",
        why: "In-line volume sources such as `nfs`, `iscsi`, `rbd`, `cephfs` or cloud disks connect the pod straight to storage, with credentials and access decided in the pod spec rather than by the cluster's storage classes. The Restricted Pod Security Standard allows only the kinds that go through the cluster's own control.",
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
          - name: cache
            emptyDir: {}
          - name: shared
            nfs:
              server: nfs.example.com
              path: /exports

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
            volume {
              name = "shared"
              nfs {
                server = "nfs.example.com"
                path = "/exports"
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
          - name: config
            configMap:
              name: web
          - name: data
            persistentVolumeClaim:
              claimName: web-data

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
            volume {
              name = "config"
              config_map {
                name = "web"
              }
            }
            volume {
              name = "data"
              persistent_volume_claim {
                claim_name = "web-data"
              }
            }
          }
        }
      }
    }"#,
        fix: "Create a PersistentVolume (or a StorageClass) for the storage and mount it through a PersistentVolumeClaim.",
        references: &[
            "Kubernetes: Pod Security Standards — https://kubernetes.io/docs/concepts/security/pod-security-standards/",
            "Kubernetes: Volumes — https://kubernetes.io/docs/concepts/storage/volumes/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const ALLOWED: [&str; 8] = [
    "configmap",
    "csi",
    "downwardapi",
    "emptydir",
    "ephemeral",
    "persistentvolumeclaim",
    "projected",
    "secret",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    pod_check(view, |spec| {
        let mut found = Vec::new();
        for (path, volume) in pod_list(spec, "volumes", "volume")? {
            let Some(map) = volume.as_object() else {
                continue;
            };
            let secret = view.props.secret_at(&path) || volume.secret_at("name");
            for (k, v) in map.iter() {
                let folded = guardrail_core::source::fold_name(k);
                if folded == "name" || ALLOWED.contains(&folded.as_str()) {
                    continue;
                }
                if v.is_unknown() {
                    return Err(Halt::unknown(format!("{path}.{k}")));
                }
                if set_value(Some(v)).is_none() {
                    continue;
                }
                let name = volume.get("name").and_then(|n| n.as_str()).unwrap_or("?");
                found.push((
                    format!(
                        "uses the volume type `{k}` (volume {})",
                        shown_text(name, secret)
                    ),
                    path.clone(),
                ));
            }
        }
        Ok(found)
    })
}
