//! AWS-IAM-002: IAM users carry no inline policies.

use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, text};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-002",
    name: "iam-user-no-inline-policies",
    title: "IAM users carry no inline policies",
    description: "Permissions embedded in a single user are hard to review and outlive the \
                  job they were granted for; grant them through groups or roles instead.",
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
        "aws_iam_user_policy",
        "aws:iam/userPolicy:UserPolicy",
        "aws_iam_user_policies_exclusive",
        "aws:iam/userPoliciesExclusive:UserPoliciesExclusive",
    ],
    remediation: "Move the statements into a managed policy attached to a group the user \
                  belongs to (or to a role the user assumes) and delete the inline policy.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every inline user policy (`aws_iam_user_policy`, Pulumi \
               `aws:iam/userPolicy:UserPolicy`) is a violation, whatever it grants. An \
               `aws_iam_user_policies_exclusive` (Pulumi \
               `aws:iam/userPoliciesExclusive:UserPoliciesExclusive`) violates when its \
               `policy_names` list names any inline policy, and passes when it pins the list \
               empty. A list known only after apply is indeterminate.",
        why: "CIS AWS Foundations 1.15 asks that users receive permissions only through groups. \
              Inline policies live on one identity, are invisible in the list of managed \
              policies, cannot be reused, and are easily forgotten when the user changes team. \
              Group (or role) based permissions keep access reviewable and revocable in one \
              place.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.UserPolicy("alice-s3", {
        user: alice.name,
        policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:*", Resource: "*" }] }),
    });

Terraform:

    resource "aws_iam_user_policy" "alice_s3" {
      user   = aws_iam_user.alice.name
      policy = data.aws_iam_policy_document.s3.json
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const readers = new aws.iam.Group("readers");
    new aws.iam.GroupPolicyAttachment("readers-s3", { group: readers.name, policyArn: s3Read.arn });
    new aws.iam.UserGroupMembership("alice", { user: alice.name, groups: [readers.name] });

Terraform:

    resource "aws_iam_group_policy_attachment" "readers_s3" {
      group      = aws_iam_group.readers.name
      policy_arn = aws_iam_policy.s3_read.arn
    }
    resource "aws_iam_user_group_membership" "alice" {
      user   = aws_iam_user.alice.name
      groups = [aws_iam_group.readers.name]
    }"#,
        fix: "Create a managed policy (`aws.iam.Policy` / `aws_iam_policy`) with the inline \
              policy's document, attach it to a group (`aws.iam.GroupPolicyAttachment` / \
              `aws_iam_group_policy_attachment`), add the user to the group, then remove the \
              `aws.iam.UserPolicy` / `aws_iam_user_policy`. With \
              `aws_iam_user_policies_exclusive`, set `policy_names` (Pulumi `policyNames`) to \
              an empty list.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 1.15 Ensure IAM Users Receive Permissions Only Through Groups",
            "AWS IAM User Guide: Managed policies and inline policies — https://docs.aws.amazon.com/IAM/latest/UserGuide/access_policies_managed-vs-inline.html",
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
    if canonical_type(&view.resource.type_) == "aws_iam_user_policy" {
        let user = text(view, "user")
            .ok()
            .flatten()
            .map(|u| format!(" on user `{u}`"))
            .unwrap_or_default();
        return Ok(Verdict::violation(Violation::new(format!(
            "user policy `{name}` is an inline policy{user}: grant permissions through a group \
             or role instead"
        ))));
    }
    let names: Vec<&str> = read(view, "policyNames")?
        .map(|list| list.items().filter_map(Value::as_str).collect())
        .unwrap_or_default();
    if names.is_empty() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "`{name}` keeps inline policies on an IAM user ({}): grant permissions through a \
             group or role instead",
            names
                .iter()
                .map(|n| format!("`{n}`"))
                .collect::<Vec<_>>()
                .join(", ")
        ))
        .at(at(view, "policyNames")),
    ))
}
