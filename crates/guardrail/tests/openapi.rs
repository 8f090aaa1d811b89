//! The OpenAPI document's check (`guardrail_server::contract`, a subset of JSON Schema written
//! here) against a reference validator: Python's `jsonschema` (Draft 2020-12, the dialect of
//! OpenAPI 3.1) judges the same real answers of `guardrail serve`, and changed copies of them,
//! and the two must agree on every one.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use guardrail_server::client::{request, Response};
use guardrail_server::contract::Contract;
use serde_json::{json, Value};

/// Judges bodies against schemas of the document: argv[1] the document, argv[2] a JSON list of
/// `[pointer, body]`; prints a JSON list of verdicts. Also checks that every schema of the
/// document is itself a valid Draft 2020-12 schema.
const JUDGE: &str = r##"
import json, sys
from jsonschema import Draft202012Validator
doc = json.load(open(sys.argv[1]))
for name, schema in doc["components"]["schemas"].items():
    Draft202012Validator.check_schema(schema)
cases = json.load(open(sys.argv[2]))
verdicts = []
for pointer, body in cases:
    root = dict(doc)
    root["$ref"] = "#" + pointer
    verdicts.append(Draft202012Validator(root).is_valid(body))
print(json.dumps(verdicts))
"##;

/// One exchange: method, path, status, answer.
struct Exchange {
    method: &'static str,
    path: String,
    status: u16,
    body: Value,
}

fn call(
    s: &common::Service,
    log: &mut Vec<Exchange>,
    token: &str,
    method: &'static str,
    path: &str,
    body: Option<Value>,
) -> Response {
    let bytes = body.map(|b| b.to_string().into_bytes());
    let r = request(&s.url, method, path, Some(token), bytes.as_deref()).unwrap();
    log.push(Exchange {
        method,
        path: path.to_owned(),
        status: r.status,
        body: r.json(),
    });
    r
}

/// Copies of an answer, each changed in one way: a property removed, a value of another type,
/// an unknown property, each at the top and one level down.
fn changed(body: &Value) -> Vec<Value> {
    let mut out = vec![json!([]), json!(null)];
    let Some(object) = body.as_object() else {
        return out;
    };
    for (key, value) in object {
        let mut without = object.clone();
        without.remove(key);
        out.push(Value::Object(without));
        let mut retyped = object.clone();
        retyped.insert(
            key.clone(),
            if value.is_string() {
                json!(7)
            } else {
                json!("seven")
            },
        );
        out.push(Value::Object(retyped));
        if let Some(inner) = value.as_object() {
            for inner_key in inner.keys() {
                let mut copy = object.clone();
                if let Some(Value::Object(o)) = copy.get_mut(key) {
                    o.insert(inner_key.clone(), json!({"x": [1]}));
                }
                out.push(Value::Object(copy));
            }
        }
    }
    let mut extra = object.clone();
    extra.insert("unexpected".into(), json!(1));
    out.push(Value::Object(extra));
    out
}

