//! Registry group: IAM, CloudTrail, Lambda, EKS, ECR, ECS, SNS, SQS, API Gateway, CloudWatch.

#[allow(unused_imports, reason = "rules are listed here as they are written")]
use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &iam::iam_password_policy_min_length::RULE,
    &iam::iam_policy_no_full_admin::RULE,
    &iam::iam_user_no_attached_policies::RULE,
    &iam::iam_user_no_inline_policies::RULE,
    &iam::iam_access_key_inactive::RULE,
    &iam::iam_no_administrator_access_attachment::RULE,
    &iam::iam_password_policy_complexity::RULE,
    &iam::iam_password_policy_max_age::RULE,
    &iam::iam_password_policy_reuse_prevention::RULE,
    &iam::iam_policy_no_allow_not_action::RULE,
    &iam::iam_role_trust_no_public_principal::RULE,
    &iam::iam_role_no_policy_management_conflicts::RULE,
    &cloudtrail::cloudtrail_cloudwatch_logs::RULE,
    &cloudtrail::cloudtrail_global_service_events::RULE,
    &cloudtrail::cloudtrail_kms_encryption::RULE,
    &cloudtrail::cloudtrail_log_file_validation::RULE,
    &cloudtrail::cloudtrail_logging_enabled::RULE,
    &cloudtrail::cloudtrail_multi_region::RULE,
    &cloudtrail::cloudtrail_s3_data_events::RULE,
    &lambda::lambda_dead_letter_queue::RULE,
    &lambda::lambda_environment_cmk_encryption::RULE,
    &lambda::lambda_function_in_vpc::RULE,
    &lambda::lambda_function_url_auth::RULE,
    &lambda::lambda_permission_not_public::RULE,
    &lambda::lambda_reserved_concurrency::RULE,
    &lambda::lambda_runtime_supported::RULE,
    &lambda::lambda_tracing_enabled::RULE,
    &ecs::ecs_cluster_container_insights::RULE,
    &ecs::ecs_service_no_public_ip::RULE,
    &ecs::ecs_task_log_configuration::RULE,
    &ecs::ecs_task_no_host_network::RULE,
    &ecs::ecs_task_no_host_pid::RULE,
    &ecs::ecs_task_no_privileged_containers::RULE,
    &ecs::ecs_task_no_secrets_in_environment::RULE,
    &ecs::ecs_task_non_root_user::RULE,
    &ecs::ecs_task_read_only_root_filesystem::RULE,
];
