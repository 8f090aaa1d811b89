//! AWS-ECR-002: ECR repositories have immutable tags

use crate::support::{at, text, with_unknown_kept};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECR-002",
    name: "ecr-immutable-tags",
    title: "ECR repositories make image tags immutable",
    description: "With mutable tags, anyone who can push can silently replace the image behind a tag that production deploys.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ecr"],
    topics: &["integrity", "vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC8.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.9", "A.8.32"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CM-2", "SI-7"],
        },
    ]),
    resource_types: &[
        "aws_ecr_repository",
        "aws:ecr/repository:Repository",
    ],
    remediation: "Set `image_tag_mutability = \"IMMUTABLE\"`.",
    fix: FixSafety::Unsafe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECR repository (`aws_ecr_repository`, Pulumi `aws:ecr/repository:Repository`): `image_tag_mutability` (Pulumi `imageTagMutability`) must be `IMMUTABLE` or `IMMUTABLE_WITH_EXCLUSION`. Not set means `MUTABLE`, a violation. A value known only after apply is indeterminate.",
        why: "A tag such as `v1.4` should always mean the same image: that is what was scanned, approved and deployed. With mutable tags a compromised pipeline or credential can push a backdoored image under an existing tag and it is picked up on the next deployment or scale-out. AWS Security Hub ECR.2 asks for immutable tags.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecr.Repository("api", {});

Terraform:

    resource "aws_ecr_repository" "api" {
      name = "api"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecr.Repository("api", { imageTagMutability: "IMMUTABLE" });

Terraform:

    resource "aws_ecr_repository" "api" {
      name = "api"
      image_tag_mutability = "IMMUTABLE"
    }"#,
        fix: "Set `imageTagMutability: \"IMMUTABLE\"` (Pulumi) or `image_tag_mutability = \"IMMUTABLE\"` (Terraform). The fix is unsafe: pipelines that re-push `latest` or a branch tag start failing; tag images with a commit or version, or use `IMMUTABLE_WITH_EXCLUSION` for such tags.",
        references: &[
            "Amazon ECR User Guide: Preventing image tags from being overwritten — https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-tag-mutability.html",
            "AWS Security Hub: [ECR.2] ECR private repositories should have tag immutability configured — https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "imageTagMutability";

fn compliant(view: ResourceView<'_>) -> Result<bool, Halt> {
    let mode = text(view, PATH)?.unwrap_or("MUTABLE");
    Ok(mode.to_ascii_uppercase().starts_with("IMMUTABLE"))
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if compliant(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "ECR repository `{}` lets image tags be overwritten; make tags immutable",
            view.resource.name
        ))
        .at(at(view, PATH)),
    ))
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if compliant(view)? {
        return Ok(None);
    }
    Ok(Some(with_unknown_kept(
        view,
        PATH,
        Value::string("IMMUTABLE"),
    )))
}
