//! AWS-EFS-001: EFS file systems encrypt data at rest.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EFS-001",
    name: "efs-file-system-encrypted",
    title: "EFS file systems encrypt data at rest",
    description: "An EFS file system created without encryption stores its files and metadata \
                  unencrypted at rest, and can never be encrypted afterwards.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["efs"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["2.4.1"],
        },
        Control {
            framework: "pci-dss",
            controls: &["3.5.1"],
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
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28"],
        },
    ]),
    resource_types: &[
        "aws_efs_file_system",
        "aws:efs/fileSystem:FileSystem",
    ],
    remediation: "Create the file system with `encrypted = true` (Pulumi `encrypted: true`), \
                  optionally with a customer-managed `kms_key_id`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "EFS file systems (`aws_efs_file_system`, Pulumi `aws:efs/fileSystem:FileSystem`): \
               `encrypted` must be true. Absent means false (the API and provider default) and is \
               a violation. A value known only after apply is indeterminate.",
        why: "File shares collect exports, uploads and home directories — data nobody \
              inventoried. Without encryption at rest that data is outside KMS access control and \
              audit; encryption can only be chosen at creation, so an unencrypted share has to be \
              copied to a new one later.",
        noncompliant: r#"Pulumi (TypeScript):

    const share = new aws.efs.FileSystem("media", {
        creationToken: "shared-media",
    });

Terraform:

    resource "aws_efs_file_system" "media" {
      creation_token = "shared-media"
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
        fix: "Pulumi: `encrypted: true` (and `kmsKeyId` for a customer-managed key); Terraform: \
              `encrypted = true` (and `kms_key_id`). The setting forces a new file system: create \
              the encrypted one, copy the data (AWS DataSync), move the mount targets and \
              clients, then delete the old one.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.4.1 Ensure that encryption is enabled for EFS file systems",
            "AWS: Encrypting data at rest in Amazon EFS — https://docs.aws.amazon.com/efs/latest/ug/encryption-at-rest.html",
            "AWS Security Hub: Amazon EFS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html (EFS.1)",
            "PCI DSS v4.0: 3.5.1; HIPAA: 164.312(a)(2)(iv); NIST SP 800-53 Rev. 5: SC-28; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    expect_flag(
        view,
        "encrypted",
        true,
        false,
        &format!(
            "{} does not encrypt data at rest",
            who(view, "EFS file system")
        ),
    )
}
