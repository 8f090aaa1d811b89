//! The project config, `guardrail.toml`: any text gives a config or an error, never a panic,
//! and a config that parses is validated against the built-in catalog as `check` does.
//!
//! The parser lives in the CLI crate, which has no library target: its modules are compiled
//! here from their sources, with the one item they take from the CLI's root (`UserError`).
#![no_main]
#![allow(dead_code, unused_imports, missing_docs)]

use std::path::Path;
use std::sync::OnceLock;

use libfuzzer_sys::fuzz_target;

#[path = "../../crates/guardrail/src/config.rs"]
mod config;
#[path = "../../crates/guardrail/src/schema.rs"]
mod schema;
#[path = "../../crates/guardrail/src/select.rs"]
mod select;

/// The CLI's error, as its modules use it.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub help: Option<String>,
}

impl UserError {
    pub fn new(message: impl Into<String>) -> Self {
        UserError {
            message: message.into(),
            help: None,
        }
    }

    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

fn catalog() -> &'static [guardrail_core::Pack] {
    static PACKS: OnceLock<Vec<guardrail_core::Pack>> = OnceLock::new();
    PACKS.get_or_init(|| vec![guardrail_catalog::builtin_pack()])
}

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let names: Vec<&str> = catalog()
        .iter()
        .flat_map(|p| &p.policies)
        .flat_map(|p| [p.meta().id.as_str(), p.meta().name.as_str()])
        .collect();
    let known = config::Known { names, open: false };
    if let Ok(config) = config::Config::parse(Path::new("guardrail.toml"), text, &known) {
        let _ = config.validate_policies(catalog());
    }
});
