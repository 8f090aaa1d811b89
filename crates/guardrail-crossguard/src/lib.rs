//! Existing Pulumi CrossGuard packs, run by guardrail.
//!
//! A directory whose `PulumiPolicy.yaml` says `runtime: python` or `runtime: nodejs` is a pack
//! written for Pulumi with `pulumi-policy` (Python) or `@pulumi/policy` (TypeScript/JavaScript).
//! guardrail starts it the way the Pulumi CLI does ([`launch`]), serves the engine side it calls
//! back, and speaks Pulumi's analyzer protocol to it as the CLI would, so that the pack runs
//! unchanged. Its policies become ordinary guardrail policies: levels, configuration,
//! remediation, exemptions and every report work as for native ones.

pub mod client;
pub mod launch;
pub mod manifest;
pub mod pack;
pub mod shape;

#[cfg(test)]
mod testdir;

pub use client::{load, LoadOptions};
pub use manifest::{is_crossguard_pack, runtime_name, Manifest, Runtime};
pub use pack::{Backend, CrossGuardPack, PackInfo, PolicyInfo};

/// An error for a person: what went wrong with which pack, what to do, and what the pack said.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    /// What went wrong (lowercase, names the pack).
    pub message: String,
    /// What to do.
    pub help: Option<String>,
    /// What the pack wrote to its standard error, when it explains the failure.
    pub detail: Option<String>,
}

impl Error {
    /// An error with a message.
    pub fn new(message: impl Into<String>) -> Self {
        Error {
            message: message.into(),
            help: None,
            detail: None,
        }
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// Adds what the pack said.
    pub fn detail(mut self, detail: impl Into<String>) -> Self {
        self.detail = Some(detail.into());
        self
    }
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.message)?;
        if let Some(detail) = &self.detail {
            write!(f, "; it said:\n{detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Error {}
