//! Amazon SNS rules.

pub mod sns_subscription_https;
pub mod sns_topic_encrypted;
pub mod sns_topic_policy_not_public;
