//! Azure identity and RBAC rules.

pub mod custom_role_no_wildcard_actions;
