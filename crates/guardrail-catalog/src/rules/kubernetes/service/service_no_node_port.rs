//! K8S-SERVICE-002: Services do not use NodePort

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SERVICE-002",
    name: "service-no-node-port",
    title: "Services do not use NodePort",
    description: "A NodePort opens the same port on every node of the cluster.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "kubernetes",
    services: &["service"],
    topics: &["network", "exposure"],
    frameworks: Frameworks::Mapped(&[
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
    resource_types: SERVICE_TYPES,
    remediation: "Use `ClusterIP` with an Ingress, or a `LoadBalancer` with source ranges.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Services (manifests and Pulumi `kubernetes:core/v1:Service`, Terraform `kubernetes_service` and `_v1`): a Service of `type: NodePort` is a violation; other types are not applicable.",
        why: "NodePorts listen on every node's addresses, outside Ingress controllers and load balancer controls; node addresses are often reachable from wider networks than anyone intended, and the high port range escapes firewall reviews.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      type: NodePort
      selector:
        app: web
      ports:
      - name: http
        port: 80
        targetPort: 8080

Terraform:

    resource "kubernetes_service_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        type = "NodePort"
        selector = {
          app = "web"
        }
        port {
          name = "http"
          port = 80
          target_port = 8080
        }
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      type: ClusterIP
      selector:
        app: web
      ports:
      - name: http
        port: 80
        targetPort: 8080

Terraform:

    resource "kubernetes_service_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        type = "ClusterIP"
        selector = {
          app = "web"
        }
        port {
          name = "http"
          port = 80
          target_port = 8080
        }
      }
    }"#,
        fix: "Use `ClusterIP` with an Ingress, or a `LoadBalancer` with source ranges. Where NodePort is unavoidable, restrict node firewall rules.",
        references: &[
            "Kubernetes: Service (type, externalIPs, loadBalancerSourceRanges) — https://kubernetes.io/docs/concepts/services-networking/service/",
            "NSA/CISA Kubernetes Hardening Guide — https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let kind = crate::support::text(view, "spec.type")?.unwrap_or("ClusterIP");
    match kind {
        "NodePort" => Ok(Verdict::violation(
            guardrail_core::Violation::new(format!(
                "service `{}` opens a port on every node (`type: NodePort`)",
                view.resource.name
            ))
            .at(block_path(view.resource.spelling, "", &["spec", "type"], 1)
                .trim_start_matches('.')
                .to_string()),
        )),
        "ClusterIP" | "ExternalName" => Ok(Verdict::Pass),
        _ => Ok(Verdict::not_applicable(
            "not a NodePort or ClusterIP service",
        )),
    }
}
