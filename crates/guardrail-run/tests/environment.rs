//! The pipeline reads no environment variable: what the command line takes from the
//! environment (`GUARDRAIL_TODAY`, `GUARDRAIL_MAX_INPUT_SIZE`) reaches it only as options.
//! One test in its own binary, so that setting variables races with no other test.

use guardrail_run::{run, ExitClass, Input, RunOptions, Silent};

#[test]
fn the_environment_does_not_reach_the_pipeline() {
    // values the command line would reject: a library that read them would fail
    std::env::set_var("GUARDRAIL_TODAY", "not-a-date");
    std::env::set_var("GUARDRAIL_MAX_INPUT_SIZE", "1");
    let plan = br#"{"format_version": "1.2", "resource_changes": [{"address": "aws_lb_target_group.db",
        "mode": "managed", "type": "aws_lb_target_group", "name": "db",
        "change": {"actions": ["create"], "before": null, "after": {"port": 22}, "after_unknown": {}}}]}"#;
    let options = RunOptions {
        inputs: vec![Input::Bytes {
            name: "plan.json".into(),
            bytes: plan.to_vec(),
        }],
        select: vec!["AWS-ELB-001".into()],
        ..RunOptions::default()
    };
    let result = run(options.clone(), &Silent).unwrap();
    assert_eq!(result.exit_class(), ExitClass::Block);

    // the same values given as options apply
    let limited = RunOptions {
        max_input_size: Some(16),
        ..options.clone()
    };
    let e = run(limited.clone(), &Silent).unwrap_err();
    assert_eq!(
        e.message,
        "plan.json: is larger than the input size limit of 16 bytes"
    );
    let dated = RunOptions {
        today: Some("not-a-date".into()),
        ..options
    };
    let e = run(dated.clone(), &Silent).unwrap_err();
    assert_eq!(e.message, "`GUARDRAIL_TODAY=not-a-date` is not a date");
}
