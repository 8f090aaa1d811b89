//! GCP-LOGGING-002: Project audit logging records data reads and writes for all services without exemptions.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-LOGGING-002",
    name: "logging-audit-config-all-services",
    title: "Project audit logging records data reads and writes for all services without exemptions",
    description: "Data Access audit logs are off by default; the project's `allServices` audit config should turn on reads and writes and exempt nobody.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["logging"],
    topics: &["logging"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["2.1"] },
        Control { framework: "pci-dss", controls: &["10.2.1"] },
        Control { framework: "soc2", controls: &["CC7.2"] },
        Control { framework: "iso27001", controls: &["A.8.15"] },
        Control { framework: "nist-800-53", controls: &["AU-2", "AU-12"] },
        Control { framework: "hipaa", controls: &["164.312(b)"] },
    ]),
    resource_types: &["google_project_iam_audit_config", "gcp:projects/iAMAuditConfig:IAMAuditConfig"],
    remediation: "List `DATA_READ` and `DATA_WRITE` (and `ADMIN_READ`) in `audit_log_config`, with no `exempted_members`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Project audit configs (`google_project_iam_audit_config`, Pulumi `gcp:projects/iAMAuditConfig:IAMAuditConfig`) for `service = \"allServices\"`: `audit_log_config` (Pulumi `auditLogConfigs`) must include log types `DATA_READ` and `DATA_WRITE`, and no entry may list `exempted_members`. Configs for a single service are not applicable; values known only after apply are indeterminate.",
        why: "Admin activity is always logged, but who read which object, row or secret is not, unless Data Access logs are on. Exempting a user creates exactly the blind spot an insider would want.",
        noncompliant: r#"Terraform:

    resource "google_project_iam_audit_config" "all" {
      project = "acme-prod"
      service = "allServices"
      audit_log_config {
        log_type         = "DATA_READ"
        exempted_members = ["user:etl@acme.example"]
      }
    }"#,
        compliant: r#"Terraform:

    resource "google_project_iam_audit_config" "all" {
      project = "acme-prod"
      service = "allServices"
      audit_log_config { log_type = "ADMIN_READ" }
      audit_log_config { log_type = "DATA_READ" }
      audit_log_config { log_type = "DATA_WRITE" }
    }"#,
        fix: "Add the missing log types and remove `exempted_members`; control cost with exclusion filters on the log sink rather than exemptions.",
        references: &["Google Cloud: Configure Data Access audit logs — https://cloud.google.com/logging/docs/audit/configure-data-access", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 2.1"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    match support::gcp::text_at(view, "service")? {
        Some("allServices") => {}
        _ => return Ok(Verdict::not_applicable("an audit config for one service")),
    }
    let spelling = view.resource.spelling;
    let mut types = Vec::new();
    let mut violations = Vec::new();
    for (path, entry) in support::items_of(view, &["auditLogConfigs", "auditLogConfig"])? {
        let type_path = support::join(spelling, &path, "logType");
        if let Some(kind) = entry
            .field("logType")
            .map_err(|_| Halt::unknown(type_path))?
            .and_then(Value::as_str)
        {
            types.push(kind.trim().to_ascii_uppercase());
        }
        let exempt_path = support::join(spelling, &path, "exemptedMembers");
        let exempted = entry
            .field("exemptedMembers")
            .map_err(|_| Halt::unknown(exempt_path.clone()))?;
        if exempted.is_some_and(|list| list.items().next().is_some()) {
            violations.push(
                Violation::new(format!(
                    "{} exempts members from audit logging",
                    support::who(view, "audit config")
                ))
                .at(exempt_path),
            );
        }
    }
    let missing: Vec<String> = ["DATA_READ", "DATA_WRITE"]
        .iter()
        .filter(|t| !types.iter().any(|k| k == *t))
        .map(|t| format!("`{t}`"))
        .collect();
    if !missing.is_empty() {
        violations.push(
            Violation::new(format!(
                "{} does not log {}",
                support::who(view, "audit config"),
                support::join_words(&missing)
            ))
            .at(
                support::read_first_at(view, &["auditLogConfigs", "auditLogConfig"])?
                    .map_or_else(|| support::at(view, "auditLogConfigs"), |(_, path)| path),
            ),
        );
    }
    Ok(Verdict::from_violations(violations))
}
