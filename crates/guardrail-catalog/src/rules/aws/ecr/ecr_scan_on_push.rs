//! AWS-ECR-001: ECR repositories scan images on push

use crate::support::{flag_on_fix, flag_on_verdict};
use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-ECR-001",
    name: "ecr-scan-on-push",
    title: "ECR repositories scan images for vulnerabilities on push",
    description: "Scanning each image as it is pushed finds known vulnerabilities in its packages before the image is deployed.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["ecr"],
    topics: &["vulnerability-management"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["6.3.1", "11.3.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC7.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.8"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["RA-5", "SI-2"],
        },
    ]),
    resource_types: &[
        "aws_ecr_repository",
        "aws:ecr/repository:Repository",
    ],
    remediation: "Set `image_scanning_configuration { scan_on_push = true }`.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Every ECR repository (`aws_ecr_repository`, Pulumi `aws:ecr/repository:Repository`): `image_scanning_configuration.scan_on_push` (Pulumi `imageScanningConfiguration.scanOnPush`) must be true. Not set means false, a violation. A value known only after apply is indeterminate. A registry-wide scanning configuration (`aws_ecr_registry_scanning_configuration`, enhanced scanning with Amazon Inspector) supersedes the repository setting; accounts that use it can disable this rule.",
        why: "Container images carry an operating system and libraries that accumulate CVEs. Scanning on push reports them while the image is still on its way to production, and the findings feed deploy gates. AWS Security Hub ECR.1 and PCI DSS 6.3.1 ask for vulnerability identification.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.ecr.Repository("api", {});

Terraform:

    resource "aws_ecr_repository" "api" {
      name = "api"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.ecr.Repository("api", { imageScanningConfiguration: { scanOnPush: true } });

Terraform:

    resource "aws_ecr_repository" "api" {
      name = "api"
      image_scanning_configuration {
        scan_on_push = true
      }
    }"#,
        fix: "Set `imageScanningConfiguration: { scanOnPush: true }` (Pulumi) or `image_scanning_configuration { scan_on_push = true }` (Terraform); under `remediate` guardrail sets it. Basic scanning is free; consider enhanced scanning with Amazon Inspector at the registry level for continuous rescans.",
        references: &[
            "Amazon ECR User Guide: Scan images for software vulnerabilities — https://docs.aws.amazon.com/AmazonECR/latest/userguide/image-scanning.html",
            "AWS Security Hub: [ECR.1] ECR private repositories should have image scanning configured — https://docs.aws.amazon.com/securityhub/latest/userguide/ecr-controls.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

const PATH: &str = "imageScanningConfiguration.scanOnPush";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    flag_on_verdict(
        view,
        PATH,
        false,
        "ECR repository",
        "does not scan images on push; enable scan on push",
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    flag_on_fix(view, PATH, false)
}
