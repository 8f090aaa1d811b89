//! Azure Cosmos DB rules.

pub mod cosmosdb_automatic_failover;
pub mod cosmosdb_continuous_backup;
pub mod cosmosdb_customer_managed_key;
pub mod cosmosdb_key_based_metadata_writes_disabled;
pub mod cosmosdb_local_auth_disabled;
pub mod cosmosdb_minimum_tls_1_2;
pub mod cosmosdb_network_restricted;
pub mod cosmosdb_public_network_access_disabled;
