//! AWS-IAM-006: the account password policy requires upper and lower case, numbers and symbols.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, flag};

/// The character classes, as camelCase properties with their names for messages.
const CLASSES: &[(&str, &str)] = &[
    ("requireUppercaseCharacters", "an uppercase letter"),
    ("requireLowercaseCharacters", "a lowercase letter"),
    ("requireNumbers", "a number"),
    ("requireSymbols", "a symbol"),
];

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-006",
    name: "iam-password-policy-complexity",
    title: "The IAM password policy requires upper and lower case letters, numbers and symbols",
    description: "A password policy that does not require every character class lets users \
                  choose passwords from a much smaller space.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "authentication"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.3.6"],
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
    remediation: "Set `require_uppercase_characters`, `require_lowercase_characters`, \
                  `require_numbers` and `require_symbols` to true.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "The account password policy (`aws_iam_account_password_policy`, Pulumi \
               `aws:iam/accountPasswordPolicy:AccountPasswordPolicy`) must set \
               `require_uppercase_characters`, `require_lowercase_characters`, \
               `require_numbers` and `require_symbols` (Pulumi `requireUppercaseCharacters`, \
               `requireLowercaseCharacters`, `requireNumbers`, `requireSymbols`) to true. Each \
               one not set (the default is false) or false is its own violation. A value known \
               only after apply is indeterminate.",
        why: "Earlier CIS AWS Foundations versions (1.5 to 1.8 of v1) required each class; PCI \
              DSS 4.0 8.3.6 requires passwords with both numeric and alphabetic characters. \
              Length matters more than composition (see AWS-IAM-004), but many audits still \
              check composition, and requiring it costs nothing.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", { minimumPasswordLength: 14, requireNumbers: true });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length = 14
      require_numbers         = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.AccountPasswordPolicy("strict", {
        minimumPasswordLength: 14,
        requireUppercaseCharacters: true,
        requireLowercaseCharacters: true,
        requireNumbers: true,
        requireSymbols: true,
    });

Terraform:

    resource "aws_iam_account_password_policy" "strict" {
      minimum_password_length      = 14
      require_uppercase_characters = true
      require_lowercase_characters = true
      require_numbers              = true
      require_symbols              = true
    }"#,
        fix: "Set the four `require*` flags to true in Pulumi or the four `require_*` \
              arguments in Terraform; under `remediate` guardrail sets the missing ones. Existing \
              passwords keep working until they are changed.",
        references: &[
            "AWS IAM User Guide: Setting an account password policy for IAM users — https://docs.aws.amazon.com/IAM/latest/UserGuide/id_credentials_passwords_account-policy.html",
            "PCI DSS v4.0: 8.3.6",
            "NIST SP 800-53 Rev. 5: IA-5 Authenticator Management",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

/// The classes not required.
fn missing(view: ResourceView<'_>) -> Result<Vec<(&'static str, &'static str)>, Halt> {
    let mut out = Vec::new();
    for (camel, label) in CLASSES {
        if flag(view, camel)? != Some(true) {
            out.push((*camel, *label));
        }
    }
    Ok(out)
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    Ok(Verdict::from_violations(
        missing(view)?
            .into_iter()
            .map(|(camel, label)| {
                Violation::new(format!(
                    "password policy `{}` does not require {label}",
                    view.resource.name
                ))
                .at(at(view, camel))
            })
            .collect(),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let missing = missing(view)?;
    if missing.is_empty() {
        return Ok(None);
    }
    let mut props = view.props.clone();
    for (camel, _) in missing {
        crate::support::set_path(
            &mut props,
            view.resource.spelling,
            camel,
            Value::Bool(true),
            crate::support::UnknownBlocks::Keep,
        );
    }
    Ok(Some(props))
}
