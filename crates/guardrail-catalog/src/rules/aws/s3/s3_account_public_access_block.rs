//! AWS-S3-005: the account-level S3 public access block turns on all four settings.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use super::s3_public_access_block_settings::{fix, violations};
use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-S3-005",
    name: "s3-account-public-access-block",
    title: "The account-level S3 public access block turns on all four settings",
    description: "The account-wide S3 Block Public Access configuration is the backstop for \
                  every bucket in the account; all four of its settings must be on.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["s3"],
    topics: &["public-access"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-aws", controls: &["2.1.4"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.8.3"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &[
        "aws_s3_account_public_access_block",
        "aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock",
    ],
    remediation: "Set all four settings of the account public access block to true.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every `aws_s3_account_public_access_block` (Pulumi \
               `aws:s3/accountPublicAccessBlock:AccountPublicAccessBlock`) must set \
               `block_public_acls`, `block_public_policy`, `ignore_public_acls` and \
               `restrict_public_buckets` to true (Pulumi camelCase). Each setting that is false \
               or absent (default false) is its own violation; a value known only after apply \
               is indeterminate.",
        why: "Bucket-level blocks protect the buckets that have them; the account-level block \
              protects every bucket and access point in the account, including the ones \
              created tomorrow by a script or a console click. It is the single most effective \
              guard against accidental public S3 data.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.s3.AccountPublicAccessBlock("account", { blockPublicAcls: true, blockPublicPolicy: false });

Terraform:

    resource "aws_s3_account_public_access_block" "account" {
      block_public_acls   = true
      block_public_policy = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.s3.AccountPublicAccessBlock("account", {
        blockPublicAcls: true, blockPublicPolicy: true,
        ignorePublicAcls: true, restrictPublicBuckets: true,
    });

Terraform:

    resource "aws_s3_account_public_access_block" "account" {
      block_public_acls       = true
      block_public_policy     = true
      ignore_public_acls      = true
      restrict_public_buckets = true
    }"#,
        fix: "Set the four properties to true (Terraform snake_case, Pulumi camelCase). Under \
              `remediate` guardrail does so; the fix is unsafe because any bucket in the \
              account that is public on purpose stops being public.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.1.4 Ensure that S3 Buckets are configured with 'Block public access (bucket settings)'",
            "AWS: Configuring block public access settings for your account — https://docs.aws.amazon.com/AmazonS3/latest/userguide/configuring-block-public-access-account.html",
        ],
    },
    check: Check::Resource { validate, remediate: Some(remediate) },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    violations(view, "account public access block")
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    fix(view)
}
