//! AWS-IAM-010: IAM policies do not allow with `NotAction`.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use super::{noun, permission_documents};
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{allows, statements};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-010",
    name: "iam-policy-no-allow-not-action",
    title: "IAM policies do not combine Allow with NotAction",
    description: "An `Allow` with `NotAction` grants every action except those listed, \
                  including every action AWS adds later; it is almost always broader than meant.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
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
            controls: &["A.8.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6"],
        },
    ]),
    resource_types: &[
        "aws_iam_policy",
        "aws:iam/policy:Policy",
        "aws_iam_role_policy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws_iam_user_policy",
        "aws:iam/userPolicy:UserPolicy",
        "aws_iam_group_policy",
        "aws:iam/groupPolicy:GroupPolicy",
        "aws_iam_role",
        "aws:iam/role:Role",
    ],
    remediation: "List the allowed actions in `Action`; use a separate `Deny` statement for the \
                  exceptions.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The same permission documents as AWS-IAM-001: managed policies, inline role, \
               user and group policies and role `inline_policy` blocks (Pulumi \
               `inlinePolicies`), as JSON strings or Pulumi objects. A statement with `Effect` \
               `Allow` and a `NotAction` element is a violation. `Deny` with `NotAction` (a \
               common guard rail) passes. An `Effect` known only after apply is indeterminate.",
        why: "`Allow` + `NotAction: iam:*` reads like \"everything but IAM\" and is: every other \
              service, every data plane action, every action released after the policy was \
              written. Such statements are a frequent route to unintended administrative \
              access (for example `sts:AssumeRole` into stronger roles, or `kms:Decrypt` of \
              everything).",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.Policy("power", {
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", NotAction: "iam:*", Resource: "*" }] }),
    });

Terraform:

    resource "aws_iam_policy" "power" {
      policy = jsonencode({ Statement = [{ Effect = "Allow", NotAction = "iam:*", Resource = "*" }] })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.Policy("power", {
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Action: ["ec2:Describe*", "s3:Get*"], Resource: "*" }] }),
    });

Terraform:

    resource "aws_iam_policy" "power" {
      policy = jsonencode({ Statement = [{ Effect = "Allow", Action = ["ec2:Describe*", "s3:Get*"], Resource = "*" }] })
    }"#,
        fix: "Rewrite the statement with an explicit `Action` list in the Pulumi `policy` or the \
              Terraform `jsonencode`; if exceptions matter, add a `Deny` statement for them.",
        references: &[
            "AWS IAM User Guide: IAM JSON policy elements: NotAction — https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_notaction.html",
            "AWS IAM User Guide: Grant least privilege — https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut violations = Vec::new();
    let mut unknown = None;
    for document in permission_documents(view)? {
        for (i, stmt) in statements(&document.doc).into_iter().enumerate() {
            if stmt.get("NotAction").is_none() {
                continue;
            }
            match allows(stmt) {
                Ok(true) => violations.push(
                    Violation::new(format!(
                        "{} `{}` allows every action except those in `NotAction` (statement \
                         {}); list the allowed actions instead",
                        noun(view),
                        view.resource.name,
                        i + 1
                    ))
                    .at(document.path.clone()),
                ),
                Ok(false) => {}
                Err(()) => {
                    unknown.get_or_insert_with(|| document.path.clone());
                }
            }
        }
    }
    match (violations.is_empty(), unknown) {
        (true, Some(path)) => Err(Halt::unknown(path)),
        _ => Ok(Verdict::from_violations(violations)),
    }
}
