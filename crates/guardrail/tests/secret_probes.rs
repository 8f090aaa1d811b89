//! Secret-leak probes: secrets placed everywhere a rule reads (policy documents, container
//! definitions, user data, numbers, short values) on a Terraform plan and a Pulumi preview, and
//! Rego policies that build messages and fixes from secrets with `substring`, `split`,
//! `base64.encode`, `upper`, `concat` and `sprintf`. Every output format of the CLI is read
//! back: no secret, no fragment of six bytes of a longer secret and no encoding of one may
//! appear, and unrelated text (`0.0.0.0/0`) stays intact.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use common::{root, run_with, TempDir};
use serde_json::{json, Value};

/// A bucket policy's parts that AWS-S3-010 used to print.
const SID: &str = "AllowAll";
const ACTION: &str = "x:MySecretAction";
/// Random-looking secrets: no six bytes of them occur in any rule's documentation.
const PASSWORD: &str = "Zq8vX2mPwL4tRn7Ke";
const CONTAINER: &str = "Jx5RbW9cTq2Mv";
const ENV_NAME: &str = "DB_PASSWORD_K7WQZP";
const USER_DATA_PASSWORD: &str = "Hf3Lp9QsVw2Xy";
const PORT: f64 = 3389.0;
const SHORT: &str = "0.0";
/// A passphrase a policy splits at its hyphens and encodes twice.
const PASSPHRASE: &str = "Hunter2-Correct-Horse-Battery";
/// The upper bound of a secret port range; its Pulumi twin keeps the spelling `65535.0`.
const WIDE: f64 = 65535.0;
/// An AWS key in user data, whose `_ACCESS_` and `AWS_SEC` used to garble rule text.
const AWS_KEY_LINE: &str = "export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCY";

fn bucket_policy() -> String {
    json!({
        "Version": "2012-10-17",
        "Statement": [{
            "Sid": SID,
            "Effect": "Allow",
            "Principal": "*",
            "Action": ["s3:GetObject", ACTION],
            "Resource": "arn:aws:s3:::probe-data/*"
        }]
    })
    .to_string()
}

fn containers() -> String {
    json!([{
        "name": CONTAINER,
        "image": "nginx:1.27",
        "user": "root",
        "privileged": true,
        "environment": [{"name": ENV_NAME, "value": PASSWORD}]
    }])
    .to_string()
}

fn user_data() -> String {
    format!("#!/bin/bash\nexport DB_PASSWORD={USER_DATA_PASSWORD}\n{AWS_KEY_LINE}\n")
}

fn change(address: &str, type_: &str, after: Value, sensitive: Value) -> Value {
    let name = address.rsplit('.').next().unwrap();
    json!({
        "address": address, "mode": "managed", "type": type_, "name": name,
        "provider_name": "registry.terraform.io/hashicorp/aws",
        "change": {"actions": ["create"], "before": null, "after": after,
                   "after_unknown": {}, "before_sensitive": false, "after_sensitive": sensitive}
    })
}

