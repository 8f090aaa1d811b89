//! AWS-IAM-012: a role's policies are managed in one way only (AWSGuard
//! `iam-role-no-policy-management-conflicts`).

use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, Mode, Operation, ResourceView, Severity,
    Spelling, StackFinding, StackView, Value, Violation,
};

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::spelled;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-IAM-012",
    name: "iam-role-no-policy-management-conflicts",
    title: "A role's policies are not managed both on the role and by separate resources",
    description: "A role that sets `managed_policy_arns` or `inline_policy` owns those policies \
                  exclusively; separate role policies or attachments for the same role fight it \
                  on every deployment.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["iam"],
    topics: &["identity", "configuration"],
    frameworks: Frameworks::None {
        reason: "a correctness problem of how the provider manages role policies, not a \
                 compliance control; it matters because the effective permissions flap",
    },
    resource_types: &[
        "aws_iam_role",
        "aws:iam/role:Role",
        "aws_iam_role_policy",
        "aws:iam/rolePolicy:RolePolicy",
        "aws_iam_role_policy_attachment",
        "aws:iam/rolePolicyAttachment:RolePolicyAttachment",
        "aws_iam_policy_attachment",
        "aws:iam/policyAttachment:PolicyAttachment",
    ],
    remediation: "Manage the role's policies in one place: either list them on the role \
                  (`managed_policy_arns`, `inline_policy`) or use separate resources, not both.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "A stack rule, after AWSGuard's `iam-role-no-policy-management-conflicts`. For \
               every inline role policy (`aws_iam_role_policy`, Pulumi \
               `aws:iam/rolePolicy:RolePolicy`), role policy attachment \
               (`aws_iam_role_policy_attachment`) and policy attachment \
               (`aws_iam_policy_attachment`, by its `roles`), the roles it refers to are found by \
               property dependencies on `role`/`roles`, or by the value matching a role's `name` \
               or `id`. When such a role sets a non-empty `managed_policy_arns` (Pulumi \
               `managedPolicyArns`) or `inline_policy` blocks (Pulumi `inlinePolicies`), the \
               separate resource is a violation. Terraform plans and states do not say whether those role attributes \
               were written in the program or computed by the provider (which fills \
               them with every attached policy), so for Terraform only roles being \
               created or replaced are read, where an attribute the configuration \
               leaves out is not set; an attribute wholly unknown counts as not set.",
        why: "The AWS provider documents that `managed_policy_arns` and `inline_policy` take \
              exclusive ownership of the role's policies. A separate attachment is removed by \
              the role on the next update and added back by the attachment on the one after, so \
              the role's effective permissions change from deployment to deployment — a \
              workload loses access it needs, or keeps access it was meant to lose.",
        noncompliant: r#"Pulumi (TypeScript):

    const role = new aws.iam.Role("app", { assumeRolePolicy, managedPolicyArns: [readOnly.arn] });
    new aws.iam.RolePolicyAttachment("app-s3", { role: role.name, policyArn: s3.arn });

Terraform:

    resource "aws_iam_role" "app" {
      assume_role_policy  = data.aws_iam_policy_document.trust.json
      managed_policy_arns = [aws_iam_policy.read_only.arn]
    }
    resource "aws_iam_role_policy_attachment" "app_s3" {
      role       = aws_iam_role.app.name
      policy_arn = aws_iam_policy.s3.arn
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const role = new aws.iam.Role("app", { assumeRolePolicy });
    new aws.iam.RolePolicyAttachment("app-read", { role: role.name, policyArn: readOnly.arn });
    new aws.iam.RolePolicyAttachment("app-s3", { role: role.name, policyArn: s3.arn });

Terraform:

    resource "aws_iam_role" "app" {
      assume_role_policy = data.aws_iam_policy_document.trust.json
    }
    resource "aws_iam_role_policy_attachment" "app_s3" {
      role       = aws_iam_role.app.name
      policy_arn = aws_iam_policy.s3.arn
    }"#,
        fix: "Pick one style per role. Either move every attachment into the role's \
              `managedPolicyArns` / `managed_policy_arns` (and inline policies into \
              `inlinePolicies` / `inline_policy`), or remove those arguments from the role and \
              keep the separate `RolePolicyAttachment` / `RolePolicy` resources (Terraform: \
              `aws_iam_role_policy_attachment`, `aws_iam_role_policy`, or the newer \
              `aws_iam_role_policy_attachments_exclusive`).",
        references: &[
            "Pulumi AWSGuard policy pack: iam-role-no-policy-management-conflicts — https://github.com/pulumi/pulumi-policy-aws",
            "Terraform AWS provider: aws_iam_role, note on managed_policy_arns and inline_policy — https://registry.terraform.io/providers/hashicorp/aws/latest/docs/resources/iam_role",
        ],
    },
    check: Check::Stack(validate),
    source: file!(),
};

/// Which of the role's own policy lists it sets, for messages.
fn exclusive_lists(role: ResourceView<'_>) -> Vec<String> {
    let spelling = role.resource.spelling;
    if spelling == Spelling::Terraform
        && !matches!(
            role.resource.operation,
            Operation::Create | Operation::Replace
        )
    {
        return Vec::new();
    }
    let mut out = Vec::new();
    for keys in [
        &["managedPolicyArns"][..],
        &["inlinePolicies", "inlinePolicy"][..],
    ] {
        for key in keys {
            if let Ok(Some(Value::Array(items))) = role.field(key) {
                if !items.is_empty() {
                    out.push(format!("`{}`", spelled(spelling, key)));
                    break;
                }
            }
        }
    }
    out
}

fn validate(view: StackView<'_>, _config: &serde_json::Value) -> Result<Vec<StackFinding>, Halt> {
    let managed = |r: &ResourceView<'_>| r.resource.mode == Mode::Managed;
    let roles: Vec<ResourceView<'_>> = view
        .resources()
        .filter(|r| managed(r) && canonical_type(&r.resource.type_) == "aws_iam_role")
        .collect();
    let mut findings = Vec::new();
    for other in view.resources().filter(managed) {
        let (noun, key) = match canonical_type(&other.resource.type_).as_ref() {
            "aws_iam_role_policy" => ("role policy", "role"),
            "aws_iam_role_policy_attachment" => ("role policy attachment", "role"),
            "aws_iam_policy_attachment" => ("policy attachment", "roles"),
            _ => continue,
        };
        let by_dependency: Vec<&str> = other
            .resource
            .property_dependencies
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, deps)| deps.items().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let by_value: Vec<&str> = match other.field(key) {
            Ok(Some(v)) => v.items().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        for role in &roles {
            let names: Vec<&str> = ["name", "id"]
                .iter()
                .filter_map(|k| role.field(k).ok().flatten().and_then(Value::as_str))
                .collect();
            let refers = by_dependency.contains(&role.resource.id.as_str())
                || by_value.iter().any(|v| names.contains(v));
            if !refers {
                continue;
            }
            let lists = exclusive_lists(*role);
            if lists.is_empty() {
                continue;
            }
            findings.push(StackFinding::violation(
                other.resource.id.clone(),
                Violation::new(format!(
                    "{noun} `{}` manages policies of IAM role `{}`, which sets {} and so owns \
                     its policies exclusively; manage them in one place",
                    other.resource.name,
                    role.resource.name,
                    lists.join(" and ")
                ))
                .at(spelled(other.resource.spelling, key)),
            ));
        }
    }
    Ok(findings)
}
