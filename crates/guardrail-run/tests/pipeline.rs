//! The pipeline driven without the command line: in-memory inputs, stacks built in code, the
//! options as JSON, errors, the observer.

use std::cell::RefCell;
use std::path::PathBuf;

use guardrail_core::{Exemption, OutcomeKind, Resource, Spelling, Stack, Value};
use guardrail_run::{
    run, Document, ErrorKind, ExitClass, Input, Observer, ReportFormat, ReportOptions,
    ReportRequest, RunOptions, RunResult, Silent,
};

fn example(name: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples/plans")
        .join(name)
}

fn options(inputs: Vec<Input>, select: &str) -> RunOptions {
    RunOptions {
        inputs,
        select: vec![select.to_string()],
        today: Some("2026-06-01".to_string()),
        ..RunOptions::default()
    }
}

/// `(policy id, resource id, blocking)` of every violation.
fn findings(result: &RunResult) -> Vec<(String, String, bool)> {
    let mut out = Vec::new();
    for (stack, evaluation) in result.stacks.iter().zip(&result.evaluations) {
        for o in &evaluation.outcomes {
            if o.kind != OutcomeKind::Violation {
                continue;
            }
            let policy = evaluation.policies[o.policy].meta.id.clone();
            let resource = o
                .resource
                .map(|r| stack.resources[r].id.clone())
                .unwrap_or_default();
            out.push((policy, resource, o.blocking));
        }
    }
    out
}

#[test]
fn bytes_in_memory_give_the_verdict_and_the_findings() {
    let path = example("terraform-plan.json");
    let bytes = std::fs::read(&path).unwrap();
    let uploaded = run(
        options(
            vec![Input::Bytes {
                name: "upload.json".into(),
                bytes,
            }],
            "AWS-ELB-001,AWS-EC2-001",
        ),
        &Silent,
    )
    .unwrap();
    assert_eq!(uploaded.exit_class(), ExitClass::Block);
    assert_eq!(uploaded.exit_class().code(), 1);
    let verdict = uploaded.verdict();
    assert!(verdict.blocked);
    assert_eq!(verdict.headline, "blocked: 2 blocking findings");
    assert_eq!(
        findings(&uploaded),
        vec![
            (
                "AWS-EC2-001".to_string(),
                "aws_security_group.bastion".to_string(),
                true
            ),
            (
                "AWS-ELB-001".to_string(),
                "aws_lb_target_group.ssh".to_string(),
                true
            ),
        ]
    );
    assert_eq!(uploaded.stacks[0].source, "upload.json");

    // the same file read from its path gives the same report, but for the input's name
    let read = run(
        options(vec![Input::Path(path.clone())], "AWS-ELB-001,AWS-EC2-001"),
        &Silent,
    )
    .unwrap();
    let json = |r: &RunResult| {
        let mut out = Vec::new();
        r.write_report(ReportFormat::Json, &ReportOptions::default(), &mut out)
            .unwrap();
        String::from_utf8(out).unwrap()
    };
    assert_eq!(
        json(&read).replace(&path.display().to_string(), "upload.json"),
        json(&uploaded)
    );
}

fn target_group(name: &str, port: i64) -> Resource {
    Resource::new(
        format!("urn:pulumi:prod::shop::aws:lb/targetGroup:TargetGroup::{name}"),
        "aws:lb/targetGroup:TargetGroup",
        Spelling::Pulumi,
        Value::from_json(serde_json::json!({ "port": port, "protocol": "TCP" })),
    )
}

fn built_stack() -> Stack {
    Stack {
        source: "grpc".to_string(),
        resources: vec![target_group("db", 5432), target_group("web", 8080)],
        ..Stack::default()
    }
}

