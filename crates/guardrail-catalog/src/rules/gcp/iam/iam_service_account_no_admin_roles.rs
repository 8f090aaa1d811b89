//! GCP-IAM-003: Service accounts hold no Owner, Editor or admin roles on the project.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-003",
    name: "iam-service-account-no-admin-roles",
    title: "Service accounts hold no Owner, Editor or admin roles on the project",
    description: "A service account with a basic or admin role turns one leaked key or compromised workload into control over the project.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["access-control", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.5"] },
        Control { framework: "pci-dss", controls: &["7.2.2"] },
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_project_iam_member", "gcp:projects/iAMMember:IAMMember", "google_project_iam_binding", "gcp:projects/iAMBinding:IAMBinding", "google_project_iam_policy", "gcp:projects/iAMPolicy:IAMPolicy"],
    remediation: "Grant a narrower predefined or custom role, or grant it on the single resource that needs it.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Project IAM members, bindings and policies whose members include a `serviceAccount:` principal: the role may not be `roles/owner`, `roles/editor` or a role whose name ends in `Admin`/`admin`. Grants to people only are not checked by this rule; values known only after apply are indeterminate.",
        why: "Workloads are where credentials leak: keys in repositories, tokens from a metadata server reached by request forgery. A workload identity needs the few permissions its code uses; Owner, Editor and admin roles let an attacker create keys, change IAM and delete data.",
        noncompliant: r#"Terraform:

    resource "google_project_iam_member" "ci" {
      project = "acme-prod"
      role    = "roles/editor"
      member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"
    }"#,
        compliant: r#"Terraform:

    resource "google_project_iam_member" "ci" {
      project = "acme-prod"
      role    = "roles/run.developer"
      member  = "serviceAccount:ci@acme-prod.iam.gserviceaccount.com"
    }"#,
        fix: "Replace the role with the predefined roles the workload needs (IAM Recommender lists the permissions it actually used), or a custom role.",
        references: &["Google Cloud: Best practices for using service accounts — https://cloud.google.com/iam/docs/best-practices-service-accounts", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.5"],
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
                || role.to_ascii_lowercase().ends_with("admin")
        })
        .collect();
    let Some(role) = found.first() else {
        return Ok(Verdict::Pass);
    };
    let members = support::gcp::iam_members(view)?;
    let concerned = members.iter().any(|(_, member, _)| {
        let member = member.trim();
        member.starts_with("serviceAccount:")
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
            "{} gives a service account `{shown}`",
            support::who(view, "project IAM resource")
        ))
        .at(path),
    ))
}
