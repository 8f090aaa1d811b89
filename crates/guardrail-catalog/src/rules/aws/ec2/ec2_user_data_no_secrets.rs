//! AWS-EC2-014: instance user data carries no credentials.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, base64_decode, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-EC2-014",
    name: "ec2-user-data-no-secrets",
    title: "Instance user data carries no credentials",
    description: "User data is readable by anyone who can describe the instance or reach its \
                  metadata service; AWS keys, private keys and passwords do not belong in it.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["ec2"],
    topics: &["secrets", "identity"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "pci-dss", controls: &["8.3.2"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.17"] },
        Control { framework: "nist-800-53", controls: &["IA-5"] },
    ]),
    resource_types: &[
        "aws_instance",
        "aws:ec2/instance:Instance",
        "aws_launch_template",
        "aws:ec2/launchTemplate:LaunchTemplate",
        "aws_launch_configuration",
        "aws:ec2/launchConfiguration:LaunchConfiguration",
    ],
    remediation: "Move the secret to AWS Secrets Manager or SSM Parameter Store and fetch it at \
                  boot with the instance role.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "The `user_data` and `user_data_base64` of `aws_instance`, `aws_launch_template` \
               and `aws_launch_configuration` (Pulumi `userData`, `userDataBase64` on \
               `aws:ec2/instance:Instance`, `aws:ec2/launchTemplate:LaunchTemplate`, \
               `aws:ec2/launchConfiguration:LaunchConfiguration`). Text that is valid base64 is \
               decoded first (launch templates require it). A violation names each kind of \
               credential found: an AWS access key id (`AKIA`/`ASIA` followed by 16 capitals \
               or digits), an `aws_secret_access_key` assignment, a PEM private key header, or \
               an assignment to a variable named like a password or secret with a literal \
               value. The secret itself is never printed. Terraform stores `aws_instance` user \
               data as a hash in plans and state, which hides it from this rule; Pulumi \
               inputs and launch templates show it. User data known only after apply is \
               indeterminate.",
        why: "User data is not secret: it is visible to anyone with `ec2:DescribeInstanceAttribute`, \
              to every process on the instance through the metadata service, in launch \
              template versions that are kept forever, and in the plans and state of the code \
              that wrote it. Credentials in it leak far beyond the instance they were meant \
              for.",
        noncompliant: r##"Pulumi (TypeScript):

    new aws.ec2.Instance("app", {
        ami: ami.id, instanceType: "t3.micro",
        userData: "#!/bin/bash\nexport DB_PASSWORD=hunter2\n./start.sh",
    });

Terraform:

    resource "aws_launch_template" "app" {
      image_id  = data.aws_ami.al2023.id
      user_data = base64encode("#!/bin/bash\nexport AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY\n")
    }"##,
        compliant: r##"Pulumi (TypeScript):

    userData: "#!/bin/bash\nexport DB_PASSWORD=$(aws secretsmanager get-secret-value --secret-id app/db --query SecretString --output text)\n./start.sh",

Terraform:

    user_data = base64encode(templatefile("boot.sh", { secret_arn = aws_secretsmanager_secret.db.arn }))"##,
        fix: "Store the secret in AWS Secrets Manager or SSM Parameter Store (SecureString), \
              grant the instance role read access to it, and fetch it in the boot script; use \
              the instance role instead of access keys for AWS APIs. Rotate any credential that \
              was ever in user data.",
        references: &[
            "AWS: Run commands when you launch an EC2 instance with user data input — https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/user-data.html",
            "AWS: Retrieve secrets from AWS Secrets Manager — https://docs.aws.amazon.com/secretsmanager/latest/userguide/retrieving-secrets.html",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

/// Kinds of credential found in a text.
fn findings(text: &str) -> Vec<&'static str> {
    let mut found = Vec::new();
    let bytes = text.as_bytes();
    let key_id = bytes.windows(20).any(|w| {
        (w.starts_with(b"AKIA") || w.starts_with(b"ASIA"))
            && w.iter()
                .skip(4)
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
    });
    if key_id {
        found.push("an AWS access key id");
    }
    let lower = text.to_ascii_lowercase();
    if lower.contains("aws_secret_access_key") && assigned(&lower, "aws_secret_access_key") {
        found.push("an AWS secret access key");
    }
    if lower.contains("-----begin") && lower.contains("private key-----") {
        found.push("a private key");
    }
    let named = ["password", "passwd", "secret", "api_key", "apikey", "token"];
    let password = lower.lines().any(|line| {
        named.iter().any(|name| {
            line.match_indices(name).any(|(i, _)| {
                let rest = &line[i + name.len()..];
                let rest = rest.trim_start_matches(|c: char| c.is_ascii_alphanumeric() || c == '_');
                let rest = rest.trim_start();
                let Some(value) = rest.strip_prefix('=').or_else(|| rest.strip_prefix(':')) else {
                    return false;
                };
                literal(value)
            })
        })
    });
    if password && !found.contains(&"an AWS secret access key") {
        found.push("a password or secret assignment");
    }
    found
}

/// Whether `name` is assigned a literal somewhere in the text.
fn assigned(lower: &str, name: &str) -> bool {
    lower.match_indices(name).any(|(i, _)| {
        let rest = lower[i + name.len()..]
            .trim_start_matches(['"', '\''])
            .trim_start();
        rest.strip_prefix('=')
            .or_else(|| rest.strip_prefix(':'))
            .is_some_and(literal)
    })
}

/// Whether an assigned value is a literal (not empty, not a variable, a command substitution
/// or a template placeholder).
fn literal(value: &str) -> bool {
    let value = value.trim().trim_matches(['"', '\'']).trim();
    let first = value.split_whitespace().next().unwrap_or("");
    first.len() >= 4
        && !first.starts_with('$')
        && !first.starts_with('{')
        && !first.starts_with('<')
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut violations = Vec::new();
    for camel in ["userData", "userDataBase64"] {
        let Some(raw) = read(view, camel)?.and_then(Value::as_str) else {
            continue;
        };
        let decoded = base64_decode(raw.trim())
            .and_then(|bytes| String::from_utf8(bytes).ok())
            .filter(|text| text.chars().all(|c| !c.is_control() || c.is_whitespace()));
        let text = decoded.as_deref().unwrap_or(raw);
        let kinds = findings(text);
        if !kinds.is_empty() {
            violations.push(
                Violation::new(format!(
                    "the user data of `{}` contains {}",
                    view.resource.name,
                    crate::support::join_words(
                        &kinds.iter().map(|k| (*k).to_string()).collect::<Vec<_>>()
                    )
                ))
                .at(at(view, camel)),
            );
        }
    }
    Ok(Verdict::from_violations(violations))
}

#[cfg(test)]
mod tests {
    use super::findings;

    #[test]
    fn finds_credentials_but_not_lookups() {
        assert_eq!(
            findings("export AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE"),
            vec!["an AWS access key id"]
        );
        assert_eq!(
            findings("DB_PASSWORD=hunter22"),
            vec!["a password or secret assignment"]
        );
        assert!(findings("DB_PASSWORD=$(aws ssm get-parameter)").is_empty());
        assert!(findings("password: ${password}").is_empty());
        assert!(findings("-----BEGIN RSA PRIVATE KEY-----").contains(&"a private key"));
        assert!(findings("#!/bin/bash\nyum install -y nginx").is_empty());
    }
}
