//! GCP-RUN-005: Cloud Run services enforce Binary Authorization.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-RUN-005",
    name: "run-service-binary-authorization",
    title: "Cloud Run services enforce Binary Authorization",
    description: "Binary Authorization makes Cloud Run deploy only images that satisfy the project's policy, such as images attested by your CI.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["run"],
    topics: &["supply-chain"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC7.1", "CC8.1"] },
        Control { framework: "iso27001", controls: &["A.8.19"] },
        Control { framework: "nist-800-53", controls: &["CM-14", "SI-7"] },
    ]),
    resource_types: &["google_cloud_run_v2_service", "gcp:cloudrunv2/service:Service"],
    remediation: "Set `binary_authorization { use_default = true }` (or a named `policy`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Run services (`google_cloud_run_v2_service`, Pulumi `gcp:cloudrunv2/service:Service`): `binary_authorization.use_default` must be true or `binary_authorization.policy` set. Without either the service deploys any image, a violation; values known only after apply are indeterminate.",
        why: "Anyone who can deploy can otherwise run an image built on a laptop or pulled from a public registry; enforcing the policy ties production to what the pipeline built.",
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
      binary_authorization {
        use_default = true
      }
      template {
        containers { image = "europe-docker.pkg.dev/acme/apps/orders:1.4.2" }
      }
    }"#,
        fix: "Define the project's Binary Authorization policy (dry run first) and set `binary_authorization { use_default = true }`. No automatic fix: images without attestations would stop deploying.",
        references: &["Google Cloud: Use Binary Authorization with Cloud Run — https://cloud.google.com/binary-authorization/docs/run/enabling-binauthz-cloud-run"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::gcp::text_at(view, "binaryAuthorization.policy")?.is_some() {
        return Ok(Verdict::Pass);
    }
    support::gcp::bool_setting(
        view,
        "binaryAuthorization.useDefault",
        true,
        false,
        "Cloud Run service",
        "does not enforce Binary Authorization",
    )
}
