//! Amazon ElastiCache rules.

pub mod elasticache_auto_minor_version_upgrade;
pub mod elasticache_automatic_backups;
pub mod elasticache_automatic_failover;
pub mod elasticache_custom_subnet_group;
pub mod elasticache_encrypted_at_rest;
pub mod elasticache_in_transit_encryption;
pub mod elasticache_redis_authentication;
