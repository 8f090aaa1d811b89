//! The `pulumi-preview` adapter, forced (`--input-format`): any bytes give a stack or an error that
//! renders, never a panic.
#![no_main]

use guardrail_inputs::InputFormat;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    match guardrail_inputs::load_bytes("fuzz.json", data, Some(InputFormat::PulumiPreview)) {
        Ok(stack) => {
            let _ = stack.resources.len();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
