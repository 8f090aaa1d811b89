//! Identity and Access Management rules.

pub mod iam_no_basic_roles_for_users;
pub mod iam_no_service_account_user_at_project;
pub mod iam_project_not_public;
pub mod iam_service_account_key_rotation;
pub mod iam_service_account_no_admin_roles;
