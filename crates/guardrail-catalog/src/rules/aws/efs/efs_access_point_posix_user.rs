//! AWS-EFS-005: EFS access points enforce a POSIX user identity.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EFS-005",
    name: "efs-access-point-posix-user",
    title: "EFS access points enforce a POSIX user identity",
    description: "Without `posix_user`, clients act on the file system with whatever user id they \
                  claim, including root.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["efs"],
    topics: &["least-privilege", "identity"],
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
    remediation: "Set `posix_user { uid = ..., gid = ... }` (Pulumi `posixUser: { uid, gid }`) on \
                  the access point.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "EFS access points (`aws_efs_access_point`, Pulumi \
               `aws:efs/accessPoint:AccessPoint`): `posix_user` (Pulumi `posixUser`) must be set \
               with a `uid`. Missing is a violation. A value known only after apply is \
               indeterminate.",
        why: "NFS trusts the user id the client sends. An access point with a POSIX user \
              overrides it, so a container running as root, or a compromised client, still acts \
              as the application's unprivileged user and cannot read or change files it does not \
              own.",
        noncompliant: r#"Pulumi (TypeScript):

    const ap = new aws.efs.AccessPoint("media", {
        fileSystemId: share.id,
        rootDirectory: { path: "/media" },
    });

Terraform:

    resource "aws_efs_access_point" "media" {
      file_system_id = aws_efs_file_system.media.id
      root_directory {
        path = "/media"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const ap = new aws.efs.AccessPoint("media", {
        fileSystemId: share.id,
        rootDirectory: { path: "/media" },
        posixUser: { uid: 1000, gid: 1000 },
    });

Terraform:

    resource "aws_efs_access_point" "media" {
      file_system_id = aws_efs_file_system.media.id
      root_directory {
        path = "/media"
      }
      posix_user {
        uid = 1000
        gid = 1000
      }
    }"#,
        fix: "Pulumi: `posixUser: { uid: 1000, gid: 1000 }`; Terraform: `posix_user { uid = 1000 \
              gid = 1000 }`, using the ids the application's files belong to. Changing it \
              replaces the access point.",
        references: &[
            "AWS: Enforcing a user identity using an access point — https://docs.aws.amazon.com/efs/latest/ug/efs-access-points.html#enforce-identity-access-points",
            "AWS Security Hub: Amazon EFS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html (EFS.4)",
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
    if read(view, "posixUser.uid")?.is_some() {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} lets clients choose their own user id (`{}` is not set)",
            who(view, "EFS access point"),
            at(view, "posixUser")
        ))
        .at(at(view, "posixUser")),
    ))
}
