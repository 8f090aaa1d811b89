//! The `pulumirpc` messages guardrail exchanges with the Pulumi CLI and with policy packs.
//!
//! Written for guardrail from the field numbers of Pulumi's `analyzer.proto`, `plugin.proto`,
//! `engine.proto` and `language.proto` (checked against the generated code of Pulumi v3.276.0), as
//! `prost` messages: only the messages the analyzer protocol needs, and of `language.proto` only
//! what a language host needs to run a policy pack. Field names follow Rust's conventions; the
//! wire format depends only on the numbers and types. `google.protobuf` `Struct`, `Value`,
//! `ListValue` and `Empty` come from `prost-types`.

use std::collections::HashMap;

pub use prost_types::{value::Kind, ListValue, Struct, Value};

/// `google.protobuf.Empty`.
pub type Empty = ();

/// How a policy's violations are treated (`pulumirpc.EnforcementLevel`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum EnforcementLevel {
    /// Shown, does not block.
    Advisory = 0,
    /// Stops the deployment.
    Mandatory = 1,
    /// Does not run.
    Disabled = 2,
    /// Fixes the resource instead of reporting it.
    Remediate = 3,
}

/// Whether a policy looks at one resource or at the whole stack (`pulumirpc.PolicyType`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum PolicyType {
    /// Not said.
    Unknown = 0,
    /// Validates one resource at a time.
    Resource = 1,
    /// Validates the stack as a whole.
    Stack = 2,
}

/// A policy's severity (`pulumirpc.PolicySeverity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum PolicySeverity {
    /// Not said.
    Unspecified = 0,
    /// Low.
    Low = 1,
    /// Medium.
    Medium = 2,
    /// High.
    High = 3,
    /// Critical.
    Critical = 4,
}

/// The severity of a message a plugin logs through the engine (`pulumirpc.LogSeverity`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, prost::Enumeration)]
#[repr(i32)]
pub enum LogSeverity {
    /// Debug output, shown with `--debug`.
    Debug = 0,
    /// Information.
    Info = 1,
    /// Something went wrong, the operation goes on.
    Warning = 2,
    /// The operation failed.
    Error = 3,
}

/// `pulumirpc.PluginInfo`: a plugin's version.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PluginInfo {
    /// The plugin's semantic version.
    #[prost(string, tag = "1")]
    pub version: String,
}

/// `pulumirpc.AnalyzerHandshakeRequest`: the first call the CLI makes.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerHandshakeRequest {
    /// The engine's gRPC address (for logging back).
    #[prost(string, tag = "1")]
    pub engine_address: String,
    /// The policy pack's directory, when the CLI says.
    #[prost(string, optional, tag = "2")]
    pub root_directory: Option<String>,
    /// The policy pack's program directory, when the CLI says.
    #[prost(string, optional, tag = "3")]
    pub program_directory: Option<String>,
}

/// `pulumirpc.AnalyzerHandshakeResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerHandshakeResponse {}

/// `pulumirpc.AnalyzerStackConfigureRequest`: the stack the policies run for.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerStackConfigureRequest {
    /// The stack's name.
    #[prost(string, tag = "1")]
    pub stack: String,
    /// The project's name.
    #[prost(string, tag = "2")]
    pub project: String,
    /// The organization's name.
    #[prost(string, tag = "3")]
    pub organization: String,
    /// Whether this is a preview.
    #[prost(bool, tag = "4")]
    pub dry_run: bool,
    /// The keys of `config` whose values are secrets.
    #[prost(string, repeated, tag = "6")]
    pub config_secret_keys: Vec<String>,
    /// The stack's configuration, `namespace:key` to its value (JSON text for non-strings).
    #[prost(map = "string, string", tag = "7")]
    pub config: HashMap<String, String>,
    /// The stack's tags.
    #[prost(map = "string, string", tag = "8")]
    pub tags: HashMap<String, String>,
}

/// `pulumirpc.AnalyzerStackConfigureResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerStackConfigureResponse {}

/// `pulumirpc.AnalyzeRequest`: one resource to remediate or validate.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzeRequest {
    /// The resource's type token.
    #[prost(string, tag = "1")]
    pub r#type: String,
    /// The resource's properties (its inputs).
    #[prost(message, optional, tag = "2")]
    pub properties: Option<Struct>,
    /// The resource's URN.
    #[prost(string, tag = "3")]
    pub urn: String,
    /// The resource's name.
    #[prost(string, tag = "4")]
    pub name: String,
    /// The resource's options.
    #[prost(message, optional, tag = "5")]
    pub options: Option<AnalyzerResourceOptions>,
    /// The resource's provider.
    #[prost(message, optional, tag = "6")]
    pub provider: Option<AnalyzerProviderResource>,
}

