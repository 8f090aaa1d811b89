//! The rules, one file per rule under `<vendor>/<service>/`, and the registry that lists them.

pub mod aws;
pub mod platform;

use crate::rule::RuleSpec;

/// Every rule, in declared order (the order remediation runs in). Add new rules at the end of
/// their vendor's group; the catalog lint fails for a rule file that is not listed here.
pub static REGISTRY: &[&RuleSpec] = &[
    &aws::elb::lb_target_group_admin_port::RULE,
    &aws::ec2::security_group_admin_port_open_to_world::RULE,
    &platform::components::component_memory_limit::RULE,
    &platform::components::component_stack_buckets_encrypted::RULE,
    &platform::tagging::required_tags::RULE,
];
