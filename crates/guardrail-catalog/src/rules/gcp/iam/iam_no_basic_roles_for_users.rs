//! GCP-IAM-004: People are not granted the basic Owner or Editor roles on the project.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-004",
    name: "iam-no-basic-roles-for-users",
    title: "People are not granted the basic Owner or Editor roles on the project",
    description: "The basic roles carry thousands of permissions across every service; people should hold predefined roles for the work they do.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["access-control", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6", "AC-6(7)"] },
    ]),
    resource_types: &["google_project_iam_member", "gcp:projects/iAMMember:IAMMember", "google_project_iam_binding", "gcp:projects/iAMBinding:IAMBinding", "google_project_iam_policy", "gcp:projects/iAMPolicy:IAMPolicy"],
    remediation: "Grant a narrower predefined or custom role, or grant it on the single resource that needs it.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Project IAM members, bindings and policies whose members include a `user:`, `group:` or `domain:` principal: the role may not be `roles/owner` or `roles/editor`. Values known only after apply are indeterminate.",
        why: "Owner and Editor cover every current and future service, so their holders can read any data and change anything. Least privilege, and the reviews that prove it, start with replacing them by predefined roles.",
        noncompliant: r#"Terraform:

    resource "google_project_iam_member" "ana" {
      project = "acme-prod"
      role    = "roles/editor"
      member  = "user:ana@acme.example"
    }"#,
        compliant: r#"Terraform:

    resource "google_project_iam_member" "ana" {
      project = "acme-prod"
      role    = "roles/cloudsql.client"
      member  = "user:ana@acme.example"
    }"#,
        fix: "Grant predefined roles matching the person's duties, through groups; keep Owner for a break-glass account outside day-to-day use.",
        references: &["Google Cloud: Basic roles — https://cloud.google.com/iam/docs/roles-overview#basic"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    // The role first: a grant of another role passes whoever its members are.
    let roles = support::gcp::iam_roles(view)?;
    let found: Vec<&String> = roles
        .iter()
        .filter(|role| {
            let role = role.trim();
            matches!(role, "roles/owner" | "roles/editor")
        })
        .collect();
    let Some(role) = found.first() else {
        return Ok(Verdict::Pass);
    };
    let members = support::gcp::iam_members(view)?;
    let concerned = members.iter().any(|(_, member, _)| {
        let member = member.trim();
        ["user:", "group:", "domain:"]
            .iter()
            .any(|p| member.starts_with(p))
    });
    if !concerned {
        return Ok(Verdict::Pass);
    }
    let path = if support::gcp::text_at(view, "role")?.is_some() {
        support::at(view, "role")
    } else {
        support::at(view, "policyData")
    };
    let shown = Value::string(role.trim())
        .tainted_if(view.secret_at("role") || view.secret_at("policyData"))
        .shown()
        .to_string();
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} grants the basic role `{shown}`",
            support::who(view, "project IAM resource")
        ))
        .at(path),
    ))
}
