//! AWS-IAM-011: the AWS managed `AdministratorAccess` policy is not attached by code.

use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::at;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-011",
    name: "iam-no-administrator-access-attachment",
    title: "The AdministratorAccess managed policy is not attached to users, groups or roles",
    description: "Attaching the AWS managed `AdministratorAccess` policy grants `*` on `*`; \
                  workloads and everyday identities should hold scoped policies instead.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "least-privilege"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["1.16"],
        },
        Control {
            framework: "pci-dss",
            controls: &["7.2.1", "7.2.2"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.3"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.2"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AC-6"],
        },
    ]),
    resource_types: &[
        "aws_iam_role_policy_attachment",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws_iam_user_policy_attachment",
        "aws:iam/userPolicyAttachment:UserPolicyAttachment",
        "aws_iam_group_policy_attachment",
        "aws:iam/groupPolicyAttachment:GroupPolicyAttachment",
        "aws_iam_policy_attachment",
        "aws:iam/policyAttachment:PolicyAttachment",
        "aws_iam_role",
        "aws:iam/role:Role",
    ],
    remediation: "Attach a policy scoped to the job; keep administrator access to a break-glass \
                  role managed outside application stacks.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Policy attachments — `aws_iam_role_policy_attachment`, \
               `aws_iam_user_policy_attachment`, `aws_iam_group_policy_attachment`, \
               `aws_iam_policy_attachment` (Pulumi `aws:iam/rolePolicyAttachment:RolePolicyAttachment` \
               and the like) by `policy_arn` — and the `managed_policy_arns` of roles (Pulumi \
               `managedPolicyArns`). An ARN `arn:<partition>:iam::aws:policy/AdministratorAccess` \
               is a violation. An attachment's ARN known only after apply is indeterminate; a \
               role's `managed_policy_arns` wholly unknown is the provider's computed value when \
               the program sets none, and is not read.",
        why: "`AdministratorAccess` is `*` on `*`: CIS AWS Foundations 1.16 asks that no such \
              policy be attached. In application stacks it usually means a shortcut taken \
              during development; the identity holding it can do anything in the account, \
              including removing the evidence.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.iam.RolePolicyAttachment("app-admin", {
        role: appRole.name,
        policyArn: "arn:aws:iam::aws:policy/AdministratorAccess",
    });

Terraform:

    resource "aws_iam_role_policy_attachment" "app_admin" {
      role       = aws_iam_role.app.name
      policy_arn = "arn:aws:iam::aws:policy/AdministratorAccess"
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.iam.RolePolicyAttachment("app-read", { role: appRole.name, policyArn: appPolicy.arn });

Terraform:

    resource "aws_iam_role_policy_attachment" "app" {
      role       = aws_iam_role.app.name
      policy_arn = aws_iam_policy.app.arn
    }"#,
        fix: "Write a policy with the actions the identity uses (IAM Access Analyzer can \
              generate one from CloudTrail) and attach that instead, in `policyArn` / \
              `policy_arn` or `managedPolicyArns` / `managed_policy_arns`.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 1.16 Ensure IAM policies that allow full \"*:*\" administrative privileges are not attached",
            "AWS managed policy: AdministratorAccess — https://docs.aws.amazon.com/aws-managed-policy/latest/reference/AdministratorAccess.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn is_admin(arn: &str) -> bool {
    arn.starts_with("arn:") && arn.ends_with(":iam::aws:policy/AdministratorAccess")
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let name = &view.resource.name;
    if canonical_type(&view.resource.type_) == "aws_iam_role" {
        let path = at(view, "managedPolicyArns");
        let Ok(Some(arns)) = view.field("managedPolicyArns") else {
            return Ok(Verdict::Pass);
        };
        let mut unknown = false;
        for (i, arn) in arns.items().enumerate() {
            if arn.is_unknown() {
                unknown = true;
            } else if arn.as_str().is_some_and(is_admin) {
                return Ok(Verdict::violation(
                    Violation::new(format!(
                        "IAM role `{name}` has the AdministratorAccess managed policy attached"
                    ))
                    .at(format!("{path}[{i}]")),
                ));
            }
        }
        if unknown {
            return Err(Halt::unknown(path));
        }
        return Ok(Verdict::Pass);
    }
    let path = at(view, "policyArn");
    let arn = view
        .field("policyArn")
        .map_err(|_| Halt::unknown(&path))?
        .and_then(Value::as_str);
    if !arn.is_some_and(is_admin) {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "`{name}` attaches the AdministratorAccess managed policy: attach a scoped policy \
             instead"
        ))
        .at(path),
    ))
}
