//! Platform-team rules: conventions about components, tags and stacks, not tied to one vendor
//! service.

pub mod components;
pub mod tagging;
