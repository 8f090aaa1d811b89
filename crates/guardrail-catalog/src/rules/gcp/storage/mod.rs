//! Cloud Storage rules.

pub mod storage_acl_not_public;
pub mod storage_bucket_access_logging;
pub mod storage_bucket_customer_managed_key;
pub mod storage_bucket_iam_not_public;
pub mod storage_bucket_public_access_prevention;
pub mod storage_bucket_retention_policy_locked;
pub mod storage_bucket_soft_delete;
pub mod storage_bucket_uniform_access;
pub mod storage_bucket_versioning;
