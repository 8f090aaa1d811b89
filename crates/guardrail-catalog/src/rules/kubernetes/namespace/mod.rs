//! Namespaces: the default namespace, Pod Security admission labels, LimitRanges and ResourceQuotas.

pub mod namespace_has_limit_range;
pub mod namespace_has_resource_quota;
pub mod namespace_pod_security_enforced;
pub mod no_default_namespace;
