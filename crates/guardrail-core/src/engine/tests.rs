use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::json;

use super::*;
use crate::policy::{FixSafety, StackFinding, Violation};
use crate::resource::{Resource, Spelling};

fn meta(id: &str, level: Enforcement, kind: PolicyKind, types: &[&str]) -> PolicyMeta {
    PolicyMeta {
        id: id.into(),
        name: id.to_lowercase(),
        title: id.into(),
        description: String::new(),
        severity: crate::policy::Severity::High,
        enforcement: level,
        kind,
        vendor: "test".into(),
        services: vec![],
        topics: vec![],
        frameworks: vec![],
        resource_types: types.iter().map(|t| t.to_string()).collect(),
        remediation: String::new(),
        fix: FixSafety::None,
        config_schema: None,
    }
}

/// Requires `tags.<key>`; remediation sets it to `value`.
struct TagPolicy {
    meta: PolicyMeta,
    key: &'static str,
    value: &'static str,
}

impl Policy for TagPolicy {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        let path = format!("tags.{}", self.key);
        Ok(match view.field(&path)? {
            Some(_) => Verdict::Pass,
            None => {
                Verdict::violation(Violation::new(format!("missing tag {}", self.key)).at(path))
            }
        })
    }
    fn remediate(
        &self,
        view: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Option<Value>, Halt> {
        if view.field(&format!("tags.{}", self.key))?.is_some() {
            return Ok(None);
        }
        let mut props = view.props.clone();
        let mut tags = props.get("tags").cloned().unwrap_or(Value::Null);
        tags.set(self.key, Value::string(self.value));
        props.set("tags", tags);
        Ok(Some(props))
    }
}

/// Records which tag values it saw when remediating, to prove ordering.
struct SeesPrevious {
    meta: PolicyMeta,
}

impl Policy for SeesPrevious {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    fn validate_resource(
        &self,
        _: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        Ok(Verdict::Pass)
    }
    fn remediate(
        &self,
        view: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Option<Value>, Halt> {
        let mut props = view.props.clone();
        let seen = view
            .props
            .field("tags.Department")?
            .and_then(Value::as_str)
            .unwrap_or("none")
            .to_string();
        props.set("seen", Value::string(seen));
        Ok(Some(props))
    }
}

/// A remediation that does not fix anything.
struct UselessFix {
    meta: PolicyMeta,
}

impl Policy for UselessFix {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        Ok(match view.field("encrypted")?.and_then(Value::as_bool) {
            Some(true) => Verdict::Pass,
            _ => Verdict::violation(Violation::new("not encrypted").at("encrypted")),
        })
    }
    fn remediate(
        &self,
        view: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Option<Value>, Halt> {
        let mut props = view.props.clone();
        props.set("touched", Value::Bool(true));
        Ok(Some(props))
    }
}

/// Leaks the password into its message.
struct Leaky {
    meta: PolicyMeta,
}

impl Policy for Leaky {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    fn validate_resource(
        &self,
        view: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        let pw = view
            .field("password")?
            .and_then(Value::as_str)
            .unwrap_or_default();
        Ok(Verdict::violation(
            Violation::new(format!("password {pw} is weak")).at(format!("password.{pw}")),
        ))
    }
}

struct Panics {
    meta: PolicyMeta,
}

impl Policy for Panics {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    #[allow(clippy::panic, reason = "the test policy must panic")]
    fn validate_resource(
        &self,
        _: ResourceView<'_>,
        _: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        panic!("boom")
    }
}

struct Counting {
    meta: PolicyMeta,
    calls: AtomicUsize,
}

impl Policy for Counting {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    fn validate_resource(
        &self,
        _: ResourceView<'_>,
        config: &serde_json::Value,
    ) -> Result<Verdict, Halt> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        match config.get("fail").and_then(serde_json::Value::as_bool) {
            Some(true) => Ok(Verdict::violation(Violation::new("configured to fail"))),
            _ => Ok(Verdict::Pass),
        }
    }
}

/// Stack policy: every bucket needs a `BucketEncryption` resource naming it.
struct BucketsEncrypted {
    meta: PolicyMeta,
}

impl Policy for BucketsEncrypted {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    fn validate_stack(
        &self,
        view: StackView<'_>,
        _: &serde_json::Value,
    ) -> Result<Vec<StackFinding>, Halt> {
        let mut encrypted = Vec::new();
        for r in view.resources().filter(|r| r.resource.type_ == "enc") {
            if let Some(b) = r.field("bucket")? {
                encrypted.extend(b.as_str().map(str::to_string));
            }
        }
        Ok(view
            .resources()
            .filter(|r| r.resource.type_ == "bucket" && !encrypted.contains(&r.resource.name))
            .map(|r| {
                StackFinding::violation(
                    r.resource.id.clone(),
                    Violation::new("bucket is not encrypted"),
                )
            })
            .collect())
    }
}

