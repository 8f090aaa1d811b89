//! AWS-RDS-007: RDS instances and Aurora clusters accept IAM database authentication.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{engine, expect_flag, fix_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-007",
    name: "rds-iam-database-authentication",
    title: "RDS instances and Aurora clusters accept IAM database authentication",
    description: "IAM database authentication lets applications and people connect with \
                  short-lived tokens tied to IAM identities instead of long-lived database \
                  passwords.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["8.3.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.5"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(d)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-2", "IA-2"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "Set `iam_database_authentication_enabled = true` (Pulumi \
                  `iamDatabaseAuthenticationEnabled: true`) and grant `rds-db:connect` to the \
                  roles that connect.",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS database instances with a MySQL or PostgreSQL engine (`aws_db_instance`, \
               Pulumi `aws:rds/instance:Instance`, `engine` `mysql` or `postgres`) and Aurora \
               clusters (`aws_rds_cluster`, Pulumi `aws:rds/cluster:Cluster`, `engine` `aurora`, \
               `aurora-mysql` or `aurora-postgresql`): `iam_database_authentication_enabled` \
               (Pulumi `iamDatabaseAuthenticationEnabled`) must be true. Absent means false. \
               Other engines (Oracle, SQL Server, MariaDB, Db2) and resources without an `engine` \
               (read replicas, snapshot restores) are not applicable. A value known only after \
               apply is indeterminate. Under `remediate` guardrail turns the option on.",
        why: "Database passwords are long-lived secrets that end up in configuration files, CI \
              variables and laptops, and are rarely rotated. With IAM authentication, access is \
              granted and revoked through IAM policies, every connection uses a 15-minute token, \
              and CloudTrail records who was allowed to connect. Turning it on does not disable \
              password logins, so it can be adopted gradually.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine          = "aurora-mysql"
      master_username = "appadmin"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        iamDatabaseAuthenticationEnabled: true,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                              = "aurora-mysql"
      master_username                     = "appadmin"
      iam_database_authentication_enabled = true
    }"#,
        fix: "Pulumi: `iamDatabaseAuthenticationEnabled: true`; Terraform: \
              `iam_database_authentication_enabled = true`. Then create database users mapped to \
              IAM (`GRANT rds_iam TO app` on PostgreSQL, `IDENTIFIED WITH \
              AWSAuthenticationPlugin` on MySQL) and allow `rds-db:connect` in the application's \
              IAM role. Enabling the option is online and keeps password logins working, which is \
              why the automatic fix is safe.",
        references: &[
            "AWS: IAM database authentication for MariaDB, MySQL, and PostgreSQL — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.IAMDBAuth.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.10, RDS.12)",
            "NIST SP 800-53 Rev. 5: AC-2, IA-2; ISO/IEC 27001:2022: A.8.5; SOC 2: CC6.1",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

/// Engines that support IAM database authentication.
const ENGINES: &[&str] = &[
    "mysql",
    "postgres",
    "aurora",
    "aurora-mysql",
    "aurora-postgresql",
];

fn applies(view: ResourceView<'_>) -> Result<Result<(), String>, Halt> {
    match engine(view)? {
        None => Ok(Err(
            "no `engine` (a replica or restore takes the source's)".into()
        )),
        Some(engine) if ENGINES.contains(&engine.as_str()) => Ok(Ok(())),
        Some(engine) => Ok(Err(format!(
            "engine `{engine}` does not support IAM database authentication"
        ))),
    }
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Err(reason) = applies(view)? {
        return Ok(Verdict::not_applicable(reason));
    }
    let noun = if view.resource.type_.contains("luster") {
        "DB cluster"
    } else {
        "RDS instance"
    };
    expect_flag(
        view,
        "iamDatabaseAuthenticationEnabled",
        true,
        false,
        &format!(
            "{} does not accept IAM database authentication",
            who(view, noun)
        ),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if applies(view)?.is_err() {
        return Ok(None);
    }
    fix_flag(view, "iamDatabaseAuthenticationEnabled", true, false)
}
