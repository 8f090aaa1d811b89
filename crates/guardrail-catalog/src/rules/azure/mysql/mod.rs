//! Azure Database for MySQL rules.

pub mod mysql_flexible_server_backup_retention;
pub mod mysql_flexible_server_geo_redundant_backup;
pub mod mysql_flexible_server_high_availability;
pub mod mysql_flexible_server_public_network_access_disabled;
pub mod mysql_flexible_server_requires_tls;
pub mod mysql_flexible_server_tls_1_2;
pub mod mysql_server_geo_redundant_backup;
pub mod mysql_server_infrastructure_encryption;
pub mod mysql_server_minimum_tls_1_2;
pub mod mysql_server_public_network_access_disabled;
pub mod mysql_server_ssl_enforced;
