//! The rules, one file per rule under `<vendor>/<service>/`, and the registry that lists them.

pub mod aws;
pub mod azure;
pub mod gcp;
pub mod kubernetes;
pub mod platform;

use crate::rule::RuleSpec;

/// The registry's groups, in declared order (the order remediation runs in). Each group is a list
/// kept in its own file so that several people can add rules at once without touching the same
/// lines; the catalog lint fails for a rule file that is not listed in any group.
pub static GROUPS: &[&[&RuleSpec]] = &[
    FIRST,
    aws::registry_network::RULES,
    aws::registry_data::RULES,
    aws::registry_services::RULES,
    azure::registry_data::RULES,
    azure::registry_compute::RULES,
    azure::registry_network::RULES,
    gcp::registry_gcp::RULES,
    kubernetes::registry_kubernetes::RULES,
];

/// Every rule, in declared order.
pub fn registry() -> &'static [&'static RuleSpec] {
    static ALL: std::sync::OnceLock<Vec<&'static RuleSpec>> = std::sync::OnceLock::new();
    ALL.get_or_init(|| GROUPS.iter().flat_map(|g| g.iter().copied()).collect())
}

/// The first rules: the seed article's guardrails.
pub static FIRST: &[&RuleSpec] = &[
    &aws::elb::lb_target_group_admin_port::RULE,
    &aws::ec2::security_group_admin_port_open_to_world::RULE,
    &platform::components::component_memory_limit::RULE,
    &platform::components::component_stack_buckets_encrypted::RULE,
    &platform::tagging::required_tags::RULE,
];
