//! AWS-IAM-003: managed policies are not attached directly to IAM users.

use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, text};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-003",
    name: "iam-user-no-attached-policies",
    title: "Managed policies are attached to groups or roles, not directly to users",
    description: "A policy attached straight to a user bypasses group-based access management; \
                  attach it to a group the user belongs to, or to a role.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["1.15"],
        },
        Control {
            framework: "pci-dss",
            controls: &["7.2.2"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.18"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-2", "AC-6"],
        },
    ]),
    resource_types: &[
        "aws_iam_user_policy_attachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws_iam_policy_attachment",
        "aws:iam/policyAttachment:PolicyAttachment",
    ],
    remediation: "Attach the policy to a group (`aws_iam_group_policy_attachment`) and add the \
                  user to the group, or have the user assume a role that holds it.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_iam_user_policy_attachment` (Pulumi \
               `aws:iam/userPolicyAttachment:UserPolicyAttachment`) is a violation. An \
               `aws_iam_policy_attachment` (Pulumi `aws:iam/policyAttachment:PolicyAttachment`) \
               violates when its `users` list is not empty; attachments to `groups` and `roles` \
               only pass. A `users` list known only after apply is indeterminate.",
        why: "CIS AWS Foundations 1.15: users should receive permissions only through groups. \
              Per-user attachments multiply the places access must be reviewed and are the ones \
              left behind when people change roles. (`aws_iam_policy_attachment` also manages \
              the policy's attachments exclusively across the account, which surprises many \
              teams; prefer the per-principal attachment resources.)",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.UserPolicyAttachment("alice-read", { user: alice.name, policyArn: readOnly.arn });

Terraform:

    resource "aws_iam_user_policy_attachment" "alice_read" {
      user       = aws_iam_user.alice.name
      policy_arn = aws_iam_policy.read_only.arn
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.GroupPolicyAttachment("readers", { group: readers.name, policyArn: readOnly.arn });

Terraform:

    resource "aws_iam_group_policy_attachment" "readers" {
      group      = aws_iam_group.readers.name
      policy_arn = aws_iam_policy.read_only.arn
    }"#,
        fix: "Replace the user attachment with a group attachment (`aws.iam.GroupPolicyAttachment` \
              / `aws_iam_group_policy_attachment`) and a group membership \
              (`aws.iam.UserGroupMembership` / `aws_iam_user_group_membership`); for \
              `aws_iam_policy_attachment`, move the names from `users` into `groups`.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 1.15 Ensure IAM Users Receive Permissions Only Through Groups",
            "AWS IAM User Guide: IAM user groups — https://docs.aws.amazon.com/IAM/latest/UserGuide/id_groups.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let name = &view.resource.name;
    if canonical_type(&view.resource.type_) == "aws_iam_user_policy_attachment" {
        let user = text(view, "user")
            .ok()
            .flatten()
            .map(|u| format!(" `{u}`"))
            .unwrap_or_default();
        return Ok(Verdict::violation(
            Violation::new(format!(
                "`{name}` attaches a policy directly to IAM user{user}: attach it to a group or \
                 role instead"
            ))
            .at(at(view, "user")),
        ));
    }
    let users: Vec<&str> = read(view, "users")?
        .map(|list| list.items().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if users.is_empty() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "policy attachment `{name}` attaches the policy directly to IAM users ({}): attach it \
             to groups or roles instead",
            users
                .iter()
                .map(|u| format!("`{u}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .at(at(view, "users")),
    ))
}