/// `pulumirpc.AnalyzerResource`: one resource of a stack, as `AnalyzeStack` sends it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerResource {
    /// The resource's type token.
    #[prost(string, tag = "1")]
    pub r#type: String,
    /// The resource's properties (its outputs).
    #[prost(message, optional, tag = "2")]
    pub properties: Option<Struct>,
    /// The resource's URN.
    #[prost(string, tag = "3")]
    pub urn: String,
    /// The resource's name.
    #[prost(string, tag = "4")]
    pub name: String,
    /// The resource's options.
    #[prost(message, optional, tag = "5")]
    pub options: Option<AnalyzerResourceOptions>,
    /// The resource's provider.
    #[prost(message, optional, tag = "6")]
    pub provider: Option<AnalyzerProviderResource>,
    /// The parent's URN, empty for none.
    #[prost(string, tag = "7")]
    pub parent: String,
    /// The URNs the resource depends on.
    #[prost(string, repeated, tag = "8")]
    pub dependencies: Vec<String>,
    /// For each property, the URNs its value depends on.
    #[prost(map = "string, message", tag = "9")]
    pub property_dependencies: HashMap<String, AnalyzerPropertyDependencies>,
}

/// `pulumirpc.AnalyzerResourceOptions`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerResourceOptions {
    /// The resource is protected from deletion.
    #[prost(bool, tag = "1")]
    pub protect: bool,
    /// Properties whose changes are ignored.
    #[prost(string, repeated, tag = "2")]
    pub ignore_changes: Vec<String>,
    /// Replacement deletes before it creates.
    #[prost(bool, tag = "3")]
    pub delete_before_replace: bool,
    /// `delete_before_replace` was set explicitly.
    #[prost(bool, tag = "4")]
    pub delete_before_replace_defined: bool,
    /// Outputs also treated as secrets.
    #[prost(string, repeated, tag = "5")]
    pub additional_secret_outputs: Vec<String>,
    /// Other URNs that name the same resource.
    #[prost(string, repeated, tag = "6")]
    pub aliases: Vec<String>,
    /// Timeouts of the resource's operations.
    #[prost(message, optional, tag = "7")]
    pub custom_timeouts: Option<CustomTimeouts>,
    /// The parent's URN.
    #[prost(string, tag = "8")]
    pub parent: String,
}

/// `pulumirpc.AnalyzerResourceOptions.CustomTimeouts`, in seconds.
#[derive(Clone, PartialEq, prost::Message)]
pub struct CustomTimeouts {
    /// Create.
    #[prost(double, tag = "1")]
    pub create: f64,
    /// Update.
    #[prost(double, tag = "2")]
    pub update: f64,
    /// Delete.
    #[prost(double, tag = "3")]
    pub delete: f64,
    /// Read.
    #[prost(double, tag = "4")]
    pub read: f64,
}

/// `pulumirpc.AnalyzerProviderResource`: the provider of a resource.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerProviderResource {
    /// The provider's type token (`pulumi:providers:aws`).
    #[prost(string, tag = "1")]
    pub r#type: String,
    /// The provider's properties.
    #[prost(message, optional, tag = "2")]
    pub properties: Option<Struct>,
    /// The provider's URN.
    #[prost(string, tag = "3")]
    pub urn: String,
    /// The provider's name.
    #[prost(string, tag = "4")]
    pub name: String,
}

/// `pulumirpc.AnalyzerPropertyDependencies`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerPropertyDependencies {
    /// The URNs one property depends on.
    #[prost(string, repeated, tag = "1")]
    pub urns: Vec<String>,
}

/// `pulumirpc.AnalyzeStackRequest`: every resource of the stack, after all steps.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzeStackRequest {
    /// The resources, in deployment order.
    #[prost(message, repeated, tag = "1")]
    pub resources: Vec<AnalyzerResource>,
}

/// `pulumirpc.AnalyzeResponse`: the violations found.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzeResponse {
    /// One per violation.
    #[prost(message, repeated, tag = "2")]
    pub diagnostics: Vec<AnalyzeDiagnostic>,
    /// Policies that did not apply, with why.
    #[prost(message, repeated, tag = "3")]
    pub not_applicable: Vec<PolicyNotApplicable>,
}

