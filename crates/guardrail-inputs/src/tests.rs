//! Unit tests of the public API on small inline documents, one group per format, and every
//! error path.

use guardrail_core::value::Lookup;
use guardrail_core::{Mode, Operation, Resource, Stack, Value};
use serde_json::json;

use crate::{detect, load_bytes, InputError, InputFormat};

fn load(doc: &serde_json::Value) -> Stack {
    let text = serde_json::to_string_pretty(doc).unwrap();
    load_bytes("test.json", text.as_bytes(), None).unwrap()
}

fn err(text: &str) -> InputError {
    load_bytes("bad.json", text.as_bytes(), None).unwrap_err()
}

fn by_id<'s>(stack: &'s Stack, id: &str) -> &'s Resource {
    stack
        .resources
        .iter()
        .find(|r| r.id == id)
        .unwrap_or_else(|| panic!("no resource `{id}`"))
}

fn v(j: serde_json::Value) -> Value {
    Value::from_json(j)
}

fn change(address: &str, actions: &[&str], change: serde_json::Value) -> serde_json::Value {
    let (module, rest) = match address.rfind("module.") {
        Some(_) => {
            let m = crate::terraform::module_of(address).unwrap();
            (Some(m.clone()), address[m.len() + 1..].to_string())
        }
        None => (None, address.to_string()),
    };
    let data = rest.starts_with("data.");
    let rest = rest.trim_start_matches("data.");
    let mut parts = rest.splitn(2, '.');
    let type_ = parts.next().unwrap();
    let name = parts.next().unwrap().split('[').next().unwrap();
    let mut c = change;
    c["actions"] = json!(actions);
    let mut rc = json!({
        "address": address, "mode": if data { "data" } else { "managed" }, "type": type_,
        "name": name, "provider_name": "registry.terraform.io/hashicorp/aws", "change": c,
    });
    if let Some(m) = module {
        rc["module_address"] = json!(m);
    }
    rc
}

// ---------------------------------------------------------------- terraform plans

#[test]
fn plan_operations() {
    let doc = json!({
        "format_version": "1.2",
        "resource_changes": [
            change("aws_s3_bucket.create", &["create"], json!({"before": null, "after": {"a": 1}})),
            change("aws_s3_bucket.update", &["update"], json!({"before": {"a": 1}, "after": {"a": 2}})),
            change("aws_s3_bucket.rep1", &["delete", "create"], json!({"before": {"a": 1}, "after": {"a": 2}})),
            change("aws_s3_bucket.rep2", &["create", "delete"], json!({"before": {"a": 1}, "after": {"a": 2}})),
            change("aws_s3_bucket.del", &["delete"], json!({"before": {"a": 1}, "after": null})),
            change("data.aws_caller_identity.me", &["read"], json!({"before": null, "after": {}, "after_unknown": {"account_id": true}})),
            change("aws_s3_bucket.same", &["no-op"], json!({"before": {"a": 1}, "after": {"a": 1}})),
            change("aws_s3_bucket.forget", &["forget"], json!({"before": {"a": 1}, "after": null})),
        ]
    });
    let stack = load(&doc);
    assert_eq!(stack.format, "terraform-plan");
    assert_eq!(stack.source, "test.json");
    let ops: Vec<(&str, Operation)> = stack
        .resources
        .iter()
        .map(|r| (r.id.as_str(), r.operation))
        .collect();
    assert_eq!(
        ops,
        vec![
            ("aws_s3_bucket.create", Operation::Create),
            ("aws_s3_bucket.update", Operation::Update),
            ("aws_s3_bucket.rep1", Operation::Replace),
            ("aws_s3_bucket.rep2", Operation::Replace),
            ("aws_s3_bucket.del", Operation::Delete),
            ("data.aws_caller_identity.me", Operation::Read),
            ("aws_s3_bucket.same", Operation::Same),
            ("aws_s3_bucket.forget", Operation::Delete),
        ]
    );
    let update = by_id(&stack, "aws_s3_bucket.update");
    assert_eq!(update.props, v(json!({"a": 2})));
    assert_eq!(update.old_props, Some(v(json!({"a": 1}))));
    assert_eq!(update.type_, "aws_s3_bucket");
    assert_eq!(update.name, "update");
    assert_eq!(update.mode, Mode::Managed);
    assert_eq!(
        update.provider.as_deref(),
        Some("registry.terraform.io/hashicorp/aws")
    );
    let deleted = by_id(&stack, "aws_s3_bucket.del");
    assert_eq!(deleted.props, v(json!({"a": 1})), "a delete shows `before`");
    let create = by_id(&stack, "aws_s3_bucket.create");
    assert_eq!(create.old_props, None);
    let data = by_id(&stack, "data.aws_caller_identity.me");
    assert_eq!(data.mode, Mode::Data);
    assert_eq!(data.props.get("account_id"), Some(&Value::Unknown));
    // each resource points at the line where its entry starts
    let text = serde_json::to_string_pretty(&doc).unwrap();
    for r in &stack.resources {
        let line = text.lines().nth(r.line.unwrap() - 1).unwrap();
        let next = text.lines().nth(r.line.unwrap()).unwrap_or_default();
        assert!(line.trim_end().ends_with('{'), "{line}");
        assert!(
            text.lines()
                .skip(r.line.unwrap())
                .take(12)
                .any(|l| l.contains(&format!("\"address\": \"{}\"", r.id))),
            "{} at line {:?}: {next}",
            r.id,
            r.line
        );
    }
}

#[test]
fn plan_unknown_and_sensitive_markers() {
    let doc = json!({
        "format_version": "1.2",
        "resource_changes": [change("aws_db_instance.db", &["update"], json!({
            "before": {"password": "old-pw", "name": "db", "tags": {"k": "v"}},
            "after": {"password": "new-pw", "name": "db", "tags": {"k": "v"},
                      "blocks": [{"x": 1}, {"x": 2}], "nested": {"a": 1, "b": 2}},
            "after_unknown": {"arn": true, "blocks": [false, {"y": true}], "nested": true,
                              "tags": {}},
            "before_sensitive": {"password": true},
            "after_sensitive": {"password": true, "tags": true, "blocks": [{"x": true}]},
        }))]
    });
    let stack = load(&doc);
    let db = &stack.resources[0];
    // unknown: a leaf absent from `after`, a whole subtree, an element of a list
    assert_eq!(db.props.get("arn"), Some(&Value::Unknown));
    assert_eq!(db.props.get("nested"), Some(&Value::Unknown));
    assert_eq!(db.props.lookup("blocks[1].y"), Lookup::Unknown);
    assert_eq!(db.props.lookup("blocks[1].x"), Lookup::Found(&v(json!(2))));
    // sensitive: a leaf, a whole subtree, an element inside a list
    assert_eq!(
        db.props.get("password"),
        Some(&Value::Secret(Box::new(v(json!("new-pw")))))
    );
    assert!(db.props.get("tags").unwrap().is_secret());
    assert_eq!(db.props.lookup("tags.k"), Lookup::Found(&v(json!("v"))));
    let Some(Value::Array(blocks)) = db.props.get("blocks") else {
        panic!("blocks")
    };
    assert!(blocks[0].get("x").unwrap().is_secret());
    assert!(!db.props.get("name").unwrap().is_secret());
    let old = db.old_props.as_ref().unwrap();
    assert!(old.get("password").unwrap().is_secret());
    assert!(!old.get("tags").unwrap().is_secret());
    // nothing secret is printed by serialization
    let printed = serde_json::to_string(&db.props).unwrap();
    assert!(!printed.contains("new-pw"), "{printed}");
}

