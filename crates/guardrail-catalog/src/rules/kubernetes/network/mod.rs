//! Network isolation: NetworkPolicies per namespace.

pub mod namespace_has_network_policy;
