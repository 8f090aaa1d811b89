//! GCP-RUN-002: Cloud Run services do not accept traffic from the whole internet directly.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-RUN-002",
    name: "run-service-ingress-restricted",
    title: "Cloud Run services do not accept traffic from the whole internet directly",
    description: "With ingress `all` the service's `run.app` URL is reachable from anywhere, bypassing a load balancer's Cloud Armor and IAP.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["run"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_cloud_run_v2_service", "gcp:cloudrunv2/service:Service"],
    remediation: "Set `ingress = \"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER\"` or `\"INGRESS_TRAFFIC_INTERNAL_ONLY\"`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Run services (`google_cloud_run_v2_service`, Pulumi `gcp:cloudrunv2/service:Service`): `ingress` must be `INGRESS_TRAFFIC_INTERNAL_ONLY` or `INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER`. Unset means `INGRESS_TRAFFIC_ALL` and is a violation; a value known only after apply is indeterminate.",
        why: "A service published behind an external load balancer with Cloud Armor or IAP is still reachable at its default URL unless ingress is restricted, so the protections can be walked around.",
        noncompliant: r#"Terraform:

    resource "google_cloud_run_v2_service" "api" {
      name     = "orders-api"
      location = "europe-west1"
      template {
        containers { image = "europe-docker.pkg.dev/acme/apps/orders:1.4.2" }
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_cloud_run_v2_service" "api" {
      name     = "orders-api"
      location = "europe-west1"
      ingress  = "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER"
      template {
        containers { image = "europe-docker.pkg.dev/acme/apps/orders:1.4.2" }
      }
    }"#,
        fix: "Put the service behind an external Application Load Balancer (with Cloud Armor) and set `ingress = \"INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER\"`; internal services use `INGRESS_TRAFFIC_INTERNAL_ONLY`. Services meant to be public at their own URL get an exemption.",
        references: &["Google Cloud: Restrict network ingress for Cloud Run — https://cloud.google.com/run/docs/securing/ingress"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::one_of(
        view,
        "ingress",
        &[
            "INGRESS_TRAFFIC_INTERNAL_ONLY",
            "INGRESS_TRAFFIC_INTERNAL_LOAD_BALANCER",
        ],
        "INGRESS_TRAFFIC_ALL",
        "Cloud Run service",
        "accepts traffic from the whole internet at its own URL",
    )
}
