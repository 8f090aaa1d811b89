//! Amazon RDS and Aurora rules.

pub mod rds_auto_minor_version_upgrade;
pub mod rds_backup_retention_period;
pub mod rds_cluster_storage_encrypted;
pub mod rds_copy_tags_to_snapshots;
pub mod rds_custom_master_username;
pub mod rds_deletion_protection_enabled;
pub mod rds_enhanced_monitoring_enabled;
pub mod rds_iam_database_authentication;
pub mod rds_instance_multi_az;
pub mod rds_instance_not_publicly_accessible;
pub mod rds_instance_storage_encrypted;
pub mod rds_log_exports_enabled;
pub mod rds_parameter_group_requires_tls;
pub mod rds_performance_insights_customer_key;
pub mod rds_proxy_requires_tls;
pub mod rds_snapshot_not_public;