#[test]
fn plan_modules_prior_state_data_and_dependencies() {
    let doc = json!({
        "format_version": "1.2",
        "resource_changes": [
            change("aws_s3_bucket.b[0]", &["create"], json!({"after": {}, "after_unknown": {"id": true}})),
            change("aws_s3_bucket.b[1]", &["create"], json!({"after": {}, "after_unknown": {"id": true}})),
            change("aws_s3_bucket.e[\"x\"]", &["create"], json!({"after": {}})),
            change("aws_s3_bucket.e[\"y\"]", &["create"], json!({"after": {}})),
            change("aws_s3_bucket_server_side_encryption_configuration.x", &["create"],
                   json!({"after": {"rule": []}, "after_unknown": {"bucket": true}})),
            change("aws_s3_bucket_policy.one", &["create"], json!({"after": {}})),
            change("module.a[\"k\"].module.b.aws_s3_bucket.x[\"y\"]", &["create"], json!({"after": {}})),
            change("module.a[\"k\"].module.b.aws_s3_bucket_versioning.v", &["create"], json!({"after": {}})),
            change("module.a[\"j\"].module.b.aws_s3_bucket.x[\"y\"]", &["create"], json!({"after": {}})),
            change("module.a[\"j\"].module.b.aws_s3_bucket_versioning.v", &["create"], json!({"after": {}})),
            change("aws_s3_bucket_logging.l", &["create"], json!({"after": {}})),
            change("aws_iam_role.r", &["create"], json!({"after": {}})),
        ],
        "prior_state": {"format_version": "1.0", "values": {"root_module": {
            "resources": [{"address": "data.aws_iam_policy_document.p", "mode": "data",
                           "type": "aws_iam_policy_document", "name": "p",
                           "provider_name": "aws", "values": {"json": "{}"}}],
            "child_modules": [{"address": "module.old", "resources": [
                {"address": "data.aws_region.r", "mode": "data", "type": "aws_region",
                 "name": "r", "index": 0, "values": {"name": "eu-west-1"},
                 "sensitive_values": {"name": true}}]}]
        }}},
        "configuration": {"root_module": {
            "resources": [
                {"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket", "name": "b",
                 "count_expression": {"constant_value": 2}},
                {"address": "aws_s3_bucket.e", "mode": "managed", "type": "aws_s3_bucket", "name": "e",
                 "for_each_expression": {"references": ["var.names"]}},
                {"address": "aws_s3_bucket_server_side_encryption_configuration.x", "mode": "managed",
                 "expressions": {"bucket": {"references": ["aws_s3_bucket.b[0].id", "aws_s3_bucket.b[0]", "aws_s3_bucket.b"]},
                                 "rule": [{"apply": [{"kms": {"references": ["data.aws_iam_policy_document.p.json", "data.aws_iam_policy_document.p"]}}]}]}},
                {"address": "aws_s3_bucket_policy.one", "mode": "managed",
                 "expressions": {"bucket": {"references": ["aws_s3_bucket.e.id", "aws_s3_bucket.e", "local.x", "each.key"]}},
                 "depends_on": ["aws_iam_role.r"]},
                {"address": "aws_s3_bucket_logging.l", "mode": "managed",
                 "expressions": {"bucket": {"references": ["module.a.bucket_ids", "module.a"]}}},
                {"address": "aws_iam_role.r", "mode": "managed", "expressions": {}}
            ],
            "module_calls": {"a": {
                "for_each_expression": {"constant_value": ["j", "k"]},
                "expressions": {"bucket": {"references": ["aws_s3_bucket.b"]}},
                "module": {
                    "outputs": {"bucket_ids": {"expression": {"references": ["module.b.id", "module.b"]}}},
                    "module_calls": {"b": {
                        "expressions": {"name": {"references": ["var.bucket"]}},
                        "module": {
                            "outputs": {"id": {"expression": {"references": ["aws_s3_bucket.x.id", "aws_s3_bucket.x"]}}},
                            "resources": [
                                {"address": "aws_s3_bucket.x", "mode": "managed"},
                                {"address": "aws_s3_bucket_versioning.v", "mode": "managed",
                                 "expressions": {"bucket": {"references": ["aws_s3_bucket.x[\"y\"].id", "aws_s3_bucket.x[\"y\"]", "aws_s3_bucket.x"]},
                                                 "tags": {"references": ["var.name"]}}}
                            ]
                        }
                    }}
                }
            }}
        }}
    });
    let stack = load(&doc);
    assert_eq!(stack.resources.len(), 14, "12 changes and 2 data sources");
    let module_bucket = by_id(&stack, "module.a[\"k\"].module.b.aws_s3_bucket.x[\"y\"]");
    assert_eq!(
        module_bucket.parent.as_deref(),
        Some("module.a[\"k\"].module.b")
    );
    assert_eq!(module_bucket.name, "x");
    let policy_doc = by_id(&stack, "data.aws_iam_policy_document.p");
    assert_eq!(policy_doc.operation, Operation::Read);
    assert_eq!(policy_doc.mode, Mode::Data);
    // Terraform 0.12 wrote child-module addresses without module and key
    let region = by_id(&stack, "module.old.data.aws_region.r[0]");
    assert!(region.props.get("name").unwrap().is_secret());
    assert_eq!(region.parent.as_deref(), Some("module.old"));

    // the encryption configuration refers to the bucket although the id is unknown
    let sse = by_id(
        &stack,
        "aws_s3_bucket_server_side_encryption_configuration.x",
    );
    assert_eq!(sse.props.get("bucket"), Some(&Value::Unknown));
    assert_eq!(
        sse.dependencies,
        vec!["aws_s3_bucket.b[0]", "data.aws_iam_policy_document.p"],
        "the one instance named, and the data source of a nested block"
    );
    // a reference to a for_each resource links every instance; depends_on counts
    assert_eq!(
        by_id(&stack, "aws_s3_bucket_policy.one").dependencies,
        vec![
            "aws_iam_role.r",
            "aws_s3_bucket.e[\"x\"]",
            "aws_s3_bucket.e[\"y\"]"
        ]
    );
    // inside a module instance, references stay in that instance; `var.name` goes to the
    // callers, two levels up
    assert_eq!(
        by_id(
            &stack,
            "module.a[\"k\"].module.b.aws_s3_bucket_versioning.v"
        )
        .dependencies,
        vec![
            "aws_s3_bucket.b[0]",
            "aws_s3_bucket.b[1]",
            "module.a[\"k\"].module.b.aws_s3_bucket.x[\"y\"]"
        ]
    );
    // module outputs are followed to the resources behind them, in every instance
    assert_eq!(
        by_id(&stack, "aws_s3_bucket_logging.l").dependencies,
        vec![
            "module.a[\"j\"].module.b.aws_s3_bucket.x[\"y\"]",
            "module.a[\"k\"].module.b.aws_s3_bucket.x[\"y\"]"
        ]
    );
    assert!(by_id(&stack, "aws_s3_bucket.b[0]").dependencies.is_empty());
}

