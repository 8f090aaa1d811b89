//! K8S-SERVICE-001: LoadBalancer Services restrict their source ranges

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SERVICE-001",
    name: "service-load-balancer-source-ranges",
    title: "LoadBalancer Services restrict their source ranges",
    description: "A LoadBalancer Service without source ranges is open to the whole internet.",
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
    remediation: "Set `loadBalancerSourceRanges` to the client networks, or make the load balancer internal.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Services (manifests and Pulumi `kubernetes:core/v1:Service`, Terraform `kubernetes_service` and `_v1`): a Service of `type: LoadBalancer` whose `loadBalancerSourceRanges` (Terraform `load_balancer_source_ranges`) is unset, empty or holds a range of prefix length 0 (`0.0.0.0/0`, `::/0`) is a violation, unless an annotation makes the load balancer internal (AWS `service.beta.kubernetes.io/aws-load-balancer-internal` or `aws-load-balancer-scheme: internal`, Azure `azure-load-balancer-internal: \"true\"`, Google `networking.gke.io/load-balancer-type: Internal` or `cloud.google.com/load-balancer-type: Internal`). Other types are not applicable.",
        why: "A cloud load balancer gets a public address by default; without source ranges anyone can reach the Service's pods, which were often written for an internal audience.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: Service
    metadata:
      name: web
      namespace: shop
    spec:
      type: LoadBalancer
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
        type = "LoadBalancer"
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
      type: LoadBalancer
      selector:
        app: web
      ports:
      - name: http
        port: 80
        targetPort: 8080
      loadBalancerSourceRanges:
      - 203.0.113.0/24

Terraform:

    resource "kubernetes_service_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        type = "LoadBalancer"
        selector = {
          app = "web"
        }
        port {
          name = "http"
          port = 80
          target_port = 8080
        }
        load_balancer_source_ranges = ["203.0.113.0/24"]
      }
    }"#,
        fix: "List the client CIDRs in `loadBalancerSourceRanges`, or add the provider's internal annotation, or publish the application through an Ingress with authentication.",
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

const INTERNAL: [(&str, &str); 5] = [
    ("service.beta.kubernetes.io/aws-load-balancer-internal", ""),
    (
        "service.beta.kubernetes.io/aws-load-balancer-scheme",
        "internal",
    ),
    (
        "service.beta.kubernetes.io/azure-load-balancer-internal",
        "true",
    ),
    ("networking.gke.io/load-balancer-type", "internal"),
    ("cloud.google.com/load-balancer-type", "internal"),
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let kind = crate::support::text(view, "spec.type")?;
    if kind != Some("LoadBalancer") {
        return Ok(Verdict::not_applicable("not a LoadBalancer service"));
    }
    let annotations = crate::support::read(view, "metadata.annotations")?;
    let internal = INTERNAL.iter().any(|(k, want)| {
        annotations
            .and_then(|a| a.as_object())
            .and_then(|m| m.get(*k))
            .and_then(|v| v.as_str())
            .is_some_and(|v| {
                let v = v.to_ascii_lowercase();
                if want.is_empty() {
                    v == "true" || v == "0.0.0.0/0" || !v.is_empty() && v != "false"
                } else {
                    v == *want
                }
            })
    });
    if internal {
        return Ok(Verdict::Pass);
    }
    let ranges = crate::support::string_list(view, "spec.loadBalancerSourceRanges")?;
    let path = crate::support::at(view, "spec.loadBalancerSourceRanges");
    let path = match view.resource.spelling {
        guardrail_core::Spelling::Terraform => path.replacen("spec.", "spec[0].", 1),
        guardrail_core::Spelling::Pulumi => path,
    };
    if ranges.is_empty() || ranges.iter().any(|r| crate::support::is_world_cidr(r)) {
        return Ok(Verdict::violation(
            guardrail_core::Violation::new(format!(
                "service `{}` is a load balancer open to any address (no `loadBalancerSourceRanges` narrower than the internet)",
                view.resource.name
            ))
            .at(path),
        ));
    }
    Ok(Verdict::Pass)
}
