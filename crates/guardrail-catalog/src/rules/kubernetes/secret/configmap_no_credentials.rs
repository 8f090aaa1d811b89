//! K8S-SECRET-003: ConfigMaps hold no credentials

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "K8S-SECRET-003",
    name: "configmap-no-credentials",
    title: "ConfigMaps hold no credentials",
    description: "ConfigMaps are stored and shown in plain text and readable by far more subjects than Secrets.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "kubernetes",
    services: &["secret"],
    topics: &["secrets"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.6.2", "8.3.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-5(7)", "SC-28"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.17"],
        },
    ]),
    resource_types: &["kubernetes:core/v1:ConfigMap", "kubernetes_config_map", "kubernetes_config_map_v1"],
    remediation: "Move the value into a Secret (or an external secret store).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "ConfigMaps (manifests and Pulumi `kubernetes:core/v1:ConfigMap`, Terraform `kubernetes_config_map` and `_v1`): each `data` key whose name looks like a credential (contains `password`, `passwd`, `secret`, `token`, `api_key`, `apikey`, `private_key`, `access_key` or `credential`, any case, `-` read as `_`) with a non-empty value is a violation. Values are never printed. A ConfigMap without `data` is not applicable.",
        why: "Roles that read ConfigMaps are handed out freely (the built-in `view` role includes them, Secrets it does not), and tools print ConfigMaps whole. A credential there is effectively public inside the cluster.",
        noncompliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: web-config
      namespace: shop
    data:
      LOG_LEVEL: info
      db-password: Tr0ub4dor&3

Terraform:

    resource "kubernetes_config_map_v1" "web_config" {
      metadata {
        name = "web-config"
        namespace = "shop"
      }
      data = {
        LOG_LEVEL = "info"
        db-password = "Tr0ub4dor&3"
      }
    }"#,
        compliant: r#"Manifest (the Pulumi `kubernetes` provider takes the same fields):

    apiVersion: v1
    kind: ConfigMap
    metadata:
      name: web-config
      namespace: shop
    data:
      LOG_LEVEL: info

Terraform:

    resource "kubernetes_config_map_v1" "web_config" {
      metadata {
        name = "web-config"
        namespace = "shop"
      }
      data = {
        LOG_LEVEL = "info"
      }
    }"#,
        fix: "Create a Secret for the value, reference it from the workload, and rotate the credential that was exposed.",
        references: &[
            "Kubernetes: Good practices for Kubernetes Secrets — https://kubernetes.io/docs/concepts/security/secrets-good-practices/",
            "Kubernetes: ConfigMaps — https://kubernetes.io/docs/concepts/configuration/configmap/",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

const MARKERS: [&str; 9] = [
    "PASSWORD",
    "PASSWD",
    "SECRET",
    "TOKEN",
    "API_KEY",
    "APIKEY",
    "PRIVATE_KEY",
    "ACCESS_KEY",
    "CREDENTIAL",
];

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(data) = crate::support::read(view, "data")? else {
        return Ok(Verdict::not_applicable("the config map has no data"));
    };
    let Some(map) = data.as_object() else {
        return Ok(Verdict::not_applicable(
            "the config map's data is not a map",
        ));
    };
    let mut violations = Vec::new();
    let mut unknown = None;
    for (k, v) in map.iter() {
        let upper = k.to_ascii_uppercase().replace('-', "_");
        if !MARKERS.iter().any(|m| upper.contains(m)) {
            continue;
        }
        if v.is_unknown() {
            unknown.get_or_insert(format!("data.{k}"));
            continue;
        }
        if v.as_str().is_some_and(|s| !s.is_empty()) {
            violations.push(
                guardrail_core::Violation::new(format!(
                    "config map `{}` holds the credential-like key `{k}`",
                    view.resource.name
                ))
                .at("data"),
            );
        }
    }
    if let (Some(path), true) = (unknown, violations.is_empty()) {
        return Err(Halt::unknown(path));
    }
    Ok(Verdict::from_violations(violations))
}