#[test]
fn plan_unset_arguments_are_not_unknown() {
    let doc = json!({
        "format_version": "1.2",
        "resource_changes": [
            change("aws_lambda_function.f", &["create"], json!({
                "after": {"function_name": "f", "tags": null},
                "after_unknown": {"tracing_config": true, "arn": true, "id": true, "role": true,
                                  "tags_all": true, "kms_key_arn": true}})),
            change("aws_eks_cluster.c", &["create"], json!({
                "after": {"name": "c", "vpc_config": [{"endpoint_public_access": true}]},
                "after_unknown": {"vpc_config": [{"public_access_cidrs": true,
                                                  "subnet_ids": true, "vpc_id": true}]}})),
            // `ingress` comes from a `dynamic` block, which the configuration does not show
            change("aws_security_group.sg", &["create"], json!({
                "after": {"name": "sg", "ingress": [{"from_port": 22, "to_port": 22}]},
                "after_unknown": {"ingress": [{"cidr_blocks": true}], "egress": true}})),
            change("aws_instance.old", &["delete"], json!({
                "before": {"ami": "ami-1"}, "after": null})),
            change("aws_iam_role.r", &["create"], json!({
                "after": {"name": "r"}, "after_unknown": {"arn": true}})),
        ],
        "configuration": {"root_module": {"resources": [
            {"address": "aws_lambda_function.f", "mode": "managed",
             "expressions": {"function_name": {"constant_value": "f"},
                             "role": {"references": ["aws_iam_role.r.arn", "aws_iam_role.r"]},
                             "kms_key_arn": {}}},
            {"address": "aws_eks_cluster.c", "mode": "managed",
             "expressions": {"name": {"constant_value": "c"},
                             "vpc_config": [{"subnet_ids": {"references": ["var.subnets"]}}]}},
            {"address": "aws_security_group.sg", "mode": "managed",
             "expressions": {"name": {"constant_value": "sg"}}},
            {"address": "aws_iam_role.r", "mode": "managed",
             "expressions": {"name": {"constant_value": "r"}}}
        ]}}
    });
    let stack = load(&doc);
    let f = by_id(&stack, "aws_lambda_function.f");
    // never set: the provider's default, not a value known only after apply
    assert_eq!(f.props.get("tracing_config"), Some(&Value::Null));
    assert_eq!(f.props.get("tags_all"), Some(&Value::Null));
    // set to something not yet created, or to a function call: truly unknown
    assert_eq!(f.props.get("role"), Some(&Value::Unknown));
    assert_eq!(f.props.get("kms_key_arn"), Some(&Value::Unknown));
    // identities the provider assigns stay unknown
    assert_eq!(f.props.get("arn"), Some(&Value::Unknown));
    assert_eq!(f.props.get("id"), Some(&Value::Unknown));
    assert_eq!(f.defaulted, vec!["tags_all", "tracing_config"]);
    // the references of each argument, apart from the other dependencies
    assert_eq!(
        f.property_dependencies.get("role"),
        Some(&v(json!(["aws_iam_role.r"])))
    );
    // nested blocks the configuration writes: what they leave out is unset
    let c = by_id(&stack, "aws_eks_cluster.c");
    assert_eq!(
        c.props.lookup("vpc_config[0].public_access_cidrs"),
        Lookup::Found(&Value::Null)
    );
    assert_eq!(c.props.lookup("vpc_config[0].subnet_ids"), Lookup::Unknown);
    assert_eq!(
        c.defaulted,
        vec!["vpc_config[0].public_access_cidrs", "vpc_config[0].vpc_id"]
    );
    // inside a block the configuration does not show (`dynamic`), nothing is decided
    let sg = by_id(&stack, "aws_security_group.sg");
    assert_eq!(sg.props.lookup("ingress[0].cidr_blocks"), Lookup::Unknown);
    assert_eq!(sg.props.get("egress"), Some(&Value::Null));
    assert_eq!(sg.defaulted, vec!["egress"]);
    // deletions keep what they had
    assert!(by_id(&stack, "aws_instance.old").defaulted.is_empty());

    // a provider's `default_tags` make `tags_all` more than `tags`: it stays unknown
    let mut with_default_tags = doc.clone();
    with_default_tags["configuration"]["provider_config"] = json!({"aws": {
        "name": "aws",
        "expressions": {"default_tags": [{"tags": {"constant_value": {"team": "a"}}}]}}});
    let stack = load(&with_default_tags);
    let f = by_id(&stack, "aws_lambda_function.f");
    assert_eq!(f.props.get("tags_all"), Some(&Value::Unknown));
    assert_eq!(f.defaulted, vec!["tracing_config"]);

    // without a configuration, nothing tells unset from unknown
    let mut bare = doc;
    bare.as_object_mut().unwrap().remove("configuration");
    let stack = load(&bare);
    let f = by_id(&stack, "aws_lambda_function.f");
    assert_eq!(f.props.get("tracing_config"), Some(&Value::Unknown));
    assert!(f.defaulted.is_empty());
}

