//! BigQuery rules.

pub mod bigquery_dataset_default_cmek;
pub mod bigquery_dataset_not_public;
pub mod bigquery_iam_not_public;
pub mod bigquery_table_cmek;
pub mod bigquery_table_deletion_protection;
