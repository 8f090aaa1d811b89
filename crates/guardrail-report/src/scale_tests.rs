//! Reports of many findings: the human report's order, columns and per-policy table, the
//! verdict's reasons, and the markdown comment's size limit.

use std::sync::Arc;

use guardrail_core::policy::{FixSafety, PolicyKind, ResourceView, Verdict, Violation};
use guardrail_core::{
    evaluate, Enforcement, Evaluation, EvaluationOptions, Exemption, Halt, Pack, Policy,
    PolicyMeta, Resource, Severity, Spelling, Stack, Value,
};

use crate::baseline::{Baseline, FailOn, Gate};
use crate::{human, markdown, Context, Run};

/// Flags every resource, with a message long enough to make a large report.
struct Flag(PolicyMeta);

impl Policy for Flag {
    fn meta(&self) -> &PolicyMeta {
        &self.0
    }
    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        _config: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        Ok(Verdict::violation(
            Violation::new(format!(
                "{} flags `{}`, a resource with a rather long name to fill the comment",
                self.0.id, view.resource.name
            ))
            .at("tags"),
        ))
    }
}

fn meta(id: &str, severity: Severity, enforcement: Enforcement) -> PolicyMeta {
    PolicyMeta {
        id: id.into(),
        name: id.to_lowercase(),
        title: format!("Title of {id}"),
        description: String::new(),
        severity,
        enforcement,
        kind: PolicyKind::Resource,
        vendor: "test".into(),
        services: vec![],
        topics: vec![],
        frameworks: vec![],
        resource_types: vec![],
        remediation: "do the right thing".into(),
        fix: FixSafety::None,
        config_schema: None,
    }
}

/// `resources` buckets, each flagged by an advisory policy (declared first), a mandatory
/// high one and a mandatory low one.
fn evaluated(resources: usize, options: &EvaluationOptions) -> (Stack, Evaluation) {
    let stack = Stack {
        source: "plan.json".into(),
        format: "terraform-plan".into(),
        resources: (0..resources)
            .map(|i| {
                Resource::new(
                    format!("aws_s3_bucket.b{i}"),
                    "aws_s3_bucket",
                    Spelling::Terraform,
                    Value::Null,
                )
            })
            .collect(),
        ..Stack::default()
    };
    let pack = Pack {
        central: false,
        name: "test".into(),
        version: None,
        enforcement: None,
        policies: vec![
            Arc::new(Flag(meta("T-ADV", Severity::Medium, Enforcement::Advisory))),
            Arc::new(Flag(meta("T-HIGH", Severity::High, Enforcement::Mandatory))),
            Arc::new(Flag(meta("T-LOW", Severity::Low, Enforcement::Mandatory))),
        ],
    };
    let evaluation = evaluate(&[pack], &stack, options);
    (stack, evaluation)
}

fn gate_below_high(stack: &Stack, evaluation: &mut Evaluation) -> crate::baseline::Leniency {
    Gate {
        fail_on: FailOn::Mandatory,
        min_severity: Some(Severity::High),
        baseline: None,
    }
    .apply(stack, evaluation)
}

#[test]
fn human_report_puts_blocking_first_with_severity_and_a_table() {
    let (stack, mut evaluation) = evaluated(60, &EvaluationOptions::default());
    let lenient = gate_below_high(&stack, &mut evaluation);
    let runs = [Run {
        stack: &stack,
        evaluation: &evaluation,
    }];
    let ctx = Context {
        lenient,
        min_severity: Some(Severity::High),
        ..Context::default()
    };
    let text = human::render(&runs, ctx, human::Options::default());
    assert!(
        text.contains(
            "  mandatory     low       T-LOW  T-LOW flags `b7`, a resource with a rather long name to fill the comment\n                          at tags\n                          not blocking: below fail_on_severity `high`\n"
        ),
        "{text}"
    );
    // within each resource: the blocking finding, then the mandatory one below the floor,
    // then the advisory one, although the advisory policy is declared first
    let block: Vec<&str> = text
        .lines()
        .skip_while(|l| !l.starts_with("aws_s3_bucket.b7 "))
        .skip(1)
        .filter(|l| l.starts_with("  ") && !l.starts_with("   "))
        .take(3)
        .collect();
    assert_eq!(
        block,
        [
            "  mandatory     high      T-HIGH  T-HIGH flags `b7`, a resource with a rather long name to fill the comment",
            "  mandatory     low       T-LOW  T-LOW flags `b7`, a resource with a rather long name to fill the comment",
            "  advisory      medium    T-ADV  T-ADV flags `b7`, a resource with a rather long name to fill the comment",
        ]
    );
    // the per-policy table: the blocking policy first, then by count
    assert!(
        text.contains(
            "policy  severity  level          count  title\n\
             T-HIGH  high      mandatory         60  Title of T-HIGH\n\
             T-ADV   medium    advisory          60  Title of T-ADV\n\
             T-LOW   low       mandatory         60  Title of T-LOW\n"
        ),
        "{text}"
    );
    assert!(text.ends_with(
        "blocked: 60 blocking findings (not blocking: 60 advisory, 60 below fail_on_severity `high`)\n"
    ));
}

