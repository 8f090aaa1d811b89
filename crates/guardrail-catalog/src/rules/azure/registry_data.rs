//! Registry group: Azure data services (Storage, Key Vault, SQL, PostgreSQL, MySQL, Cosmos DB).

use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &storage::storage_account_https_only::RULE,
    &storage::storage_account_minimum_tls_1_2::RULE,
    &storage::storage_account_no_anonymous_blob_access::RULE,
    &storage::storage_account_network_default_deny::RULE,
    &storage::storage_account_infrastructure_encryption::RULE,
    &storage::storage_account_no_cross_tenant_replication::RULE,
    &storage::storage_account_shared_key_disabled::RULE,
    &storage::storage_account_public_network_access_disabled::RULE,
    &storage::storage_account_trusted_services_bypass::RULE,
    &keyvault::key_vault_purge_protection::RULE,
    &keyvault::key_vault_rbac_authorization::RULE,
    &keyvault::key_vault_network_default_deny::RULE,
    &keyvault::key_vault_key_expires::RULE,
    &keyvault::key_vault_secret_expires::RULE,
    &keyvault::key_vault_rsa_key_size::RULE,
    &sql::sql_server_public_network_access_disabled::RULE,
    &sql::sql_server_minimum_tls_1_2::RULE,
    &sql::sql_server_entra_admin::RULE,
    &sql::sql_server_entra_only_authentication::RULE,
    &sql::sql_database_transparent_data_encryption::RULE,
    &sql::database_firewall_not_open_to_all::RULE,
    &postgresql::postgresql_server_ssl_enforced::RULE,
    &postgresql::postgresql_server_minimum_tls_1_2::RULE,
    &postgresql::postgresql_server_geo_redundant_backup::RULE,
    &postgresql::postgresql_server_infrastructure_encryption::RULE,
    &postgresql::postgresql_flexible_server_geo_redundant_backup::RULE,
    &postgresql::postgresql_flexible_server_public_network_access_disabled::RULE,
    &postgresql::postgresql_flexible_server_backup_retention::RULE,
    &postgresql::postgresql_logging_parameters_on::RULE,
    &postgresql::postgresql_flexible_server_requires_tls::RULE,
];