#[test]
fn plan_property_dependencies_come_from_each_argument() {
    let doc = json!({
        "format_version": "1.2",
        "resource_changes": [
            change("aws_s3_bucket.app", &["create"], json!({"after": {"bucket": "app"}})),
            change("aws_s3_bucket.logs", &["create"], json!({"after": {"bucket": "logs"}})),
            change("aws_s3_bucket_logging.l", &["create"], json!({
                "after": {"target_prefix": "app/"},
                "after_unknown": {"bucket": true, "target_bucket": true}})),
            change("aws_s3_bucket_public_access_block.p", &["create"], json!({
                "after": {"block_public_acls": true},
                "after_unknown": {"bucket": true}})),
            change("module.m.aws_s3_bucket_versioning.v", &["create"], json!({
                "after": {}, "after_unknown": {"bucket": true}})),
        ],
        "configuration": {"root_module": {
            "resources": [
                {"address": "aws_s3_bucket.app", "mode": "managed"},
                {"address": "aws_s3_bucket.logs", "mode": "managed"},
                {"address": "aws_s3_bucket_logging.l", "mode": "managed",
                 "expressions": {
                    "bucket": {"references": ["aws_s3_bucket.app.id", "aws_s3_bucket.app"]},
                    "target_bucket": {"references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]},
                    "target_prefix": {"constant_value": "app/"}}},
                {"address": "aws_s3_bucket_public_access_block.p", "mode": "managed",
                 "expressions": {
                    "bucket": {"references": ["aws_s3_bucket.app.id", "aws_s3_bucket.app"]},
                    "block_public_acls": {"constant_value": true}},
                 "depends_on": ["aws_s3_bucket.logs"]}
            ],
            "module_calls": {"m": {
                "expressions": {"bucket": {"references": ["aws_s3_bucket.logs.id", "aws_s3_bucket.logs"]}},
                "module": {"resources": [
                    {"address": "aws_s3_bucket_versioning.v", "mode": "managed",
                     "expressions": {"bucket": {"references": ["var.bucket"]}}}
                ]}
            }}
        }}
    });
    let stack = load(&doc);
    let logging = by_id(&stack, "aws_s3_bucket_logging.l");
    assert_eq!(
        logging.property_dependencies.get("bucket"),
        Some(&v(json!(["aws_s3_bucket.app"])))
    );
    assert_eq!(
        logging.property_dependencies.get("target_bucket"),
        Some(&v(json!(["aws_s3_bucket.logs"])))
    );
    assert!(!logging.property_dependencies.contains_key("target_prefix"));
    assert_eq!(
        logging.dependencies,
        vec!["aws_s3_bucket.app", "aws_s3_bucket.logs"]
    );
    // `depends_on` is a dependency, never a property's source
    let block = by_id(&stack, "aws_s3_bucket_public_access_block.p");
    assert_eq!(
        block.property_dependencies.get("bucket"),
        Some(&v(json!(["aws_s3_bucket.app"])))
    );
    assert_eq!(
        block.dependencies,
        vec!["aws_s3_bucket.app", "aws_s3_bucket.logs"]
    );
    // a module input is followed to the caller's expression
    assert_eq!(
        by_id(&stack, "module.m.aws_s3_bucket_versioning.v")
            .property_dependencies
            .get("bucket"),
        Some(&v(json!(["aws_s3_bucket.logs"])))
    );
}

#[test]
fn plan_without_resource_changes_uses_planned_values() {
    let stack = load(&json!({
        "planned_values": {"root_module": {"resources": [
            {"address": "aws_vpc_endpoint.t", "mode": "managed", "type": "aws_vpc_endpoint",
             "name": "t", "values": {"policy": "{}"}}]}},
        "configuration": {"root_module": {}}
    }));
    assert_eq!(stack.format, "terraform-plan");
    assert_eq!(stack.resources.len(), 1);
    assert_eq!(stack.resources[0].operation, Operation::Create);
    // an empty plan is a valid plan
    let empty = load(&json!({"format_version": "1.2", "planned_values": {"root_module": {}}}));
    assert!(empty.resources.is_empty());
}

#[test]
fn plan_with_unknown_action_is_an_error() {
    let doc = json!({"format_version": "1.2", "resource_changes": [
        change("aws_s3_bucket.b", &["explode"], json!({}))]});
    let e = err(&serde_json::to_string_pretty(&doc).unwrap());
    assert!(e.message.contains("`explode`"), "{e}");
    assert_eq!(e.line, Some(4), "{e}");
}

// ---------------------------------------------------------------- terraform states

#[test]
fn show_json_state() {
    let stack = load(&json!({
        "format_version": "1.0", "terraform_version": "1.9.0",
        "values": {"root_module": {
            "resources": [{"address": "aws_s3_bucket.b", "mode": "managed", "type": "aws_s3_bucket",
                           "name": "b", "provider_name": "aws", "values": {"bucket": "x", "pw": "s"},
                           "sensitive_values": {"pw": true}}],
            "child_modules": [{"address": "module.m", "resources": [
                {"address": "module.m.aws_s3_bucket_policy.p[\"a\"]", "mode": "managed",
                 "type": "aws_s3_bucket_policy", "name": "p", "index": "a",
                 "values": {}, "depends_on": ["aws_s3_bucket.b"]}],
                "child_modules": [{"address": "module.m.module.n", "resources": [
                    {"address": "module.m.module.n.data.aws_region.r", "mode": "data",
                     "type": "aws_region", "name": "r", "values": {}}]}]}]
        }}
    }));
    assert_eq!(stack.format, "terraform-state");
    assert_eq!(stack.resources.len(), 3);
    assert!(stack
        .resources
        .iter()
        .all(|r| r.operation == Operation::Same));
    let b = by_id(&stack, "aws_s3_bucket.b");
    assert!(b.props.get("pw").unwrap().is_secret());
    assert!(!b.props.get("bucket").unwrap().is_secret());
    let p = by_id(&stack, "module.m.aws_s3_bucket_policy.p[\"a\"]");
    assert_eq!(p.dependencies, vec!["aws_s3_bucket.b"]);
    assert_eq!(p.parent.as_deref(), Some("module.m"));
    let r = by_id(&stack, "module.m.module.n.data.aws_region.r");
    assert_eq!(r.mode, Mode::Data);
    // the state of an empty workspace
    let empty = load(&json!({"format_version": "1.0"}));
    assert_eq!(empty.format, "terraform-state");
    assert!(empty.resources.is_empty());
}

#[test]
fn tfstate_v4() {
    let stack = load(&json!({
        "version": 4, "terraform_version": "1.5.7", "serial": 3, "lineage": "x", "outputs": {},
        "resources": [
            {"mode": "managed", "type": "aws_s3_bucket", "name": "b",
             "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
             "instances": [
                 {"index_key": 0, "attributes": {"bucket": "b0"}},
                 {"index_key": 1, "attributes": {"bucket": "b1"}}]},
            {"module": "module.m[\"x\"]", "mode": "managed", "type": "random_password", "name": "pw",
             "provider": "provider[\"registry.terraform.io/hashicorp/random\"]",
             "instances": [{"index_key": "k", "attributes": {"result": "hunter2", "length": 8},
                            "sensitive_attributes": [[{"type": "get_attr", "value": "result"}]],
                            "dependencies": ["aws_s3_bucket.b"]}]},
            {"mode": "data", "type": "aws_region", "name": "r", "provider": "p",
             "instances": [{"attributes": {"name": "eu-west-1"}}]}
        ]
    }));
    assert_eq!(stack.format, "tfstate");
    let ids: Vec<&str> = stack.resources.iter().map(|r| r.id.as_str()).collect();
    assert_eq!(
        ids,
        vec![
            "aws_s3_bucket.b[0]",
            "aws_s3_bucket.b[1]",
            "module.m[\"x\"].random_password.pw[\"k\"]",
            "data.aws_region.r"
        ]
    );
    let pw = by_id(&stack, "module.m[\"x\"].random_password.pw[\"k\"]");
    assert!(pw.props.get("result").unwrap().is_secret());
    assert!(!pw.props.get("length").unwrap().is_secret());
    assert_eq!(pw.parent.as_deref(), Some("module.m[\"x\"]"));
    assert_eq!(
        pw.dependencies,
        vec!["aws_s3_bucket.b[0]", "aws_s3_bucket.b[1]"]
    );
    assert_eq!(by_id(&stack, "data.aws_region.r").mode, Mode::Data);
}

#[test]
fn tfstate_other_versions_are_rejected() {
    let e = err(
        r#"{"version": 3, "terraform_version": "0.11.14", "serial": 1, "lineage": "x", "modules": [{"path": ["root"], "resources": {}}]}"#,
    );
    assert!(e.message.contains("only version 4"), "{e}");
    assert!(e.message.contains("`3`"), "{e}");
    assert_eq!((e.line, e.column), (Some(1), Some(13)));
    assert!(e.help.is_some());
}

// ---------------------------------------------------------------- pulumi

const SECRET: &str = "1b47061264138c4ac30d75fd1eb44270";
const SIG: &str = "4dabf18193072939515e22adb298388d";

fn pulumi_resources() -> serde_json::Value {
    json!([
        {"urn": "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev", "custom": false,
         "type": "pulumi:pulumi:Stack"},
        {"urn": "urn:pulumi:dev::web::pulumi:providers:aws::default_6_0_0", "custom": true,
         "id": "abc", "type": "pulumi:providers:aws", "inputs": {"region": "eu-west-1"}},
        {"urn": "urn:pulumi:dev::web::my:app:Site$aws:s3/bucket:Bucket::site-bucket", "custom": true,
         "id": "b-123", "type": "aws:s3/bucket:Bucket",
         "inputs": {"acl": "private", "password": {SIG: SECRET, "plaintext": "\"hunter2\""},
                    "pending": "04da6b54-80e4-46f7-96ec-b56ff0331ba9",
                    "encrypted": {SIG: SECRET, "ciphertext": "v1:abc"}},
         "outputs": {"arn": "arn:aws:s3:::b-123"},
         "parent": "urn:pulumi:dev::web::my:app:Site::site",
         "provider": "urn:pulumi:dev::web::pulumi:providers:aws::default_6_0_0::abc",
         "dependencies": ["urn:pulumi:dev::web::my:app:Site::site"],
         "propertyDependencies": {"acl": ["urn:pulumi:dev::web::my:app:Site::site"]}},
        {"urn": "urn:pulumi:dev::web::my:app:Site::site", "custom": false, "type": "my:app:Site"},
        {"urn": "urn:pulumi:dev::web::aws:ec2/vpc:Vpc::default", "custom": true, "external": true,
         "type": "aws:ec2/vpc:Vpc", "inputs": {}, "outputs": {"cidrBlock": "10.0.0.0/16"}}
    ])
}

#[test]
fn pulumi_stack_export() {
    let stack = load(&json!({"version": 3, "deployment": {
        "manifest": {"time": "2024-01-01T00:00:00Z", "magic": "m", "version": "v3.100.0"},
        "secrets_providers": {"type": "service"},
        "resources": pulumi_resources()
    }}));
    assert_eq!(stack.format, "pulumi-stack");
    assert_eq!(stack.project.as_deref(), Some("web"));
    assert_eq!(stack.stack.as_deref(), Some("dev"));
    let modes: Vec<Mode> = stack.resources.iter().map(|r| r.mode).collect();
    assert_eq!(
        modes,
        vec![
            Mode::Component,
            Mode::Provider,
            Mode::Managed,
            Mode::Component,
            Mode::Data
        ]
    );
    assert!(stack
        .resources
        .iter()
        .all(|r| r.operation == Operation::Same));
    let bucket = &stack.resources[2];
    assert_eq!(bucket.name, "site-bucket");
    assert_eq!(bucket.type_, "aws:s3/bucket:Bucket");
    assert_eq!(
        bucket.props.get("password"),
        Some(&Value::Secret(Box::new(v(json!("hunter2")))))
    );
    assert_eq!(bucket.props.get("pending"), Some(&Value::Unknown));
    let encrypted = bucket.props.get("encrypted").unwrap();
    assert!(encrypted.is_secret() && encrypted.is_unknown());
    assert_eq!(
        bucket.outputs.as_ref().and_then(|o| o.get("arn")),
        Some(&v(json!("arn:aws:s3:::b-123")))
    );
    assert_eq!(
        bucket.parent.as_deref(),
        Some("urn:pulumi:dev::web::my:app:Site::site")
    );
    assert!(bucket.provider.as_deref().unwrap().ends_with("::abc"));
    assert_eq!(bucket.dependencies.len(), 1);
    assert!(bucket.property_dependencies.contains_key("acl"));
    assert!(bucket.line.is_some());
    let printed = serde_json::to_string(&bucket.props).unwrap();
    assert!(!printed.contains("hunter2"), "{printed}");
}

#[test]
fn pulumi_checkpoints() {
    let v4 = load(
        &json!({"version": 4, "features": ["something-new"], "checkpoint": {
        "stack": "acme/web/prod", "latest": {"manifest": {}, "resources": pulumi_resources()}}}),
    );
    assert_eq!(v4.format, "pulumi-stack");
    assert_eq!(v4.resources.len(), 5);
    assert_eq!(v4.organization.as_deref(), Some("acme"));
    assert_eq!(v4.stack.as_deref(), Some("prod"));
    let v1 = load(
        &json!({"version": 1, "checkpoint": {"stack": "dev", "latest": {"resources": pulumi_resources()}}}),
    );
    assert_eq!(v1.resources.len(), 5);
    let empty = load(&json!({"version": 1, "checkpoint": {"stack": "dev"}}));
    assert!(empty.resources.is_empty());
    // version 0 has no inputs: outputs stand in
    let v0 = load(&json!({"target": "foo", "latest": {"resources": [
        {"urn": "urn:pulumi:foo::p::aws:sns/topic:Topic::t", "custom": true,
         "type": "aws:sns/topic:Topic", "outputs": {"name": "t-1"}}]}}));
    assert_eq!(v0.resources[0].props.get("name"), Some(&v(json!("t-1"))));
}

#[test]
fn pulumi_preview_merges_replacements() {
    let urn = "urn:pulumi:dev::web::aws:s3/bucket:Bucket::b";
    let state = |acl: &str| json!({"urn": urn, "custom": true, "type": "aws:s3/bucket:Bucket", "inputs": {"acl": acl}});
    let stack = load(&json!({
        "steps": [
            {"op": "same", "urn": "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev",
             "newState": {"urn": "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev", "custom": false, "type": "pulumi:pulumi:Stack"}},
            {"op": "create-replacement", "urn": urn, "oldState": state("private"), "newState": state("public-read")},
            {"op": "replace", "urn": urn, "oldState": state("private"), "newState": state("public-read")},
            {"op": "create", "urn": "urn:pulumi:dev::web::aws:s3/bucket:Bucket::c", "newState": state("x")},
            {"op": "delete-replaced", "urn": urn, "oldState": state("private")},
            {"op": "delete", "urn": "urn:pulumi:dev::web::aws:s3/bucket:Bucket::gone", "oldState": state("old")},
            {"op": "import", "urn": "urn:pulumi:dev::web::aws:s3/bucket:Bucket::imp", "newState": state("i")},
            {"op": "refresh", "urn": "urn:pulumi:dev::web::aws:s3/bucket:Bucket::ref", "newState": state("r")},
            {"op": "discard", "urn": "urn:pulumi:dev::web::aws:s3/bucket:Bucket::dis", "oldState": state("d")}
        ],
        "changeSummary": {"same": 1, "replace": 1}
    }));
    assert_eq!(stack.format, "pulumi-preview");
    let ops: Vec<Operation> = stack.resources.iter().map(|r| r.operation).collect();
    assert_eq!(
        ops,
        vec![
            Operation::Same,
            Operation::Replace,
            Operation::Create,
            Operation::Delete,
            Operation::Create,
            Operation::Read,
            Operation::Delete
        ]
    );
    let b = by_id(&stack, urn);
    assert_eq!(b.props.get("acl"), Some(&v(json!("public-read"))));
    assert_eq!(
        b.old_props.as_ref().and_then(|o| o.get("acl")),
        Some(&v(json!("private")))
    );
    let gone = &stack.resources[3];
    assert_eq!(
        gone.props.get("acl"),
        Some(&v(json!("old"))),
        "a delete shows the old state"
    );
}

#[test]
fn pulumi_event_log() {
    let urn = "urn:pulumi:dev::web::aws:s3/bucket:Bucket::b";
    let meta = |op: &str, acl: &str| {
        json!({"op": op, "urn": urn, "type": "aws:s3/bucket:Bucket", "old": null,
               "new": {"type": "aws:s3/bucket:Bucket", "urn": urn, "custom": true,
                       "inputs": {"acl": acl, "key": {SIG: SECRET, "plaintext": "\"k\""}}, "outputs": {}}})
    };
    let lines = [
        json!({"sequence": 0, "timestamp": 1, "preludeEvent": {"config": {}}}),
        json!({"sequence": 1, "timestamp": 1, "resourcePreEvent": {"metadata": {"op": "same",
            "urn": "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev", "type": "pulumi:pulumi:Stack",
            "new": {"urn": "urn:pulumi:dev::web::pulumi:pulumi:Stack::web-dev", "type": "pulumi:pulumi:Stack"}}}}),
        json!({"sequence": 2, "timestamp": 2, "resourcePreEvent": {"metadata": meta("create", "private")}}),
        json!({"sequence": 3, "timestamp": 3, "resOutputsEvent": {"metadata": {"op": "create", "urn": urn,
            "new": {"urn": urn, "outputs": {"arn": "arn:1"}}}}}),
        json!({"sequence": 4, "timestamp": 4, "resourcePreEvent": {"metadata": meta("update", "public")}}),
        json!({"sequence": 5, "timestamp": 5, "diagnosticEvent": {"message": "hi"}}),
        json!({"sequence": 6, "timestamp": 6, "summaryEvent": {}}),
    ];
    let text: Vec<String> = lines.iter().map(|l| l.to_string()).collect();
    let text = text.join("\n") + "\n";
    let stack = load_bytes("events.json", text.as_bytes(), None).unwrap();
    assert_eq!(stack.format, "pulumi-events");
    assert_eq!(stack.resources.len(), 2, "one resource per URN");
    assert_eq!(stack.resources[0].mode, Mode::Component);
    let b = &stack.resources[1];
    assert_eq!(b.operation, Operation::Update, "the last pre-event wins");
    assert_eq!(b.props.get("acl"), Some(&v(json!("public"))));
    assert!(b.props.get("key").unwrap().is_secret());
    assert_eq!(b.line, Some(3), "first seen on line 3");
    // a single-line log is a log too
    let one = load_bytes("one.json", text.lines().nth(2).unwrap().as_bytes(), None).unwrap();
    assert_eq!(one.format, "pulumi-events");
    assert_eq!(one.resources.len(), 1);
}

// ---------------------------------------------------------------- encodings

#[test]
fn bom_and_utf16_decode() {
    let doc = r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a_b.c","mode":"managed","type":"a_b","name":"c","values":{"k":"é"}}]}}}"#;
    let mut bom = vec![0xEF, 0xBB, 0xBF];
    bom.extend_from_slice(doc.as_bytes());
    let mut le = vec![0xFF, 0xFE];
    le.extend(doc.encode_utf16().flat_map(u16::to_le_bytes));
    let mut be = vec![0xFE, 0xFF];
    be.extend(doc.encode_utf16().flat_map(u16::to_be_bytes));
    for bytes in [bom, le, be] {
        let stack = load_bytes("enc.json", &bytes, None).unwrap();
        assert_eq!(stack.resources[0].props.get("k"), Some(&v(json!("é"))));
    }
}

// ---------------------------------------------------------------- errors

#[test]
fn empty_files_are_rejected() {
    for text in ["", "  \n\t"] {
        let e = err(text);
        assert_eq!(e.file, "bad.json");
        assert!(
            e.message.contains("empty") || e.message.contains("white space"),
            "{e}"
        );
        assert!(e.help.is_some());
    }
}

#[test]
fn not_json_is_rejected_with_line_and_column() {
    let e = err("{\n  \"format_version\": \"1.0\",\n  \"values\": nope\n}");
    // serde_json points at the character where it gave up: the `o` of `nope`
    assert_eq!((e.line, e.column), (Some(3), Some(14)), "{e}");
    assert!(e.message.starts_with("is not valid JSON"), "{e}");
    assert!(e.to_string().starts_with("bad.json:3:14: "), "{e}");
    let e = err("[command]/usr/bin/terraform show -json\n{}");
    assert_eq!(
        e.message,
        "is not JSON: it starts with `[command]/usr/bin/terraform show -json`"
    );
    let e = err("resource \"aws_s3_bucket\" \"b\" {}");
    assert!(
        e.message.contains("resource \\\"aws") || e.message.contains("resource \"aws"),
        "{e}"
    );
}

#[test]
fn truncated_json_is_rejected() {
    let e = err("{\"format_version\": \"1.0\", \"values\": {\"root_module\": {\"resour");
    assert!(e.message.contains("truncated"), "{e}");
    assert_eq!(e.line, Some(1));
    assert!(e.column.is_some());
}

#[test]
fn invalid_utf8_is_rejected() {
    let e = load_bytes("bad.json", b"{\"a\": \"\xC3\x28\"}", None).unwrap_err();
    assert!(e.message.contains("not UTF-8"), "{e}");
    assert_eq!((e.line, e.column), (Some(1), Some(8)));
}

#[test]
fn unknown_shapes_list_the_formats_tried() {
    for (text, what) in [
        ("{}", "an empty JSON object"),
        ("[1, 2]", "a JSON array"),
        ("\"plan\"", "a JSON string"),
        (r#"{"$schema": "x", "type": "object"}"#, "`$schema`, `type`"),
        (r#"{"format_version": "", "resources": {}}"#, "keys"),
    ] {
        let e = err(text);
        assert!(e.message.contains(what), "{text}: {e}");
        for f in InputFormat::ALL {
            assert!(e.message.contains(f.name()), "{text}: {e}");
        }
        assert!(e.help.is_some());
    }
    let e = err("{\"a\": 1}\n{\"b\": 2}\n");
    assert!(e.message.contains("not a pulumi engine event log"), "{e}");
    let e = err("{\"a\": 1} x");
    assert!(e.message.contains("trailing characters"), "{e}");
}

#[test]
fn hostile_nesting_hits_the_recursion_limit() {
    // skipped parts are skimmed without recursion; parsed parts stop at serde_json's limit
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let e = err(&deep);
    assert!(e.message.contains("a JSON array"), "{e}");
    let deep_values = format!(
        r#"{{"format_version":"1.0","values":{{"root_module":{{"resources":[{{"address":"a.b","type":"a","name":"b","values":{}1{}}}]}}}}}}"#,
        "[".repeat(500),
        "]".repeat(500)
    );
    let e = err(&deep_values);
    assert!(e.message.contains("recursion limit"), "{e}");
}

#[test]
fn forced_formats() {
    let state = br#"{"format_version":"1.0","values":{"root_module":{}}}"#;
    let e = load_bytes("s.json", state, Some(InputFormat::TerraformPlan)).unwrap_err();
    assert_eq!(
        e.message,
        "is not a terraform-plan file: it looks like terraform-state"
    );
    assert!(e
        .help
        .as_deref()
        .unwrap()
        .contains("terraform show -json plan.out"));
    let ok = load_bytes("s.json", state, Some(InputFormat::TerraformState)).unwrap();
    assert_eq!(ok.format, "terraform-state");
    assert_eq!(
        detect("s.json", state).unwrap(),
        InputFormat::TerraformState
    );
}

#[test]
fn format_names_round_trip() {
    for f in InputFormat::ALL {
        assert_eq!(f.name().parse::<InputFormat>().unwrap(), f);
        assert_eq!(f.to_string(), f.name());
    }
    let e = "terraform".parse::<InputFormat>().unwrap_err();
    assert!(e.contains("`terraform`") && e.contains("tfstate"), "{e}");
}

#[test]
fn a_file_cut_short_while_read_says_what_happened() {
    let e = std::io::Error::new(
        std::io::ErrorKind::UnexpectedEof,
        "failed to fill whole buffer",
    );
    let message = crate::io_message(&e);
    assert!(
        message.contains("became shorter while it was read"),
        "{message}"
    );
    assert!(message.contains("run again"), "{message}");
}

#[test]
fn missing_file_is_an_error_naming_it() {
    let e = crate::load_file(std::path::Path::new("/nonexistent/plan.json"), None).unwrap_err();
    assert_eq!(
        e.to_string(),
        "/nonexistent/plan.json: could not be read: no such file"
    );
}

// ---------------------------------------------------------------- large inputs

/// A plan of `n` buckets, pretty-printed (one resource change over many lines), with the
/// actions of the listed indexes replaced by an unknown action.
fn big_plan(n: usize, bad: &[usize]) -> String {
    let changes: Vec<serde_json::Value> = (0..n)
        .map(|i| {
            let action = if bad.contains(&i) { "explode" } else { "create" };
            change(
                &format!("aws_s3_bucket.b{i}"),
                &[action],
                json!({"after": {"bucket": format!("bucket-{i}"), "tags": {"Team": "t", "Pad": "x".repeat(2000)}},
                       "after_unknown": {"arn": true, "tags": {}}}),
            )
        })
        .collect();
    serde_json::to_string_pretty(&json!({"format_version": "1.2", "resource_changes": changes}))
        .unwrap()
}

#[test]
fn resource_changes_parsed_in_parallel_keep_order_and_lines() {
    let text = big_plan(3000, &[]);
    let stack = load_bytes("big.json", text.as_bytes(), None).unwrap();
    assert_eq!(stack.resources.len(), 3000);
    let (mut from, mut line) = (0, 1);
    for (i, r) in stack.resources.iter().enumerate() {
        assert_eq!(r.id, format!("aws_s3_bucket.b{i}"));
        assert_eq!(r.props.lookup("arn"), Lookup::Unknown);
        // the line of the change's opening brace, counted the slow way
        let needle = format!("\"address\": \"aws_s3_bucket.b{i}\"");
        let at = from + text[from..].find(&needle).unwrap();
        let brace = text[..at].rfind('{').unwrap();
        line += text[from..brace].matches('\n').count();
        from = brace;
        assert_eq!(r.line, Some(line), "{}", r.id);
    }
}

#[test]
fn the_first_bad_resource_change_in_the_file_is_reported_every_time() {
    let text = big_plan(3000, &[1500, 2900, 2999]);
    for _ in 0..5 {
        let e = load_bytes("big.json", text.as_bytes(), None).unwrap_err();
        assert!(
            e.message.contains("`aws_s3_bucket.b1500`"),
            "the first bad change, not another: {e}"
        );
    }
}

#[test]
fn large_files_are_read_whole() {
    // above the size read in two halves at once
    let text = big_plan(5000, &[]);
    assert!(text.len() > 8 << 20, "{}", text.len());
    let dir = std::env::temp_dir().join(format!("guardrail-inputs-big-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("plan.json");
    std::fs::write(&path, &text).unwrap();
    let from_file = crate::load_file(&path, None).unwrap();
    let from_bytes = load_bytes(&path.display().to_string(), text.as_bytes(), None).unwrap();
    assert_eq!(from_file.resources.len(), 5000);
    assert_eq!(from_file.resources, from_bytes.resources);
    assert_eq!(crate::load_document(&path).unwrap(), text);
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn newlines_are_counted_exactly() {
    let mut text = String::new();
    for i in 0..2000 {
        text.push_str(&"\n".repeat(i % 300));
        text.push_str(&"ab".repeat(i % 7));
    }
    let bytes = text.as_bytes();
    for end in [0, 1, 254, 255, 256, 510, 511, 100_000, bytes.len()] {
        let end = end.min(bytes.len());
        let slow = bytes[..end].iter().filter(|b| **b == b'\n').count();
        assert_eq!(crate::text::count_newlines(&bytes[..end]), slow, "{end}");
    }
}

#[test]
fn pulumi_source_positions_are_read_from_previews_and_exports() {
    let urn = "urn:pulumi:dev::web::aws:s3/bucket:Bucket::b";
    let state = json!({"urn": urn, "custom": true, "type": "aws:s3/bucket:Bucket",
        "inputs": {"acl": "private"}, "sourcePosition": "project:///src/index.ts#21,13"});
    let preview = load(&json!({"steps": [{"op": "create", "urn": urn, "newState": state}]}));
    let loc = preview.resources[0].source_location.as_deref().unwrap();
    assert_eq!(
        (loc.file.as_str(), loc.line, loc.column),
        ("src/index.ts", 21, Some(13))
    );
    let export = load(&json!({"version": 3, "deployment": {"manifest": {}, "resources": [state]}}));
    let loc = export.resources[0].source_location.as_deref().unwrap();
    assert_eq!((loc.file.as_str(), loc.line), ("src/index.ts", 21));
    // no position, or one that is not a program's: nothing
    let bare = load(&json!({"steps": [{"op": "create", "urn": urn,
        "newState": {"urn": urn, "custom": true, "type": "aws:s3/bucket:Bucket", "sourcePosition": "index.ts"}}]}));
    assert!(bare.resources[0].source_location.is_none());
}

#[test]
fn streams_are_read_into_a_buffer_that_never_grows_past_the_limit() {
    use std::io::Read;
    // An endless stream: exactly the limit and one byte are read, in a buffer of that size
    // (`read_to_end` would have doubled it to 2 MiB).
    let limit = 1_000_000u64;
    let mut bytes = Vec::new();
    crate::read_capped(std::io::repeat(7), &mut bytes, limit).unwrap();
    assert_eq!(bytes.len() as u64, limit + 1);
    assert_eq!(bytes.capacity() as u64, limit + 1);
    // A stream that ends under the limit is read whole, within the cap.
    let data = vec![1u8; 300_000];
    let mut bytes = Vec::new();
    crate::read_capped(&data[..], &mut bytes, limit).unwrap();
    assert_eq!(bytes, data);
    assert!(bytes.capacity() as u64 <= limit + 1);
    // Exactly at the limit: whole, and not taken for more.
    let data = vec![2u8; 1_000_000];
    let mut bytes = Vec::new();
    crate::read_capped(&data[..], &mut bytes, limit).unwrap();
    assert_eq!(bytes.len(), 1_000_000);
    // A buffer sized for the whole file is not grown (nor copied) to learn that it ended.
    let mut bytes = Vec::with_capacity(data.len());
    crate::read_capped(&data[..], &mut bytes, 10 * limit).unwrap();
    assert_eq!(bytes.len(), data.len());
    assert_eq!(bytes.capacity(), data.len());
    // Reads that come in small pieces (a pipe) give the same bytes.
    let chunked = (&data[..]).chain(&[3u8; 5][..]);
    let mut bytes = Vec::new();
    crate::read_capped(chunked, &mut bytes, 2 * limit).unwrap();
    assert_eq!(bytes.len(), 1_000_005);
    assert_eq!(bytes.last(), Some(&3));
}

/// A value of the wrong kind deep inside a document: the error names its place as the file
/// spells it, for every adapter, and never shows the value.
#[test]
fn wrong_kinds_name_their_place_in_every_adapter() {
    let pulumi_state = |urn: serde_json::Value| json!({"urn": urn, "custom": true, "type": "aws:s3/bucket:Bucket"});
    let cases = [
        (
            json!({"format_version": "1.2", "terraform_version": "1.5.0", "resource_changes": [{"address": 1}]}).to_string(),
            "has an unexpected resource change at `resource_changes[0].address`: expected a string, found a number",
        ),
        (
            json!({"format_version": "1.2", "terraform_version": "1.5.0", "resource_changes": [
                {"address": "a.b", "type": "a", "name": "b", "change": {"actions": ["create"]}},
                {"address": "a.c", "type": "a", "name": "c", "change": {"actions": "create"}}]}).to_string(),
            "has an unexpected resource change at `resource_changes[1].change.actions`: expected a list, found a string",
        ),
        (
            json!({"format_version": "1.2", "terraform_version": "1.5.0", "planned_values": {"root_module": {
                "child_modules": [{"resources": []}, {"resources": [{"address": "a.b", "type": "a", "name": true}]}]}}}).to_string(),
            "has an unexpected planned resource at `planned_values.root_module.child_modules[1].resources[0].name`: expected a string, found true or false",
        ),
        (
            json!({"format_version": "1.2", "terraform_version": "1.5.0", "resource_changes": [],
                "prior_state": {"values": {"root_module": {"resources": [
                    {"address": "data.a.b", "mode": "data", "type": "a", "name": "b", "values": {"x": 1}, "depends_on": "x"}]}}}}).to_string(),
            "has an unexpected prior state resource at `prior_state.values.root_module.resources[0].depends_on`: expected a list, found a string",
        ),
        (
            json!({"format_version": "1.0", "values": {"root_module": {"resources": [
                {"address": "a.b", "type": "a", "name": "b", "values": {}},
                {"address": ["a.c"], "type": "a", "name": "c", "values": {}}]}}}).to_string(),
            "has an unexpected resource at `values.root_module.resources[1].address`: expected a string, found a list",
        ),
        (
            json!({"version": 4, "terraform_version": "1.5.7", "serial": 3, "lineage": "x", "resources": [
                {"mode": "managed", "type": "a", "name": "b", "instances": [
                    {"attributes": {}}, {"deposed": 7, "attributes": {}}]}]}).to_string(),
            "has an unexpected resource instance at `resources[0].instances[1].deposed`: expected a string, found a number",
        ),
        (
            json!({"version": 4, "terraform_version": "1.5.7", "serial": 3, "lineage": "x", "resources": [
                {"mode": "managed", "type": {"secret": "hunter2"}, "name": "b", "instances": []}]}).to_string(),
            "has an unexpected resource at `resources[0].type`: expected a string, found an object",
        ),
        (
            json!({"version": 3, "deployment": {"resources": [pulumi_state(json!("urn:pulumi:dev::web::aws:s3/bucket:Bucket::b")), pulumi_state(json!(5))]}}).to_string(),
            "has an unexpected resource at `deployment.resources[1].urn`: expected a string, found a number",
        ),
        (
            json!({"version": 1, "checkpoint": {"stack": "dev", "latest": {"resources": [pulumi_state(json!(null))]}}}).to_string(),
            "has an unexpected resource at `checkpoint.latest.resources[0].urn`: expected a string, found null",
        ),
        (
            json!({"steps": [{"op": "create", "urn": "urn:pulumi:dev::web::aws:s3/bucket:Bucket::b",
                "newState": pulumi_state(json!(["hunter2"]))}]}).to_string(),
            "has an unexpected step at `steps[0].newState.urn`: expected a string, found a list",
        ),
        (
            [
                json!({"sequence": 0, "timestamp": 1, "preludeEvent": {"config": {}}}).to_string(),
                json!({"sequence": 1, "timestamp": 1, "resourcePreEvent": {"metadata": {"op": 3, "urn": "u"}}}).to_string(),
            ]
            .join("\n"),
            "has an unexpected event at `resourcePreEvent.metadata.op`: expected a string, found a number",
        ),
    ];
    for (text, message) in cases {
        let e = err(&text);
        assert_eq!(e.message, message, "{text}");
        assert!(!e.to_string().contains("hunter2"), "{e}");
    }
}