fn res(id: &str, type_: &str, props: serde_json::Value) -> Resource {
    Resource::new(id, type_, Spelling::Terraform, Value::from_json(props))
}

fn stack(resources: Vec<Resource>) -> Stack {
    Stack {
        source: "test".into(),
        resources,
        ..Stack::default()
    }
}

fn pack(name: &str, enforcement: Option<Enforcement>, policies: Vec<Arc<dyn Policy>>) -> Pack {
    Pack {
        central: false,
        name: name.into(),
        version: None,
        enforcement,
        policies,
    }
}

fn kinds(e: &Evaluation) -> Vec<(Option<usize>, String, OutcomeKind)> {
    e.outcomes
        .iter()
        .map(|o| (o.resource, e.policies[o.policy].meta.id.clone(), o.kind))
        .collect()
}

#[test]
fn enforcement_resolves_lowest_to_highest() {
    let m = meta("P1", Enforcement::Advisory, PolicyKind::Resource, &[]);
    let none = HashMap::new();
    let mut settings = PolicySettings::default();
    assert_eq!(
        resolve_enforcement(&m, None, &settings, &none),
        Enforcement::Advisory
    );
    assert_eq!(
        resolve_enforcement(&m, Some(Enforcement::Mandatory), &settings, &none),
        Enforcement::Mandatory
    );
    settings.all = Some(Enforcement::Disabled);
    assert_eq!(
        resolve_enforcement(&m, Some(Enforcement::Mandatory), &settings, &none),
        Enforcement::Disabled
    );
    settings.policies.insert(
        "p1".into(), // by name
        PolicyOverride {
            enforcement: Some(Enforcement::Remediate),
            config: Default::default(),
        },
    );
    assert_eq!(
        resolve_enforcement(&m, Some(Enforcement::Mandatory), &settings, &none),
        Enforcement::Remediate
    );
    let group = HashMap::from([("P1".to_string(), Enforcement::Advisory)]);
    assert_eq!(
        resolve_enforcement(&m, Some(Enforcement::Mandatory), &settings, &group),
        Enforcement::Advisory
    );
}

