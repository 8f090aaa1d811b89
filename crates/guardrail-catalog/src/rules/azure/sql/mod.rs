//! Azure SQL Database rules.

pub mod database_firewall_not_open_to_all;
pub mod sql_database_geo_redundant_backup;
pub mod sql_database_long_term_retention;
pub mod sql_database_transparent_data_encryption;
pub mod sql_database_zone_redundant;
pub mod sql_server_entra_admin;
pub mod sql_server_entra_only_authentication;
pub mod sql_server_minimum_tls_1_2;
pub mod sql_server_outbound_network_restricted;
pub mod sql_server_public_network_access_disabled;
pub mod sql_server_tde_customer_managed_key;