#[test]
fn quiet_says_how_many_findings_it_hid() {
    let (stack, mut evaluation) = evaluated(3, &EvaluationOptions::default());
    let lenient = Gate {
        fail_on: FailOn::Never,
        ..Gate::default()
    }
    .apply(&stack, &mut evaluation);
    let runs = [Run {
        stack: &stack,
        evaluation: &evaluation,
    }];
    let ctx = Context {
        lenient,
        ..Context::default()
    };
    let quiet = human::Options {
        quiet: true,
        color: false,
    };
    let text = human::render(&runs, ctx, quiet);
    assert!(!text.contains("no findings"), "{text}");
    assert!(
        text.contains("\n  nothing blocks; 9 non-blocking findings not shown (quiet)\n"),
        "{text}"
    );
    assert!(
        text.contains(
            "note: 9 non-blocking findings not shown (quiet: 3 advisory, 6 mandatory); run without `-q` to see them"
        ),
        "{text}"
    );
    assert!(text.ends_with(
        "passed: nothing blocks (not blocking: 3 advisory, 6 mandatory under `--fail-on never`)\n"
    ));
}

#[test]
fn verdict_names_baselined_and_exempted_findings() {
    let exemption = Exemption {
        policies: vec!["T-LOW".into()],
        resources: vec!["*".into()],
        reason: "accepted risk".into(),
        ..Exemption::default()
    };
    let options = EvaluationOptions {
        exemptions: vec![exemption],
        ..EvaluationOptions::default()
    };
    let (stack, mut evaluation) = evaluated(4, &options);
    let baseline = {
        let runs = [Run {
            stack: &stack,
            evaluation: &evaluation,
        }];
        Baseline::of(&runs)
    };
    let lenient = Gate {
        baseline: Some(&baseline),
        ..Gate::default()
    }
    .apply(&stack, &mut evaluation);
    let runs = [Run {
        stack: &stack,
        evaluation: &evaluation,
    }];
    let ctx = Context {
        lenient,
        exemptions: &options.exemptions,
        ..Context::default()
    };
    let line = crate::Verdict::of(&runs, &ctx).line();
    assert_eq!(
        line,
        "passed: nothing blocks (not blocking: 4 advisory, 4 exempted, 4 in the baseline)"
    );
    let md = markdown::render(&runs, ctx);
    assert!(md.starts_with("## guardrail: passed: nothing blocks\n\nNot blocking: 4 advisory, 4 exempted, 4 in the baseline.\n"), "{md}");
    // mandatory findings let through by the baseline are not "advisory"
    assert!(
        md.contains(
            "### Mandatory, not blocking (baseline, `fail_on_severity` or `--fail-on`) (4)"
        ),
        "{md}"
    );
    assert!(md.contains("### Advisory findings (4)"), "{md}");
    assert!(
        md.contains("- **T-HIGH** Title of T-HIGH on `aws_s3_bucket.b0` (mandatory, high severity, not blocking: in the baseline)\n"),
        "{md}"
    );
    let advisory = md
        .split("### Advisory findings")
        .nth(1)
        .and_then(|s| s.split("###").next())
        .unwrap_or_default();
    assert!(!advisory.contains("T-HIGH"), "{advisory}");
    let json: serde_json::Value =
        serde_json::from_str(&crate::json::render(&runs, ctx)).unwrap_or_default();
    assert_eq!(json["verdict"]["not_blocking"]["baselined"], 4);
    assert_eq!(json["verdict"]["not_blocking"]["exempted"], 4);
    assert_eq!(json["verdict"]["not_blocking"]["advisory"], 4);
    assert_eq!(json["verdict"]["line"], line.as_str());
}

