//! AWS-RDS-013: RDS instances and DB clusters do not use a default administrator name.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};
use serde_json::json;

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-013",
    name: "rds-custom-master-username",
    title: "RDS instances and DB clusters do not use a default administrator name",
    description: "A well-known master username such as `admin` or `postgres` hands an attacker \
                  half of the credentials; a custom name makes password guessing much harder.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["2.2.2"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.9"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-2", "CM-6"],
        },
    ]),
    resource_types: &[
        "aws_db_instance",
        "aws:rds/instance:Instance",
        "aws_rds_cluster",
        "aws:rds/cluster:Cluster",
    ],
    remediation: "Choose a master username that is not a well-known default (`admin`, `postgres`, \
                  `root`, `sa`...).",
    fix: FixSafety::None,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "RDS database instances (`aws_db_instance`, `username`; Pulumi \
               `aws:rds/instance:Instance`, `username`) and DB clusters (`aws_rds_cluster`, \
               `master_username`; Pulumi `aws:rds/cluster:Cluster`, `masterUsername`): the master \
               username must not be one of the configured `usernames` (default `admin`, \
               `administrator`, `awsuser`, `master`, `postgres`, `root`, `sa`), compared without \
               regard to case. Resources without a username (read replicas, snapshot restores) \
               are not applicable; a username known only after apply is indeterminate.",
        why: "Credential-stuffing and brute-force tools try the console defaults first. When the \
              administrator's name is known, only the password stands between an exposed endpoint \
              and full control of the database; a custom name removes that head start and makes \
              such attempts stand out in the logs.",
        noncompliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        username: "postgres",
        manageMasterUserPassword: true,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                      = "aurora-mysql"
      master_username             = "admin"
      manage_master_user_password = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const db = new aws.rds.Instance("orders", {
        engine: "postgres",
        instanceClass: "db.t4g.medium",
        allocatedStorage: 50,
        username: "orders_owner",
        manageMasterUserPassword: true,
    });

Terraform:

    resource "aws_rds_cluster" "orders" {
      engine                      = "aurora-mysql"
      master_username             = "orders_owner"
      manage_master_user_password = true
    }"#,
        fix: "Pulumi: set `username` (instances) or `masterUsername` (clusters) to a name \
              specific to the workload; Terraform: `username` or `master_username`. The master \
              username cannot be changed on an existing database: create the new one with a \
              custom name and migrate, or accept the finding for existing databases with an \
              exemption. Adjust the list with the rule's `usernames`.",
        references: &[
            "AWS: Master user account privileges — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/UsingWithRDS.MasterAccounts.html",
            "AWS Security Hub: Amazon RDS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/rds-controls.html (RDS.24, RDS.25)",
            "PCI DSS v4.0: 2.2.2; NIST SP 800-53 Rev. 5: AC-2, CM-6; ISO/IEC 27001:2022: A.8.9",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "usernames": {
                "description": "Master usernames that are not allowed (compared ignoring case).",
                "type": "array",
                "items": {"type": "string"},
                "default": ["admin", "administrator", "awsuser", "master", "postgres", "root", "sa"]
            }
        }
    })
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(serde_json::Value::Array(forbidden)) = config.get("usernames") else {
        return Err(Halt::error("config `usernames` must be a list of names"));
    };
    let key = if view.resource.type_.contains("luster") {
        "masterUsername"
    } else {
        "username"
    };
    let Some(name) = text(view, key)? else {
        return Ok(Verdict::not_applicable(
            "no master username (a replica or restore)",
        ));
    };
    let default = forbidden
        .iter()
        .filter_map(serde_json::Value::as_str)
        .any(|f| f.eq_ignore_ascii_case(name.trim()));
    if !default {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{} uses the well-known master username `{name}`",
            who(view, "database")
        ))
        .at(at(view, key)),
    ))
}
