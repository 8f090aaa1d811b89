//! Identity and Access Management rules.

pub mod iam_api_key_api_restrictions;
pub mod iam_api_key_application_restrictions;
pub mod iam_no_basic_roles_for_users;
pub mod iam_no_service_account_user_at_project;
pub mod iam_organization_folder_not_public;
pub mod iam_project_not_public;
pub mod iam_service_account_key_rotation;
pub mod iam_service_account_no_admin_roles;
pub mod iam_service_account_not_public;