#[test]
fn markdown_fits_a_pull_request_comment_with_blocking_findings_first() {
    for resources in [3_000, 20_000] {
        let (stack, mut evaluation) = evaluated(resources, &EvaluationOptions::default());
        let lenient = gate_below_high(&stack, &mut evaluation);
        let runs = [Run {
            stack: &stack,
            evaluation: &evaluation,
        }];
        let ctx = Context {
            lenient,
            min_severity: Some(Severity::High),
            ..Context::default()
        };
        for full_report in [None, Some("guardrail.sarif")] {
            let md = markdown::render_with(&runs, ctx, markdown::Options { full_report });
            assert!(md.len() <= markdown::COMMENT_LIMIT, "{} bytes", md.len());
            assert!(md.chars().count() <= markdown::COMMENT_LIMIT);
            // the summary is kept, blocking findings come first, the rest is counted
            assert!(md.starts_with(&format!(
                "## guardrail: blocked: {resources} blocking findings\n"
            )));
            assert!(md.contains("| Blocking | "), "{md}");
            let first = md.find("### Blocking findings").unwrap_or(usize::MAX);
            assert!(first < md.find("- **T-").unwrap_or(0));
            assert!(
                !md.contains("- **T-ADV**"),
                "advisory findings before all blocking ones"
            );
            assert!(
                md.contains(&format!("{} advisory findings", resources)),
                "{md}"
            );
            assert!(md.contains("do not fit in a pull-request comment, blocking ones among them"));
            match full_report {
                Some(place) => assert!(md.contains(&format!("The full report is in `{place}`."))),
                None => assert!(md.contains("`--output sarif=FILE`")),
            }
            assert!(md.trim_end().ends_with("</sub>"));
        }
    }
    // a small report is not cut
    let (stack, evaluation) = evaluated(5, &EvaluationOptions::default());
    let runs = [Run {
        stack: &stack,
        evaluation: &evaluation,
    }];
    let md = markdown::render(&runs, Context::default());
    assert!(!md.contains("Not shown"), "{md}");
    assert_eq!(md.matches("- **T-").count(), 15);
}

/// One resource, one policy, one finding: every count in the human and markdown reports is
/// singular.
#[test]
fn counts_of_one_are_singular_in_human_and_markdown() {
    let stack = Stack {
        source: "plan.json".into(),
        format: "terraform-plan".into(),
        resources: vec![Resource::new(
            "aws_s3_bucket.b0",
            "aws_s3_bucket",
            Spelling::Terraform,
            Value::Null,
        )],
        ..Stack::default()
    };
    let pack = Pack {
        central: false,
        name: "test".into(),
        version: None,
        enforcement: None,
        policies: vec![Arc::new(Flag(meta(
            "T-HIGH",
            Severity::High,
            Enforcement::Mandatory,
        )))],
    };
    let evaluation = evaluate(&[pack], &stack, &EvaluationOptions::default());
    let runs = [Run {
        stack: &stack,
        evaluation: &evaluation,
    }];
    let md = markdown::render(&runs, Context::default());
    assert!(
        md.starts_with("## guardrail: blocked: 1 blocking finding\n"),
        "{md}"
    );
    assert!(
        md.contains("Checked `plan.json` (terraform-plan, 1 resource) against 1 policy.\n"),
        "{md}"
    );
    let text = human::render(&runs, Context::default(), human::Options::default());
    assert!(
        text.contains(
            "summary: 1 resource, 1 policy: 1 mandatory violation, 0 advisory violations, \
             0 would be fixed, 0 indeterminate, 0 errors\n"
        ),
        "{text}"
    );
    for wrong in ["1 resources", "1 policies", "1 findings", "1 violations"] {
        assert!(
            !md.contains(wrong) && !text.contains(wrong),
            "{wrong}:\n{md}\n{text}"
        );
    }
}
