//! GCP-SQL-002: Cloud SQL instances have no public IP address.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-002",
    name: "sql-instance-no-public-ip",
    title: "Cloud SQL instances have no public IP address",
    description: "A public IPv4 address puts the database on the internet, guarded only by authorized networks and passwords.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.6"] },
        Control { framework: "pci-dss", controls: &["1.4.4"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Set `settings.ip_configuration.ipv4_enabled = false` and connect through a private network.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): `settings.ip_configuration.ipv4_enabled` (Pulumi `settings.ipConfiguration.ipv4Enabled`) must be false. Unset means true (a public address) and is a violation; a value known only after apply is indeterminate.",
        why: "Databases hold the data attackers want. A private IP in your VPC, reached by applications inside it or through the Cloud SQL Auth Proxy, removes the database from internet scans altogether.",
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
          ipv4_enabled    = false
          private_network = google_compute_network.prod.id
        }
      }
    }"#,
        fix: "Set up private services access for the VPC, add `private_network` and set `ipv4_enabled = false`. No automatic fix: clients that use the public address must move first.",
        references: &["Google Cloud: Configure private IP — https://cloud.google.com/sql/docs/postgres/configure-private-ip", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.6"],
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
        "settings.ipConfiguration.ipv4Enabled",
        false,
        true,
        "Cloud SQL instance",
        "has a public IP address",
    )
}
