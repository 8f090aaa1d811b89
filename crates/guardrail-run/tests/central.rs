//! Central policy (a policy service's required packs) wins over local settings: local config,
//! flags and exemptions cannot disable, lower or exempt it, and every report marks it.

use std::cell::RefCell;
use std::collections::BTreeMap;
use std::path::PathBuf;

use guardrail_core::{Enforcement, OutcomeKind, Resource, Spelling, Stack, Value};
use guardrail_run::{
    run, Central, CentralPack, CentralPolicy, CentralSource, Document, ExitClass, FailOn, Input,
    Observer, ReportFormat, ReportRequest, RunOptions, RunResult,
};

#[derive(Default)]
struct Warnings(RefCell<Vec<String>>);

impl Observer for Warnings {
    fn warning(&self, warning: &str) {
        self.0.borrow_mut().push(warning.to_owned());
    }
}

fn target_group(name: &str, port: i64) -> Resource {
    Resource::new(
        format!("urn:pulumi:prod::shop::aws:lb/targetGroup:TargetGroup::{name}"),
        "aws:lb/targetGroup:TargetGroup",
        Spelling::Pulumi,
        Value::from_json(serde_json::json!({ "port": port, "protocol": "TCP" })),
    )
}

fn stack() -> Input {
    Input::Stack(Box::new(Stack {
        source: "grpc".to_string(),
        resources: vec![target_group("db", 5432), target_group("web", 8080)],
        ..Stack::default()
    }))
}

fn central(level: Option<Enforcement>) -> Central {
    Central {
        packs: vec![CentralPack {
            name: "platform".into(),
            version: "1.0.0".into(),
            digest: "sha256:test".into(),
            source: CentralSource::Selection {
                select: vec!["AWS-ELB-001".into()],
                levels: BTreeMap::new(),
                config: serde_json::Map::new(),
            },
            level: None,
            policies: BTreeMap::from([(
                "AWS-ELB-001".to_string(),
                CentralPolicy {
                    level,
                    config: serde_json::Map::new(),
                },
            )]),
        }],
        exemptions: Vec::new(),
    }
}

/// A local setup that tries everything to get AWS-ELB-001 out of the way.
fn hostile_local(central: Option<Central>) -> RunOptions {
    RunOptions {
        inputs: vec![stack()],
        select: vec!["AWS-ELB-001".into()],
        today: Some("2026-06-01".into()),
        config: Some(Document::Text {
            name: PathBuf::from("guardrail.toml"),
            text: "fail_on_severity = \"critical\"\n\n[policies]\nall = \"disabled\"\n\"AWS-ELB-001\" = \"advisory\"\n\n[[exemptions]]\npolicies = [\"AWS-ELB-*\"]\nresources = [\"*\"]\nreason = \"we would rather not\"\n".into(),
        }),
        fail_on: Some(FailOn::Never),
        reports: ReportFormat::ALL
            .into_iter()
            .map(|format| ReportRequest {
                format,
                ..ReportRequest::default()
            })
            .collect(),
        central,
        notices: vec!["this run was not recorded".into()],
        ..RunOptions::default()
    }
}

fn violations(result: &RunResult) -> Vec<(String, bool, bool)> {
    let e = &result.evaluations[0];
    e.outcomes
        .iter()
        .filter(|o| o.kind == OutcomeKind::Violation)
        .map(|o| {
            let p = &e.policies[o.policy];
            (p.pack.clone(), p.central, o.blocking)
        })
        .collect()
}

#[test]
fn local_settings_cannot_lower_disable_or_exempt_a_required_policy() {
    // Without the server, the local setup lets everything through.
    let local = run(hostile_local(None), &Warnings::default()).unwrap();
    assert_eq!(local.exit_class(), ExitClass::Pass);

    let warnings = Warnings::default();
    let result = run(
        hostile_local(Some(central(Some(Enforcement::Mandatory)))),
        &warnings,
    )
    .unwrap();
    assert_eq!(result.exit_class(), ExitClass::Block);
    assert_eq!(
        violations(&result),
        vec![("platform@1.0.0".to_string(), true, true)],
        "one finding, from the server's pack (the local duplicate is left out), blocking"
    );
    let warnings = warnings.0.into_inner();
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("the local level `advisory` of `AWS-ELB-001` is overridden: the server requires `mandatory`")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w
                .contains("the exemption `we would rather not` does not apply to `AWS-ELB-001`")),
        "{warnings:?}"
    );
    assert_eq!(warnings.len(), 2, "{warnings:?}");
    // Every report format marks the server's policy.
    let report = |f: ReportFormat| {
        result
            .reports
            .iter()
            .find(|(format, _)| *format == f)
            .map(|(_, text)| text.clone())
            .unwrap()
    };
    assert!(report(ReportFormat::Human).contains("AWS-ELB-001 [server]"));
    assert!(report(ReportFormat::Markdown).contains("**AWS-ELB-001** [server]"));
    assert!(report(ReportFormat::Junit).contains("AWS-ELB-001 [server]: "));
    assert!(report(ReportFormat::Sarif).contains("\"requiredByServer\": true"));
    // Every format carries the run's notices.
    for format in ReportFormat::ALL {
        assert!(
            report(format).contains("this run was not recorded"),
            "{format:?}"
        );
    }
    let json: serde_json::Value = serde_json::from_str(&report(ReportFormat::Json)).unwrap();
    assert_eq!(json["findings"][0]["central"], true);
    assert_eq!(json["findings"][0]["pack"], "platform@1.0.0");
    assert_eq!(json["blocked"], true);
}

