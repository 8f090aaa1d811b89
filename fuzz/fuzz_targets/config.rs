//! The project config, `guardrail.toml`: any text gives a config or an error, never a panic,
//! and a config that parses is validated against the built-in catalog as `check` does.
//!
//! The parser lives in the pipeline's crate, `guardrail-run`.
#![no_main]

use std::path::Path;
use std::sync::OnceLock;

use guardrail_run::config;
use libfuzzer_sys::fuzz_target;

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
