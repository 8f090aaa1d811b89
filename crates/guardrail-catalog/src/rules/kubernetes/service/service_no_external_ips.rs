//! K8S-SERVICE-003: Services set no externalIPs

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SERVICE-003",
    name: "service-no-external-ips",
    title: "Services set no externalIPs",
    description: "`externalIPs` let a Service claim any address, including ones that belong to others (CVE-2020-8554).",
    severity: Severity::Medium,
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
    remediation: "Remove `externalIPs`; use a LoadBalancer or an Ingress.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Services (manifests and Pulumi `kubernetes:core/v1:Service`, Terraform `kubernetes_service` and `_v1`): a Service with a non-empty `externalIPs` (Terraform `external_ips`) is a violation.",
        why: "Any address listed in `externalIPs` is answered by kube-proxy on every node: a user who can create Services can intercept traffic meant for another workload or an outside host (CVE-2020-8554, man-in-the-middle in the cluster).",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

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
      externalIPs:
      - 198.51.100.7

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
        external_i_ps = ["198.51.100.7"]
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
        fix: "Remove `externalIPs`; use a LoadBalancer or an Ingress. Block the field cluster-wide with the `DenyServiceExternalIPs` admission plugin.",
        references: &[
            "Kubernetes: Service (type, externalIPs, loadBalancerSourceRanges) — https://kubernetes.io/docs/concepts/services-networking/service/",
            "NSA/CISA Kubernetes Hardening Guide — https://media.defense.gov/2022/Aug/29/2003066362/-1/-1/0/CTR_KUBERNETES_HARDENING_GUIDANCE_1.2_20220829.PDF",
            "Kubernetes issue: CVE-2020-8554 — https://github.com/kubernetes/kubernetes/issues/97076",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if crate::support::read(view, "spec")?.is_none() {
        return Ok(Verdict::not_applicable("the service has no spec"));
    }
    let ips = set_value(crate::support::read(view, "spec.externalIPs")?);
    if ips.is_none() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!(
            "service `{}` claims external addresses (`externalIPs`)",
            view.resource.name
        ))
        .at(
            block_path(view.resource.spelling, "", &["spec", "externalIPs"], 1)
                .trim_start_matches('.')
                .to_string(),
        ),
    ))
}
