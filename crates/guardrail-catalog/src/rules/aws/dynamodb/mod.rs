//! Amazon DynamoDB and DynamoDB Accelerator (DAX) rules.

pub mod dax_cluster_encrypted_at_rest;
pub mod dax_cluster_endpoint_tls;
pub mod dynamodb_table_customer_managed_key;
pub mod dynamodb_table_deletion_protection;
pub mod dynamodb_table_kms_encryption;
pub mod dynamodb_table_point_in_time_recovery;
