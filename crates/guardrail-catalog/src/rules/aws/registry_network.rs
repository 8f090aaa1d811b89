//! Registry group: S3, EC2/EBS, VPC, ELB, CloudFront.

#[allow(unused_imports, reason = "rules are listed here as they are written")]
use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[];
