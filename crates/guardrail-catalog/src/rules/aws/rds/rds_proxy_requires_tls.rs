//! AWS-RDS-015: RDS Proxy requires TLS from clients.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-RDS-015",
    name: "rds-proxy-requires-tls",
    title: "RDS Proxy requires TLS from clients",
    description: "An RDS Proxy that does not require TLS accepts plaintext client connections, \
                  exposing credentials and query data on the network.",
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
        "aws_db_proxy",
        "aws:rds/proxy:Proxy",
    ],
    remediation: "Set `require_tls = true` (Pulumi `requireTls: true`) and connect with TLS.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "RDS proxies (`aws_db_proxy`, Pulumi `aws:rds/proxy:Proxy`): `require_tls` (Pulumi \
               `requireTls`) must be true. Absent means false and is a violation. A value known \
               only after apply is indeterminate.",
        why: "Without TLS, the database protocol carries passwords (or IAM tokens), queries and \
              results in the clear between the application and the proxy. Anyone with a foothold \
              on the network path — a compromised host in the VPC, a mirrored interface — can \
              read or alter them.",
        noncompliant: r#"Pulumi (TypeScript):

    const proxy = new aws.rds.Proxy("orders", {
        engineFamily: "POSTGRESQL",
        roleArn: proxyRole.arn,
        vpcSubnetIds: privateSubnetIds,
        auths: [{ authScheme: "SECRETS", secretArn: dbSecret.arn }],
    });

Terraform:

    resource "aws_db_proxy" "orders" {
      engine_family  = "POSTGRESQL"
      role_arn       = aws_iam_role.proxy.arn
      vpc_subnet_ids = var.private_subnet_ids
      require_tls    = false
      auth {
        auth_scheme = "SECRETS"
        secret_arn  = aws_secretsmanager_secret.db.arn
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const proxy = new aws.rds.Proxy("orders", {
        engineFamily: "POSTGRESQL",
        roleArn: proxyRole.arn,
        vpcSubnetIds: privateSubnetIds,
        requireTls: true,
        auths: [{ authScheme: "SECRETS", secretArn: dbSecret.arn, iamAuth: "REQUIRED" }],
    });

Terraform:

    resource "aws_db_proxy" "orders" {
      engine_family  = "POSTGRESQL"
      role_arn       = aws_iam_role.proxy.arn
      vpc_subnet_ids = var.private_subnet_ids
      require_tls    = true
      auth {
        auth_scheme = "SECRETS"
        secret_arn  = aws_secretsmanager_secret.db.arn
        iam_auth    = "REQUIRED"
      }
    }"#,
        fix: "Pulumi: `requireTls: true`; Terraform: `require_tls = true`. Make sure clients \
              connect with TLS first (`sslmode=require` or stricter for PostgreSQL, \
              `--ssl-mode=REQUIRED` for MySQL), since the proxy then refuses plaintext \
              connections.",
        references: &[
            "AWS: Using TLS/SSL with RDS Proxy — https://docs.aws.amazon.com/AmazonRDS/latest/UserGuide/rds-proxy.howitworks.html#rds-proxy-security.tls",
            "Terraform AWS provider: aws_db_proxy — https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/db_proxy",
            "PCI DSS v4.0: 4.2.1; HIPAA: 164.312(e)(1); NIST SP 800-53 Rev. 5: SC-8; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    expect_flag(
        view,
        "requireTls",
        true,
        false,
        &format!("{} accepts connections without TLS", who(view, "RDS proxy")),
    )
}
