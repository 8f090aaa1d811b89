//! AWS Identity and Access Management rules, and the policy-document reading they share.

pub mod iam_access_key_inactive;
pub mod iam_no_administrator_access_attachment;
pub mod iam_password_policy_complexity;
pub mod iam_password_policy_max_age;
pub mod iam_password_policy_min_length;
pub mod iam_password_policy_reuse_prevention;
pub mod iam_policy_no_allow_not_action;
pub mod iam_policy_no_full_admin;
pub mod iam_role_no_policy_management_conflicts;
pub mod iam_role_trust_no_public_principal;
pub mod iam_user_no_attached_policies;
pub mod iam_user_no_inline_policies;

use guardrail_core::{canonical_type, Halt, ResourceView, Value};

use crate::support::spelled;
use crate::support::{document_at, read};

/// A policy document of a resource, with the path it was read from.
pub(crate) struct Document {
    /// The property path in the resource's spelling (`policy`, `inline_policy[0].policy`).
    pub path: String,
    /// The parsed document.
    pub doc: Value,
}

/// The noun for messages about an IAM policy-bearing resource.
pub(crate) fn noun(view: ResourceView<'_>) -> &'static str {
    match canonical_type(&view.resource.type_).as_ref() {
        "aws_iam_policy" => "IAM policy",
        "aws_iam_role_policy" => "role policy",
        "aws_iam_user_policy" => "user policy",
        "aws_iam_group_policy" => "group policy",
        "aws_iam_role" => "IAM role",
        _ => "policy",
    }
}

/// The permission documents a resource carries: `policy` of managed and inline policy
/// resources, and each `inline_policy` block of a role (Pulumi `inlinePolicies`). Text that is not
/// JSON is skipped. A role's `inline_policy` wholly unknown is left out: the provider computes it
/// when the program does not set it, so it says nothing about what the program grants.
pub(crate) fn permission_documents(view: ResourceView<'_>) -> Result<Vec<Document>, Halt> {
    let spelling = view.resource.spelling;
    let mut out = Vec::new();
    if canonical_type(&view.resource.type_) == "aws_iam_role" {
        let (key, blocks) = match view.field("inlinePolicies") {
            Ok(Some(found)) => ("inlinePolicies", Some(found)),
            Ok(None) => ("inlinePolicy", view.field("inlinePolicy").unwrap_or(None)),
            Err(_) => ("inlinePolicies", None),
        };
        let Some(blocks) = blocks else {
            return Ok(out);
        };
        let key = spelled(spelling, key);
        for (i, block) in blocks.items().enumerate() {
            let path = format!("{key}[{i}].policy");
            let policy = block.field("policy").map_err(|_| Halt::unknown(&path))?;
            // asked from the props: a whole secret `inline_policy` makes its documents secret
            if let Some(doc) = policy.and_then(|p| document_at(view.props, &path, p)) {
                out.push(Document { path, doc });
            }
        }
        return Ok(out);
    }
    if let Some(raw) = read(view, "policy")? {
        if let Some(doc) = document_at(view.props, &spelled(spelling, "policy"), raw) {
            out.push(Document {
                path: spelled(spelling, "policy"),
                doc,
            });
        }
    }
    Ok(out)
}
