//! Amazon ECR rules.

pub mod ecr_immutable_tags;
pub mod ecr_kms_encryption;
pub mod ecr_repository_policy_not_public;
pub mod ecr_scan_on_push;
