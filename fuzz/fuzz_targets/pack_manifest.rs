//! Pack manifests: `guardrail-pack.yaml` and Pulumi's `PulumiPolicy.yaml`. Any text gives a
//! manifest or a located error that renders, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    guardrail_rego::fuzzing::manifests(text);
});
