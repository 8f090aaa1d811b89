//! guardrail-pulumi: Pulumi's analyzer protocol, both directions.
//!
//! - [`proto`]: the `pulumirpc` messages of the analyzer protocol (`Analyzer`, the engine's `Log`,
//!   and what a language host needs to run a policy pack), written for guardrail from the
//!   protocol's field numbers;
//! - [`rpc`]: the gRPC services over `tonic`: servers for a policy pack (`Analyzer`), the engine
//!   side a pack logs to (`Engine`) and a language host (`LanguageRuntime`), and clients of
//!   `Analyzer` and `Engine`;
//! - [`value`]: protobuf `Struct` properties to and from guardrail's values, with Pulumi's
//!   unknown and secret sentinels, exactly as the stack-export reader converts them.
//!
//! guardrail uses it as a policy pack inside the Pulumi CLI (`pulumi-analyzer-policy-guardrail`)
//! and to run existing CrossGuard packs as their client.

pub mod proto;
pub mod rpc;
pub mod value;