/// `pulumirpc.AnalyzeDiagnostic`: one violation.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzeDiagnostic {
    /// The policy's name.
    #[prost(string, tag = "1")]
    pub policy_name: String,
    /// The pack's name.
    #[prost(string, tag = "2")]
    pub policy_pack_name: String,
    /// The pack's version.
    #[prost(string, tag = "3")]
    pub policy_pack_version: String,
    /// The policy's description.
    #[prost(string, tag = "4")]
    pub description: String,
    /// What is wrong, for the user.
    #[prost(string, tag = "5")]
    pub message: String,
    /// The level this violation has.
    #[prost(enumeration = "EnforcementLevel", tag = "7")]
    pub enforcement_level: i32,
    /// The violating resource's URN; empty for the stack.
    #[prost(string, tag = "8")]
    pub urn: String,
    /// The violation's severity.
    #[prost(enumeration = "PolicySeverity", tag = "9")]
    pub severity: i32,
}

/// `pulumirpc.Remediation`: one policy's fix of a resource.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Remediation {
    /// The policy's name.
    #[prost(string, tag = "1")]
    pub policy_name: String,
    /// The pack's name.
    #[prost(string, tag = "2")]
    pub policy_pack_name: String,
    /// The pack's version.
    #[prost(string, tag = "3")]
    pub policy_pack_version: String,
    /// The policy's description.
    #[prost(string, tag = "4")]
    pub description: String,
    /// The resource's properties after the fix.
    #[prost(message, optional, tag = "5")]
    pub properties: Option<Struct>,
    /// A warning to show when the fix failed.
    #[prost(string, tag = "6")]
    pub diagnostic: String,
}

/// `pulumirpc.RemediateResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RemediateResponse {
    /// The fixes, in the order they were applied.
    #[prost(message, repeated, tag = "1")]
    pub remediations: Vec<Remediation>,
    /// Policies that did not apply, with why.
    #[prost(message, repeated, tag = "2")]
    pub not_applicable: Vec<PolicyNotApplicable>,
}

/// `pulumirpc.AnalyzerInfo`: the pack and its policies.
#[derive(Clone, PartialEq, prost::Message)]
pub struct AnalyzerInfo {
    /// The pack's name.
    #[prost(string, tag = "1")]
    pub name: String,
    /// The pack's display name.
    #[prost(string, tag = "2")]
    pub display_name: String,
    /// Every policy of the pack.
    #[prost(message, repeated, tag = "3")]
    pub policies: Vec<PolicyInfo>,
    /// The pack's version.
    #[prost(string, tag = "4")]
    pub version: String,
    /// Whether the pack takes configuration.
    #[prost(bool, tag = "5")]
    pub supports_config: bool,
    /// Policy name to its starting configuration.
    #[prost(map = "string, message", tag = "6")]
    pub initial_config: HashMap<String, PolicyConfig>,
    /// The pack's description.
    #[prost(string, tag = "7")]
    pub description: String,
    /// The pack's README.
    #[prost(string, tag = "8")]
    pub readme: String,
    /// The cloud or platform the pack is for.
    #[prost(string, tag = "9")]
    pub provider: String,
    /// The pack's tags.
    #[prost(string, repeated, tag = "10")]
    pub tags: Vec<String>,
    /// Where the pack's source lives.
    #[prost(string, tag = "11")]
    pub repository: String,
}

/// `pulumirpc.PolicyInfo`: one policy's metadata.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PolicyInfo {
    /// The policy's name (its id).
    #[prost(string, tag = "1")]
    pub name: String,
    /// The policy's display name.
    #[prost(string, tag = "2")]
    pub display_name: String,
    /// What the policy checks.
    #[prost(string, tag = "3")]
    pub description: String,
    /// A message shown with violations.
    #[prost(string, tag = "4")]
    pub message: String,
    /// The policy's default level.
    #[prost(enumeration = "EnforcementLevel", tag = "5")]
    pub enforcement_level: i32,
    /// The policy's configuration schema.
    #[prost(message, optional, tag = "6")]
    pub config_schema: Option<PolicyConfigSchema>,
    /// Resource or stack policy.
    #[prost(enumeration = "PolicyType", tag = "7")]
    pub policy_type: i32,
    /// The policy's severity.
    #[prost(enumeration = "PolicySeverity", tag = "8")]
    pub severity: i32,
    /// The compliance framework the policy belongs to.
    #[prost(message, optional, tag = "9")]
    pub framework: Option<PolicyComplianceFramework>,
    /// The policy's tags.
    #[prost(string, repeated, tag = "10")]
    pub tags: Vec<String>,
    /// How to fix a violation.
    #[prost(string, tag = "11")]
    pub remediation_steps: String,
    /// Where to read more.
    #[prost(string, tag = "12")]
    pub url: String,
}

