//! GCP-REDIS-002: Memorystore for Redis instances encrypt traffic in transit.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-REDIS-002",
    name: "redis-instance-transit-encryption",
    title: "Memorystore for Redis instances encrypt traffic in transit",
    description: "Without in-transit encryption, Redis commands and values, including AUTH strings and session tokens, cross the network in clear text.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["redis"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
    ]),
    resource_types: &["google_redis_instance", "gcp:redis/instance:Instance"],
    remediation: "Set `transit_encryption_mode = \"SERVER_AUTHENTICATION\"`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Memorystore for Redis instances: `transit_encryption_mode` (Pulumi `transitEncryptionMode`) must be `SERVER_AUTHENTICATION`. Unset means `DISABLED` and is a violation; a value known only after apply is indeterminate.",
        why: "Cached data is often personal data and credentials; TLS keeps it confidential on the wire and proves to clients that they talk to the real instance.",
        noncompliant: r#"Terraform:

    resource "google_redis_instance" "sessions" {
      name           = "sessions"
      memory_size_gb = 1
    }"#,
        compliant: r#"Terraform:

    resource "google_redis_instance" "sessions" {
      name                    = "sessions"
      memory_size_gb          = 1
      transit_encryption_mode = "SERVER_AUTHENTICATION"
    }"#,
        fix: "Set `transit_encryption_mode = \"SERVER_AUTHENTICATION\"` on a new instance (it cannot be changed in place) and configure clients with the server CA.",
        references: &["Google Cloud: About in-transit encryption for Redis — https://cloud.google.com/memorystore/docs/redis/about-in-transit-encryption"],
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
        "transitEncryptionMode",
        &["SERVER_AUTHENTICATION"],
        "DISABLED",
        "Redis instance",
        "does not encrypt traffic in transit",
    )
}
