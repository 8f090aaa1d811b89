//! AWS-IAM-007: the account password policy makes passwords expire within 90 days.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, config_int, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-007",
    name: "iam-password-policy-max-age",
    title: "The IAM password policy makes passwords expire within 90 days",
    description: "Console passwords that never expire stay valid for as long as they are \
                  leaked; PCI DSS requires a change at least every 90 days for password-only \
                  access.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "authentication"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.3.9"],
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
    remediation: "Set `max_password_age` (Pulumi `maxPasswordAge`) to 90 days or fewer.",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "The account password policy (`aws_iam_account_password_policy`, Pulumi \
               `aws:iam/accountPasswordPolicy:AccountPasswordPolicy`): `max_password_age` \
               (Pulumi `maxPasswordAge`) must be set, positive and at most `maximumDays` \
               (default 90). Not set or 0 means passwords never expire, a violation. A value \
               known only after apply is indeterminate.",
        why: "PCI DSS 4.0 8.3.9 requires passwords used as the only factor to change at least \
              every 90 days, limiting how long a leaked password stays useful. NIST SP 800-63B \
              advises against forced rotation where MFA is used; organisations following it can \
              disable this rule — hence no automatic fix, since expiring passwords changes how \
              people sign in.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", { minimumPasswordLength: 14 });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length = 14
      max_password_age        = 365
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", { minimumPasswordLength: 14, maxPasswordAge: 90 });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length = 14
      max_password_age        = 90
    }"#,
        fix: "Set `maxPasswordAge: 90` (Pulumi) or `max_password_age = 90` (Terraform), or the \
              configured `maximumDays`. Tell users first: passwords older than the limit must \
              be changed at next sign-in.",
        references: &[
            "AWS IAM User Guide: Setting an account password policy for IAM users — https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
            "PCI DSS v4.0: 8.3.9",
            "NIST SP 800-63B: 5.1.1.2 Memorized Secret Verifiers",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "maximumDays": {
                "description": "The longest password lifetime allowed, in days.",
                "type": "integer",
                "minimum": 1,
                "maximum": 1095,
                "default": 90
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let maximum = config_int(config, "maximumDays", "an integer")?;
    let age = read(view, "maxPasswordAge")?
        .and_then(Value::as_i64)
        .unwrap_or(0);
    let name = &view.resource.name;
    let message = if age <= 0 {
        format!(
            "password policy `{name}` lets passwords live forever; expire them within {}",
            guardrail_core::plural(maximum, "day", "days")
        )
    } else if age > maximum {
        format!(
            "password policy `{name}` lets passwords live {}; expire them within {maximum}",
            guardrail_core::plural(age, "day", "days")
        )
    } else {
        return Ok(Verdict::Pass);
    };
    Ok(Verdict::violation(
        Violation::new(message).at(at(view, "maxPasswordAge")),
    ))
}
