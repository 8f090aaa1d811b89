//! AWS-IAM-008: role trust policies do not let everyone assume the role.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::public_policy_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-008",
    name: "iam-role-trust-no-public-principal",
    title: "IAM role trust policies do not allow any principal to assume the role",
    description: "A trust policy that allows the `*` principal, with no condition narrowing it, \
                  lets any AWS account in the world assume the role and use its permissions.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "public-access", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["7.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1", "CC6.3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.5.15", "A.8.3"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "AC-6"],
        },
    ]),
    resource_types: &["aws_iam_role", "aws:iam/role:Role"],
    remediation: "Name the trusted accounts, roles or services in `Principal`, or add a \
                  condition such as `aws:PrincipalOrgID` or `sts:ExternalId`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `assume_role_policy` of every IAM role (Pulumi `assumeRolePolicy` on \
               `aws:iam/role:Role`; a JSON string or, in Pulumi, an object). A statement \
               violates when its `Effect` is `Allow` and its principal is everyone — \
               `\"Principal\": \"*\"`, `{\"AWS\": \"*\"}` or a list holding `*`, or any allow \
               with `NotPrincipal` — and no `Condition` narrows it with a key that names who may \
               use it (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:PrincipalArn`, \
               `aws:SourceAccount`, `aws:SourceArn`, `sts:ExternalId`, `aws:SourceIp`, \
               `aws:SourceVpc(e)` or an identity provider's `:sub`/`:aud`, with a value other \
               than `*`). Federated principals (`Federated`) and service principals are not \
               wildcards. A policy known only after apply is indeterminate.",
        why: "Anyone with an AWS account can call `sts:AssumeRole` on a role whose trust policy \
              allows `*`, and then act with every permission the role holds — from any account, \
              with no credentials of yours. Roles with such trust policies are found and used \
              by automated scanners.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.Role("partner", {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "sts:AssumeRole" }],
        }),
    });

Terraform:

    resource "aws_iam_role" "partner" {
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "sts:AssumeRole" }]
      })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.Role("partner", {
        assumeRolePolicy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { AWS: "arn:aws:iam::111122223333:root" },
                Action: "sts:AssumeRole",
                Condition: { StringEquals: { "sts:ExternalId": "partner-7f3a" } },
            }],
        }),
    });

Terraform:

    resource "aws_iam_role" "partner" {
      assume_role_policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { AWS = "arn:aws:iam::111122223333:root" }
          Action    = "sts:AssumeRole"
          Condition = { StringEquals = { "sts:ExternalId" = "partner-7f3a" } }
        }]
      })
    }"#,
        fix: "Replace the wildcard principal with the account, role or service that must \
              assume the role (in `assumeRolePolicy` for Pulumi, `assume_role_policy` for \
              Terraform), or keep it and add a condition that limits it to your organisation \
              (`aws:PrincipalOrgID`) or to a partner's external id (`sts:ExternalId`).",
        references: &[
            "AWS IAM User Guide: IAM JSON policy elements: Principal — https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_elements_principal.html",
            "AWS IAM User Guide: The confused deputy problem — https://docs.aws.amazon.com/IAM/latest/UserGuide/confused-deputy.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    public_policy_verdict(
        view,
        "assumeRolePolicy",
        "the role has no trust policy",
        "the trust policy is not JSON",
        |n| {
            format!(
                "IAM role `{}` can be assumed by any AWS principal (trust policy statement \
                 {n}): name the trusted principals or add a narrowing condition",
                view.resource.name
            )
        },
    )
}