fn terraform_plan() -> String {
    json!({
        "format_version": "1.2",
        "terraform_version": "1.9.5",
        "resource_changes": [
            change("aws_s3_bucket_policy.data", "aws_s3_bucket_policy",
                json!({"bucket": "probe-data", "policy": bucket_policy()}),
                json!({"policy": true})),
            change("aws_ecs_task_definition.app", "aws_ecs_task_definition",
                json!({"family": "app", "container_definitions": containers()}),
                json!({"container_definitions": true})),
            change("aws_instance.web", "aws_instance",
                json!({"ami": "ami-123", "instance_type": "t3.micro", "user_data": user_data()}),
                json!({"user_data": true})),
            change("aws_security_group.admin", "aws_security_group",
                json!({"name": "admin", "description": "admin", "tags": {"Version": SHORT},
                       "ingress": [{"from_port": PORT, "to_port": PORT, "protocol": "tcp",
                                    "cidr_blocks": ["0.0.0.0/0"]}]}),
                json!({"tags": {"Version": true}, "ingress": [{"from_port": true, "to_port": true}]})),
            change("aws_lb_target_group.admin", "aws_lb_target_group",
                json!({"name": "admin", "port": PORT, "protocol": "TCP"}),
                json!({"port": true})),
            change("aws_db_instance.orders", "aws_db_instance",
                json!({"identifier": "orders", "engine": "postgres", "password": PASSWORD,
                       "tags": {"Team": "orders"}}),
                json!({"password": true})),
            // a secret upper bound, a secret lower bound, a whole secret block
            change("aws_security_group.wide", "aws_security_group",
                json!({"name": "wide", "description": "wide",
                       "ingress": [{"from_port": 0, "to_port": WIDE, "protocol": "tcp",
                                    "cidr_blocks": ["0.0.0.0/0"]}]}),
                json!({"ingress": [{"to_port": true}]})),
            change("aws_security_group.low", "aws_security_group",
                json!({"name": "low", "description": "low",
                       "ingress": [{"from_port": 0, "to_port": 65535, "protocol": "tcp",
                                    "cidr_blocks": ["0.0.0.0/0"]}]}),
                json!({"ingress": [{"from_port": true}]})),
            change("aws_security_group.hidden", "aws_security_group",
                json!({"name": "hidden", "description": "hidden",
                       "ingress": [{"from_port": 22, "to_port": 22, "protocol": "tcp",
                                    "ipv6_cidr_blocks": ["::/0"]}]}),
                json!({"ingress": true})),
            change("aws_network_acl.edge", "aws_network_acl",
                json!({"vpc_id": "vpc-1",
                       "ingress": [{"rule_no": 100, "action": "allow", "protocol": "tcp",
                                    "from_port": 22, "to_port": 22, "ipv6_cidr_block": "::/0"}]}),
                json!({"ingress": true})),
            change("aws_elb.legacy", "aws_elb",
                json!({"name": "legacy", "availability_zones": ["eu-west-1a"],
                       "listener": [{"lb_port": 8081, "lb_protocol": "http",
                                     "instance_port": 8080, "instance_protocol": "http"}]}),
                json!({"listener": true})),
            change("aws_rds_cluster.books", "aws_rds_cluster",
                json!({"cluster_identifier": "books", "master_password": PASSPHRASE}),
                json!({"master_password": true})),
            change("aws_s3_bucket.site", "aws_s3_bucket", json!({"bucket": "probe-site"}), json!({}))
        ]
    })
    .to_string()
}

/// A Pulumi secret: the value's JSON text behind the secret signature.
fn pulumi_secret(value: Value) -> Value {
    json!({"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
           "plaintext": value.to_string()})
}

fn step(name: &str, type_: &str, inputs: Value) -> Value {
    let urn = format!("urn:pulumi:prod::probe::{type_}::{name}");
    json!({"op": "create", "urn": urn,
           "newState": {"urn": urn, "custom": true, "type": type_, "inputs": inputs, "outputs": {}}})
}

fn pulumi_preview() -> String {
    let policy: Value = serde_json::from_str(&bucket_policy()).unwrap();
    let containers: Value = serde_json::from_str(&containers()).unwrap();
    json!({"steps": [
        step("data", "aws:s3/bucketPolicy:BucketPolicy",
            json!({"bucket": "probe-data", "policy": pulumi_secret(policy)})),
        step("app", "aws:ecs/taskDefinition:TaskDefinition",
            json!({"family": "app", "containerDefinitions": pulumi_secret(json!(containers.to_string()))})),
        step("web", "aws:ec2/instance:Instance",
            json!({"ami": "ami-123", "instanceType": "t3.micro",
                   "userData": pulumi_secret(json!(user_data()))})),
        step("admin", "aws:ec2/securityGroup:SecurityGroup",
            json!({"name": "admin", "description": "admin", "tags": {"Version": pulumi_secret(json!(SHORT))},
                   "ingress": [{"fromPort": pulumi_secret(json!(PORT)), "toPort": pulumi_secret(json!(PORT)),
                                "protocol": "tcp", "cidrBlocks": ["0.0.0.0/0"]}]})),
        step("admin", "aws:lb/targetGroup:TargetGroup",
            json!({"name": "admin", "port": pulumi_secret(json!(PORT)), "protocol": "TCP"})),
        step("orders", "aws:rds/instance:Instance",
            json!({"identifier": "orders", "engine": "postgres", "password": pulumi_secret(json!(PASSWORD)),
                   "tags": {"Team": "orders"}})),
        step("wide", "aws:ec2/securityGroup:SecurityGroup",
            json!({"name": "wide", "description": "wide",
                   "ingress": [{"fromPort": 0, "toPort": pulumi_secret(json!(WIDE)),
                                "protocol": "tcp", "cidrBlocks": ["0.0.0.0/0"]}]})),
        step("low", "aws:ec2/securityGroup:SecurityGroup",
            json!({"name": "low", "description": "low",
                   "ingress": [{"fromPort": pulumi_secret(json!(0)), "toPort": 65535,
                                "protocol": "tcp", "cidrBlocks": ["0.0.0.0/0"]}]})),
        step("hidden", "aws:ec2/securityGroup:SecurityGroup",
            json!({"name": "hidden", "description": "hidden",
                   "ingress": pulumi_secret(json!([{"fromPort": 22, "toPort": 22, "protocol": "tcp",
                                                     "ipv6CidrBlocks": ["::/0"]}]))})),
        step("edge", "aws:ec2/networkAcl:NetworkAcl",
            json!({"vpcId": "vpc-1",
                   "ingress": pulumi_secret(json!([{"ruleNo": 100, "action": "allow", "protocol": "tcp",
                                                     "fromPort": 22, "toPort": 22, "ipv6CidrBlock": "::/0"}]))})),
        step("legacy", "aws:elb/loadBalancer:LoadBalancer",
            json!({"name": "legacy", "availabilityZones": ["eu-west-1a"],
                   "listeners": pulumi_secret(json!([{"lbPort": 8081, "lbProtocol": "http",
                                                       "instancePort": 8080, "instanceProtocol": "http"}]))})),
        step("books", "aws:rds/cluster:Cluster",
            json!({"clusterIdentifier": "books", "masterPassword": pulumi_secret(json!(PASSPHRASE))})),
        step("site", "aws:s3/bucket:Bucket", json!({"bucket": "probe-site"}))
    ]})
    .to_string()
}