#[test]
fn a_local_setting_may_raise_a_required_level_and_the_server_may_set_advisory() {
    let mut options = hostile_local(Some(central(Some(Enforcement::Advisory))));
    options.config = Some(Document::Text {
        name: PathBuf::from("guardrail.toml"),
        text: "[policies]\n\"AWS-ELB-001\" = \"mandatory\"\n".into(),
    });
    options.fail_on = None;
    let warnings = Warnings::default();
    let raised = run(options.clone(), &warnings).unwrap();
    assert_eq!(raised.exit_class(), ExitClass::Block, "raised locally");
    assert!(warnings.0.into_inner().is_empty());

    options.config = None;
    let advisory = run(options, &Warnings::default()).unwrap();
    assert_eq!(advisory.exit_class(), ExitClass::Pass);
    assert_eq!(
        violations(&advisory),
        vec![("platform@1.0.0".into(), true, false)]
    );

    // Without a level from the groups, the selection's own level applies, then the policy's.
    let mut c = central(None);
    if let CentralSource::Selection { levels, .. } = &mut c.packs[0].source {
        levels.insert("AWS-ELB-001".into(), Enforcement::Advisory);
    }
    let own = run(
        RunOptions {
            inputs: vec![stack()],
            central: Some(c),
            packs: vec![],
            select: vec!["AWS-S3-001".into()],
            ..RunOptions::default()
        },
        &Warnings::default(),
    )
    .unwrap();
    assert_eq!(
        violations(&own),
        vec![("platform@1.0.0".into(), true, false)]
    );

    // A local `all` below the server's level is one warning for all the policies it lowers.
    let mut options = hostile_local(Some(central(Some(Enforcement::Mandatory))));
    options.config = Some(Document::Text {
        name: PathBuf::from("guardrail.toml"),
        text: "[policies]\nall = \"advisory\"\n".into(),
    });
    let warnings = Warnings::default();
    let result = run(options, &warnings).unwrap();
    assert_eq!(result.exit_class(), ExitClass::Block);
    assert_eq!(
        warnings.0.into_inner(),
        ["the local `all = \"advisory\"` is overridden for 1 policy the server requires at a stricter level"]
    );
}

#[test]
fn an_exemption_the_server_grants_suppresses_a_required_policy_until_it_expires() {
    let granted = |expires: &str| {
        let mut c = central(Some(Enforcement::Mandatory));
        c.exemptions = vec![guardrail_core::Exemption {
            policies: vec!["AWS-ELB-001".into()],
            resources: vec!["urn:pulumi:prod::shop::*".into()],
            reason: "[break-glass] migration window".into(),
            expires: Some(expires.into()),
            approved_by: None,
            ticket: Some("OPS-7".into()),
            central: false,
        }];
        c
    };
    let result = run(
        hostile_local(Some(granted("2026-06-01"))),
        &Warnings::default(),
    )
    .unwrap();
    assert_eq!(
        result.exit_class(),
        ExitClass::Pass,
        "the server's exemption applies"
    );
    let e = &result.evaluations[0];
    let suppressed: Vec<_> = e
        .outcomes
        .iter()
        .filter(|o| o.kind == OutcomeKind::Suppressed)
        .collect();
    assert_eq!(
        suppressed.len(),
        1,
        "the finding stays visible, as exempted"
    );
    let json = &result
        .reports
        .iter()
        .find(|(f, _)| *f == ReportFormat::Json)
        .unwrap()
        .1;
    assert!(json.contains("[break-glass] migration window"), "{json}");

    let expired = run(
        hostile_local(Some(granted("2026-05-31"))),
        &Warnings::default(),
    )
    .unwrap();
    assert_eq!(
        expired.exit_class(),
        ExitClass::Block,
        "an expired one stops applying"
    );
}
