//! AWS-ECR-004: ECR repository policies do not grant access to everyone

use crate::support::resource_policy_verdict;
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECR-004",
    name: "ecr-repository-policy-not-public",
    title: "ECR repository policies do not grant access to everyone",
    description: "A repository policy with the `*` principal and no narrowing condition lets any AWS account pull, or even push, images.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ecr"],
    topics: &["public-access", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["7.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
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
    resource_types: &[
        "aws_ecr_repository_policy",
        "aws:ecr/repositoryPolicy:RepositoryPolicy",
    ],
    remediation: "Name the accounts that may pull in `Principal`, or narrow `*` with `aws:PrincipalOrgID`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECR repository policy (`aws_ecr_repository_policy`, Pulumi `aws:ecr/repositoryPolicy:RepositoryPolicy`): each `Allow` statement of `policy` (a JSON string, or an object in Pulumi) whose principal is everyone (`*`, `{\"AWS\": \"*\"}`, or `NotPrincipal`) and that no condition narrows (`aws:PrincipalOrgID`, `aws:PrincipalAccount`, `aws:SourceAccount`, `aws:SourceArn`, `aws:SourceVpce`...) is a violation. A policy known only after apply is indeterminate.",
        why: "Images contain application code, embedded configuration and sometimes credentials. A public repository policy lets anyone with an AWS account download them; with push actions, anyone can plant a malicious image that your services then run.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecr.RepositoryPolicy("api", {
        repository: repo.name,
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: "*", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }] }),
    });

Terraform:

    resource "aws_ecr_repository_policy" "api" {
      repository = aws_ecr_repository.api.name
      policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = "*", Action = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }] })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecr.RepositoryPolicy("api", {
        repository: repo.name,
        policy: JSON.stringify({ Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }] }),
    });

Terraform:

    resource "aws_ecr_repository_policy" "api" {
      repository = aws_ecr_repository.api.name
      policy = jsonencode({ Statement = [{ Effect = "Allow", Principal = { AWS = "arn:aws:iam::111122223333:root" }, Action = ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer"] }] })
    }"#,
        fix: "Replace `*` with the account or role ARNs that pull the images, or keep `*` and add `Condition: { StringEquals: { \"aws:PrincipalOrgID\": \"o-...\" } }`. For images meant to be public, use ECR Public instead.",
        references: &[
            "Amazon ECR User Guide: Private repository policies — https://docs.aws.amazon.com/AmazonECR/latest/userguide/repository-policies.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    resource_policy_verdict(view, "ECR repository policy")
}