/// A pack whose policies read secrets: one asks for them and leaks them every way it can, one
/// does not ask and sees markers, and a fix copies a transformed secret into a tag.
fn probe_pack(dir: &TempDir) {
    let meta = |id: &str, extra: &str| {
        format!(
            "# METADATA\n# title: Probe {id}\n# description: Leaks what it can.\n# custom:\n#   id: {id}\n#   severity: high\n#   enforcement: mandatory\n{extra}"
        )
    };
    dir.write("guardrail-pack.yaml", "name: probes\n");
    dir.write(
        "leak.rego",
        &format!(
            r#"{}#   secrets: true
#   resource_types: [aws_db_instance, "aws:rds/instance:Instance"]
package probe.leak

pw := input.props.password

deny contains {{"msg": msg, "path": sprintf("password.%s", [substring(pw, 3, 8)])}} if {{
	print("debugging", pw)
	msg := sprintf("substring %s split %s b64 %s b64url %s upper %s concat %s hex %s reversed %s json %s b64part %s", [
		substring(pw, 2, 7), split(pw, "v")[1], base64.encode(pw), base64url.encode_no_pad(pw),
		upper(pw), concat("-", ["x", pw, "y"]), hex.encode(pw), strings.reverse(pw), json.marshal({{"p": pw}}), base64.encode(substring(pw, 4, 9))])
}}
"#,
            meta("PROBE-1", "")
        ),
    );
    dir.write(
        "split.rego",
        &format!(
            r#"{}#   secrets: true
#   resource_types: [aws_rds_cluster, "aws:rds/cluster:Cluster"]
package probe.split

deny contains msg if {{
	pw := object.get(input.props, "master_password", object.get(input.props, "masterPassword", ""))
	pw != ""
	msg := sprintf("parts %v twice %s", [split(pw, "-"), base64.encode(base64.encode(pw))])
}}
"#,
            meta("PROBE-4", "")
        ),
    );
    dir.write(
        "blind.rego",
        &format!(
            r#"{}#   resource_types: [aws_db_instance, "aws:rds/instance:Instance"]
package probe.blind

deny contains sprintf("the password is %s", [input.props.password]) if {{
	input.props.password == "[secret string]"
}}
"#,
            meta("PROBE-2", "")
        ),
    );
    dir.write(
        "fix.rego",
        &format!(
            r#"{}#   secrets: true
#   enforcement: remediate
#   resource_types: [aws_db_instance, "aws:rds/instance:Instance"]
package probe.fix

deny contains "the password is not in a tag" if {{
	not input.props.tags.copy
}}

remediate := object.union(input.props, {{"tags": {{"copy": upper(substring(input.props.password, 1, 12)), "Team": "orders"}}}})
"#,
            meta("PROBE-3", "").replace("#   enforcement: mandatory\n", "")
        ),
    );
}

