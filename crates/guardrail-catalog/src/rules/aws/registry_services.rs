//! Registry group: IAM, CloudTrail, Lambda, EKS, ECR, ECS, SNS, SQS, API Gateway, CloudWatch.

#[allow(unused_imports, reason = "rules are listed here as they are written")]
use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[];
