//! AWS-EFS-006: EFS file system policies do not grant access to everyone.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::open_policy_verdict;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EFS-006",
    name: "efs-file-system-policy-not-public",
    title: "EFS file system policies do not grant access to everyone",
    description: "A file system policy that allows `*` without a condition lets any principal \
                  that can reach a mount target mount, read and write the file system.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["efs"],
    topics: &["public-access", "least-privilege"],
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
        "aws_efs_file_system_policy",
        "aws:efs/fileSystemPolicy:FileSystemPolicy",
    ],
    remediation: "Name the roles that may mount the file system, or scope `*` with a condition \
                  such as `elasticfilesystem:AccessedViaMountTarget` or `aws:PrincipalOrgID`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "EFS file system policies (`aws_efs_file_system_policy`, Pulumi \
               `aws:efs/fileSystemPolicy:FileSystemPolicy`): no `Allow` statement of `policy` may \
               have a wildcard principal (`*`, `{\"AWS\": \"*\"}`) or `NotPrincipal` without a \
               `Condition`. Each open statement is a violation. A policy known only after apply \
               is indeterminate; a policy that is not JSON is an error.",
        why: "A file system policy is the IAM layer of EFS: when it allows everyone, the only \
              remaining controls are network reachability and security groups. Any principal in \
              any account with a path to a mount target — a peered VPC, a shared subnet — can \
              then mount and change the data.",
        noncompliant: r#"Pulumi (TypeScript):

    const policy = new aws.efs.FileSystemPolicy("media", {
        fileSystemId: share.id,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{ Effect: "Allow", Principal: { AWS: "*" }, Action: "elasticfilesystem:*", Resource: "*" }],
        }),
    });

Terraform:

    resource "aws_efs_file_system_policy" "media" {
      file_system_id = aws_efs_file_system.media.id
      policy = jsonencode({
        Version   = "2012-10-17"
        Statement = [{ Effect = "Allow", Principal = { AWS = "*" }, Action = "elasticfilesystem:*", Resource = "*" }]
      })
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const policy = new aws.efs.FileSystemPolicy("media", {
        fileSystemId: share.id,
        policy: JSON.stringify({
            Version: "2012-10-17",
            Statement: [{
                Effect: "Allow",
                Principal: { AWS: appRole.arn },
                Action: ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"],
                Resource: "*",
            }],
        }),
    });

Terraform:

    resource "aws_efs_file_system_policy" "media" {
      file_system_id = aws_efs_file_system.media.id
      policy = jsonencode({
        Version = "2012-10-17"
        Statement = [{
          Effect    = "Allow"
          Principal = { AWS = aws_iam_role.app.arn }
          Action    = ["elasticfilesystem:ClientMount", "elasticfilesystem:ClientWrite"]
          Resource  = "*"
        }]
      })
    }"#,
        fix: "Edit the `policy` document (Pulumi and Terraform alike): name the roles that mount \
              the file system, or keep `*` only with a `Condition` \
              (`elasticfilesystem:AccessedViaMountTarget`, `aws:PrincipalOrgID`). Add a `Deny` on \
              `aws:SecureTransport = false` to require TLS mounts.",
        references: &[
            "AWS: Using IAM to control file system data access — https://docs.aws.amazon.com/efs/latest/ug/iam-access-control-nfs-efs.html",
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
    open_policy_verdict(view, "policy", "EFS file system policy")
}
