//! guardrail's pipeline: config → packs → inputs → engine → gate → reports.
//!
//! The command line (`guardrail check`, `guardrail audit`), the policy service and the Pulumi
//! analyzer plugin are three front doors to this one orchestration. A front door translates its
//! request into [`RunOptions`] (plain data: inputs as paths, as named bytes or as a [`Stack`]
//! built in code; selection, packs, config, policy configuration, exemptions, baseline,
//! strictness, fail-on level, reports), calls [`run`], and translates the [`RunResult`] (each
//! input's evaluation, the gate's verdict, the exit class, rendered reports) into its response.
//!
//! The pipeline prints nothing, never exits the process and reads no environment variable and
//! no working directory: the caller resolves those (the command line finds `guardrail.toml`
//! with [`config::discover`] and reads `GUARDRAIL_TODAY` and `GUARDRAIL_MAX_INPUT_SIZE`) and
//! passes them in. It reads only the files the options name. Progress and notes reach the
//! caller through an [`Observer`]. Errors are [`Error`]s, each with a message for a person, a
//! help line and an [`ErrorKind`].
//!
//! ```
//! use guardrail_run::{run, ExitClass, Input, ReportFormat, ReportRequest, RunOptions, Silent};
//!
//! let plan = br#"{"format_version": "1.2", "terraform_version": "1.9.0",
//!   "resource_changes": [{"address": "aws_lb_target_group.db", "mode": "managed",
//!     "type": "aws_lb_target_group", "name": "db", "provider_name": "registry.terraform.io/hashicorp/aws",
//!     "change": {"actions": ["create"], "before": null,
//!                "after": {"name": "db", "port": 5432, "protocol": "TCP"}, "after_unknown": {}}}]}"#;
//! let options = RunOptions {
//!     inputs: vec![Input::Bytes { name: "plan.json".into(), bytes: plan.to_vec() }],
//!     select: vec!["AWS-ELB-001".into()],
//!     today: Some("2026-01-01".into()),
//!     reports: vec![ReportRequest { format: ReportFormat::Json, ..ReportRequest::default() }],
//!     ..RunOptions::default()
//! };
//! let result = run(options, &Silent)?;
//! assert_eq!(result.exit_class(), ExitClass::Block);
//! assert!(result.verdict().blocked);
//! assert!(result.reports[0].1.contains("AWS-ELB-001"));
//! # Ok::<(), guardrail_run::Error>(())
//! ```

pub mod central;
pub mod compliance;
pub mod config;
mod error;
pub mod gate;
pub mod inline;
mod pipeline;
pub mod policy_config;
pub mod schema;
pub mod select;

pub use central::{Central, CentralPack, CentralPolicy, CentralSource};
pub use config::Config;
pub use error::{Error, ErrorKind};
pub use guardrail_core::Stack;
pub use guardrail_report::baseline::FailOn;
pub use guardrail_report::Workspace;
pub use pipeline::{
    load_config, load_packs, prepare, run, run_with_config, write_file, Document, ExitClass, Input,
    Observer, Prepared, RegoOptions, ReportFormat, ReportOptions, ReportRequest, RunOptions,
    RunResult, Silent,
};
