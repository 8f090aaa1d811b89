//! Container images: tags, digests, pull policy, registries.

pub mod image_allowed_registries;
pub mod image_no_latest_tag;
pub mod image_pinned_by_digest;
pub mod image_pull_policy_always;
