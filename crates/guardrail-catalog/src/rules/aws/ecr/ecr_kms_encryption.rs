//! AWS-ECR-003: ECR repositories encrypt images with KMS

use crate::support::{at, read_first};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECR-003",
    name: "ecr-kms-encryption",
    title: "ECR repositories encrypt images with a KMS key",
    description: "KMS encryption puts image layers behind a key policy you control and records every decryption in CloudTrail.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ecr"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
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
            controls: &["SC-28", "SC-12"],
        },
    ]),
    resource_types: &[
        "aws_ecr_repository",
        "aws:ecr/repository:Repository",
    ],
    remediation: "Set `encryption_configuration { encryption_type = \"KMS\" }` (optionally with `kms_key`).",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECR repository (`aws_ecr_repository`, Pulumi `aws:ecr/repository:Repository`) must have an `encryption_configuration` block (Pulumi `encryptionConfigurations`, a list) whose `encryption_type` is `KMS` (or `KMS_DSSE`). No block means `AES256`, a violation. A type known only after apply is indeterminate.",
        why: "ECR always encrypts at rest; with `AES256` the keys are Amazon S3's and invisible to you. With KMS — ideally a customer managed key — access to image layers also needs `kms:Decrypt`, key use is logged, and disabling the key makes the images unreadable. Images often embed proprietary code and configuration. The setting cannot change after creation (the repository is replaced), so the rule offers no automatic fix.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecr.Repository("api", {});

Terraform:

    resource "aws_ecr_repository" "api" {
      name = "api"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecr.Repository("api", { encryptionConfigurations: [{ encryptionType: "KMS", kmsKey: key.arn }] });

Terraform:

    resource "aws_ecr_repository" "api" {
      name = "api"
      encryption_configuration {
        encryption_type = "KMS"
        kms_key         = aws_kms_key.ecr.arn
      }
    }"#,
        fix: "Add `encryptionConfigurations: [{ encryptionType: \"KMS\", kmsKey: key.arn }]` (Pulumi) or an `encryption_configuration` block with `encryption_type = \"KMS\"` (Terraform). Changing it replaces the repository: push the images again afterwards.",
        references: &[
            "Amazon ECR User Guide: Encryption at rest — https://docs.aws.amazon.com/AmazonECR/latest/userguide/encryption-at-rest.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let found = read_first(
        view,
        &["encryptionConfigurations", "encryptionConfiguration"],
    )?;
    let mut path = at(view, "encryptionConfiguration");
    if let Some((configs, key)) = found {
        path = at(view, key);
        for (i, config) in configs.items().enumerate() {
            let kind = config
                .field("encryptionType")
                .map_err(|_| Halt::unknown(format!("{path}[{i}].{}", at(view, "encryptionType"))))?
                .and_then(Value::as_str);
            if kind.is_some_and(|k| k.eq_ignore_ascii_case("KMS")) {
                return Ok(Verdict::Pass);
            }
        }
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "ECR repository `{}` encrypts images with AES-256 S3-managed keys only; use KMS",
            view.resource.name
        ))
        .at(path),
    ))
}
