//! AWS-SECRETSMANAGER-005: Secrets Manager resource policies do not grant access to everyone.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::open_policy_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-SECRETSMANAGER-005",
    name: "secretsmanager-secret-policy-not-public",
    title: "Secrets Manager resource policies do not grant access to everyone",
    description: "A secret's resource policy that allows `*` without a condition lets principals \
                  in any AWS account read or change the secret.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["secretsmanager"],
    topics: &["public-access", "secrets", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["1.4.4"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1", "CC6.3", "CC6.6"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.15", "A.8.3", "A.8.20"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "AC-6", "SC-7"],
        },
    ]),
    resource_types: &[
        "aws_secretsmanager_secret",
        "aws:secretsmanager/secret:Secret",
        "aws_secretsmanager_secret_policy",
        "aws:secretsmanager/secretPolicy:SecretPolicy",
    ],
    remediation: "Name specific principals in the secret's policy, or add a condition such as \
                  `aws:PrincipalOrgID`; turn on `block_public_policy`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The resource policy of Secrets Manager secrets \
               (`aws_secretsmanager_secret.policy`, Pulumi `aws:secretsmanager/secret:Secret` \
               `policy`) and of separate secret policies \
               (`aws_secretsmanager_secret_policy.policy`, Pulumi \
               `aws:secretsmanager/secretPolicy:SecretPolicy`): no `Allow` statement may have a \
               wildcard principal (`*`, `{\"AWS\": \"*\"}`) or `NotPrincipal` without a \
               `Condition`. Each open statement is a violation; a secret without a policy passes. \
               A policy known only after apply is indeterminate; a policy that is not JSON is an \
               error.",
        why: "Secrets hold the credentials to everything else. A wildcard grant makes them \
              readable from any AWS account that knows or guesses the ARN, turning one policy \
              mistake into a compromise of the systems the secret protects.",
        noncompliant: r#"Pulumi (TypeScript):

    const policy = new aws.secretsmanager.SecretPolicy("orders-db", {
        secretArn: secret.arn,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: "*", Action: "secretsmanager:GetSecretValue", Resource: "*" }],
        }),
    });

Terraform:

    resource "aws_secretsmanager_secret_policy" "orders_db" {
      secret_arn = aws_secretsmanager_secret.orders_db.arn
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = "*", Action = "secretsmanager:GetSecretValue", Resource = "*" }]
      })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const policy = new aws.secretsmanager.SecretPolicy("orders-db", {
        secretArn: secret.arn,
        blockPublicPolicy: true,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { AWS: readerRole.arn },
                Action: "secretsmanager:GetSecretValue",
                Resource: "*",
            }],
        }),
    });

Terraform:

    resource "aws_secretsmanager_secret_policy" "orders_db" {
      secret_arn          = aws_secretsmanager_secret.orders_db.arn
      block_public_policy = true
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { AWS = aws_iam_role.reader.arn }
          Action    = "secretsmanager:GetSecretValue"
          Resource  = "*"
        }]
      })
    }"#,
        fix: "In the `policy` document (Pulumi and Terraform alike), replace the wildcard \
              principal with the roles or accounts that need the secret, or scope it with a \
              `Condition` (`aws:PrincipalOrgID`). Set `block_public_policy = true` (Pulumi \
              `blockPublicPolicy: true`) on the secret policy so Secrets Manager rejects public \
              policies. Rotate the secret if it was exposed.",
        references: &[
            "AWS: Attach a permissions policy to a Secrets Manager secret — https://docs.aws.amazon.com/secretsmanager/latest/userguide/auth-and-access_resource-policies.html",
            "AWS: Block public access to secrets — https://docs.aws.amazon.com/secretsmanager/latest/userguide/determine-acccess_examine-iam-policies.html",
            "NIST SP 800-53 Rev. 5: AC-3, AC-6, SC-7; ISO/IEC 27001:2022: A.5.15, A.8.3; SOC 2: CC6.1, CC6.3",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    open_policy_verdict(view, "policy", "Secrets Manager secret")
}