#[test]
fn mandatory_blocks_advisory_warns_disabled_does_not_run() {
    let counting = Arc::new(Counting {
        meta: meta("OFF", Enforcement::Disabled, PolicyKind::Resource, &[]),
        calls: AtomicUsize::new(0),
    });
    let packs = vec![pack(
        "p",
        None,
        vec![
            Arc::new(TagPolicy {
                meta: meta("MAND", Enforcement::Mandatory, PolicyKind::Resource, &[]),
                key: "a",
                value: "1",
            }),
            Arc::new(TagPolicy {
                meta: meta("ADV", Enforcement::Advisory, PolicyKind::Resource, &[]),
                key: "b",
                value: "1",
            }),
            counting.clone(),
        ],
    )];
    let s = stack(vec![res("x", "t", json!({"tags": {}}))]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    assert_eq!(counting.calls.load(Ordering::SeqCst), 0);
    assert_eq!(e.summary.mandatory, 1);
    assert_eq!(e.summary.advisory, 1);
    assert_eq!(e.summary.blocking, 1);
    assert_eq!(e.summary.policies, 2);
    assert!(e.blocks());
    let blocking: Vec<_> = e
        .outcomes
        .iter()
        .filter(|o| o.blocking)
        .map(|o| e.policies[o.policy].meta.id.as_str())
        .collect();
    assert_eq!(blocking, vec!["MAND"]);
}

#[test]
fn remediation_runs_in_order_before_validation_and_each_sees_the_previous() {
    let packs = vec![
        pack(
            "first",
            None,
            vec![Arc::new(TagPolicy {
                meta: meta("DEPT", Enforcement::Remediate, PolicyKind::Resource, &[]),
                key: "Department",
                value: "eng",
            })],
        ),
        pack(
            "second",
            None,
            vec![Arc::new(SeesPrevious {
                meta: meta("SEE", Enforcement::Remediate, PolicyKind::Resource, &[]),
            })],
        ),
    ];
    let s = stack(vec![
        res("x", "t", json!({"tags": {"Owner": "me"}})),
        res("y", "t", json!({"tags": {"Department": "ops"}})),
    ]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    assert_eq!(e.summary.blocking, 0);
    assert_eq!(e.remediations.len(), 2);
    let x = &e.remediations[0];
    assert_eq!(x.resource, 0);
    assert_eq!(x.policies, vec![0, 1]);
    assert_eq!(
        x.props.lookup("seen"),
        crate::value::Lookup::Found(&Value::string("eng"))
    );
    assert_eq!(
        x.props.lookup("tags.Owner"),
        crate::value::Lookup::Found(&Value::string("me"))
    );
    let y = &e.remediations[1];
    assert_eq!(y.policies, vec![1], "DEPT had nothing to fix on y");
    assert_eq!(
        y.props.lookup("seen"),
        crate::value::Lookup::Found(&Value::string("ops"))
    );
    // Validation saw the fixed resource: DEPT passes on x and is marked remediated.
    let dept_x = e
        .outcomes
        .iter()
        .find(|o| o.resource == Some(0) && o.policy == 0)
        .unwrap();
    assert_eq!(dept_x.kind, OutcomeKind::Pass);
    assert!(dept_x.remediated);
    assert_eq!(
        dept_x.message.as_deref(),
        Some("would fix: missing tag Department")
    );
}

#[test]
fn still_violating_after_fix_counts_as_mandatory() {
    let packs = vec![pack(
        "p",
        None,
        vec![Arc::new(UselessFix {
            meta: meta("ENC", Enforcement::Remediate, PolicyKind::Resource, &[]),
        })],
    )];
    let s = stack(vec![res("x", "t", json!({"encrypted": false}))]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    let o = &e.outcomes[0];
    assert_eq!(o.kind, OutcomeKind::Violation);
    assert_eq!(o.level, Enforcement::Mandatory);
    assert!(o.blocking && o.remediated);
    assert_eq!(e.summary.mandatory, 1);
}

#[test]
fn unknowns_are_indeterminate_and_block_only_in_strict_mandatory() {
    let packs = vec![pack(
        "p",
        None,
        vec![
            Arc::new(UselessFix {
                meta: meta("ENC", Enforcement::Mandatory, PolicyKind::Resource, &[]),
            }),
            Arc::new(TagPolicy {
                meta: meta("ADV", Enforcement::Advisory, PolicyKind::Resource, &[]),
                key: "a",
                value: "1",
            }),
        ],
    )];
    let mut r = res("x", "t", json!({}));
    r.props.set("encrypted", Value::Unknown);
    r.props.set("tags", Value::Unknown);
    let s = stack(vec![r]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    assert_eq!(e.summary.indeterminate, 2);
    assert_eq!(
        e.summary.mandatory + e.summary.advisory + e.summary.passed,
        0
    );
    assert!(!e.blocks());
    let strict = evaluate(
        &packs,
        &s,
        &EvaluationOptions {
            strict: true,
            ..Default::default()
        },
    );
    assert_eq!(
        strict.summary.blocking, 1,
        "only the mandatory indeterminate blocks"
    );
    assert!(strict
        .outcomes
        .iter()
        .any(|o| o.blocking && strict.policies[o.policy].meta.id == "ENC"));
}

#[test]
fn secrets_never_reach_messages_or_paths() {
    let packs = vec![pack(
        "p",
        None,
        vec![Arc::new(Leaky {
            meta: meta("LEAK", Enforcement::Mandatory, PolicyKind::Resource, &[]),
        })],
    )];
    let mut r = res("db", "t", json!({}));
    r.props.set(
        "password",
        Value::Secret(Box::new(Value::string("correct-horse-battery"))),
    );
    let e = evaluate(&packs, &stack(vec![r]), &EvaluationOptions::default());
    let o = &e.outcomes[0];
    assert_eq!(o.message.as_deref(), Some("password [secret] is weak"));
    assert_eq!(o.path.as_deref(), Some("password.[secret]"));
}

#[test]
fn a_panicking_policy_is_an_error_and_the_run_completes() {
    let packs = vec![pack(
        "p",
        None,
        vec![
            Arc::new(Panics {
                meta: meta("BOOM", Enforcement::Mandatory, PolicyKind::Resource, &[]),
            }),
            Arc::new(TagPolicy {
                meta: meta("TAG", Enforcement::Mandatory, PolicyKind::Resource, &[]),
                key: "a",
                value: "1",
            }),
        ],
    )];
    let prev = std::panic::take_hook();
    std::panic::set_hook(Box::new(|_| {}));
    let e = evaluate(
        &packs,
        &stack(vec![
            res("x", "t", json!({})),
            res("y", "t", json!({"tags": {"a": 1}})),
        ]),
        &EvaluationOptions::default(),
    );
    std::panic::set_hook(prev);
    assert_eq!(e.summary.errors, 2);
    assert!(e.has_errors());
    assert!(e
        .outcomes
        .iter()
        .filter(|o| o.kind == OutcomeKind::Error)
        .all(|o| o.message.as_deref() == Some("policy panicked: boom")));
    assert_eq!(e.summary.mandatory, 1);
    assert_eq!(e.summary.passed, 1);
}

#[test]
fn types_match_across_spellings_and_deletes_are_not_applicable() {
    let packs = vec![pack(
        "p",
        None,
        vec![Arc::new(TagPolicy {
            meta: meta(
                "S3",
                Enforcement::Mandatory,
                PolicyKind::Resource,
                &["aws:s3/bucket:Bucket"],
            ),
            key: "a",
            value: "1",
        })],
    )];
    let mut gone = res("old", "aws_s3_bucket", json!({}));
    gone.operation = Operation::Delete;
    let mut data = res("data.aws_s3_bucket.d", "aws_s3_bucket", json!({}));
    data.mode = Mode::Data;
    let s = stack(vec![
        res("tf", "aws_s3_bucket", json!({})),
        Resource::new(
            "urn:pulumi:s::p::aws:s3/bucketV2:BucketV2::b",
            "aws:s3/bucketV2:BucketV2",
            Spelling::Pulumi,
            Value::from_json(json!({})),
        ),
        res("other", "aws_sqs_queue", json!({})),
        gone,
        data,
    ]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    assert_eq!(
        kinds(&e),
        vec![
            (Some(0), "S3".into(), OutcomeKind::Violation),
            (Some(1), "S3".into(), OutcomeKind::Violation),
            (Some(3), "S3".into(), OutcomeKind::NotApplicable),
        ]
    );
    assert_eq!(e.summary.resources, 4);
}

#[test]
fn stack_policies_see_remediated_props_and_attribute_findings() {
    let packs = vec![pack(
        "p",
        None,
        vec![Arc::new(BucketsEncrypted {
            meta: meta("STACK", Enforcement::Mandatory, PolicyKind::Stack, &[]),
        })],
    )];
    let mut b1 = res("b1", "bucket", json!({}));
    b1.name = "b1".into();
    let mut b2 = res("b2", "bucket", json!({}));
    b2.name = "b2".into();
    let s = stack(vec![b1, b2, res("e1", "enc", json!({"bucket": "b1"}))]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    assert_eq!(
        kinds(&e),
        vec![(Some(1), "STACK".into(), OutcomeKind::Violation)]
    );
    let clean = stack(vec![res("e1", "enc", json!({"bucket": "b1"}))]);
    let e = evaluate(&packs, &clean, &EvaluationOptions::default());
    assert_eq!(kinds(&e), vec![(None, "STACK".into(), OutcomeKind::Pass)]);
}

#[test]
fn config_comes_from_schema_defaults_then_settings() {
    let mut m = meta("CFG", Enforcement::Advisory, PolicyKind::Resource, &[]);
    m.config_schema = Some(
        json!({"type": "object", "properties": {"fail": {"type": "boolean", "default": true}}}),
    );
    let packs = vec![pack(
        "p",
        None,
        vec![Arc::new(Counting {
            meta: m,
            calls: AtomicUsize::new(0),
        })],
    )];
    let s = stack(vec![res("x", "t", json!({}))]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    assert_eq!(e.summary.advisory, 1);
    let mut options = EvaluationOptions::default();
    let mut config = serde_json::Map::new();
    config.insert("fail".into(), json!(false));
    options.settings.policies.insert(
        "CFG".into(),
        PolicyOverride {
            enforcement: None,
            config,
        },
    );
    let e = evaluate(&packs, &s, &options);
    assert_eq!(e.summary.passed, 1);
}

#[test]
fn exemptions_suppress_until_they_expire() {
    let packs = vec![pack(
        "p",
        None,
        vec![Arc::new(TagPolicy {
            meta: meta("TAG", Enforcement::Mandatory, PolicyKind::Resource, &[]),
            key: "a",
            value: "1",
        })],
    )];
    let s = stack(vec![
        res("module.legacy.x", "t", json!({})),
        res("y", "t", json!({})),
    ]);
    let exemption = Exemption {
        policies: vec!["TAG".into()],
        resources: vec!["module.legacy.*".into()],
        reason: "legacy".into(),
        expires: Some("2026-12-31".into()),
        ..Default::default()
    };
    let unused = Exemption {
        policies: vec!["NOPE".into()],
        resources: vec!["*".into()],
        reason: "x".into(),
        ..Default::default()
    };
    let mut options = EvaluationOptions {
        exemptions: vec![exemption, unused],
        today: Some("2026-11-28".into()),
        ..Default::default()
    };
    let e = evaluate(&packs, &s, &options);
    assert_eq!(e.summary.suppressed, 1);
    assert_eq!(e.summary.blocking, 1);
    assert_eq!(e.outcomes[0].exemption, Some(0));
    assert_eq!(e.exemptions_used, vec![true, false]);
    options.today = Some("2027-01-01".into());
    let e = evaluate(&packs, &s, &options);
    assert_eq!(e.summary.suppressed, 0);
    assert_eq!(e.summary.blocking, 2);
    assert_eq!(e.exemptions_expired, vec![true, false]);
}

#[test]
fn only_central_exemptions_cover_a_central_pack() {
    let mut central = pack(
        "server",
        None,
        vec![Arc::new(TagPolicy {
            meta: meta("TAG", Enforcement::Mandatory, PolicyKind::Resource, &[]),
            key: "a",
            value: "1",
        })],
    );
    central.central = true;
    let s = stack(vec![res("x", "t", json!({}))]);
    let local = Exemption {
        policies: vec!["TAG".into()],
        resources: vec!["*".into()],
        reason: "local".into(),
        ..Default::default()
    };
    let mut options = EvaluationOptions {
        exemptions: vec![local.clone()],
        ..Default::default()
    };
    let e = evaluate(std::slice::from_ref(&central), &s, &options);
    assert_eq!((e.summary.suppressed, e.summary.blocking), (0, 1));
    assert!(e.policies[0].central);
    assert_eq!(e.exemptions_used, vec![false]);
    options.exemptions = vec![Exemption {
        central: true,
        ..local
    }];
    let e = evaluate(&[central], &s, &options);
    assert_eq!((e.summary.suppressed, e.summary.blocking), (1, 0));
}

#[test]
fn output_is_deterministic_under_parallelism() {
    let packs = vec![pack(
        "p",
        None,
        vec![
            Arc::new(TagPolicy {
                meta: meta("A", Enforcement::Remediate, PolicyKind::Resource, &[]),
                key: "a",
                value: "1",
            }),
            Arc::new(TagPolicy {
                meta: meta("B", Enforcement::Mandatory, PolicyKind::Resource, &[]),
                key: "b",
                value: "1",
            }),
        ],
    )];
    let s = stack(
        (0..2000)
            .map(|i| res(&format!("r{i}"), "t", json!({"tags": {"n": i}})))
            .collect(),
    );
    let first = evaluate(&packs, &s, &EvaluationOptions::default());
    for _ in 0..3 {
        assert_eq!(first, evaluate(&packs, &s, &EvaluationOptions::default()));
    }
    let order: Vec<_> = first
        .outcomes
        .iter()
        .map(|o| (o.resource, o.policy))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted);
}

#[test]
fn glob_matching() {
    assert!(glob_match("*", "anything"));
    assert!(glob_match(
        "module.*.aws_s3_bucket.*",
        "module.a.aws_s3_bucket.b"
    ));
    assert!(glob_match("AWS-S3-00?", "AWS-S3-001"));
    assert!(!glob_match("AWS-S3-00?", "AWS-S3-0010"));
    assert!(!glob_match("a*b", "acd"));
    assert!(glob_match("a*b*c", "a-b-b-c"));
}

#[test]
fn stack_findings_merge_into_resource_order_by_policy() {
    // declared order: stack policy 0, resource policy 1, stack policy 2, resource policy 3
    let stack_policy = |id: &str| -> Arc<dyn Policy> {
        Arc::new(BucketsEncrypted {
            meta: meta(id, Enforcement::Mandatory, PolicyKind::Stack, &[]),
        })
    };
    let tag_policy = |id: &str, key: &'static str| -> Arc<dyn Policy> {
        Arc::new(TagPolicy {
            meta: meta(
                id,
                Enforcement::Mandatory,
                PolicyKind::Resource,
                &["bucket"],
            ),
            key,
            value: "1",
        })
    };
    let packs = vec![pack(
        "p",
        None,
        vec![
            stack_policy("S0"),
            tag_policy("R1", "a"),
            stack_policy("S2"),
            tag_policy("R3", "b"),
        ],
    )];
    let mut resources = Vec::new();
    for i in 0..300 {
        let mut b = res(&format!("b{i}"), "bucket", json!({"tags": {"a": "1"}}));
        b.name = format!("b{i}");
        resources.push(b);
        if i % 3 == 0 {
            resources.push(res(
                &format!("e{i}"),
                "enc",
                json!({"bucket": format!("b{i}")}),
            ));
        }
    }
    let s = stack(resources);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    let order: Vec<(usize, usize)> = e
        .outcomes
        .iter()
        .map(|o| (o.resource.unwrap_or(usize::MAX), o.policy))
        .collect();
    let mut sorted = order.clone();
    sorted.sort();
    assert_eq!(order, sorted, "ordered by resource, then policy");
    // an unencrypted bucket has S0, R1 (pass), S2, R3 (violation), in that order
    let first_unencrypted = s.resources.iter().position(|r| r.id == "b1").unwrap();
    let of_b1: Vec<(String, OutcomeKind)> = e
        .outcomes
        .iter()
        .filter(|o| o.resource == Some(first_unencrypted))
        .map(|o| (e.policies[o.policy].meta.id.clone(), o.kind))
        .collect();
    assert_eq!(
        of_b1,
        vec![
            ("S0".to_string(), OutcomeKind::Violation),
            ("R1".to_string(), OutcomeKind::Pass),
            ("S2".to_string(), OutcomeKind::Violation),
            ("R3".to_string(), OutcomeKind::Violation),
        ]
    );
    assert_eq!(e.summary.mandatory, 200 * 2 + 300);
}

/// Stack policy: buckets named by an `enc` whose `bucket` is unknown are undecided, the others
/// without one violate.
struct MaybeEncrypted {
    meta: PolicyMeta,
}

impl Policy for MaybeEncrypted {
    fn meta(&self) -> &PolicyMeta {
        &self.meta
    }
    fn validate_stack(
        &self,
        view: StackView<'_>,
        _: &serde_json::Value,
    ) -> Result<Vec<StackFinding>, Halt> {
        Ok(view
            .resources()
            .filter(|r| r.resource.type_ == "bucket")
            .map(|r| match r.field("owner") {
                Ok(Some(_)) => StackFinding::violation(r.resource.id.clone(), Violation::new("no")),
                Ok(None) => {
                    StackFinding::unknown(r.resource.id.clone(), "bucket", Some("e".into()))
                }
                Err(_) => StackFinding::unknown(r.resource.id.clone(), "owner", None),
            })
            .collect())
    }
}

#[test]
fn stack_findings_carry_several_undecided_resources_beside_violations() {
    let packs = vec![pack(
        "p",
        None,
        vec![Arc::new(MaybeEncrypted {
            meta: meta("STACK", Enforcement::Mandatory, PolicyKind::Stack, &[]),
        })],
    )];
    let mut d = res("d", "bucket", json!({}));
    let mut props = crate::map::Map::default();
    props.insert("owner", Value::Unknown);
    d.props = Value::Object(props);
    let s = stack(vec![
        res("a", "bucket", json!({})),
        res("b", "bucket", json!({"owner": "x"})),
        res("c", "bucket", json!({})),
        d,
    ]);
    let e = evaluate(&packs, &s, &EvaluationOptions::default());
    assert_eq!(
        kinds(&e),
        vec![
            (Some(0), "STACK".into(), OutcomeKind::Indeterminate),
            (Some(1), "STACK".into(), OutcomeKind::Violation),
            (Some(2), "STACK".into(), OutcomeKind::Indeterminate),
            (Some(3), "STACK".into(), OutcomeKind::Indeterminate),
        ]
    );
    let texts: Vec<(Option<&str>, Option<&str>)> = e
        .outcomes
        .iter()
        .map(|o| (o.message.as_deref(), o.path.as_deref()))
        .collect();
    let other = (
        Some("the `bucket` of `e` is known only after apply; the policy cannot decide yet"),
        Some("e.bucket"),
    );
    assert_eq!(texts.first(), Some(&other));
    assert_eq!(texts.get(2), Some(&other));
    assert_eq!(
        texts.get(3),
        Some(&(
            Some("`owner` is known only after apply; the policy cannot decide yet"),
            Some("owner"),
        ))
    );
    assert_eq!(e.summary.indeterminate, 3);
    assert_eq!(e.summary.mandatory, 1);
}
