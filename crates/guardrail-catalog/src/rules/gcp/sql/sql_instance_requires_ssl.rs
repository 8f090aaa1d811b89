//! GCP-SQL-001: Cloud SQL instances accept only encrypted connections.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-001",
    name: "sql-instance-requires-ssl",
    title: "Cloud SQL instances accept only encrypted connections",
    description: "Unless the instance requires TLS, clients can connect in clear text and send passwords and data readable on the network path.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["encryption", "network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.4"] },
        Control { framework: "pci-dss", controls: &["4.2.1"] },
        Control { framework: "soc2", controls: &["CC6.7"] },
        Control { framework: "iso27001", controls: &["A.8.24"] },
        Control { framework: "nist-800-53", controls: &["SC-8"] },
        Control { framework: "hipaa", controls: &["164.312(e)(1)"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Set `settings.ip_configuration.ssl_mode = \"ENCRYPTED_ONLY\"` (or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): `settings.ip_configuration.ssl_mode` (Pulumi `settings.ipConfiguration.sslMode`) must be `ENCRYPTED_ONLY` or `TRUSTED_CLIENT_CERTIFICATE_REQUIRED`, or the older `require_ssl` must be true. Unset means `ALLOW_UNENCRYPTED_AND_ENCRYPTED` and is a violation; a value known only after apply is indeterminate.",
        why: "Connections from applications, peered networks or the Cloud SQL Auth Proxy's absence may cross networks you do not control. Requiring TLS means a misconfigured client fails loudly instead of sending credentials in clear text.",
        noncompliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_sql_database_instance" "orders" {
      database_version = "POSTGRES_16"
      settings {
        tier = "db-custom-2-7680"
        ip_configuration {
          ssl_mode = "ENCRYPTED_ONLY"
        }
      }
    }"#,
        fix: "Set `ssl_mode = \"ENCRYPTED_ONLY\"` in `settings.ip_configuration` after checking that every client connects with TLS (the Cloud SQL connectors and Auth Proxy do). No automatic fix: clients without TLS would be cut off.",
        references: &["Google Cloud: Configure SSL/TLS certificates — https://cloud.google.com/sql/docs/postgres/configure-ssl-instance", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.4"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if support::flag(view, "settings.ipConfiguration.requireSsl")? == Some(true) {
        return Ok(Verdict::Pass);
    }
    support::gcp::one_of(
        view,
        "settings.ipConfiguration.sslMode",
        &["ENCRYPTED_ONLY", "TRUSTED_CLIENT_CERTIFICATE_REQUIRED"],
        "ALLOW_UNENCRYPTED_AND_ENCRYPTED",
        "Cloud SQL instance",
        "accepts unencrypted connections",
    )
}
