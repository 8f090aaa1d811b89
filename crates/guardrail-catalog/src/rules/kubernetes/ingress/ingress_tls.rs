//! K8S-INGRESS-001: Ingresses terminate TLS

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-INGRESS-001",
    name: "ingress-tls",
    title: "Ingresses terminate TLS",
    description: "An Ingress without a `tls` section serves its hosts over plain HTTP.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["ingress"],
    topics: &["encryption-in-transit", "network"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["4.2.1"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(e)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-8", "SC-13"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.7"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
    ]),
    resource_types: INGRESS_TYPES,
    remediation: "Add a `tls` entry with the hosts and a certificate secret.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Ingresses (manifests and Pulumi `kubernetes:networking.k8s.io/v1:Ingress` and the older `v1beta1` ones, Terraform `kubernetes_ingress_v1` and `kubernetes_ingress`): an Ingress whose `spec.tls` (Terraform `spec.tls`) is unset or empty is a violation.",
        why: "Without TLS, credentials, session cookies and personal data cross the network in clear text, and anyone on the path can read or alter them. PCI DSS 4.2.1 and HIPAA's transmission security ask for strong cryptography on such connections.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      namespace: shop
    spec:
      ingressClassName: nginx
      rules:
      - host: shop.example.com
        http:
          paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80

Terraform:

    resource "kubernetes_ingress_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        ingress_class_name = "nginx"
        rule {
          host = "shop.example.com"
          http {
            path {
              path = "/"
              path_type = "Prefix"
              backend {
                service {
                  name = "web"
                  port {
                    number = 80
                  }
                }
              }
            }
          }
        }
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      namespace: shop
    spec:
      ingressClassName: nginx
      rules:
      - host: shop.example.com
        http:
          paths:
          - path: /
            pathType: Prefix
            backend:
              service:
                name: web
                port:
                  number: 80
      tls:
      - hosts:
        - shop.example.com
        secretName: shop-tls

Terraform:

    resource "kubernetes_ingress_v1" "web" {
      metadata {
        name = "web"
        namespace = "shop"
      }
      spec {
        ingress_class_name = "nginx"
        rule {
          host = "shop.example.com"
          http {
            path {
              path = "/"
              path_type = "Prefix"
              backend {
                service {
                  name = "web"
                  port {
                    number = 80
                  }
                }
              }
            }
          }
        }
        tls {
          hosts = ["shop.example.com"]
          secret_name = "shop-tls"
        }
      }
    }"#,
        fix: "Add `tls: [{hosts: [shop.example.com], secretName: shop-tls}]` (cert-manager can issue the secret), and redirect HTTP to HTTPS.",
        references: &[
            "Kubernetes: Ingress (TLS) — https://kubernetes.io/docs/concepts/services-networking/ingress/#tls",
            "cert-manager: Securing Ingress Resources — https://cert-manager.io/docs/usage/ingress/",
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
        return Ok(Verdict::not_applicable("the ingress has no spec"));
    }
    if set_value(crate::support::read(view, "spec.tls")?).is_some() {
        return Ok(Verdict::Pass);
    }
    let path = match view.resource.spelling {
        guardrail_core::Spelling::Pulumi => "spec",
        guardrail_core::Spelling::Terraform => "spec[0]",
    };
    Ok(Verdict::violation(
        guardrail_core::Violation::new(format!(
            "ingress `{}` serves plain HTTP (no `tls`)",
            view.resource.name
        ))
        .at(path),
    ))
}
