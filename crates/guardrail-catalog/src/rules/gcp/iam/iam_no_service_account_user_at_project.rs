//! GCP-IAM-002: Service Account User and Token Creator are not granted on the whole project.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-IAM-002",
    name: "iam-no-service-account-user-at-project",
    title: "Service Account User and Token Creator are not granted on the whole project",
    description: "Granted at project level, these roles let a principal act as every service account in the project, including the most privileged one.",
    severity: Severity::High,
    enforcement: Enforcement::Advisory,
    vendor: "gcp",
    services: &["iam"],
    topics: &["access-control", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["1.6"] },
        Control { framework: "soc2", controls: &["CC6.3"] },
        Control { framework: "iso27001", controls: &["A.8.2"] },
        Control { framework: "nist-800-53", controls: &["AC-6"] },
    ]),
    resource_types: &["google_project_iam_member", "gcp:projects/iAMMember:IAMMember", "google_project_iam_binding", "gcp:projects/iAMBinding:IAMBinding", "google_project_iam_policy", "gcp:projects/iAMPolicy:IAMPolicy"],
    remediation: "Grant a narrower predefined or custom role, or grant it on the single resource that needs it.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Project IAM members, bindings and policies (`google_project_iam_member`, `_binding`, `_policy`, Pulumi `gcp:projects/iAM*`): the role may not be `roles/iam.serviceAccountUser` or `roles/iam.serviceAccountTokenCreator`. Roles known only after apply are indeterminate.",
        why: "Impersonating a service account gives its permissions. At project level the grant covers every service account there now and later, so a developer who needed to deploy one function can act as the project's owner account.",
        noncompliant: r#"Terraform:

    resource "google_project_iam_member" "deployer" {
      project = "acme-prod"
      role    = "roles/iam.serviceAccountUser"
      member  = "user:dev@acme.example"
    }"#,
        compliant: r#"Terraform:

    resource "google_service_account_iam_member" "deployer" {
      service_account_id = google_service_account.app.name
      role               = "roles/iam.serviceAccountUser"
      member             = "user:dev@acme.example"
    }"#,
        fix: "Grant the role on the one service account that is needed (`google_service_account_iam_member`) instead of the project.",
        references: &["Google Cloud: Service account impersonation — https://cloud.google.com/iam/docs/service-account-impersonation", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 1.6"],
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
            matches!(
                role,
                "roles/iam.serviceAccountUser" | "roles/iam.serviceAccountTokenCreator"
            )
        })
        .collect();
    let Some(role) = found.first() else {
        return Ok(Verdict::Pass);
    };
    let members = support::gcp::iam_members(view)?;
    let concerned = members.iter().any(|(_, member, _)| {
        let member = member.trim();
        !member.is_empty()
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
            "{} lets its members act as any service account with `{shown}`",
            support::who(view, "project IAM resource")
        ))
        .at(path),
    ))
}
