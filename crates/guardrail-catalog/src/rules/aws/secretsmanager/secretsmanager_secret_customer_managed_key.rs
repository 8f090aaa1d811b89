//! AWS-SECRETSMANAGER-003: Secrets Manager secrets are encrypted with a customer-managed KMS key.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SECRETSMANAGER-003",
    name: "secretsmanager-secret-customer-managed-key",
    title: "Secrets Manager secrets are encrypted with a customer-managed KMS key",
    description: "Secrets encrypted with the default `aws/secretsmanager` key can be read by any \
                  principal in the account that has `secretsmanager:GetSecretValue`; a \
                  customer-managed key adds a second, separately controlled permission.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["secretsmanager"],
    topics: &["encryption", "secrets"],
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
        "aws_secretsmanager_secret",
        "aws:secretsmanager/secret:Secret",
    ],
    remediation: "Set `kms_key_id` (Pulumi `kmsKeyId`) to a customer-managed KMS key.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Secrets Manager secrets (`aws_secretsmanager_secret`, Pulumi \
               `aws:secretsmanager/secret:Secret`): `kms_key_id` (Pulumi `kmsKeyId`) must name a \
               customer-managed key; absent (the AWS-managed `aws/secretsmanager` key) or the \
               alias `alias/aws/secretsmanager` is a violation. A value known only after apply is \
               indeterminate.",
        why: "With the AWS-managed key, access to a secret is decided by IAM alone. A \
              customer-managed key lets the key policy require a second grant to decrypt, is \
              needed to share the secret with another account, and can be disabled in an incident \
              to cut off every read at once.",
        noncompliant: r#"Pulumi (TypeScript):

    const secret = new aws.secretsmanager.Secret("orders-db", {
        name: "orders/db",
    });

Terraform:

    resource "aws_secretsmanager_secret" "orders_db" {
      name = "orders/db"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const secret = new aws.secretsmanager.Secret("orders-db", {
        name: "orders/db",
        kmsKeyId: secretsKey.arn,
    });

Terraform:

    resource "aws_secretsmanager_secret" "orders_db" {
      name       = "orders/db"
      kms_key_id = aws_kms_key.secrets.arn
    }"#,
        fix: "Pulumi: `kmsKeyId: key.arn`; Terraform: `kms_key_id = aws_kms_key.secrets.arn`, \
              with a key policy that allows the secret's readers `kms:Decrypt` via Secrets \
              Manager (`kms:ViaService`). Secrets Manager re-encrypts the current versions when \
              the key changes.",
        references: &[
            "AWS: Secret encryption and decryption in Secrets Manager — https://docs.aws.amazon.com/secretsmanager/latest/userguide/security-encryption.html",
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
        Some(key) if !key.ends_with("alias/aws/secretsmanager") => return Ok(Verdict::Pass),
        Some(key) => format!("`{at}` is `{key}`"),
        None => format!("`{at}` is not set"),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} is encrypted with the AWS-managed key ({note})",
            who(view, "Secrets Manager secret")
        ))
        .at(at),
    ))
}
