//! AWS-IAM-005: the account password policy prevents reusing recent passwords.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, read, with_unknown_kept};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-005",
    name: "iam-password-policy-reuse-prevention",
    title: "The IAM password policy prevents reuse of the last 24 passwords",
    description: "Without reuse prevention a user can rotate back to a password that has \
                  already leaked; the password policy should remember the last 24.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "authentication"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["1.9"],
        },
        Control {
            framework: "pci-dss",
            controls: &["8.3.7"],
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
    remediation: "Set `password_reuse_prevention` (Pulumi `passwordReusePrevention`) to 24.",
    fix: FixSafety::Safe,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "The account password policy (`aws_iam_account_password_policy`, Pulumi \
               `aws:iam/accountPasswordPolicy:AccountPasswordPolicy`): \
               `password_reuse_prevention` (Pulumi `passwordReusePrevention`) must be at least \
               `minimumReuse` (default 24, the CIS value and the AWS maximum). Not set means \
               reuse is allowed, a violation. A value known only after apply is indeterminate.",
        why: "Password rotation is pointless if the old password comes straight back. CIS AWS \
              Foundations 1.9 asks that the policy remember 24 passwords; PCI DSS 4.0 8.3.7 \
              forbids reuse of any of the last four.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", { minimumPasswordLength: 14 });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length   = 14
      password_reuse_prevention = 3
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", { minimumPasswordLength: 14, passwordReusePrevention: 24 });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length   = 14
      password_reuse_prevention = 24
    }"#,
        fix: "Set `passwordReusePrevention: 24` (Pulumi) or `password_reuse_prevention = 24` \
              (Terraform), or the configured `minimumReuse`; under `remediate` guardrail sets \
              it. Current passwords are unaffected.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 1.9 Ensure IAM password policy prevents password reuse",
            "AWS IAM User Guide: Setting an account password policy for IAM users — https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
            "PCI DSS v4.0: 8.3.7",
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
            "minimumReuse": {
                "description": "How many previous passwords the policy must remember.",
                "type": "integer",
                "minimum": 1,
                "maximum": 24,
                "default": 24
            }
        }
    })
}

fn wanted(config: &serde_json::Value) -> Result<i64, Halt> {
    config_int(config, "minimumReuse", "an integer")
}

fn remembered(view: ResourceView<'_>) -> Result<i64, Halt> {
    Ok(read(view, "passwordReusePrevention")?
        .and_then(Value::as_i64)
        .unwrap_or(0))
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let minimum = wanted(config)?;
    let got = remembered(view)?;
    if got >= minimum {
        return Ok(Verdict::Pass);
    }
    let now = if got == 0 {
        "allows any previous password to be reused".to_string()
    } else {
        format!(
            "remembers only {}",
            guardrail_core::plural(got, "previous password", "previous passwords")
        )
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "password policy `{}` {now}; prevent reuse of the last {minimum}",
            view.resource.name
        ))
        .at(at(view, "passwordReusePrevention")),
    ))
}

fn remediate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let minimum = wanted(config)?;
    if remembered(view)? >= minimum {
        return Ok(None);
    }
    Ok(Some(with_unknown_kept(
        view,
        "passwordReusePrevention",
        Value::from(minimum),
    )))
}
