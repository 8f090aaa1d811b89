//! AWS-RDS-016: RDS parameter groups make the database refuse connections without TLS.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read_first_at, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-016",
    name: "rds-parameter-group-requires-tls",
    title: "RDS parameter groups make the database refuse connections without TLS",
    description: "Unless the parameter group forces it (`rds.force_ssl` or \
                  `require_secure_transport`), PostgreSQL, MySQL, MariaDB and SQL Server accept \
                  plaintext client connections.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["rds"],
    topics: &["tls", "encryption"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "pci-dss",
            controls: &["4.2.1"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.7"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(e)(1)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-8"],
        },
    ]),
    resource_types: &[
        "aws_db_parameter_group",
        "aws:rds/parameterGroup:ParameterGroup",
        "aws_rds_cluster_parameter_group",
        "aws:rds/clusterParameterGroup:ClusterParameterGroup",
    ],
    remediation: "Set `rds.force_ssl = 1` (PostgreSQL, Aurora PostgreSQL, SQL Server) or \
                  `require_secure_transport = ON` (MySQL, MariaDB, Aurora MySQL) in the parameter \
                  group.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "DB parameter groups and DB cluster parameter groups (`aws_db_parameter_group`, \
               `aws_rds_cluster_parameter_group`; Pulumi `aws:rds/parameterGroup:ParameterGroup`, \
               `aws:rds/clusterParameterGroup:ClusterParameterGroup`), by `family`: PostgreSQL, \
               Aurora PostgreSQL and SQL Server families need the parameter `rds.force_ssl` set \
               to `1`; MySQL, MariaDB and Aurora MySQL families need `require_secure_transport` \
               set to `ON` (or `1`). Parameters are read from Terraform's `parameter` blocks and \
               Pulumi's `parameters` list. RDS for PostgreSQL 15 and later already default \
               `rds.force_ssl` to 1, so for `postgres15` and newer only an explicit `0` violates; \
               for every other family a missing parameter is a violation. Other families (Oracle, \
               Db2, DocumentDB, Neptune) are not applicable. A family or parameter value known \
               only after apply is indeterminate.",
        why: "Without a server-side requirement, any client that forgets `sslmode=require` or \
              uses an old driver connects in plaintext, sending credentials and data readable by \
              anyone on the network path. Only the database can guarantee that every connection \
              is encrypted, and the parameter group is where RDS lets you say so.",
        noncompliant: r#"Pulumi (TypeScript):

    const params = new aws.rds.ParameterGroup("app", {
        family: "mysql8.0",
        parameters: [{ name: "max_connections", value: "500" }],
    });

Terraform:

    resource "aws_db_parameter_group" "app" {
      family = "postgres14"
      parameter {
        name  = "log_min_duration_statement"
        value = "500"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const params = new aws.rds.ParameterGroup("app", {
        family: "mysql8.0",
        parameters: [
            { name: "max_connections", value: "500" },
            { name: "require_secure_transport", value: "ON" },
        ],
    });

Terraform:

    resource "aws_db_parameter_group" "app" {
      family = "postgres14"
      parameter {
        name  = "rds.force_ssl"
        value = "1"
      }
    }"#,
        fix: "Add the parameter: Pulumi `parameters: [{ name: \"rds.force_ssl\", value: \"1\" }]` \
              or `{ name: \"require_secure_transport\", value: \"ON\" }`; Terraform a `parameter \
              { name = \"rds.force_ssl\" value = \"1\" }` block (or `require_secure_transport` = \
              `ON`). On older engine versions the change needs a reboot (`apply_method = \
              \"pending-reboot\"`). Confirm every client connects with TLS first, since plaintext \
              connections are refused afterwards.",
        references: &[
            "AWS: Using SSL with a PostgreSQL DB instance (rds.force_ssl) — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/PostgreSQL.Concepts.General.SSL.html",
            "AWS: Requiring SSL/TLS for all connections to a MySQL DB instance — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/mysql-ssl-connections.require-ssl.html",
            "AWS: Forcing connections to your SQL Server DB instance to use SSL — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/SQLServer.Concepts.General.SSL.Using.html",
            "PCI DSS v4.0: 4.2.1; HIPAA: 164.312(e)(1); NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

/// The parameter that forces TLS for a parameter group family, and whether the family already
/// forces it by default; `None` for families without such a parameter.
fn tls_parameter(family: &str) -> Option<(&'static str, bool)> {
    let family = family.trim().to_ascii_lowercase();
    if let Some(version) = family.strip_prefix("postgres") {
        let major: u32 = version
            .split('.')
            .next()
            .and_then(|v| v.parse().ok())
            .unwrap_or(0);
        return Some(("rds.force_ssl", major >= 15));
    }
    if family.starts_with("aurora-postgresql") || family.starts_with("sqlserver") {
        return Some(("rds.force_ssl", false));
    }
    if family.starts_with("mysql")
        || family.starts_with("mariadb")
        || family.starts_with("aurora-mysql")
    {
        return Some(("require_secure_transport", false));
    }
    None
}

fn is_on(value: &str) -> bool {
    matches!(
        value.trim().to_ascii_lowercase().as_str(),
        "1" | "on" | "true"
    )
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let Some(family) = text(view, "family")? else {
        return Ok(Verdict::not_applicable("no parameter group `family`"));
    };
    let Some((name, default_on)) = tls_parameter(family) else {
        return Ok(Verdict::not_applicable(format!(
            "family `{family}` has no parameter that forces TLS"
        )));
    };
    let group = who(view, "parameter group");
    let Some((list, list_path)) = read_first_at(view, &["parameter", "parameters"])? else {
        return Ok(if default_on {
            Verdict::Pass
        } else {
            Verdict::violation(
                Violation::new(format!(
                    "{group} (family `{family}`) does not set `{name}`, so clients may connect without TLS"
                ))
                .at(at(view, "parameter")),
            )
        });
    };
    for (i, parameter) in list.items().enumerate() {
        let at = format!("{list_path}[{i}]");
        let Some(found) = parameter
            .field("name")
            .map_err(|_| Halt::unknown(format!("{at}.name")))?
        else {
            continue;
        };
        if !found
            .as_str()
            .is_some_and(|n| n.trim().eq_ignore_ascii_case(name))
        {
            continue;
        }
        let value = parameter
            .field("value")
            .map_err(|_| Halt::unknown(format!("{at}.value")))?
            .map(|v| match v.as_str() {
                Some(s) => s.to_string(),
                None => v.to_json_redacted().to_string(),
            })
            .unwrap_or_default();
        if is_on(&value) {
            return Ok(Verdict::Pass);
        }
        return Ok(Verdict::violation(
            Violation::new(format!(
                "{group} sets `{name}` to `{value}`, so clients may connect without TLS"
            ))
            .at(format!("{at}.value")),
        ));
    }
    if default_on {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{group} (family `{family}`) does not set `{name}`, so clients may connect without TLS"
        ))
        .at(list_path),
    ))
}
