//! Amazon EKS rules.

pub mod eks_control_plane_logging;
pub mod eks_endpoint_not_open_to_world;
pub mod eks_endpoint_private;
pub mod eks_secrets_encryption;
pub mod eks_supported_version;
