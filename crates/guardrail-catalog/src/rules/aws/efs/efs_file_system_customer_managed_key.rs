//! AWS-EFS-002: EFS file systems are encrypted with a customer-managed KMS key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EFS-002",
    name: "efs-file-system-customer-managed-key",
    title: "EFS file systems are encrypted with a customer-managed KMS key",
    description: "Encryption with a named KMS key puts access to the file system's data under a \
                  key policy you control and can revoke.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["efs"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["3.6.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-12", "SC-28"],
        },
    ]),
    resource_types: &[
        "aws_efs_file_system",
        "aws:efs/fileSystem:FileSystem",
    ],
    remediation: "Set `kms_key_id` (Pulumi `kmsKeyId`) to a customer-managed KMS key when \
                  creating the file system.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "EFS file systems (`aws_efs_file_system`, Pulumi `aws:efs/fileSystem:FileSystem`): \
               `kms_key_id` (Pulumi `kmsKeyId`) must be set to a key other than the AWS-managed \
               alias `alias/aws/elasticfilesystem`. A missing key (unencrypted, or encrypted with \
               the AWS-managed key) is a violation. A value known only after apply is \
               indeterminate. This is the AWSGuard `efs-encrypted` check, which requires a KMS \
               key id.",
        why: "The AWS-managed EFS key trusts every principal in the account that can use EFS; a \
              customer-managed key lets the key policy narrow that, disable access in an \
              incident, and record each use. It can only be chosen when the file system is \
              created.",
        noncompliant: r#"Pulumi (TypeScript):

    const share = new aws.efs.FileSystem("media", {
        creationToken: "shared-media",
        encrypted: true,
    });

Terraform:

    resource "aws_efs_file_system" "media" {
      creation_token = "shared-media"
      encrypted      = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const share = new aws.efs.FileSystem("media", {
        creationToken: "shared-media",
        encrypted: true,
        kmsKeyId: dataKey.arn,
    });

Terraform:

    resource "aws_efs_file_system" "media" {
      creation_token = "shared-media"
      encrypted      = true
      kms_key_id     = aws_kms_key.data.arn
    }"#,
        fix: "Pulumi: `kmsKeyId: key.arn` with `encrypted: true`; Terraform: `kms_key_id = \
              aws_kms_key.data.arn` with `encrypted = true`. The key forces a new file system: \
              migrate the data with AWS DataSync.",
        references: &[
            "AWS: Encrypting data at rest in Amazon EFS — https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
            "Pulumi AWSGuard: efs-encrypted",
            "NIST SP 800-53 Rev. 5: SC-12, SC-28; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let at = at(view, "kmsKeyId");
    let note = match text(view, "kmsKeyId")? {
        Some(key) if !key.ends_with("alias/aws/elasticfilesystem") => return Ok(Verdict::Pass),
        Some(key) => format!("`{at}` is the AWS-managed `{key}`"),
        None => format!("`{at}` is not set"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} is not encrypted with a customer-managed KMS key ({note})",
            who(view, "EFS file system")
        ))
        .at(at),
    ))
}
