//! Amazon OpenSearch Service (and legacy Elasticsearch Service) rules.

pub mod opensearch_access_policy_not_public;
pub mod opensearch_domain_audit_logs;
pub mod opensearch_domain_encrypted_at_rest;
pub mod opensearch_domain_enforces_https;
pub mod opensearch_domain_error_logs;
pub mod opensearch_domain_fine_grained_access_control;
pub mod opensearch_domain_in_vpc;
pub mod opensearch_domain_node_to_node_encryption;
pub mod opensearch_domain_tls_policy;
