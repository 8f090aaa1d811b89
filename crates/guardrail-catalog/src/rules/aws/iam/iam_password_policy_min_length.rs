//! AWS-IAM-004: the account password policy requires passwords of at least 14 characters.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, read, with_unknown_kept};

/// The provider's default when `minimum_password_length` is not set.
const DEFAULT_LENGTH: i64 = 6;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-004",
    name: "iam-password-policy-min-length",
    title: "The IAM password policy requires passwords of at least 14 characters",
    description: "Short console passwords fall quickly to guessing and cracking; the account \
                  password policy should require at least 14 characters.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "authentication"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["1.8"],
        },
        Control {
            framework: "pci-dss",
            controls: &["8.3.6"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.17"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.308(a)(5)(ii)(D)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-5"],
        },
    ]),
    resource_types: &[
        "aws_iam_account_password_policy",
        "aws:iam/accountPasswordPolicy:AccountPasswordPolicy",
    ],
    remediation: "Set `minimum_password_length` (Pulumi `minimumPasswordLength`) to 14 or more.",
    fix: FixSafety::Safe,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "The account password policy (`aws_iam_account_password_policy`, Pulumi \
               `aws:iam/accountPasswordPolicy:AccountPasswordPolicy`): `minimum_password_length` \
               (Pulumi `minimumPasswordLength`) must be at least `minimumLength` (default 14, \
               the CIS value). Not set means the provider's default of 6, a violation. A value \
               known only after apply is indeterminate.",
        why: "Every character multiplies the work of guessing and of cracking a leaked hash. \
              CIS AWS Foundations 1.8 asks for 14 characters; PCI DSS 4.0 8.3.6 for at least \
              12. Console passwords of IAM users are a standing way into the account, so the \
              policy that governs them matters.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", { minimumPasswordLength: 8 });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length = 8
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", { minimumPasswordLength: 14 });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length = 14
    }"#,
        fix: "Set `minimumPasswordLength: 14` (Pulumi) or `minimum_password_length = 14` \
              (Terraform), or the configured `minimumLength`. Under `remediate` guardrail sets it. \
              Existing passwords keep working; the rule applies when users next change them.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 1.8 Ensure IAM password policy requires minimum length of 14 or greater",
            "AWS IAM User Guide: Setting an account password policy for IAM users — https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
            "PCI DSS v4.0: 8.3.6",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "minimumLength": {
                "description": "The shortest password length the policy must require.",
                "type": "integer",
                "minimum": 6,
                "maximum": 128,
                "default": 14
            }
        }
    })
}

fn wanted(config: &serde_json::Value) -> Result<i64, Halt> {
    config_int(config, "minimumLength", "an integer")
}

fn length(view: ResourceView<'_>) -> Result<i64, Halt> {
    Ok(read(view, "minimumPasswordLength")?
        .and_then(Value::as_i64)
        .unwrap_or(DEFAULT_LENGTH))
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = wanted(config)?;
    let got = length(view)?;
    if got >= minimum {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "password policy `{}` allows passwords of {}; require at least {minimum}",
            view.resource.name,
            guardrail_core::plural(got, "character", "characters")
        ))
        .at(at(view, "minimumPasswordLength")),
    ))
}

fn remediate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let minimum = wanted(config)?;
    if length(view)? >= minimum {
        return Ok(None);
    }
    Ok(Some(with_unknown_kept(
        view,
        "minimumPasswordLength",
        Value::from(minimum),
    )))
}
