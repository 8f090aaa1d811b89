//! Registry group: S3, EC2/EBS, VPC, ELB, CloudFront.

#[allow(unused_imports, reason = "rules are listed here as they are written")]
use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &s3::s3_bucket_server_side_encryption::RULE,
    &s3::s3_bucket_encryption_uses_kms::RULE,
    &s3::s3_bucket_public_access_block::RULE,
    &s3::s3_public_access_block_settings::RULE,
    &s3::s3_account_public_access_block::RULE,
    &s3::s3_bucket_versioning_enabled::RULE,
    &s3::s3_bucket_access_logging::RULE,
    &s3::s3_bucket_tls_only::RULE,
    &s3::s3_bucket_acl_not_public::RULE,
    &s3::s3_bucket_policy_not_public::RULE,
    &s3::s3_bucket_mfa_delete::RULE,
    &s3::s3_bucket_object_lock::RULE,
    &s3::s3_bucket_ownership_enforced::RULE,
];
