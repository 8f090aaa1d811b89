//! Amazon ElastiCache rules.

pub mod elasticache_auto_minor_version_upgrade;
pub mod elasticache_automatic_backups;
pub mod elasticache_automatic_failover;
pub mod elasticache_custom_subnet_group;
pub mod elasticache_encrypted_at_rest;
pub mod elasticache_in_transit_encryption;
pub mod elasticache_redis_authentication;

use guardrail_core::{Halt, ResourceView};

use crate::support::text;

/// Why a cluster is checked through its replication group instead, if it is.
pub(crate) fn member(view: ResourceView<'_>) -> Result<Option<&'static str>, Halt> {
    if view.resource.type_.contains("eplicationGroup")
        || view.resource.type_.contains("replication_group")
    {
        return Ok(None);
    }
    Ok(text(view, "replicationGroupId")?
        .map(|_| "a member of a replication group, which carries this setting"))
}
