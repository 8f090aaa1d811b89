//! The model decided on hand-built evidence: every status, and the reasons.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use guardrail_catalog::{Framework, FrameworkControl};
use guardrail_core::FrameworkRef;

use super::*;

fn control(id: &str, automatable: bool) -> FrameworkControl {
    FrameworkControl {
        id: id.to_string(),
        title: format!("control {id}"),
        automatable,
    }
}

fn framework() -> Framework {
    Framework {
        slug: "demo",
        name: "Demo".into(),
        version: "1".into(),
        scope: "all of it".into(),
        controls: vec![
            control("1", true),
            control("2", true),
            control("3", true),
            control("4", true),
            control("5", true),
            control("6", false),
            control("7", true),
        ],
    }
}

fn policy(id: &str, controls: &[&str]) -> MappedPolicy {
    MappedPolicy {
        id: id.into(),
        title: format!("rule {id}"),
        frameworks: vec![FrameworkRef {
            framework: "demo".into(),
            controls: controls.iter().map(|c| (*c).to_string()).collect(),
        }],
    }
}

fn outcome(policy: &str, resource: &str, status: Status) -> OutcomeEvidence {
    let finding = status != Status::Pass;
    OutcomeEvidence {
        policy: policy.into(),
        resource: Some(resource.into()),
        resource_type: Some("t".into()),
        status,
        message: finding.then(|| format!("{resource} broke {policy}")),
        path: None,
        fingerprint: finding.then(|| format!("fp-{policy}-{resource}")),
        exemption: (status == Status::Exempted).then(|| ExemptionRef {
            reason: "accepted risk".into(),
            expires: Some("2030-01-01".into()),
            approved_by: None,
            ticket: None,
        }),
    }
}

#[test]
fn each_control_gets_the_status_its_outcomes_give() {
    let f = framework();
    let policies = vec![
        policy("R-PASS", &["1"]),
        policy("R-FAIL", &["2", "1"]),
        policy("R-EXEMPT", &["3"]),
        policy("R-UNDECIDED", &["4"]),
        policy("R-IDLE", &["5"]),
        policy("R-OTHER", &["elsewhere"]),
    ];
    let input = InputEvidence {
        file: "plan.json".into(),
        format: "terraform-plan".into(),
        evaluated_at: "2026-01-01T00:00:00Z".into(),
        resources: 3,
        policies: [
            "R-PASS",
            "R-FAIL",
            "R-EXEMPT",
            "R-UNDECIDED",
            "R-IDLE",
            "R-OTHER",
        ]
        .map(String::from)
        .to_vec(),
        outcomes: vec![
            outcome("R-PASS", "a", Status::Pass),
            outcome("R-PASS", "b", Status::Pass),
            outcome("R-FAIL", "a", Status::Pass),
            outcome("R-FAIL", "b", Status::Fail),
            outcome("R-EXEMPT", "a", Status::Pass),
            outcome("R-EXEMPT", "c", Status::Exempted),
            outcome("R-UNDECIDED", "c", Status::Indeterminate),
        ],
    };
    let report = ComplianceReport::build(&[&f], &policies, &[input], "2026-01-01T00:00:01Z");
    let fw = &report.frameworks[0];
    let status: Vec<(&str, Status)> = fw
        .controls
        .iter()
        .map(|c| (c.id.as_str(), c.status))
        .collect();
    // control 1: R-PASS passes both, but R-FAIL fails `b` → fail
    assert_eq!(
        status,
        vec![
            ("1", Status::Fail),
            ("2", Status::Fail),
            ("3", Status::Exempted),
            ("4", Status::Indeterminate),
            ("5", Status::NotCovered),
            ("6", Status::OutOfScope),
            ("7", Status::NotCovered),
        ]
    );
    let c1 = &fw.controls[0];
    assert_eq!(c1.rules.len(), 2);
    assert_eq!((c1.rules[0].evaluated, c1.rules[0].pass), (2, 2));
    assert_eq!((c1.rules[1].pass, c1.rules[1].fail), (1, 1));
    // resources once each, with their worst status over the control's rules
    let res: Vec<(Option<&str>, Status)> = c1
        .resources
        .iter()
        .map(|r| (r.id.as_deref(), r.status))
        .collect();
    assert_eq!(
        res,
        vec![(Some("a"), Status::Pass), (Some("b"), Status::Fail)]
    );
    assert_eq!(c1.evidence.len(), 1);
    assert_eq!(c1.evidence[0].fingerprint.as_deref(), Some("fp-R-FAIL-b"));
    let c3 = &fw.controls[2];
    assert_eq!(
        c3.evidence[0].exemption.as_ref().map(|x| x.reason.as_str()),
        Some("accepted risk")
    );
    assert_eq!(
        fw.controls[4].reason.as_deref(),
        Some("no resource of the inputs is one its rule (R-IDLE) applies to")
    );
    assert_eq!(
        fw.controls[6].reason.as_deref(),
        Some("no rule maps to this control")
    );
    assert!(fw.controls[5]
        .reason
        .as_deref()
        .is_some_and(|r| r.contains("people")));
    assert_eq!(fw.summary.get(&Status::Fail), Some(&2));
    assert_eq!(fw.summary.get(&Status::NotCovered), Some(&2));
    assert_eq!(fw.summary.get(&Status::Pass), Some(&0));
    // coverage counts mapped controls of the list: 1 to 5
    assert_eq!((fw.coverage.covered, fw.coverage.controls), (5, 7));
    assert_eq!(fw.coverage.percent, 71.4);
    assert!(report.fails() && !report.has_errors());
}