#[test]
fn the_documents_check_agrees_with_a_reference_json_schema_validator() {
    let s = common::Service::start();
    let root = s.token.clone();
    let mut log = Vec::new();
    let l = &mut log;
    call(&s, l, &root, "GET", "/api/v1/openapi.json", None);
    call(&s, l, &root, "GET", "/api/v1/orgs/default", None);
    call(
        &s,
        l,
        &root,
        "POST",
        "/api/v1/orgs/default/users",
        Some(json!({"name": "mia", "role": "member"})),
    );
    call(
        &s,
        l,
        &root,
        "POST",
        "/api/v1/orgs/default/users",
        Some(json!({"name": "bob", "role": "owner"})),
    );
    let t = call(
        &s,
        l,
        &root,
        "POST",
        "/api/v1/orgs/default/tokens",
        Some(json!({"user": "mia", "stacks": ["app/*"], "expires_in_days": 3})),
    );
    assert_eq!(t.status, 201);
    call(&s, l, &root, "GET", "/api/v1/orgs/default/users", None);
    call(&s, l, &root, "GET", "/api/v1/orgs/default/tokens", None);
    let mut pack = json!({"kind": "selection", "selection": {"select": ["AWS-S3-001"], "levels": {"AWS-S3-001": "mandatory"}}});
    let checked = guardrail_server::packs::check_document(&pack).unwrap();
    pack["digest"] = json!(guardrail_server::auth::content_digest(&checked.canonical));
    let v = "/api/v1/orgs/default/packs/s3/versions/1.0.0";
    assert_eq!(call(&s, l, &root, "PUT", v, Some(pack)).status, 201);
    call(&s, l, &root, "GET", v, None);
    call(&s, l, &root, "GET", &format!("{v}/content"), None);
    call(&s, l, &root, "GET", "/api/v1/orgs/default/packs", None);
    call(&s, l, &root, "GET", "/api/v1/orgs/default/packs/s3", None);
    let group = json!({"stacks": ["app/*"], "tags": {"env": "prod"}, "packs": [{"name": "s3", "version": "1.0.0", "level": "advisory", "policies": {"AWS-S3-001": {"level": "mandatory"}}}]});
    let g = "/api/v1/orgs/default/groups/prod";
    assert_eq!(call(&s, l, &root, "PUT", g, Some(group)).status, 201);
    call(&s, l, &root, "GET", "/api/v1/orgs/default/groups", None);
    let stack = "/api/v1/stacks/default/app/prod";
    call(
        &s,
        l,
        &root,
        "PUT",
        stack,
        Some(json!({"tags": {"env": "prod"}})),
    );
    call(&s, l, &root, "GET", stack, None);
    call(&s, l, &root, "GET", &format!("{stack}/policy"), None);
    let plan = std::fs::read(common::root().join("examples/plans/terraform-plan.json")).unwrap();
    let r = request(
        &s.url,
        "POST",
        &format!("{stack}/evaluations"),
        Some(&root),
        Some(&plan),
    )
    .unwrap();
    l.push(Exchange {
        method: "POST",
        path: format!("{stack}/evaluations"),
        status: r.status,
        body: r.json(),
    });
    let run = json!({"kind": "plan", "outcome": "blocked", "commit": "c0ffee", "summary": {"blocking": 1},
        "findings": [{"fingerprint": "f1", "policy": "AWS-S3-001", "pack": "s3@1.0.0",
            "resource": "aws_s3_bucket.b", "resource_type": "aws_s3_bucket", "outcome": "violation",
            "level": "mandatory", "severity": "high", "blocking": true, "central": true, "message": "public"}],
        "coverage": {"resources": 3, "covered": 2, "uncovered_types": [{"type": "aws_iam_role", "count": 1}]}});
    let r = call(&s, l, &root, "POST", &format!("{stack}/runs"), Some(run));
    assert_eq!(r.status, 201, "{}", r.error_message());
    let id = r.json()["id"].as_i64().unwrap();
    call(&s, l, &root, "GET", "/api/v1/orgs/default/runs", None);
    call(
        &s,
        l,
        &root,
        "GET",
        &format!("/api/v1/orgs/default/runs/{id}"),
        None,
    );
    call(
        &s,
        l,
        &root,
        "GET",
        "/api/v1/orgs/default/runs/999999",
        None,
    );
    call(&s, l, &root, "GET", "/api/v1/orgs/default/findings", None);
    let e = call(
        &s,
        l,
        &root,
        "POST",
        "/api/v1/orgs/default/exemptions",
        Some(
            json!({"stack": "app/prod", "policy": "AWS-S3-001", "resource": "aws_s3_bucket.b",
            "reason": "a test", "expires": "2099-01-01", "break_glass": true, "ticket": "SEC-1"}),
        ),
    );
    assert!(
        [201, 400].contains(&e.status),
        "{} {}",
        e.status,
        e.error_message()
    );
    call(&s, l, &root, "GET", "/api/v1/orgs/default/exemptions", None);
    call(&s, l, &root, "GET", "/api/v1/orgs/default/audit-log", None);
    call(
        &s,
        l,
        &root,
        "POST",
        "/api/v1/orgs/default/simulations",
        Some(json!({"policy": "AWS-S3-001", "level": "mandatory"})),
    );
    call(&s, l, &root, "GET", "/api/v1/orgs/default/metrics", None);
    call(&s, l, &root, "GET", "/api/v1/orgs/other", None);
    call(&s, l, "grd_nothing", "GET", "/api/v1/orgs/default", None);

    // Every exchange with its documented schema, then changed copies of each answer.
    let contract = Contract::api().unwrap();
    let mut cases: Vec<(String, Value, bool)> = Vec::new();
    for x in &log {
        let pointer = contract
            .response_schema_pointer(x.method, &x.path, x.status)
            .unwrap_or_else(|| {
                panic!(
                    "{} {} answered {}, undocumented",
                    x.method, x.path, x.status
                )
            });
        let schema = json!({"$ref": format!("#{pointer}")});
        for (i, body) in std::iter::once(x.body.clone())
            .chain(changed(&x.body))
            .enumerate()
        {
            let ours = contract.check(&schema, &body).is_empty();
            if i == 0 {
                assert!(
                    ours,
                    "{} {} {}: a real answer fits",
                    x.method, x.path, x.status
                );
            }
            cases.push((pointer.clone(), body, ours));
        }
    }
    let dir = common::TempDir::new("openapi-judge");
    let doc = dir.join("openapi.json");
    std::fs::write(&doc, guardrail_server::api::OPENAPI).unwrap();
    let list = dir.join("cases.json");
    let pairs: Vec<Value> = cases.iter().map(|(p, b, _)| json!([p, b])).collect();
    std::fs::write(&list, Value::Array(pairs).to_string()).unwrap();
    let out = common::python(
        JUDGE,
        &[doc.as_os_str(), list.as_os_str()],
        "the reference validator",
    );
    let theirs: Vec<bool> = serde_json::from_str(out.trim()).unwrap();
    assert_eq!(theirs.len(), cases.len());
    let mut disagreements = Vec::new();
    for ((pointer, body, ours), theirs) in cases.iter().zip(&theirs) {
        if ours != theirs {
            disagreements.push(format!(
                "{pointer}: ours {ours}, jsonschema {theirs}: {body}"
            ));
        }
    }
    assert!(
        disagreements.is_empty(),
        "{} of {} verdicts differ:\n{}",
        disagreements.len(),
        cases.len(),
        disagreements.join("\n")
    );
    let refused = cases.iter().filter(|c| !c.2).count();
    assert!(
        refused * 2 > cases.len() - log.len(),
        "most changed copies are refused ({refused} of {})",
        cases.len()
    );
    eprintln!(
        "{} exchanges, {} verdicts, {refused} refusals, the two validators agree",
        log.len(),
        cases.len()
    );
}
