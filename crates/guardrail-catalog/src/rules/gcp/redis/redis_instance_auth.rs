//! GCP-REDIS-001: Memorystore for Redis instances require AUTH.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-REDIS-001",
    name: "redis-instance-auth",
    title: "Memorystore for Redis instances require AUTH",
    description: "Without AUTH any client that reaches the instance's address can read and change every key.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["redis"],
    topics: &["access-control"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.5"] },
        Control { framework: "nist-800-53", controls: &["IA-2", "AC-3"] },
    ]),
    resource_types: &["google_redis_instance", "gcp:redis/instance:Instance"],
    remediation: "Set `auth_enabled = true` (Pulumi `authEnabled: true`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Memorystore for Redis instances (`google_redis_instance`, Pulumi `gcp:redis/instance:Instance`): `auth_enabled` must be true. Unset means false and is a violation; a value known only after apply is indeterminate.",
        why: "Network reachability is all Redis checks by default; any compromised pod or VM in the VPC can then read sessions and tokens. AUTH adds a credential that must be stolen as well.",
        noncompliant: r#"Terraform:

    resource "google_redis_instance" "sessions" {
      name           = "sessions"
      memory_size_gb = 1
    }"#,
        compliant: r#"Terraform:

    resource "google_redis_instance" "sessions" {
      name           = "sessions"
      memory_size_gb = 1
      auth_enabled   = true
    }"#,
        fix: "Set `auth_enabled = true` and give clients the AUTH string from Secret Manager. No automatic fix: clients without it are cut off.",
        references: &["Google Cloud: About Redis AUTH — https://cloud.google.com/memorystore/docs/redis/about-redis-auth"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    support::gcp::bool_setting(
        view,
        "authEnabled",
        true,
        false,
        "Redis instance",
        "does not require AUTH",
    )
}