#[test]
fn no_evidence_passes_nothing() {
    let f = framework();
    let report = ComplianceReport::build(&[&f], &[policy("R", &["1"])], &[], "t");
    assert!(report.frameworks[0]
        .controls
        .iter()
        .all(|c| matches!(c.status, Status::NotCovered | Status::OutOfScope)));
    assert_eq!(report.count(Status::Pass), 0);
    assert!(!report.fails());
}

#[test]
fn renderers_escape_what_they_print() {
    let f = framework();
    let mut o = outcome("R", "<script>alert(1)</script>|x", Status::Fail);
    o.message = Some("bad <b>&</b> | pipe\nnext".into());
    let input = InputEvidence {
        file: "p.json".into(),
        format: "terraform-plan".into(),
        evaluated_at: "t".into(),
        resources: 1,
        policies: vec!["R".into()],
        outcomes: vec![o],
    };
    let report = ComplianceReport::build(&[&f], &[policy("R", &["1"])], &[input], "t");
    let html = html::render(&report);
    assert!(!html.contains("<script>"), "{html}");
    assert!(html.contains("&lt;script&gt;"));
    assert!(!html.contains("<b>&</b>"));
    assert!(!html.contains("http://") && !html.contains("https://") && !html.contains(" src="));
    let md = markdown::render(&report);
    assert!(md.contains("bad <b>&</b> | pipe next"), "{md}");
    let value: serde_json::Value = serde_json::from_str(&report.to_json()).unwrap();
    assert_eq!(value["schema"], "guardrail.compliance/v1");
    assert_eq!(value["frameworks"][0]["summary"]["fail"], 1);
}

#[test]
fn html_messages_show_code_spans() {
    assert_eq!(
        html::message("bucket `a<b` is `open`"),
        "bucket <code>a&lt;b</code> is <code>open</code>"
    );
    assert_eq!(html::message("one ` alone"), "one ` alone");
}

#[test]
fn timestamps_are_rfc3339() {
    assert_eq!(rfc3339(0), "1970-01-01T00:00:00Z");
    assert_eq!(rfc3339(1_796_521_946), "2026-12-06T01:52:26Z");
    assert_eq!(rfc3339(951_782_400), "2000-02-29T00:00:00Z");
}

#[test]
fn recorded_evidence_builds_the_same_report() {
    let f = framework();
    let input = InputEvidence {
        file: "plan.json".into(),
        format: "terraform-plan".into(),
        evaluated_at: "2026-01-01T00:00:00Z".into(),
        resources: 2,
        policies: vec!["R".into()],
        outcomes: vec![
            outcome("R", "a", Status::Pass),
            outcome("R", "b", Status::Exempted),
        ],
    };
    let recorded = serde_json::to_string(&input).unwrap();
    let replayed: InputEvidence = serde_json::from_str(&recorded).unwrap();
    assert_eq!(replayed, input);
    let policies = [policy("R", &["1"])];
    assert_eq!(
        ComplianceReport::build(&[&f], &policies, &[replayed], "t"),
        ComplianceReport::build(&[&f], &policies, &[input], "t")
    );
}

#[test]
fn a_mapped_rule_that_did_not_run_says_so() {
    let f = framework();
    let input = InputEvidence {
        file: "plan.json".into(),
        format: "terraform-plan".into(),
        evaluated_at: "t".into(),
        resources: 1,
        policies: vec!["R-ON".into()],
        outcomes: Vec::new(),
    };
    let policies = [policy("R-OFF", &["1"]), policy("R-ON", &["2"])];
    let report = ComplianceReport::build(&[&f], &policies, &[input], "t");
    let controls = &report.frameworks[0].controls;
    assert_eq!(controls[0].status, Status::NotCovered);
    assert_eq!(
        controls[0].reason.as_deref(),
        Some("its rule (R-OFF) did not run (disabled)")
    );
    assert_eq!(
        controls[1].reason.as_deref(),
        Some("no resource of the inputs is one its rule (R-ON) applies to")
    );
}
