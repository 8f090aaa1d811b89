//! AWS-EFS-003: EFS file systems have automatic backups enabled.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, StackFinding, StackView, Value, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read, unlinked, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EFS-003",
    name: "efs-file-system-backup-enabled",
    title: "EFS file systems have automatic backups enabled",
    description: "Without an enabled backup policy, AWS Backup takes no automatic daily backups \
                  of the file system, so deleted or overwritten files cannot be recovered.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["efs"],
    topics: &["backup", "resilience"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "soc2",
            controls: &["A1.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.13"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.308(a)(7)(ii)(A)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["CP-9"],
        },
    ]),
    resource_types: &[
        "aws_efs_file_system",
        "aws:efs/fileSystem:FileSystem",
        "aws_efs_backup_policy",
        "aws:efs/backupPolicy:BackupPolicy",
    ],
    remediation: "Add an `aws_efs_backup_policy` (Pulumi `aws.efs.BackupPolicy`) with `status = \
                  \"ENABLED\"` for the file system, or include it in an AWS Backup plan.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule over EFS file systems (`aws_efs_file_system`, Pulumi \
               `aws:efs/fileSystem:FileSystem`). Each file system must have an \
               `aws_efs_backup_policy` (Pulumi `aws:efs/backupPolicy:BackupPolicy`) in the same \
               stack whose `backup_policy.status` (Pulumi `backupPolicy.status`) is `ENABLED` and \
               whose `file_system_id` (Pulumi `fileSystemId`) refers to it — by the file system's \
               id, ARN or creation token, or by a property dependency of `file_system_id` \
               (Pulumi's, or the argument's reference in a Terraform plan's configuration). A policy that is `DISABLED` \
               does not count. A policy whose target or status is unknown and that could be the \
               only cover makes the outcome indeterminate. File systems backed up by an AWS \
               Backup plan selecting them by tag are not visible to this rule; exempt them with \
               that reason.",
        why: "EFS has no snapshots of its own. Automatic backups are the way back from an `rm \
              -rf`, a ransomware run over a mounted share or a broken deployment; without them, \
              every file lost is lost for good.",
        noncompliant: r#"Pulumi (TypeScript):

    const share = new aws.efs.FileSystem("media", {
        creationToken: "shared-media",
        encrypted: true,
    });

Terraform:

    resource "aws_efs_file_system" "media" {
      creation_token = "shared-media"
      encrypted      = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const share = new aws.efs.FileSystem("media", { creationToken: "shared-media", encrypted: true });
    const backups = new aws.efs.BackupPolicy("media", {
        fileSystemId: share.id,
        backupPolicy: { status: "ENABLED" },
    });

Terraform:

    resource "aws_efs_file_system" "media" {
      creation_token = "shared-media"
      encrypted      = true
    }

    resource "aws_efs_backup_policy" "media" {
      file_system_id = aws_efs_file_system.media.id
      backup_policy {
        status = "ENABLED"
      }
    }"#,
        fix: "Pulumi: `new aws.efs.BackupPolicy(name, { fileSystemId: fs.id, backupPolicy: { \
              status: \"ENABLED\" } })`; Terraform: an `aws_efs_backup_policy` with \
              `file_system_id` and `backup_policy { status = \"ENABLED\" }`. This uses the AWS \
              Backup default plan (daily, 35-day retention); for other schedules add the file \
              system to an `aws_backup_plan` selection.",
        references: &[
            "AWS: Automatic backups of Amazon EFS file systems — https://docs.aws.amazon.com/efs/latest/ug/awsbackup.html",
            "AWS Security Hub: Amazon EFS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/efs-controls.html (EFS.2)",
            "NIST SP 800-53 Rev. 5: CP-9; HIPAA: 164.308(a)(7)(ii)(A); ISO/IEC 27001:2022: A.8.13; SOC 2: A1.2",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// The resources checked.
const TARGETS: &[&str] = &["aws_efs_file_system"];
/// The resources that configure them.
const LINKS: &[&str] = &["aws_efs_backup_policy"];

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    Ok(unlinked(
        view,
        TARGETS,
        LINKS,
        "fileSystemId",
        &["id", "arn", "creationToken"],
        |_| Ok(false),
        enabled,
        |target| {
            Violation::new(format!(
                "{} has no enabled backup policy: add an EFS backup policy with status `ENABLED`",
                who(target, "EFS file system")
            ))
            .at(at(target, "encrypted"))
        },
    ))
}

/// Whether a backup policy's status is `ENABLED`; `Err` with the path when it is unknown.
fn enabled(policy: ResourceView<'_>) -> Result<bool, String> {
    match read(policy, "backupPolicy.status") {
        Ok(status) => Ok(status
            .and_then(Value::as_str)
            .is_some_and(|s| s.eq_ignore_ascii_case("ENABLED"))),
        Err(_) => Err(at(policy, "backupPolicy.status")),
    }
}
