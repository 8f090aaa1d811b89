//! AWS-IAM-001: IAM policies do not grant full administrative privileges (`*` on `*`).

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use super::{noun, permission_documents};
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{allows, known_strings, statements};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-001",
    name: "iam-policy-no-full-admin",
    title: "IAM policies do not allow every action on every resource",
    description: "A policy statement that allows `*` (or `*:*`) actions on `*` resources grants \
                  full administrative control of the account to whoever holds it.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["1.16"],
        },
        Control {
            framework: "pci-dss",
            controls: &["7.2.1", "7.2.2"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1", "CC6.3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.15", "A.8.2"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6", "AC-3"],
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
    remediation: "Replace the `*` action and resource with the actions and resources the holder \
                  needs; keep account administration to a few break-glass roles.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The permission documents of managed policies (`aws_iam_policy`), inline role, \
               user and group policies (`aws_iam_role_policy`, `aws_iam_user_policy`, \
               `aws_iam_group_policy`) and the `inline_policy` blocks of roles (Pulumi \
               `inlinePolicies`). The `policy` may be a JSON string (Terraform, `JSON.stringify` \
               in Pulumi) or an object (a Pulumi literal); both are read. A statement violates \
               when its `Effect` is `Allow`, its `Action` is or contains `*` or `*:*`, and its \
               `Resource` is or contains `*`. Each such statement is a violation at the \
               document's property. A document known only after apply is indeterminate; text \
               that is not JSON is skipped. A role's `inline_policy` that the program does not \
               set is computed by the provider and is not read.",
        why: "A `*:*` statement is account administration: its holder can read every secret, \
              delete every resource, create users and keys for later, and switch off CloudTrail \
              to hide it. When credentials holding it leak or an application holding it is \
              compromised, the blast radius is the whole account. Least privilege starts with \
              keeping such grants out of ordinary policies; CIS AWS Foundations 1.16 asks for \
              exactly this.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.Policy("ops", {
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: "*", Resource: "*" }],
        }),
    });

Terraform:

    resource "aws_iam_policy" "ops" {
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = "*", Resource = "*" }]
      })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.Policy("ops", {
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: [bucket.arn.apply(a => `${a}/*`)] }],
        }),
    });

Terraform:

    resource "aws_iam_policy" "ops" {
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["${aws_s3_bucket.data.arn}/*"] }]
      })
    }"#,
        fix: "List the actions the holder needs (IAM Access Analyzer can generate a policy from \
              CloudTrail activity) and scope `Resource` to the ARNs it works on, in the \
              `policy` of the Pulumi resource or the `jsonencode` of the Terraform one. Where \
              an administrator role is really needed, attach the AWS managed \
              `AdministratorAccess` policy to one role assumed with MFA, not to workloads.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 1.16 Ensure IAM policies that allow full \"*:*\" administrative privileges are not attached",
            "AWS IAM User Guide: Security best practices in IAM — https://docs.aws.amazon.com/IAM/latest/UserGuide/best-practices.html",
            "AWS IAM Access Analyzer policy generation — https://docs.aws.amazon.com/IAM/latest/UserGuide/access-analyzer-policy-generation.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn is_any(values: &[&str]) -> bool {
    values.iter().any(|v| matches!(v.trim(), "*" | "*:*"))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut violations = Vec::new();
    let mut unknown = None;
    for document in permission_documents(view)? {
        for (i, stmt) in statements(&document.doc).into_iter().enumerate() {
            let decided = (|| -> Result<bool, ()> {
                Ok(allows(stmt)?
                    && is_any(&known_strings(stmt, "Action")?)
                    && is_any(&known_strings(stmt, "Resource")?))
            })();
            match decided {
                Ok(true) => violations.push(
                    Violation::new(format!(
                        "{} `{}` allows every action on every resource (statement {}): full \
                         administrative access",
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
