//! AWS-REDSHIFT-007: Redshift parameter groups require SSL connections.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read_first_at, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-REDSHIFT-007",
    name: "redshift-parameter-group-requires-ssl",
    title: "Redshift parameter groups require SSL connections",
    description: "Unless the cluster parameter group sets `require_ssl` to true, Redshift accepts \
                  plaintext client connections.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["redshift"],
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
        "aws_redshift_parameter_group",
        "aws:redshift/parameterGroup:ParameterGroup",
    ],
    remediation: "Add the parameter `require_ssl` = `true` to the cluster parameter group.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Redshift parameter groups (`aws_redshift_parameter_group`, Pulumi \
               `aws:redshift/parameterGroup:ParameterGroup`): the parameter `require_ssl` must be \
               present with value `true` (or `1`/`on`). Parameters are read from Terraform's \
               `parameter` blocks and Pulumi's `parameters` list. A missing parameter means \
               Redshift's default, false, and is a violation. A value known only after apply is \
               indeterminate. Clusters on the default parameter group do not require SSL either; \
               give them a parameter group that this rule checks.",
        why: "BI tools and scripts connect with whatever driver settings they were given. Without \
              a server-side requirement, one misconfigured client sends credentials and query \
              results in plaintext; only the cluster can guarantee that every connection is \
              encrypted.",
        noncompliant: r#"Pulumi (TypeScript):

    const params = new aws.redshift.ParameterGroup("analytics", {
        family: "redshift-1.0",
        parameters: [{ name: "enable_user_activity_logging", value: "true" }],
    });

Terraform:

    resource "aws_redshift_parameter_group" "analytics" {
      name   = "analytics"
      family = "redshift-1.0"
      parameter {
        name  = "require_ssl"
        value = "false"
      }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const params = new aws.redshift.ParameterGroup("analytics", {
        family: "redshift-1.0",
        parameters: [
            { name: "enable_user_activity_logging", value: "true" },
            { name: "require_ssl", value: "true" },
        ],
    });

Terraform:

    resource "aws_redshift_parameter_group" "analytics" {
      name   = "analytics"
      family = "redshift-1.0"
      parameter {
        name  = "require_ssl"
        value = "true"
      }
    }"#,
        fix: "Add `{ name: \"require_ssl\", value: \"true\" }` to Pulumi's `parameters`, or a \
              `parameter { name = \"require_ssl\" value = \"true\" }` block in Terraform, and \
              attach the group to the cluster (`cluster_parameter_group_name`). The change takes \
              effect after a reboot; make sure clients use SSL first.",
        references: &[
            "AWS: Configuring security options for connections (require_ssl) — https://docs.aws.amazon.com/redshift/latest/mgmt/connecting-ssl-support.html",
            "AWS Security Hub: Amazon Redshift controls — https://docs.aws.amazon.com/securityhub/latest/userguide/redshift-controls.html (Redshift.2)",
            "PCI DSS v4.0: 4.2.1; HIPAA: 164.312(e)(1); NIST SP 800-53 Rev. 5: SC-8",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let group = who(view, "Redshift parameter group");
    let (list, list_path) = match read_first_at(view, &["parameter", "parameters"])? {
        Some(found) => found,
        None => (&Value::Null, at(view, "parameter")),
    };
    for (i, parameter) in list.items().enumerate() {
        let at = format!("{list_path}[{i}]");
        let name = parameter
            .field("name")
            .map_err(|_| Halt::unknown(format!("{at}.name")))?;
        if !name
            .and_then(Value::as_str)
            .is_some_and(|n| n.trim().eq_ignore_ascii_case("require_ssl"))
        {
            continue;
        }
        let value = parameter
            .field("value")
            .map_err(|_| Halt::unknown(format!("{at}.value")))?;
        let text = value
            .and_then(Value::as_str)
            .unwrap_or_default()
            .trim()
            .to_ascii_lowercase();
        if matches!(text.as_str(), "true" | "1" | "on") {
            return Ok(Verdict::Pass);
        }
        return Ok(Verdict::violation(
            Violation::new(format!(
                "{group} sets `require_ssl` to `{text}`, so clients may connect without SSL"
            ))
            .at(format!("{at}.value")),
        ));
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "{group} does not set `require_ssl`, so clients may connect without SSL"
        ))
        .at(list_path),
    ))
}
