//! AWS-KMS-003: KMS key policies do not grant access to everyone.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::open_policy_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-KMS-003",
    name: "kms-key-policy-not-public",
    title: "KMS key policies do not grant access to everyone",
    description: "A key policy statement that allows `*` as principal without a condition lets \
                  any AWS account use the key, for example to decrypt data encrypted under it.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["kms"],
    topics: &["public-access", "least-privilege", "encryption"],
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
        "aws_kms_key",
        "aws:kms/key:Key",
        "aws_kms_key_policy",
        "aws:kms/keyPolicy:KeyPolicy",
    ],
    remediation: "Name specific principals in the key policy, or add a condition \
                  (`aws:PrincipalOrgID`, `kms:CallerAccount`, `kms:ViaService`) to statements \
                  that use `*`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The key policy of KMS keys (`aws_kms_key.policy`, Pulumi `aws:kms/key:Key` \
               `policy`) and of separate key policies (`aws_kms_key_policy.policy`, Pulumi \
               `aws:kms/keyPolicy:KeyPolicy`): no statement with `Effect: Allow` may have \
               `Principal: \"*\"` or `{\"AWS\": \"*\"}` (or a list with `*`), or use \
               `NotPrincipal`, without a `Condition`. A key without a `policy` gets AWS's default \
               policy, which trusts only the account, and passes. Each open statement is a \
               violation. A policy known only after apply is indeterminate; a policy that is not \
               JSON is an error.",
        why: "The key policy is the primary access control for a KMS key; IAM policies only work \
              where it delegates to the account. A wildcard principal without a condition extends \
              that trust to every AWS account in the world, so anyone who obtains ciphertext — a \
              shared snapshot, a leaked object — can ask KMS to decrypt it.",
        noncompliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "kms:Decrypt", Resource: "*" }],
        }),
    });

Terraform:

    resource "aws_kms_key_policy" "orders" {
      key_id = aws_kms_key.orders.id
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "kms:Decrypt", Resource = "*" }]
      })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { AWS: "*" },
                Action: "kms:Decrypt",
                Resource: "*",
                Condition: { StringEquals: { "aws:PrincipalOrgID": "o-abc123" } },
            }],
        }),
    });

Terraform:

    resource "aws_kms_key_policy" "orders" {
      key_id = aws_kms_key.orders.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { AWS = "arn:aws:iam::111122223333:root" }
          Action    = "kms:*"
          Resource  = "*"
        }]
      })
    }"#,
        fix: "In Pulumi and Terraform alike, edit the `policy` document: replace `\"*\"` with the \
              account or role ARNs that need the key, or keep `*` only together with a \
              `Condition` that scopes it (`aws:PrincipalOrgID` for your organisation, \
              `kms:CallerAccount` plus `kms:ViaService` for a service integration). Review \
              CloudTrail for `Decrypt` calls from unknown accounts.",
        references: &[
            "AWS: Key policies in AWS KMS — https://docs.aws.amazon.com/kms/latest/developerguide/key-policies.html",
            "AWS: Allowing users in other accounts to use a KMS key — https://docs.aws.amazon.com/kms/latest/developerguide/key-policy-modifying-external-accounts.html",
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
    open_policy_verdict(view, "policy", "KMS key")
}
