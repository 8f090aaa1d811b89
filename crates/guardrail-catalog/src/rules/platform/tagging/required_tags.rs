//! PLATFORM-003: taggable resources carry the required tags; the fix adds the missing ones.

use guardrail_core::{
    canonical_type, Enforcement, FixSafety, Halt, Map, Mode, ResourceView, Severity, Value,
    Verdict, Violation,
};
use serde_json::json;

use crate::rule::{Check, Frameworks, RuleDocs, RuleSpec};
use crate::support::{key_segment, spelled};

/// Canonical types known to take `tags`, for sources (Pulumi) that omit unset properties.
/// Resources whose properties have a `tags` key (Terraform plans list every attribute) count
/// whatever their type.
pub const TAGGABLE: &[&str] = &[
    "aws_s3_bucket",
    "aws_s3_object",
    "aws_s3_bucket_object",
    "aws_instance",
    "aws_launch_template",
    "aws_ebs_volume",
    "aws_security_group",
    "aws_default_security_group",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
    "aws_vpc",
    "aws_subnet",
    "aws_flow_log",
    "aws_lb",
    "aws_lb_target_group",
    "aws_lb_listener",
    "aws_elb",
    "aws_db_instance",
    "aws_rds_cluster",
    "aws_dynamodb_table",
    "aws_iam_role",
    "aws_iam_user",
    "aws_iam_policy",
    "aws_kms_key",
    "aws_lambda_function",
    "aws_ecs_task_definition",
    "aws_eks_cluster",
    "aws_ecr_repository",
    "aws_sns_topic",
    "aws_sqs_queue",
    "aws_cloudtrail",
    "aws_cloudwatch_log_group",
    "aws_eip",
    "aws_nat_gateway",
    "aws_internet_gateway",
    "aws_route_table",
    "aws_network_interface",
    "aws_key_pair",
    "aws_vpc_endpoint",
    "aws_rds_cluster_instance",
    "aws_db_subnet_group",
    "aws_elasticache_cluster",
    "aws_elasticache_replication_group",
    "aws_efs_file_system",
    "aws_secretsmanager_secret",
    "aws_ssm_parameter",
    "aws_ecs_cluster",
    "aws_ecs_service",
    "aws_api_gateway_rest_api",
    "aws_cloudfront_distribution",
    "aws_sfn_state_machine",
    "aws_kinesis_stream",
    "aws_route53_zone",
    "aws_acm_certificate",
    "azurerm_storage_account",
];

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "PLATFORM-003",
    name: "required-tags",
    title: "Taggable resources carry the required tags",
    description: "Every taggable resource must carry the configured tags; under `remediate` the \
                  missing tags are added with their configured default values.",
    severity: Severity::Low,
    enforcement: Enforcement::Remediate,
    vendor: "platform",
    services: &["tagging"],
    topics: &["tagging", "cost", "ownership"],
    frameworks: Frameworks::None {
        reason: "tag keys and values are an organisation's own convention; frameworks ask for \
                 an asset inventory, which tags support but do not by themselves satisfy",
    },
    resource_types: &[],
    remediation: "Add the missing tags to the resource's `tags`.",
    fix: FixSafety::Safe,
    config_schema: Some(schema),
    docs: RuleDocs {
        what: "Every managed, taggable resource — one whose properties have a `tags` key \
               (Terraform plans list every attribute, `tags = null` included), or whose type is \
               in the rule's list of taggable types (S3 buckets and objects, instances, volumes, \
               security groups, VPCs and subnets, load balancers, listeners and target groups, \
               databases, IAM roles, users and policies, KMS keys, Lambda functions, queues and \
               topics, log groups...) — must have each key of `tags` (a map of required key to \
               default value, by default `{\"Department\": \"unassigned\"}`). Keys are compared \
               exactly, as AWS does: `department` does not satisfy `Department`. A key present \
               in `tags_all` (Pulumi `tagsAll`: tags the provider adds through `default_tags`) \
               counts as present. Each missing key is a violation at `tags.<Key>`. Components, \
               providers and data sources are not checked. Tags known only after apply make the \
               outcome indeterminate.",
        why: "Tags are how an organisation knows who owns a resource, which budget pays for it, \
              which environment it belongs to and whom to call when it misbehaves. Untagged \
              resources are the ones nobody claims in a cost review and nobody patches after an \
              incident.",
        noncompliant: r#"Pulumi (TypeScript):

    const logs = new aws.s3.BucketV2("logs", { tags: { Owner: "team-a" } });

Terraform:

    resource "aws_s3_bucket" "logs" {
      tags = { Owner = "team-a" }
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const logs = new aws.s3.BucketV2("logs", { tags: { Owner: "team-a", Department: "payments" } });

Terraform:

    resource "aws_s3_bucket" "logs" {
      tags = { Owner = "team-a", Department = "payments" }
    }"#,
        fix: "Under `remediate` (this rule's default) guardrail adds each missing key with its \
              configured default value, keeping the existing tags and the property's spelling; \
              `guardrail fix` writes the result back. To fix by hand, add the keys to `tags` \
              (Pulumi and Terraform alike), or set them once for every resource of a provider: \
              Terraform `provider \"aws\" { default_tags { tags = { Department = \"payments\" } } }`, \
              Pulumi `new aws.Provider(\"aws\", { defaultTags: { tags: { Department: \"payments\" } } })`.",
        references: &[
            "AWS: Best practices for tagging AWS resources — https://docs.aws.amazon.com/whitepapers/latest/tagging-best-practices/tagging-best-practices.html",
            "Terraform AWS provider documentation: the provider's `default_tags` configuration block",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

fn schema() -> serde_json::Value {
    json!({
        "type": "object",
        "properties": {
            "tags": {
                "description": "Required tag keys, each with the value the fix sets.",
                "type": "object",
                "additionalProperties": {"type": "string"},
                "default": {"Department": "unassigned"}
            }
        }
    })
}

/// The configured required tags, in order.
fn required(config: &serde_json::Value) -> Result<Vec<Tag<'_>>, Halt> {
    let tags = match config.get("tags") {
        Some(serde_json::Value::Object(tags)) => tags,
        Some(other) => {
            return Err(Halt::error(format!(
                "config `tags` must be an object of tag key to default value, not `{other}`"
            )))
        }
        None => return Err(Halt::error("config `tags` is missing")),
    };
    tags.iter()
        .map(|(key, value)| match value {
            serde_json::Value::String(v) => Ok((key.as_str(), v.as_str())),
            other => Err(Halt::error(format!(
                "config `tags.{key}` must be a string (the value the fix sets), not `{other}`"
            ))),
        })
        .collect()
}

/// A required tag: key and the default value the fix sets.
type Tag<'c> = (&'c str, &'c str);

/// The required tags a resource lacks (`Ok`), or why the rule does not apply (`Err`).
type Absent<'c> = Result<Vec<Tag<'c>>, String>;

/// The required keys this resource lacks, or why the rule does not apply.
fn missing<'c>(view: ResourceView<'_>, required: &[Tag<'c>]) -> Result<Absent<'c>, Halt> {
    let resource = view.resource;
    if resource.mode != Mode::Managed {
        return Ok(Err("not a managed resource".into()));
    }
    let has_tags_key = view
        .props
        .as_object()
        .is_some_and(|props| props.keys().any(|k| k.eq_ignore_ascii_case("tags")));
    if !has_tags_key && !TAGGABLE.contains(&canonical_type(&resource.type_).as_ref()) {
        return Ok(Err(format!("`{}` takes no tags", resource.type_)));
    }
    let tags = match view.field("tags")? {
        None => None,
        Some(tags) => match tags.reveal() {
            Value::Object(map) => Some(map),
            // e.g. the list of tag blocks of older autoscaling groups: a different shape.
            _ => return Ok(Err("`tags` is not a map of tags".into())),
        },
    };
    let mut absent: Vec<Tag<'c>> = required
        .iter()
        .copied()
        .filter(|(key, _)| !tags.is_some_and(|t| t.contains_key(*key)))
        .collect();
    if absent.is_empty() {
        return Ok(Ok(absent));
    }
    // Tags the provider adds (`default_tags`) show in `tags_all`.
    let all_key = spelled(resource.spelling, "tagsAll");
    let all = view
        .field("tagsAll")
        .map_err(|_| Halt::unknown(all_key.as_str()))?;
    if let Some(Value::Object(all)) = all.map(Value::reveal) {
        absent.retain(|(key, _)| !all.contains_key(*key));
    }
    Ok(Ok(absent))
}

fn validate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Verdict, Halt> {
    let required = required(config)?;
    let absent = match missing(view, &required)? {
        Ok(absent) => absent,
        Err(reason) => return Ok(Verdict::not_applicable(reason)),
    };
    let name = &view.resource.name;
    Ok(Verdict::from_violations(
        absent
            .into_iter()
            .map(|(key, _)| {
                Violation::new(format!(
                    "`{name}` ({}) is missing the required tag `{key}`",
                    view.resource.type_
                ))
                .at(format!("tags{}", key_segment(key)))
            })
            .collect(),
    ))
}

fn remediate(view: ResourceView<'_>, config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    let required = required(config)?;
    let absent = match missing(view, &required)? {
        Ok(absent) if !absent.is_empty() => absent,
        _ => return Ok(None),
    };
    let mut props = view.props.clone();
    let mut tags = match props.get("tags") {
        Some(tags) if !tags.is_null() => tags.clone(),
        _ => Value::Object(Map::new()),
    };
    for (key, default) in absent {
        if let Value::Object(map) = &mut tags {
            map.insert(key.to_string(), Value::string(default));
        } else if let Value::Secret(inner) = &mut tags {
            if let Value::Object(map) = inner.as_mut() {
                map.insert(key.to_string(), Value::string(default));
            }
        }
    }
    if !props.set("tags", tags) {
        return Ok(None);
    }
    Ok(Some(props))
}

#[cfg(test)]
mod tests {
    use super::TAGGABLE;

    #[test]
    fn every_taggable_type_has_a_pulumi_spelling() {
        for canonical in TAGGABLE {
            assert!(
                guardrail_core::types::spellings(canonical).len() > 1,
                "`{canonical}` has no Pulumi token in guardrail-core's type table"
            );
        }
        let mut sorted = TAGGABLE.to_vec();
        sorted.sort_unstable();
        sorted.dedup();
        assert_eq!(sorted.len(), TAGGABLE.len(), "duplicate taggable types");
    }
}
