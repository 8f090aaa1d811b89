//! Registry group: Azure networking, monitoring, identity and RBAC.

use super::*;
use crate::rule::RuleSpec;

/// The group's rules, in declared order.
pub static RULES: &[&RuleSpec] = &[
    &network::nsg_no_ssh_from_internet::RULE,
    &network::nsg_no_rdp_from_internet::RULE,
    &network::nsg_no_admin_or_database_ports_from_internet::RULE,
    &network::nsg_http_from_internet_reviewed::RULE,
    &network::nsg_no_udp_from_internet::RULE,
];
