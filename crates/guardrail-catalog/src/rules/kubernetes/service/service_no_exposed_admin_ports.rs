//! K8S-SERVICE-004: Exposed Services do not publish administrative or database ports

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::kubernetes::*;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SERVICE-004",
    name: "service-no-exposed-admin-ports",
    title: "Exposed Services do not publish administrative or database ports",
    description: "SSH, RDP, Docker, kubelet and database ports published through a LoadBalancer or NodePort are reachable from outside the cluster.",
    severity: Severity::High,
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
    remediation: "Keep these Services `ClusterIP` and reach them through a bastion, `kubectl port-forward` or a private network.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Services (manifests and Pulumi `kubernetes:core/v1:Service`, Terraform `kubernetes_service` and `_v1`): a Service of `type: LoadBalancer` or `NodePort` with a port (`ports[].port`, Terraform `port[].port`) among 22 (ssh), 23 (telnet), 3389 (rdp), 2375 (docker), 2376 (docker), 5900 (vnc), 5985 (winrm), 5986 (winrm), 10250 (kubelet), 2379 (etcd), 6443 (kubernetes-api), 3306 (mysql), 5432 (postgresql), 6379 (redis), 27017 (mongodb), 9200 (elasticsearch) is a violation. ClusterIP Services are not applicable.",
        why: "Administrative and database protocols are the most scanned and brute-forced ports on the internet; they are meant for internal networks behind authentication and audit. Publishing them on a load balancer or on every node makes them targets.",
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
      - name: ssh
        port: 22
        targetPort: 22

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
          name = "ssh"
          port = 22
          target_port = 22
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
      - name: https
        port: 443
        targetPort: 8443

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
          name = "https"
          port = 443
          target_port = 8443
        }
      }
    }"#,
        fix: "Keep these Services `ClusterIP` and reach them through a bastion, `kubectl port-forward` or a private network. If one must be external, restrict `loadBalancerSourceRanges`.",
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

const ADMIN: [u16; 16] = [
    22, 23, 3389, 2375, 2376, 5900, 5985, 5986, 10250, 2379, 6443, 3306, 5432, 6379, 27017, 9200,
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let kind = crate::support::text(view, "spec.type")?.unwrap_or("ClusterIP");
    if !matches!(kind, "LoadBalancer" | "NodePort") {
        return Ok(Verdict::not_applicable("not exposed outside the cluster"));
    }
    let s = view.resource.spelling;
    let base = block_path(s, "", &["spec"], 1)
        .trim_start_matches('.')
        .to_string();
    let list_key = key(s, "ports", "port");
    let list_path = format!("{base}.{list_key}");
    let Some(list) = view
        .props
        .field(&list_path)
        .map_err(|_| Halt::unknown(list_path.clone()))?
    else {
        return Ok(Verdict::Pass);
    };
    let mut violations = Vec::new();
    for (path, port) in crate::support::items_at(list, &list_path)? {
        let port_path = format!("{path}.port");
        let number = port
            .field("port")
            .map_err(|_| Halt::unknown(port_path.clone()))?
            .and_then(|p| p.as_i64());
        let Some(number) = number.and_then(|n| u16::try_from(n).ok()) else {
            continue;
        };
        if ADMIN.contains(&number) {
            let secret = view.props.secret_at(&port_path);
            violations.push(
                guardrail_core::Violation::new(format!(
                    "service `{}` publishes port {} outside the cluster",
                    view.resource.name,
                    crate::support::port_label_of(number, secret)
                ))
                .at(port_path),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
