//! Pub/Sub rules.

pub mod pubsub_iam_not_public;
pub mod pubsub_topic_cmek;