#[test]
fn a_stack_built_in_code_is_evaluated() {
    let result = run(
        options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001"),
        &Silent,
    )
    .unwrap();
    assert_eq!(result.exit_class(), ExitClass::Block);
    let summary = &result.evaluations[0].summary;
    assert_eq!(
        (summary.resources, summary.mandatory, summary.passed),
        (2, 1, 1)
    );
    assert_eq!(
        findings(&result),
        vec![(
            "AWS-ELB-001".to_string(),
            "urn:pulumi:prod::shop::aws:lb/targetGroup:TargetGroup::db".to_string(),
            true
        )]
    );

    // an exemption the caller grants (a service's approval) suppresses it, and nothing blocks
    let mut exempted = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    exempted.exemptions = vec![Exemption {
        policies: vec!["AWS-ELB-001".into()],
        resources: vec!["*::db".into()],
        reason: "the database is reached through a private link".into(),
        ..Exemption::default()
    }];
    let result = run(exempted.clone(), &Silent).unwrap();
    assert_eq!(result.exit_class(), ExitClass::Pass);
    assert_eq!(result.evaluations[0].summary.suppressed, 1);
    assert_eq!(result.exemptions.len(), 1);
    let verdict = result.verdict();
    assert!(!verdict.blocked);
    assert_eq!(
        verdict.line(),
        "passed: nothing blocks (not blocking: 1 exempted)"
    );
}

#[test]
fn the_config_given_as_text_applies_and_reports_come_rendered() {
    let mut opts = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    opts.config = Some(Document::Text {
        name: PathBuf::from("service/guardrail.toml"),
        text: "fail_on = \"never\"\n[policies]\n\"AWS-ELB-001\" = \"advisory\"\n".into(),
    });
    opts.reports = vec![
        ReportRequest {
            format: ReportFormat::Markdown,
            ..ReportRequest::default()
        },
        ReportRequest {
            format: ReportFormat::Sarif,
            ..ReportRequest::default()
        },
    ];
    let result = run(opts.clone(), &Silent).unwrap();
    assert_eq!(result.exit_class(), ExitClass::Pass);
    assert_eq!(result.evaluations[0].summary.advisory, 1);
    assert_eq!(result.reports.len(), 2);
    assert_eq!(result.reports[0].0, ReportFormat::Markdown);
    assert!(
        result.reports[0].1.contains("AWS-ELB-001"),
        "{}",
        result.reports[0].1
    );
    let sarif: serde_json::Value = serde_json::from_str(&result.reports[1].1).unwrap();
    assert_eq!(sarif["version"], "2.1.0");
}

#[test]
fn errors_are_typed_and_keep_the_command_lines_messages() {
    let bad = run(
        options(
            vec![Input::Bytes {
                name: "upload.json".into(),
                bytes: b"{\"resource_changes\": [".to_vec(),
            }],
            "AWS-ELB-001",
        ),
        &Silent,
    )
    .unwrap_err();
    assert_eq!(bad.kind, ErrorKind::Input);
    assert!(bad.message.starts_with("upload.json:1:"), "{}", bad.message);
    assert!(bad.help.is_some());

    let unknown = run(
        options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-901"),
        &Silent,
    )
    .unwrap_err();
    assert_eq!(unknown.kind, ErrorKind::Usage);
    assert_eq!(
        unknown.message,
        "`--select AWS-ELB-901` matches no built-in policy"
    );
    assert_eq!(unknown.to_string(), unknown.message);

    let mut config = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    config.config = Some(Document::Text {
        name: PathBuf::from("guardrail.toml"),
        text: "colour = 1\n".into(),
    });
    let e = run(config.clone(), &Silent).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Config);
    assert!(
        e.message
            .starts_with("guardrail.toml:1:1: unknown field `colour`"),
        "{}",
        e.message
    );

    let mut date = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    date.today = Some("soon".into());
    let e = run(date.clone(), &Silent).unwrap_err();
    assert_eq!(e.message, "`GUARDRAIL_TODAY=soon` is not a date");

    let mut format = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    format.input_format = Some("terraform-plna".into());
    let e = run(format.clone(), &Silent).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Usage);
    assert_eq!(e.message, "unknown input format `terraform-plna`");
}

#[derive(Default)]
struct Recorder {
    events: RefCell<Vec<String>>,
}