/// `pulumirpc.PolicyConfigSchema`: a JSON schema of an object's properties.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PolicyConfigSchema {
    /// Property name to its JSON schema.
    #[prost(message, optional, tag = "1")]
    pub properties: Option<Struct>,
    /// The required properties.
    #[prost(string, repeated, tag = "2")]
    pub required: Vec<String>,
}

/// `pulumirpc.PolicyConfig`: one policy's level and configuration.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PolicyConfig {
    /// The level.
    #[prost(enumeration = "EnforcementLevel", tag = "1")]
    pub enforcement_level: i32,
    /// The configuration properties.
    #[prost(message, optional, tag = "2")]
    pub properties: Option<Struct>,
}

/// `pulumirpc.ConfigureAnalyzerRequest`: the pack's configuration for this run.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ConfigureAnalyzerRequest {
    /// Policy name to its configuration.
    #[prost(map = "string, message", tag = "1")]
    pub policy_config: HashMap<String, PolicyConfig>,
}

/// `pulumirpc.PolicyComplianceFramework`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PolicyComplianceFramework {
    /// The framework's name (`cis`).
    #[prost(string, tag = "1")]
    pub name: String,
    /// The framework's version.
    #[prost(string, tag = "2")]
    pub version: String,
    /// The control's reference.
    #[prost(string, tag = "3")]
    pub reference: String,
    /// The framework's specification.
    #[prost(string, tag = "4")]
    pub specification: String,
}

/// `pulumirpc.PolicyNotApplicable`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PolicyNotApplicable {
    /// The policy's name.
    #[prost(string, tag = "1")]
    pub policy_name: String,
    /// Why it did not apply.
    #[prost(string, tag = "2")]
    pub reason: String,
}

/// `pulumirpc.LogRequest`: a message a plugin shows through the engine.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LogRequest {
    /// How serious it is.
    #[prost(enumeration = "LogSeverity", tag = "1")]
    pub severity: i32,
    /// The text.
    #[prost(string, tag = "2")]
    pub message: String,
    /// The resource it is about, empty for none.
    #[prost(string, tag = "3")]
    pub urn: String,
    /// A stream id: messages of one stream replace each other.
    #[prost(int32, tag = "4")]
    pub stream_id: i32,
    /// Shown while running, not kept in the log.
    #[prost(bool, tag = "5")]
    pub ephemeral: bool,
}

/// `pulumirpc.ProgramInfo`: where a program or plugin lives.
#[derive(Clone, PartialEq, prost::Message)]
pub struct ProgramInfo {
    /// The project's (or pack's) root directory.
    #[prost(string, tag = "1")]
    pub root_directory: String,
    /// The program's directory.
    #[prost(string, tag = "2")]
    pub program_directory: String,
    /// The entry point, relative to the program directory.
    #[prost(string, tag = "3")]
    pub entry_point: String,
    /// The runtime's options from the project file.
    #[prost(message, optional, tag = "4")]
    pub options: Option<Struct>,
}

/// `pulumirpc.RunPluginRequest`: run a plugin (here: a policy pack) written for this runtime.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RunPluginRequest {
    /// The working directory.
    #[prost(string, tag = "1")]
    pub pwd: String,
    /// The program's path (deprecated for `info`).
    #[prost(string, tag = "2")]
    pub program: String,
    /// The plugin's arguments (the engine's address first).
    #[prost(string, repeated, tag = "3")]
    pub args: Vec<String>,
    /// Environment variables, `NAME=value`.
    #[prost(string, repeated, tag = "4")]
    pub env: Vec<String>,
    /// The plugin program.
    #[prost(message, optional, tag = "5")]
    pub info: Option<ProgramInfo>,
    /// The plugin's kind (`analyzer`).
    #[prost(string, tag = "6")]
    pub kind: String,
    /// The plugin's name, for display.
    #[prost(string, tag = "7")]
    pub name: String,
    /// Start under a debugger.
    #[prost(bool, tag = "8")]
    pub attach_debugger: bool,
    /// The schema loader's address.
    #[prost(string, tag = "9")]
    pub loader_target: String,
}

