//! AWS-RDS-002: RDS instances encrypt their storage.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-002",
    name: "rds-instance-storage-encrypted",
    title: "RDS instances encrypt their storage",
    description: "An RDS instance without storage encryption keeps its data files, automated \
                  backups, snapshots and read replicas unencrypted at rest.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["rds"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["2.3.1"],
        },
        Control {
            framework: "pci-dss",
            controls: &["3.5.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(a)(2)(iv)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-28"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
    ],
    remediation: "Create the instance with `storage_encrypted = true` (Pulumi `storageEncrypted: \
                  true`), optionally with a customer-managed `kms_key_id`; existing instances are \
                  migrated through an encrypted snapshot copy.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, Pulumi `aws:rds/instance:Instance`): \
               `storage_encrypted` (Pulumi `storageEncrypted`) must be true. Absent means the \
               provider default, false, and is a violation. Read replicas (`replicate_source_db` \
               set) take their encryption from the source and are not applicable; instances \
               restored from a snapshot (`snapshot_identifier` set) without the flag inherit the \
               snapshot's encryption and are not applicable either. Aurora storage is encrypted \
               at the cluster (AWS-RDS-003). This is the AWSGuard `rds-storage-encrypted` check.",
        why: "Unencrypted database storage leaves the data readable to anyone who obtains a \
              snapshot, a backup or the underlying volume: a snapshot shared by mistake, a \
              compromised account that copies snapshots out, or media handled outside AWS's \
              controls. Encryption with KMS also puts access to the data behind key policies and \
              CloudTrail-logged key use. Encryption can only be chosen when the instance is \
              created.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "mysql",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine            = "mysql"
      instance_class    = "db.t4g.medium"
      allocated_storage = 50
      storage_encrypted = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "mysql",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        storageEncrypted: true,
        kmsKeyId: dataKey.arn,
    });

Terraform:

    resource "aws_db_instance" "orders" {
      engine            = "mysql"
      instance_class    = "db.t4g.medium"
      allocated_storage = 50
      storage_encrypted = true
      kms_key_id        = aws_kms_key.data.arn
    }"#,
        fix: "Pulumi: `storageEncrypted: true` (and `kmsKeyId` for a customer-managed key); \
              Terraform: `storage_encrypted = true` (and `kms_key_id`). Changing the flag \
              replaces the instance, which destroys its data: for an existing database, take a \
              snapshot, copy it with encryption (`aws rds copy-db-snapshot --kms-key-id ...`), \
              restore the copy (`snapshot_identifier`), switch clients over, then retire the old \
              instance. guardrail offers no automatic fix for that reason.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 2.3.1 Ensure that encryption-at-rest is enabled for RDS Instances",
            "AWS: Encrypting Amazon RDS resources — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/Overview.Encryption.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.3)",
            "Pulumi AWSGuard: rds-storage-encrypted",
            "PCI DSS v4.0: 3.5.1; HIPAA: 164.312(a)(2)(iv); NIST SP 800-53 Rev. 5: SC-28; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if text(view, "replicateSourceDb")?.is_some() {
        return Ok(Verdict::not_applicable(
            "a read replica takes its encryption from the source instance",
        ));
    }
    if flag(view, "storageEncrypted")?.is_none() && text(view, "snapshotIdentifier")?.is_some() {
        return Ok(Verdict::not_applicable(
            "restored from a snapshot without `storage_encrypted`: the snapshot's encryption applies",
        ));
    }
    expect_flag(
        view,
        "storageEncrypted",
        true,
        false,
        &format!("{} does not encrypt its storage", who(view, "RDS instance")),
    )
}
