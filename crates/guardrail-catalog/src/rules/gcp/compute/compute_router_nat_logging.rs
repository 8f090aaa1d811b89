//! GCP-COMPUTE-036: Cloud NAT gateways log translations.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-COMPUTE-036",
    name: "compute-router-nat-logging",
    title: "Cloud NAT gateways log translations",
    description: "NAT logs tie outbound connections to the instance behind the shared public address, which is otherwise impossible after the fact.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["compute"],
    topics: &["logging", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-12"] },
    ]),
    resource_types: &["google_compute_router_nat", "gcp:compute/routerNat:RouterNat"],
    remediation: "Set `log_config { enable = true filter = \"ERRORS_ONLY\" }` (or `ALL`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud NAT gateways (`google_compute_router_nat`, Pulumi `gcp:compute/routerNat:RouterNat`): `log_config.enable` must be true. Unset means no logging and is a violation; a value known only after apply is indeterminate. Under `remediate` guardrail turns logging on with the existing or default filter.",
        why: "When an abuse report names your NAT address, only NAT logs say which instance made the connection.",
        noncompliant: r#"Terraform:

    resource "google_compute_router_nat" "nat" {
      name                               = "prod-nat"
      router                             = google_compute_router.prod.name
      nat_ip_allocate_option             = "AUTO_ONLY"
      source_subnetwork_ip_ranges_to_nat = "ALL_SUBNETWORKS_ALL_IP_RANGES"
    }"#,
        compliant: r#"Terraform:

    resource "google_compute_router_nat" "nat" {
      # ...
      log_config {
        enable = true
        filter = "ERRORS_ONLY"
      }
    }"#,
        fix: "Add `log_config { enable = true filter = \"ALL\" }` (or `ERRORS_ONLY` to bound cost). Logging does not affect traffic (a safe fix).",
        references: &["Google Cloud: Cloud NAT logging — https://cloud.google.com/nat/docs/monitoring"],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "logConfig.enable",
        true,
        false,
        "Cloud NAT gateway",
        "does not log translations",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if support::gcp::text_at(view, "logConfig.filter")?.is_none() {
        if support::flag(view, "logConfig.enable")? == Some(true) {
            return Ok(None);
        }
        let mut props = view.props.clone();
        let spelling = view.resource.spelling;
        support::set_path(
            &mut props,
            spelling,
            "logConfig.enable",
            Value::Bool(true),
            support::UnknownBlocks::Keep,
        );
        support::set_path(
            &mut props,
            spelling,
            "logConfig.filter",
            Value::string("ALL"),
            support::UnknownBlocks::Keep,
        );
        return Ok(Some(props));
    }
    support::gcp::bool_fix(view, "logConfig.enable", true, false)
}
