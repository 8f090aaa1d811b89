//! GCP-SQL-003: Cloud SQL instances do not authorize the whole internet.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-SQL-003",
    name: "sql-instance-no-world-authorized-network",
    title: "Cloud SQL instances do not authorize the whole internet",
    description: "An authorized network of `0.0.0.0/0` lets every address on the internet connect to the instance's public IP.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["sql"],
    topics: &["network"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["6.5"] },
        Control { framework: "pci-dss", controls: &["1.3.1"] },
        Control { framework: "soc2", controls: &["CC6.6"] },
        Control { framework: "iso27001", controls: &["A.8.20"] },
        Control { framework: "nist-800-53", controls: &["SC-7", "AC-3"] },
    ]),
    resource_types: &["google_sql_database_instance", "gcp:sql/databaseInstance:DatabaseInstance"],
    remediation: "Remove `0.0.0.0/0` from `authorized_networks`; list the client ranges or use the Cloud SQL Auth Proxy.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud SQL instances (`google_sql_database_instance`, Pulumi `gcp:sql/databaseInstance:DatabaseInstance`): no entry of `settings.ip_configuration.authorized_networks` (Pulumi `settings.ipConfiguration.authorizedNetworks`) may have a `value` that covers every address (`0.0.0.0/0`, or any `/0`). Each is one violation; values known only after apply are indeterminate.",
        why: "Authorized networks are the only network control on a public Cloud SQL address. With `0.0.0.0/0` the database answers every scanner, and a weak or leaked password is all that stands between it and the internet.",
        noncompliant: r#"Terraform:

    settings {
      ip_configuration {
        authorized_networks {
          name  = "anywhere"
          value = "0.0.0.0/0"
        }
      }
    }"#,
        compliant: r#"Terraform:

    settings {
      ip_configuration {
        authorized_networks {
          name  = "office"
          value = "198.51.100.0/24"
        }
      }
    }"#,
        fix: "List only the client ranges that need the database, or drop the public IP and use private IP or the Cloud SQL Auth Proxy, which authenticates with IAM instead of addresses.",
        references: &["Google Cloud: Authorize with authorized networks — https://cloud.google.com/sql/docs/postgres/authorize-networks", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 6.5"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let base = support::at(view, "settings.ipConfiguration.authorizedNetworks");
    let Some(list) = support::read(view, "settings.ipConfiguration.authorizedNetworks")? else {
        return Ok(Verdict::Pass);
    };
    let spelling = view.resource.spelling;
    let mut violations = Vec::new();
    for (path, entry) in support::items_at(list, &base)? {
        let value_path = support::join(spelling, &path, "value");
        let value = entry
            .field("value")
            .map_err(|_| Halt::unknown(value_path.clone()))?
            .and_then(Value::as_str);
        if value.is_some_and(support::is_world_cidr) {
            let shown = support::gcp::shown_at(view, &value_path, value.unwrap_or_default());
            violations.push(
                Violation::new(format!(
                    "{} accepts connections from `{shown}`, the whole internet",
                    support::who(view, "Cloud SQL instance")
                ))
                .at(value_path),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}
