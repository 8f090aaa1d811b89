//! AWS-SECRETSMANAGER-001: Secrets Manager secrets have automatic rotation configured.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, StackFinding, StackView, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, unlinked, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SECRETSMANAGER-001",
    name: "secretsmanager-secret-rotation-enabled",
    title: "Secrets Manager secrets have automatic rotation configured",
    description: "A secret without rotation keeps the same credential until someone changes it by \
                  hand, so a leaked copy stays valid indefinitely.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["secretsmanager"],
    topics: &["secrets", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.17"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["IA-5"],
        },
    ]),
    resource_types: &[
        "aws_secretsmanager_secret",
        "aws:secretsmanager/secret:Secret",
        "aws_secretsmanager_secret_rotation",
        "aws:secretsmanager/secretRotation:SecretRotation",
    ],
    remediation: "Add an `aws_secretsmanager_secret_rotation` (Pulumi \
                  `aws.secretsmanager.SecretRotation`) for the secret, with a rotation Lambda and \
                  `rotation_rules`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over Secrets Manager secrets (`aws_secretsmanager_secret`, Pulumi \
               `aws:secretsmanager/secret:Secret`). Each secret must have rotation configured: \
               either an `aws_secretsmanager_secret_rotation` (Pulumi \
               `aws:secretsmanager/secretRotation:SecretRotation`) in the same stack whose \
               `secret_id` (Pulumi `secretId`) refers to it — by the secret's id, ARN or name, by \
               a property dependency of `secretId` on the secret (Pulumi's, or the argument's \
               reference in a Terraform plan's configuration) — or, with older provider \
               versions, inline `rotation_rules` or `rotation_lambda_arn` on the secret. A secret \
               whose rotation resource cannot be matched because its `secret_id` is unknown and \
               has no property dependency makes the outcome indeterminate. The finding is \
               attributed to the secret.",
        why: "Credentials leak through logs, laptops, CI output and former employees. Rotation \
              bounds how long a leaked secret stays useful and proves the application can survive \
              a credential change — which is exactly what an incident response needs to do in a \
              hurry.",
        noncompliant: r#"Pulumi (TypeScript):

    const secret = new aws.secretsmanager.Secret("orders-db", {
        name: "orders/db",
    });

Terraform:

    resource "aws_secretsmanager_secret" "orders_db" {
      name = "orders/db"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const secret = new aws.secretsmanager.Secret("orders-db", { name: "orders/db" });
    const rotation = new aws.secretsmanager.SecretRotation("orders-db", {
        secretId: secret.id,
        rotationLambdaArn: rotateFn.arn,
        rotationRules: { automaticallyAfterDays: 30 },
    });

Terraform:

    resource "aws_secretsmanager_secret" "orders_db" {
      name = "orders/db"
    }

    resource "aws_secretsmanager_secret_rotation" "orders_db" {
      secret_id           = aws_secretsmanager_secret.orders_db.id
      rotation_lambda_arn = aws_lambda_function.rotate.arn
      rotation_rules {
        automatically_after_days = 30
      }
    }"#,
        fix: "Add a rotation resource: Pulumi `new aws.secretsmanager.SecretRotation(name, { \
              secretId: secret.id, rotationLambdaArn, rotationRules: { automaticallyAfterDays: 30 \
              } })`; Terraform `aws_secretsmanager_secret_rotation` with `secret_id`, \
              `rotation_lambda_arn` and a `rotation_rules` block. For RDS, Redshift and \
              DocumentDB credentials use AWS's rotation templates, or let RDS manage the master \
              password (`manage_master_user_password`), which rotates it for you. Secrets that \
              cannot rotate (third-party API keys) deserve an exemption with the reason.",
        references: &[
            "AWS: Rotate AWS Secrets Manager secrets — https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotating-secrets.html",
            "AWS Security Hub: AWS Secrets Manager controls — https://docs.aws.amazon.com/securityhub/latest/userguide/secretsmanager-controls.html (SecretsManager.1)",
            "NIST SP 800-53 Rev. 5: IA-5; ISO/IEC 27001:2022: A.5.17; SOC 2: CC6.1",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// The resources checked.
const TARGETS: &[&str] = &["aws_secretsmanager_secret"];
/// The resources that configure them.
const LINKS: &[&str] = &["aws_secretsmanager_secret_rotation"];

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    Ok(unlinked(
        view,
        TARGETS,
        LINKS,
        "secretId",
        &["id", "arn", "name"],
        inline,
        |_| Ok(true),
        |target| {
            Violation::new(format!(
                "{} has no automatic rotation: add a secret rotation for it",
                who(target, "Secrets Manager secret")
            ))
            .at(at(target, "rotationRules"))
        },
    ))
}

/// Rotation configured on the secret itself (older provider versions).
fn inline(secret: ResourceView<'_>) -> Result<bool, String> {
    for camel in ["rotationRules", "rotationLambdaArn"] {
        match secret.field(camel) {
            Ok(Some(value)) if !value.is_null() && value.items().next().is_some() => {
                return Ok(true)
            }
            Ok(_) => {}
            Err(_) => return Err(at(secret, camel)),
        }
    }
    Ok(false)
}