impl Observer for Recorder {
    fn progress(&self, step: &str) {
        self.events.borrow_mut().push(format!("progress {step}"));
    }
    fn note(&self, note: &str) {
        self.events.borrow_mut().push(format!("note {note}"));
    }
    fn phase_done(&self, phase: &str) {
        self.events.borrow_mut().push(format!("phase {phase}"));
    }
    fn policies_running(&self, running: bool) {
        self.events.borrow_mut().push(format!("running {running}"));
    }
}

#[test]
fn the_observer_hears_progress_notes_and_phases() {
    let dir = std::env::temp_dir().join(format!("guardrail-run-observer-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let baseline = dir.join("baseline.json");
    let mut opts = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    opts.write_baseline = Some(baseline.clone());
    let recorder = Recorder::default();
    let result = run(opts.clone(), &recorder).unwrap();
    // the recorded baseline holds the finding, so nothing blocks
    assert_eq!(result.exit_class(), ExitClass::Pass);
    assert!(std::fs::read_to_string(&baseline)
        .unwrap()
        .contains("AWS-ELB-001"));
    assert_eq!(
        recorder.events.into_inner(),
        vec![
            "progress loading policies".to_string(),
            "progress loading `grpc` (1/1)".to_string(),
            "phase load".to_string(),
            "running true".to_string(),
            "progress evaluating `grpc` (1/1): 2 resources, 1 policy".to_string(),
            "running false".to_string(),
            "phase evaluate".to_string(),
            format!(
                "note recorded 1 finding in the baseline `{}`",
                baseline.display()
            ),
        ]
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn options_travel_as_json() {
    let bytes = std::fs::read(example("pulumi-preview.json")).unwrap();
    let mut opts = options(
        vec![Input::Bytes {
            name: "preview.json".into(),
            bytes,
        }],
        "AWS-ELB-001",
    );
    opts.fail_on = Some(guardrail_run::FailOn::Advisory);
    opts.fail_on_severity = Some(guardrail_core::Severity::High);
    opts.reports = vec![ReportRequest {
        format: ReportFormat::Json,
        options: ReportOptions {
            quiet: true,
            ..ReportOptions::default()
        },
    }];
    let text = serde_json::to_string(&opts).unwrap();
    assert!(text.contains("\"fail_on\":\"advisory\""), "{text}");
    let back: RunOptions = serde_json::from_str(&text).unwrap();
    assert_eq!(back.inputs, opts.inputs);
    let direct = run(opts.clone(), &Silent).unwrap();
    let travelled = run(back.clone(), &Silent).unwrap();
    assert_eq!(direct.reports, travelled.reports);
    assert_eq!(findings(&direct), findings(&travelled));
    assert_eq!(travelled.exit_class(), ExitClass::Block);
    // fields left out take their defaults
    let minimal: RunOptions = serde_json::from_str(r#"{"select": ["AWS-S3"]}"#).unwrap();
    assert!(minimal.inputs.is_empty() && !minimal.strict);
    assert_eq!(minimal.rego.max_steps, guardrail_rego::DEFAULT_MAX_STEPS);
}

#[test]
fn a_baseline_given_as_text_lets_its_findings_through() {
    let dir = std::env::temp_dir().join(format!("guardrail-run-baseline-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("baseline.json");
    let mut record = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    record.write_baseline = Some(file.clone());
    run(record, &Silent).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let _ = std::fs::remove_dir_all(&dir);

    let mut gated = options(vec![Input::Stack(Box::new(built_stack()))], "AWS-ELB-001");
    gated.baseline = Some(Document::Text {
        name: PathBuf::from("uploaded-baseline.json"),
        text,
    });
    let recorder = Recorder::default();
    let result = run(gated.clone(), &recorder).unwrap();
    assert_eq!(result.exit_class(), ExitClass::Pass);
    assert_eq!(result.lenient.baselined, 1);
    assert!(recorder
        .events
        .into_inner()
        .contains(&"note 1 finding recorded in the baseline does not block".to_string()));

    gated.baseline = Some(Document::Text {
        name: PathBuf::from("uploaded-baseline.json"),
        text: "[]".into(),
    });
    let e = run(gated, &Silent).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Baseline);
    assert!(
        e.message.starts_with("uploaded-baseline.json: "),
        "{}",
        e.message
    );
}
