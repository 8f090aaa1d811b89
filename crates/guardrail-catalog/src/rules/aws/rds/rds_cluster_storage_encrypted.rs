//! AWS-RDS-003: Aurora and Multi-AZ DB clusters encrypt their storage.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-003",
    name: "rds-cluster-storage-encrypted",
    title: "Aurora and Multi-AZ DB clusters encrypt their storage",
    description: "A DB cluster without storage encryption keeps its cluster volume, automated \
                  backups and snapshots unencrypted at rest.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["rds"],
    topics: &["encryption"],
    frameworks: Frameworks::Mapped(&[
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
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "Create the cluster with `storage_encrypted = true` (Pulumi `storageEncrypted: \
                  true`), optionally with a customer-managed `kms_key_id`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "DB clusters (`aws_rds_cluster`, Pulumi `aws:rds/cluster:Cluster`: Aurora and \
               Multi-AZ DB clusters): `storage_encrypted` (Pulumi `storageEncrypted`) must be \
               true. When absent the provider default applies: false for provisioned clusters (a \
               violation), true for `engine_mode = \"serverless\"` (Aurora Serverless v1, always \
               encrypted). Clusters restored from a snapshot (`snapshot_identifier` set) without \
               the flag inherit the snapshot's encryption and are not applicable. A value known \
               only after apply is indeterminate.",
        why: "An unencrypted cluster volume and its snapshots are readable by whoever obtains a \
              copy: a snapshot shared by mistake or copied out of a compromised account. KMS \
              encryption puts the data behind key policies and audited key use, and it can only \
              be chosen when the cluster is created.",
        noncompliant: r#"Pulumi (TypeScript):

    const cluster = new aws.rds.Cluster("orders", {
        engine: "aurora-postgresql",
        masterUsername: "appadmin",
        manageMasterUserPassword: true,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                      = "aurora-postgresql"
      master_username             = "appadmin"
      manage_master_user_password = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const cluster = new aws.rds.Cluster("orders", {
        engine: "aurora-postgresql",
        masterUsername: "appadmin",
        manageMasterUserPassword: true,
        storageEncrypted: true,
        kmsKeyId: dataKey.arn,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                      = "aurora-postgresql"
      master_username             = "appadmin"
      manage_master_user_password = true
      storage_encrypted           = true
      kms_key_id                  = aws_kms_key.data.arn
    }"#,
        fix: "Pulumi: `storageEncrypted: true` (and `kmsKeyId` for a customer-managed key); \
              Terraform: `storage_encrypted = true` (and `kms_key_id`). The setting forces a new \
              cluster: migrate existing data by snapshotting the cluster, restoring the snapshot \
              into a new encrypted cluster (`snapshot_identifier` with `storage_encrypted = true` \
              and `kms_key_id`), and switching clients over.",
        references: &[
            "AWS: Encrypting Amazon Aurora resources — https://docs.aws.amazon.com/AmazonRDS/latest/AuroraUserGuide/Overview.Encryption.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.27)",
            "Terraform AWS provider: aws_rds_cluster — https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/rds_cluster",
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
    if flag(view, "storageEncrypted")?.is_none() && text(view, "snapshotIdentifier")?.is_some() {
        return Ok(Verdict::not_applicable(
            "restored from a snapshot without `storage_encrypted`: the snapshot's encryption applies",
        ));
    }
    let serverless =
        text(view, "engineMode")?.is_some_and(|m| m.eq_ignore_ascii_case("serverless"));
    expect_flag(
        view,
        "storageEncrypted",
        true,
        serverless,
        &format!("{} does not encrypt its storage", who(view, "DB cluster")),
    )
}