/// `pulumirpc.RunPluginResponse`: one piece of the plugin's output, or its exit code.
#[derive(Clone, PartialEq, prost::Message)]
pub struct RunPluginResponse {
    /// What this piece is.
    #[prost(oneof = "RunPluginOutput", tags = "1, 2, 3")]
    pub output: Option<RunPluginOutput>,
}

/// The `output` of a [`RunPluginResponse`].
#[derive(Clone, PartialEq, prost::Oneof)]
pub enum RunPluginOutput {
    /// Bytes the plugin wrote to standard output.
    #[prost(bytes, tag = "1")]
    Stdout(Vec<u8>),
    /// Bytes the plugin wrote to standard error.
    #[prost(bytes, tag = "2")]
    Stderr(Vec<u8>),
    /// The plugin's exit code.
    #[prost(int32, tag = "3")]
    Exitcode(i32),
}

/// `pulumirpc.LanguageHandshakeRequest`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LanguageHandshakeRequest {
    /// The engine's gRPC address.
    #[prost(string, tag = "1")]
    pub engine_address: String,
    /// The root directory, when the CLI says.
    #[prost(string, optional, tag = "2")]
    pub root_directory: Option<String>,
    /// The program directory, when the CLI says.
    #[prost(string, optional, tag = "3")]
    pub program_directory: Option<String>,
}

/// `pulumirpc.LanguageHandshakeResponse`.
#[derive(Clone, PartialEq, prost::Message)]
pub struct LanguageHandshakeResponse {}

#[cfg(test)]
mod tests {
    use super::*;
    use prost::Message;

    /// Bytes written by hand from the field numbers: a change of a tag breaks this test.
    #[test]
    fn field_numbers_are_pulumis() {
        let diag = AnalyzeDiagnostic {
            policy_name: "p".into(),
            message: "m".into(),
            enforcement_level: EnforcementLevel::Mandatory as i32,
            urn: "u".into(),
            severity: PolicySeverity::High as i32,
            ..Default::default()
        };
        // field 1 string "p", field 5 string "m", field 7 varint 1, field 8 string "u", field 9 varint 3
        assert_eq!(
            diag.encode_to_vec(),
            [0x0a, 1, b'p', 0x2a, 1, b'm', 0x38, 1, 0x42, 1, b'u', 0x48, 3]
        );
        let info = PolicyInfo {
            name: "n".into(),
            remediation_steps: "r".into(),
            policy_type: PolicyType::Stack as i32,
            ..Default::default()
        };
        // field 1 "n", field 7 varint 2, field 11 string "r"
        assert_eq!(
            info.encode_to_vec(),
            [0x0a, 1, b'n', 0x38, 2, 0x5a, 1, b'r']
        );
        let stack = AnalyzerStackConfigureRequest {
            dry_run: true,
            config_secret_keys: vec!["k".into()],
            ..Default::default()
        };
        assert_eq!(stack.encode_to_vec(), [0x20, 1, 0x32, 1, b'k']);
        let out = RunPluginResponse {
            output: Some(RunPluginOutput::Exitcode(2)),
        };
        assert_eq!(out.encode_to_vec(), [0x18, 2]);
        let log = LogRequest {
            severity: LogSeverity::Warning as i32,
            stream_id: 4,
            ..Default::default()
        };
        assert_eq!(log.encode_to_vec(), [0x08, 2, 0x20, 4]);
    }

    #[test]
    fn messages_round_trip() -> Result<(), prost::DecodeError> {
        let mut deps = HashMap::new();
        deps.insert(
            "bucket".to_string(),
            AnalyzerPropertyDependencies {
                urns: vec!["urn:b".into()],
            },
        );
        let request = AnalyzeStackRequest {
            resources: vec![AnalyzerResource {
                r#type: "aws:s3/bucket:Bucket".into(),
                urn: "urn:a".into(),
                parent: "urn:p".into(),
                dependencies: vec!["urn:b".into()],
                property_dependencies: deps,
                options: Some(AnalyzerResourceOptions {
                    protect: true,
                    custom_timeouts: Some(CustomTimeouts {
                        create: 1.5,
                        ..Default::default()
                    }),
                    ..Default::default()
                }),
                ..Default::default()
            }],
        };
        let back = AnalyzeStackRequest::decode(request.encode_to_vec().as_slice())?;
        assert_eq!(back, request);
        Ok(())
    }
}
