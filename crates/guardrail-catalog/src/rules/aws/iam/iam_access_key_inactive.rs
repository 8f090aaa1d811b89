//! AWS-IAM-009: IAM users are not given long-lived access keys.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-009",
    name: "iam-access-key-inactive",
    title: "IAM users are not given active long-lived access keys",
    description: "Access keys are long-lived secrets that leak through code, logs and laptops; \
                  workloads should use roles and people should use federated or SSO sign-in.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "secrets"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.6.3"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.17", "A.8.5"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-5", "AC-2"],
        },
    ]),
    resource_types: &["aws_iam_access_key", "aws:iam/accessKey:AccessKey"],
    remediation: "Use an IAM role (instance profile, task role, IRSA, OIDC federation for CI) \
                  instead of an access key, or set the key's `status` to `Inactive`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every IAM access key (`aws_iam_access_key`, Pulumi `aws:iam/accessKey:AccessKey`) \
               whose `status` is `Active` — the default when not set — is a violation; a key \
               with `status = \"Inactive\"` passes. A status known only after apply is \
               indeterminate. The rule cannot see a key's age (that needs the live IAM API), so \
               it discourages creating keys from code at all.",
        why: "An access key works from anywhere until someone deletes it. Keys created by \
              infrastructure code also land in state files and program outputs. Temporary \
              credentials from roles expire on their own; CIS AWS Foundations 1.11 to 1.14 and \
              the AWS IAM best practices all steer away from long-lived user keys.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.AccessKey("ci", { user: ciUser.name });

Terraform:

    resource "aws_iam_access_key" "ci" {
      user = aws_iam_user.ci.name
    }"#,
        compliant: r#"Pulumi (TypeScript):

    // CI assumes a role through OIDC federation; no key is created.
    new aws.iam.AccessKey("ci-retired", { user: ciUser.name, status: "Inactive" });

Terraform:

    resource "aws_iam_access_key" "ci_retired" {
      user   = aws_iam_user.ci.name
      status = "Inactive"
    }"#,
        fix: "Give the workload a role: an instance profile, an ECS task role, EKS IAM roles for \
              service accounts, or OIDC federation for CI (`aws.iam.OpenIdConnectProvider` / \
              `aws_iam_openid_connect_provider`). Then deactivate (`status: \"Inactive\"` / \
              `status = \"Inactive\"`) and delete the key.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 1.11 to 1.14 (access keys)",
            "AWS IAM User Guide: Require workloads to use temporary credentials — https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
            "AWS IAM User Guide: Managing access keys for IAM users — https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_access-keys.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let status = text(view, "status")?.unwrap_or("Active");
    if status.eq_ignore_ascii_case("Inactive") {
        return Ok(Verdict::Pass);
    }
    let user = text(view, "user")?
        .map(|u| format!(" for IAM user `{u}`"))
        .unwrap_or_default();
    Ok(Verdict::violation(
        Violation::new(format!(
            "access key `{}` creates an active long-lived key{user}; use a role or federation",
            view.resource.name
        ))
        .at(at(view, "status")),
    ))
}