/// Everything that must not be printed: the secrets, their usual encodings, and every six-byte
/// fragment of the random ones.
fn forbidden() -> Vec<String> {
    let mut out: Vec<String> = [
        SID,
        ACTION,
        PASSWORD,
        CONTAINER,
        ENV_NAME,
        USER_DATA_PASSWORD,
    ]
    .iter()
    .map(|s| s.to_string())
    .collect();
    // Leaves of documents (the action, the container's name) are masked whole; secrets of
    // their own (the password, the user data) by any fragment too.
    for secret in [
        SID,
        ACTION,
        PASSWORD,
        CONTAINER,
        USER_DATA_PASSWORD,
        ENV_NAME,
    ] {
        out.push(secret.to_uppercase());
        out.push(secret.bytes().map(|b| format!("{b:02x}")).collect());
        out.push(base64(secret.as_bytes(), false));
        out.push(base64(secret.as_bytes(), true));
    }
    for secret in [PASSWORD, USER_DATA_PASSWORD] {
        let upper = secret.to_uppercase();
        for window in secret.as_bytes().windows(6) {
            out.push(String::from_utf8(window.to_vec()).unwrap());
        }
        for window in upper.as_bytes().windows(6) {
            out.push(String::from_utf8(window.to_vec()).unwrap());
        }
        out.push(secret.chars().rev().collect());
        let part = &secret.as_bytes()[4..13];
        out.push(base64(part, false));
    }
    // the parts a policy's `split` returns, as JSON strings, and the double base64
    for part in PASSPHRASE.split('-') {
        out.push(format!("\"{part}\""));
    }
    out.push(base64(
        base64(PASSPHRASE.as_bytes(), false).as_bytes(),
        false,
    ));
    out
}

