//! Amazon SQS rules.

pub mod sqs_queue_dead_letter;
pub mod sqs_queue_encrypted;
pub mod sqs_queue_policy_not_public;
