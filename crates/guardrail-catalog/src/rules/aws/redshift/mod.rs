//! Amazon Redshift rules.

pub mod redshift_cluster_audit_logging;
pub mod redshift_cluster_custom_admin_username;
pub mod redshift_cluster_encrypted;
pub mod redshift_cluster_enhanced_vpc_routing;
pub mod redshift_cluster_not_publicly_accessible;
pub mod redshift_cluster_snapshot_retention;
pub mod redshift_cluster_version_upgrades;
pub mod redshift_parameter_group_requires_ssl;