fn base64(bytes: &[u8], url: bool) -> String {
    let alphabet: &[u8] = if url {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    } else {
        b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"
    };
    let mut out = String::new();
    for chunk in bytes.chunks(3) {
        let n = chunk
            .iter()
            .enumerate()
            .fold(0u32, |n, (i, b)| n | (u32::from(*b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(char::from(alphabet[((n >> (18 - 6 * i)) & 63) as usize]));
        }
    }
    out
}

fn assert_clean(what: &str, text: &str) {
    assert_clean_of(what, text, true);
}

/// [`assert_clean`]; `numbers` also looks for the secret port (not in SARIF and JUnit, whose
/// rule documentation lists administrative ports).
fn assert_clean_of(what: &str, text: &str, numbers: bool) {
    let line = |leak: &str| {
        text.lines()
            .find(|l| l.contains(leak))
            .unwrap_or_default()
            .to_string()
    };
    for leak in forbidden() {
        assert!(
            !text.contains(&leak),
            "{what} leaks `{leak}`: {}",
            line(&leak)
        );
    }
    // a number in any spelling
    for spelling in ["3389", "3.389e3"].into_iter().filter(|_| numbers) {
        assert!(
            !text.contains(spelling),
            "{what} leaks the port {spelling}: {}",
            line(spelling)
        );
    }
}

#[test]
fn no_secret_fragment_or_encoding_reaches_any_output() {
    let dir = TempDir::new("probes");
    let pack = TempDir::new("probe-pack");
    probe_pack(&pack);
    dir.write("plan.json", &terraform_plan())
        .write("preview.json", &pulumi_preview());
    for input in ["plan.json", "preview.json"] {
        let file = format!("{}/{input}", dir.path());
        let baseline = format!("{}/{input}.baseline.json", dir.path());
        let fixes = format!("{}/{input}.fixes.json", dir.path());
        let mut seen_rules = String::new();
        for format in ["human", "json", "sarif", "junit", "markdown"] {
            let out = run_with(
                &root(),
                &[
                    "check",
                    &file,
                    "--select",
                    "all",
                    "--pack",
                    pack.path(),
                    "--format",
                    format,
                    "--fix-output",
                    &fixes,
                    "--write-baseline",
                    &baseline,
                ],
                &[("GITHUB_ACTIONS", "true")],
            );
            // (recording a baseline accepts what it records: nothing blocks)
            assert_eq!(out.code, 0, "{input} {format}: {}", out.snapshot());
            let numbers = !matches!(format, "sarif" | "junit");
            assert_clean_of(&format!("{input} {format} stdout"), &out.stdout, numbers);
            assert_clean(&format!("{input} {format} stderr"), &out.stderr);
            assert_clean(
                &format!("{input} fixes"),
                &std::fs::read_to_string(&fixes).unwrap(),
            );
            assert_clean(
                &format!("{input} baseline"),
                &std::fs::read_to_string(&baseline).unwrap(),
            );
            if format == "human" {
                seen_rules = out.stdout.clone();
                // GitHub annotations are printed on standard error
                assert!(out.stderr.contains("title=AWS-S3-010"), "{}", out.stderr);
            }
        }
        // The probes really ran: each rule that reads a secret fired, with its message masked.
        for (rule, expected) in [
            ("AWS-S3-010", "statement `[secret]`"),
            ("AWS-S3-010", "allows everyone"),
            ("AWS-EC2-019", "at ingress[0]"),
            ("AWS-ECS-", "container `[secret]`"),
            ("PROBE-1", "substring [secret] split [secret] b64 [secret]"),
            ("PROBE-2", "the password is [secret string]"),
            ("AWS-EC2-001", "0.0.0.0/0"),
            (
                "AWS-ELB-001",
                "listens on port [secret], an administrative port",
            ),
        ] {
            assert!(
                seen_rules.contains(rule) && seen_rules.contains(expected),
                "{input}: {rule} should say `{expected}`:\n{seen_rules}"
            );
        }
        assert!(
            !seen_rules.contains("(rdp)") && !seen_rules.contains("(ssh)"),
            "the service's name tells the secret port:\n{seen_rules}"
        );
        // Secret ports (a bound, or a whole secret block) are `[secret]` in the rules' own text,
        // and the filter masks a secret number that is a range's bound.
        for expected in [
            "security group `wide` allows ingress from 0.0.0.0/0 to ports 0-[secret], which \
             include administrative port [secret]",
            "security group `wide` allows ingress from 0.0.0.0/0 to ports 0-[secret], covering \
             database port [secret]",
            "security group `wide` allows ingress from 0.0.0.0/0 on ports 0-[secret]",
            "security group `low` allows ingress from 0.0.0.0/0 to ports [secret]-",
            "security group `hidden` allows ingress from [secret] to port [secret], an \
             administrative port",
            "network ACL `edge` allows inbound [secret] to administrative port [secret]",
            "classic load balancer `legacy` has a plaintext `[secret]` listener on port [secret]",
            "parts [\"[secret]\", \"[secret]\", \"[secret]\", \"[secret]\"] twice [secret]",
        ] {
            assert!(
                seen_rules.contains(expected),
                "{input}: expected `{expected}`:\n{seen_rules}"
            );
        }
        assert!(
            !seen_rules.contains("0-65535") && !seen_rules.contains("0-6.5535"),
            "{input}: a secret bound of a port range is printed:\n{seen_rules}"
        );
        // the AWS key in the user data does not garble identifiers that share words with it
        let (block, group) = if input == "plan.json" {
            (
                "add an `aws_s3_bucket_public_access_block` for it",
                "(aws_security_group)",
            )
        } else {
            (
                "add an `aws.s3.BucketPublicAccessBlock` for it",
                "(aws:ec2/securityGroup:SecurityGroup)",
            )
        };
        assert!(
            seen_rules.contains(block)
                && seen_rules.contains(group)
                && !seen_rules.contains("[secret]urity")
                && !seen_rules.contains("public[secret]"),
            "{input}: collateral masking:\n{seen_rules}"
        );
        assert!(
            !seen_rules.contains("[secret].[secret]") && !seen_rules.contains("[[secret]]"),
            "a short secret garbled unrelated text:\n{seen_rules}"
        );
        let fixes: Value = serde_json::from_str(&std::fs::read_to_string(&fixes).unwrap()).unwrap();
        let fixed = fixes["resources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|r| {
                r["policies"]
                    .as_array()
                    .unwrap()
                    .contains(&json!("PROBE-3"))
            })
            .unwrap_or_else(|| panic!("{input}: the probe fix is written: {fixes:#}"));
        assert_eq!(fixed["props"]["tags"]["copy"], "[secret]", "{fixes:#}");
        assert_eq!(fixed["props"]["password"], "[secret]", "{fixes:#}");
        assert_eq!(fixed["props"]["tags"]["Team"], "orders", "{fixes:#}");
    }
}
