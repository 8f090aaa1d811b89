//! K8S-INGRESS-002: Ingresses carry no NGINX snippet annotations

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-INGRESS-002",
    name: "ingress-no-nginx-snippets",
    title: "Ingresses carry no NGINX snippet annotations",
    description: "Snippet annotations inject raw NGINX configuration, which has been used to read the controller's secrets (CVE-2021-25742).",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["ingress"],
    topics: &["network", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "nist-800-53",
            controls: &["CM-7", "AC-6"],
        },
    ]),
    resource_types: INGRESS_TYPES,
    remediation: "Remove the `*-snippet` annotations; use the controller's dedicated annotations or a ConfigMap managed by the platform.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Ingresses (manifests and Pulumi `kubernetes:networking.k8s.io/v1:Ingress` and the older `v1beta1` ones, Terraform `kubernetes_ingress_v1` and `kubernetes_ingress`): an Ingress with any of the annotations `nginx.ingress.kubernetes.io/server-snippet`, `nginx.ingress.kubernetes.io/configuration-snippet`, `nginx.ingress.kubernetes.io/auth-snippet`, `nginx.ingress.kubernetes.io/stream-snippet` is a violation.",
        why: "ingress-nginx copies snippet annotations into its configuration verbatim. Anyone who can create an Ingress can then run Lua, read files of the controller pod — which holds a token that reads every Secret of the cluster — or proxy to internal addresses (CVE-2021-25742, CVE-2023-5044, CVE-2025-1974 family).",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: networking.k8s.io/v1
    kind: Ingress
    metadata:
      name: web
      namespace: shop
      annotations:
        nginx.ingress.kubernetes.io/server-snippet: location /x { return 200; }
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
        annotations = {
          "nginx.ingress.kubernetes.io/server-snippet" = "location /x { return 200; }"
        }
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
        fix: "Delete the snippet annotations and disable them in the controller (`allow-snippet-annotations: false`).",
        references: &[
            "ingress-nginx: CVE-2021-25742 — https://github.com/kubernetes/ingress-nginx/issues/7837",
            "ingress-nginx annotations — https://kubernetes.github.io/ingress-nginx/user-guide/nginx-configuration/annotations/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const SNIPPETS: [&str; 4] = [
    "nginx.ingress.kubernetes.io/server-snippet",
    "nginx.ingress.kubernetes.io/configuration-snippet",
    "nginx.ingress.kubernetes.io/auth-snippet",
    "nginx.ingress.kubernetes.io/stream-snippet",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let path = match view.resource.spelling {
        guardrail_core::Spelling::Pulumi => "metadata.annotations",
        guardrail_core::Spelling::Terraform => "metadata[0].annotations",
    };
    let Some(annotations) = crate::support::read(view, "metadata.annotations")? else {
        return Ok(Verdict::Pass);
    };
    let found: Vec<&str> = SNIPPETS
        .iter()
        .copied()
        .filter(|k| annotations.as_object().is_some_and(|m| m.get(*k).is_some()))
        .collect();
    Ok(Verdict::from_violations(
        found
            .into_iter()
            .map(|k| {
                guardrail_core::Violation::new(format!(
                    "ingress `{}` injects NGINX configuration (`{k}`)",
                    view.resource.name
                ))
                .at(path)
            })
            .collect(),
    ))
}
