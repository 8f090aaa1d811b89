//! Registry group: RDS, DynamoDB, ElastiCache, OpenSearch, Redshift, EFS, KMS, Secrets Manager.

use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &rds::rds_instance_not_publicly_accessible::RULE,
    &rds::rds_instance_storage_encrypted::RULE,
    &rds::rds_cluster_storage_encrypted::RULE,
    &rds::rds_backup_retention_period::RULE,
    &rds::rds_instance_multi_az::RULE,
    &rds::rds_deletion_protection_enabled::RULE,
    &rds::rds_iam_database_authentication::RULE,
    &rds::rds_auto_minor_version_upgrade::RULE,
    &rds::rds_performance_insights_customer_key::RULE,
    &rds::rds_enhanced_monitoring_enabled::RULE,
    &rds::rds_log_exports_enabled::RULE,
    &rds::rds_copy_tags_to_snapshots::RULE,
    &rds::rds_custom_master_username::RULE,
    &rds::rds_snapshot_not_public::RULE,
    &rds::rds_proxy_requires_tls::RULE,
    &rds::rds_parameter_group_requires_tls::RULE,
    &dynamodb::dynamodb_table_kms_encryption::RULE,
    &dynamodb::dynamodb_table_customer_managed_key::RULE,
    &dynamodb::dynamodb_table_point_in_time_recovery::RULE,
    &dynamodb::dynamodb_table_deletion_protection::RULE,
    &dynamodb::dax_cluster_encrypted_at_rest::RULE,
    &dynamodb::dax_cluster_endpoint_tls::RULE,
    &kms::kms_key_rotation_enabled::RULE,
    &kms::kms_key_deletion_window::RULE,
    &kms::kms_key_policy_not_public::RULE,
    &kms::kms_key_policy_lockout_check::RULE,
    &secretsmanager::secretsmanager_secret_rotation_enabled::RULE,
    &secretsmanager::secretsmanager_rotation_interval::RULE,
    &secretsmanager::secretsmanager_secret_customer_managed_key::RULE,
    &secretsmanager::secretsmanager_secret_recovery_window::RULE,
    &secretsmanager::secretsmanager_secret_policy_not_public::RULE,
];
