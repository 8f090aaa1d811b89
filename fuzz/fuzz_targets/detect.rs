//! Format detection, then whichever adapter the content picks: any bytes give a stack or an
//! error that renders, never a panic.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    if let Err(e) = guardrail_inputs::detect("fuzz.json", data) {
        let _ = e.to_string();
    }
    match guardrail_inputs::load_bytes("fuzz.json", data, None) {
        Ok(stack) => {
            let _ = stack.resources.len();
        }
        Err(e) => {
            let _ = e.to_string();
        }
    }
});
