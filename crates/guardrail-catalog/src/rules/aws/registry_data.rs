//! Registry group: RDS, DynamoDB, ElastiCache, OpenSearch, Redshift, EFS, KMS, Secrets Manager.

#[allow(unused_imports, reason = "rules are listed here as they are written")]
use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[];
