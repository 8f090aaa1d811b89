//! Fixture files (`*.fixtures.yaml` / `.json`), read as `guardrail test` reads them: any text
//! gives runs with their stacks or an error, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    // The first byte picks the reader, as the file's extension does.
    let json = if text.starts_with('{') {
        serde_json::from_str::<serde_json::Value>(text).ok()
    } else {
        yaml_serde::from_str::<serde_json::Value>(text).ok()
    };
    if let Some(json) = json {
        if let Ok(file) = guardrail_core::fixture::parse(&json) {
            for run in &file.runs {
                let _ = run.label();
            }
        }
    }
});
