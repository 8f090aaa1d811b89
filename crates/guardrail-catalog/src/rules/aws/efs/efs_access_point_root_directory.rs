//! AWS-EFS-004: EFS access points confine clients to a directory.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EFS-004",
    name: "efs-access-point-root-directory",
    title: "EFS access points confine clients to a directory",
    description: "An access point without a root directory (or with `/`) exposes the whole file \
                  system to every client that mounts through it.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["efs"],
    topics: &["least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.3"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-3", "AC-6"],
        },
    ]),
    resource_types: &[
        "aws_efs_access_point",
        "aws:efs/accessPoint:AccessPoint",
    ],
    remediation: "Set `root_directory { path = \"/<app>\" }` (Pulumi `rootDirectory: { path: \
                  \"/<app>\" }`) on the access point.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "EFS access points (`aws_efs_access_point`, Pulumi \
               `aws:efs/accessPoint:AccessPoint`): `root_directory.path` (Pulumi \
               `rootDirectory.path`) must be set to a directory other than `/`. Missing or `/` is \
               a violation. A value known only after apply is indeterminate.",
        why: "Access points exist to give each application its own slice of a shared file system. \
              Without a root directory, a client mounting through the access point sees every \
              other application's files, and a compromise of one workload reads or destroys the \
              others' data.",
        noncompliant: r#"Pulumi (TypeScript):

    const ap = new aws.efs.AccessPoint("media", {
        fileSystemId: share.id,
    });

Terraform:

    resource "aws_efs_access_point" "media" {
      file_system_id = aws_efs_file_system.media.id
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const ap = new aws.efs.AccessPoint("media", {
        fileSystemId: share.id,
        rootDirectory: {
            path: "/media",
            creationInfo: { ownerUid: 1000, ownerGid: 1000, permissions: "750" },
        },
    });

Terraform:

    resource "aws_efs_access_point" "media" {
      file_system_id = aws_efs_file_system.media.id
      root_directory {
        path = "/media"
        creation_info {
          owner_uid   = 1000
          owner_gid   = 1000
          permissions = "750"
        }
      }
    }"#,
        fix: "Pulumi: `rootDirectory: { path: \"/media\", creationInfo: {...} }`; Terraform: a \
              `root_directory { path = \"/media\" creation_info { ... } }` block. Changing it \
              replaces the access point; clients remount. Combine with a file system policy that \
              allows mounts only through access points.",
        references: &[
            "AWS: Working with Amazon EFS access points — https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html",
            "AWS Security Hub: Amazon EFS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html (EFS.3)",
            "NIST SP 800-53 Rev. 5: AC-3, AC-6; ISO/IEC 27001:2022: A.8.3",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let setting = at(view, "rootDirectory.path");
    let note = match text(view, "rootDirectory.path")? {
        Some(dir) if dir.trim() != "/" => return Ok(Verdict::Pass),
        Some(_) => format!("`{setting}` is `/`"),
        None => format!("`{}` is not set", at(view, "rootDirectory")),
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} exposes the whole file system ({note})",
            who(view, "EFS access point")
        ))
        .at(setting),
    ))
}
