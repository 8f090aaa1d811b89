//! Amazon Elastic File System rules.

pub mod efs_access_point_posix_user;
pub mod efs_access_point_root_directory;
pub mod efs_file_system_backup_enabled;
pub mod efs_file_system_customer_managed_key;
pub mod efs_file_system_encrypted;
pub mod efs_file_system_policy_not_public;
