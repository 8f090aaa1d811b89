//! Amazon S3 rules.

pub mod s3_account_public_access_block;
pub mod s3_bucket_access_logging;
pub mod s3_bucket_acl_not_public;
pub mod s3_bucket_encryption_uses_kms;
pub mod s3_bucket_mfa_delete;
pub mod s3_bucket_object_lock;
pub mod s3_bucket_ownership_enforced;
pub mod s3_bucket_policy_not_public;
pub mod s3_bucket_public_access_block;
pub mod s3_bucket_server_side_encryption;
pub mod s3_bucket_tls_only;
pub mod s3_bucket_versioning_enabled;
pub mod s3_public_access_block_settings;
