//! AWS-KMS-004: KMS key policies keep the lockout safety check.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-KMS-004",
    name: "kms-key-policy-lockout-check",
    title: "KMS key policies keep the lockout safety check",
    description: "`bypass_policy_lockout_safety_check` lets a key policy be set that no principal \
                  can change any more, making the key unmanageable.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["kms"],
    topics: &["encryption", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-12", "CM-3"],
        },
    ]),
    resource_types: &[
        "aws_kms_key",
        "aws:kms/key:Key",
        "aws_kms_key_policy",
        "aws:kms/keyPolicy:KeyPolicy",
    ],
    remediation: "Remove `bypass_policy_lockout_safety_check` or set it to false (Pulumi \
                  `bypassPolicyLockoutSafetyCheck: false`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "KMS keys (`aws_kms_key`, Pulumi `aws:kms/key:Key`) and key policies \
               (`aws_kms_key_policy`, Pulumi `aws:kms/keyPolicy:KeyPolicy`): \
               `bypass_policy_lockout_safety_check` (Pulumi `bypassPolicyLockoutSafetyCheck`) \
               must not be true. Absent means false and passes. A value known only after apply is \
               indeterminate. Under `remediate` guardrail sets it to false.",
        why: "KMS refuses a key policy that would stop the caller from managing the key again; \
              the bypass turns that protection off. A typo in such a policy leaves a key no one \
              can administer — only AWS Support can help, and data encrypted under it may become \
              unreachable. Legitimate needs for the bypass are rare and deserve an explicit \
              exemption.",
        noncompliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        policy: keyPolicy,
        bypassPolicyLockoutSafetyCheck: true,
    });

Terraform:

    resource "aws_kms_key" "orders" {
      policy                             = data.aws_iam_policy_document.key.json
      bypass_policy_lockout_safety_check = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        policy: keyPolicy,
    });

Terraform:

    resource "aws_kms_key" "orders" {
      policy = data.aws_iam_policy_document.key.json
    }"#,
        fix: "Pulumi: remove `bypassPolicyLockoutSafetyCheck` or set it to `false`; Terraform: \
              remove `bypass_policy_lockout_safety_check` or set it to `false`. Make sure the \
              policy still lets an administrator role manage the key. Under `remediate` guardrail \
              sets it to false (a safe fix: it only affects how the next policy change is \
              validated).",
        references: &[
            "AWS: Default key policy and the lockout safety check — https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-default.html",
            "AWS KMS API: PutKeyPolicy BypassPolicyLockoutSafetyCheck — https://docs.aws.amazon.com/kms/latest/APIReference/API_PutKeyPolicy.html",
            "NIST SP 800-53 Rev. 5: SC-12, CM-3; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    expect_flag(
        view,
        "bypassPolicyLockoutSafetyCheck",
        false,
        false,
        &format!(
            "{} bypasses the key policy lockout safety check",
            who(view, "KMS key policy of")
        ),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix_flag(view, "bypassPolicyLockoutSafetyCheck", false, false)
}
