//! Generator of realistic plans for guardrail's benchmarks.
//!
//! [`Plan::new`] lays out `N` AWS resources deterministically from a seed: S3 buckets (most with
//! a separate server-side encryption configuration), security groups with inline ingress rules,
//! standalone ingress rules, load-balancer target groups, instances, databases and IAM policies,
//! tagged, partly tagged or untagged. A known fraction violates known rules; the violating
//! properties are chosen so that the expected count of each rule in [`COUNTED_RULES`] is exact.
//!
//! The same resources are written as a Terraform plan (`terraform show -json`, format 1.2, with
//! `planned_values`, `resource_changes` and `configuration` as real plans have them) and as a
//! Pulumi stack export (deployment v3). Both are streamed: nothing of size `N` is held in memory
//! except one byte per unit.

use std::io::{self, Write};

pub mod kubernetes;

use serde_json::{json, Map, Value};

pub mod gcp;

/// The rules whose expected violation counts the generator writes, with what violates them.
pub const COUNTED_RULES: &[(&str, &str)] = &[
    (
        "AWS-S3-001",
        "an S3 bucket without a server-side encryption configuration",
    ),
    (
        "AWS-EC2-001",
        "ssh open to 0.0.0.0/0 in a security group, or rdp in a standalone ingress rule",
    ),
    ("AWS-EC2-002", "an instance with `http_tokens = optional`"),
    ("AWS-ELB-001", "a target group on port 22"),
    ("AWS-RDS-001", "a publicly accessible database"),
    ("AWS-RDS-002", "a database without storage encryption"),
    ("AWS-IAM-001", "an IAM policy allowing `*` on `*`"),
    (
        "PLATFORM-003",
        "a taggable resource without the `Department` tag",
    ),
];

/// A small deterministic generator (SplitMix64): the same seed gives the same plan everywhere.
#[derive(Clone, Debug)]
pub struct Rng(u64);

impl Rng {
    /// A generator for one unit of one plan.
    pub fn new(seed: u64, stream: u64) -> Rng {
        let mut rng = Rng(seed ^ stream.wrapping_mul(0xA076_1D64_78BD_642F));
        rng.next_u64();
        rng
    }

    /// The next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// True with probability `percent`/100.
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next_u64() % 100 < percent
    }

    /// A number below `n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
}

/// The kind of a unit: one resource, or a bucket with its encryption configuration.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Kind {
    /// `aws_s3_bucket`, with its encryption configuration when `paired`.
    Bucket {
        /// Whether an `aws_s3_bucket_server_side_encryption_configuration` follows it.
        paired: bool,
    },
    /// `aws_security_group` with inline ingress rules.
    SecurityGroup,
    /// `aws_vpc_security_group_ingress_rule`.
    IngressRule,
    /// `aws_lb_target_group`.
    TargetGroup,
    /// `aws_instance`.
    Instance,
    /// `aws_db_instance`.
    Database,
    /// `aws_iam_policy`.
    Policy,
}

impl Kind {
    fn resources(self) -> usize {
        match self {
            Kind::Bucket { paired: true } => 2,
            _ => 1,
        }
    }
}

/// How a taggable resource is tagged.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Tags {
    Full,
    NoDepartment,
    None,
}

/// One unit with its decided properties.
#[derive(Clone, Debug)]
struct Unit {
    index: usize,
    kind: Kind,
    tags: Tags,
    /// The kind-specific violation (world ssh, port 22, public database...).
    bad: bool,
    /// A second, independent violation (an unencrypted database).
    bad2: bool,
    /// A number for names and sizes.
    salt: u64,
}

/// A generated plan: the layout of its units, from which every output is streamed.
#[derive(Clone, Debug)]
pub struct Plan {
    seed: u64,
    kinds: Vec<Kind>,
}

/// Violation counts: rule id → number of resources violating it.
pub type Expected = std::collections::BTreeMap<String, u64>;

impl Plan {
    /// Lays out exactly `resources` resources for `seed`.
    pub fn new(resources: usize, seed: u64) -> Plan {
        let mut kinds = Vec::new();
        let mut total = 0;
        let mut u = 0u64;
        while total < resources {
            let mut rng = Rng::new(seed, u);
            let mut kind = match rng.below(100) {
                0..=19 => Kind::Bucket {
                    paired: rng.chance(80),
                },
                20..=34 => Kind::SecurityGroup,
                35..=44 => Kind::IngressRule,
                45..=54 => Kind::TargetGroup,
                55..=74 => Kind::Instance,
                75..=84 => Kind::Database,
                _ => Kind::Policy,
            };
            if total + kind.resources() > resources {
                kind = Kind::Bucket { paired: false };
            }
            total += kind.resources();
            kinds.push(kind);
            u += 1;
        }
        Plan { seed, kinds }
    }

    /// The number of resources.
    pub fn resources(&self) -> usize {
        self.kinds.iter().map(|k| k.resources()).sum()
    }

    fn unit(&self, index: usize, kind: Kind) -> Unit {
        // a stream apart from the layout's, so that properties do not correlate with kinds
        let mut rng = Rng::new(self.seed ^ 0x5EED, index as u64);
        let tags = match rng.below(100) {
            0..=69 => Tags::Full,
            70..=84 => Tags::NoDepartment,
            _ => Tags::None,
        };
        Unit {
            index,
            kind,
            tags,
            bad: rng.chance(10),
            bad2: rng.chance(10),
            salt: rng.next_u64(),
        }
    }

    fn units(&self) -> impl Iterator<Item = Unit> + '_ {
        self.kinds
            .iter()
            .enumerate()
            .map(|(i, kind)| self.unit(i, *kind))
    }

    /// The exact violation counts of [`COUNTED_RULES`].
    pub fn expected(&self) -> Expected {
        let mut counts: Expected = COUNTED_RULES
            .iter()
            .map(|(id, _)| (id.to_string(), 0))
            .collect();
        let mut bump = |id: &str| {
            if let Some(c) = counts.get_mut(id) {
                *c += 1;
            }
        };
        for unit in self.units() {
            // every generated kind except the encryption configuration is taggable
            if unit.tags != Tags::Full {
                bump("PLATFORM-003");
            }
            match unit.kind {
                Kind::Bucket { paired } if !paired => bump("AWS-S3-001"),
                Kind::Bucket { .. } => {}
                Kind::SecurityGroup | Kind::IngressRule if unit.bad => bump("AWS-EC2-001"),
                Kind::Instance if unit.bad => bump("AWS-EC2-002"),
                Kind::TargetGroup if unit.bad => bump("AWS-ELB-001"),
                Kind::Policy if unit.bad => bump("AWS-IAM-001"),
                Kind::Database => {
                    if unit.bad {
                        bump("AWS-RDS-001");
                    }
                    if unit.bad2 {
                        bump("AWS-RDS-002");
                    }
                }
                _ => {}
            }
        }
        counts
    }

    /// The expected counts as the JSON written beside the plan.
    pub fn expected_json(&self) -> Value {
        json!({
            "resources": self.resources(),
            "seed": self.seed,
            "rules": self.expected(),
            "violations": COUNTED_RULES.iter().map(|(id, what)| (id.to_string(), Value::from(*what))).collect::<Map<_, _>>(),
        })
    }

    /// Writes the Terraform plan (`terraform show -json` of a saved plan, format 1.2).
    pub fn write_terraform(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(
            br#"{"format_version":"1.2","terraform_version":"1.9.5","variables":{"environment":{"value":"bench"},"db_password":{"value":"bench-Pa55word"}},"planned_values":{"root_module":{"resources":["#,
        )?;
        let mut first = true;
        for unit in self.units() {
            for r in terraform_resources(&unit) {
                sep(out, &mut first)?;
                serde_json::to_writer(
                    &mut *out,
                    &json!({
                        "address": r.address(),
                        "mode": "managed",
                        "type": r.type_,
                        "name": r.name,
                        "provider_name": PROVIDER,
                        "schema_version": 0,
                        "values": r.after,
                        "sensitive_values": r.sensitive,
                    }),
                )?;
            }
        }
        out.write_all(br#"]}},"resource_changes":["#)?;
        let mut first = true;
        for unit in self.units() {
            for r in terraform_resources(&unit) {
                sep(out, &mut first)?;
                serde_json::to_writer(
                    &mut *out,
                    &json!({
                        "address": r.address(),
                        "mode": "managed",
                        "type": r.type_,
                        "name": r.name,
                        "provider_name": PROVIDER,
                        "change": {
                            "actions": ["create"],
                            "before": null,
                            "after": r.after,
                            "after_unknown": r.unknown,
                            "before_sensitive": false,
                            "after_sensitive": r.sensitive,
                        },
                    }),
                )?;
            }
        }
        out.write_all(
            br#"],"configuration":{"provider_config":{"aws":{"name":"aws","full_name":"registry.terraform.io/hashicorp/aws","version_constraint":"~> 5.0","expressions":{"region":{"constant_value":"eu-west-1"}}}},"root_module":{"resources":["#,
        )?;
        let mut first = true;
        for unit in self.units() {
            for r in terraform_resources(&unit) {
                sep(out, &mut first)?;
                serde_json::to_writer(
                    &mut *out,
                    &json!({
                        "address": r.address(),
                        "mode": "managed",
                        "type": r.type_,
                        "name": r.name,
                        "provider_config_key": "aws",
                        "expressions": r.expressions(),
                        "schema_version": 0,
                    }),
                )?;
            }
        }
        out.write_all(
            br#"],"variables":{"environment":{"default":"bench"},"db_password":{"sensitive":true}}}},"timestamp":"2025-01-01T00:00:00Z","applyable":true,"complete":true,"errored":false}"#,
        )?;
        out.write_all(b"\n")
    }

    /// Writes the Pulumi stack export (`pulumi stack export`, deployment v3) of the same
    /// resources, deployed.
    pub fn write_pulumi(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(
            br#"{"version":3,"deployment":{"manifest":{"time":"2025-01-01T00:00:00Z","magic":"bench","version":"v3.140.0"},"secrets_providers":{"type":"passphrase","state":{"salt":"v1:bench"}},"resources":["#,
        )?;
        let stack_urn = format!("{URN}pulumi:pulumi:Stack::bench-dev");
        let provider_urn = format!("{URN}pulumi:providers:aws::default_6_60_0");
        serde_json::to_writer(
            &mut *out,
            &json!({"urn": stack_urn, "custom": false, "type": "pulumi:pulumi:Stack", "outputs": {}}),
        )?;
        out.write_all(b",")?;
        serde_json::to_writer(
            &mut *out,
            &json!({
                "urn": provider_urn, "custom": true, "id": "7f3a0c2e-0000-4000-8000-000000000000",
                "type": "pulumi:providers:aws",
                "inputs": {"region": "eu-west-1", "version": "6.60.0"},
                "outputs": {"region": "eu-west-1", "version": "6.60.0"},
                "parent": stack_urn,
            }),
        )?;
        let provider_ref = format!("{provider_urn}::7f3a0c2e-0000-4000-8000-000000000000");
        for unit in self.units() {
            for r in pulumi_resources(&unit) {
                out.write_all(b",")?;
                let urn = format!("{URN}{}::{}", r.type_, r.name);
                let mut outputs = r.inputs.clone();
                if let Value::Object(map) = &mut outputs {
                    map.insert("id".into(), Value::from(r.id.clone()));
                    map.insert(
                        "arn".into(),
                        Value::from(format!("arn:aws:bench:::{}", r.id)),
                    );
                    map.insert(
                        "tagsAll".into(),
                        r.inputs.get("tags").cloned().unwrap_or(json!({})),
                    );
                }
                serde_json::to_writer(
                    &mut *out,
                    &json!({
                        "urn": urn,
                        "custom": true,
                        "id": r.id,
                        "type": r.type_,
                        "inputs": r.inputs,
                        "outputs": outputs,
                        "parent": stack_urn,
                        "dependencies": r.dependencies.iter().map(|d| format!("{URN}{d}")).collect::<Vec<_>>(),
                        "provider": provider_ref,
                        "propertyDependencies": {},
                        "created": "2025-01-01T00:00:00Z",
                        "modified": "2025-01-01T00:00:00Z",
                    }),
                )?;
            }
        }
        out.write_all(b"]}}\n")
    }
}

const PROVIDER: &str = "registry.terraform.io/hashicorp/aws";
const URN: &str = "urn:pulumi:dev::bench::";

fn sep(out: &mut dyn Write, first: &mut bool) -> io::Result<()> {
    if !std::mem::take(first) {
        out.write_all(b",")?;
    }
    Ok(())
}

/// One Terraform resource of a unit.
struct TfResource {
    type_: &'static str,
    name: String,
    after: Value,
    unknown: Value,
    sensitive: Value,
    /// Expressions referring to other resources: attribute → references.
    references: Vec<(&'static str, Vec<String>)>,
}

impl TfResource {
    fn address(&self) -> String {
        format!("{}.{}", self.type_, self.name)
    }

    /// `configuration` expressions: constants for the scalar arguments, references where the
    /// value comes from another resource.
    fn expressions(&self) -> Value {
        let mut map = Map::new();
        if let Value::Object(after) = &self.after {
            for (k, v) in after {
                if k == "tags_all" || v.is_null() {
                    continue;
                }
                if v.is_string() || v.is_number() || v.is_boolean() {
                    map.insert(k.clone(), json!({ "constant_value": v }));
                }
            }
        }
        for (k, refs) in &self.references {
            map.insert((*k).to_string(), json!({ "references": refs }));
        }
        Value::Object(map)
    }
}

fn tf_tags(unit: &Unit) -> Value {
    match unit.tags {
        Tags::Full => json!({
            "Department": DEPARTMENTS.get((unit.salt % 4) as usize).copied().unwrap_or("data"),
            "Team": format!("team-{}", unit.salt % 17),
            "Environment": "bench",
        }),
        Tags::NoDepartment => json!({"Team": format!("team-{}", unit.salt % 17)}),
        Tags::None => Value::Null,
    }
}

const DEPARTMENTS: [&str; 4] = ["payments", "search", "platform", "data"];

fn instance_type(salt: u64) -> &'static str {
    match salt % 4 {
        0 => "t3.micro",
        1 => "t3.small",
        2 => "m6i.large",
        _ => "c7g.xlarge",
    }
}

fn with_tags(mut after: Value, unit: &Unit) -> Value {
    let tags = tf_tags(unit);
    if let Value::Object(map) = &mut after {
        map.insert(
            "tags_all".into(),
            if tags.is_null() {
                json!({})
            } else {
                tags.clone()
            },
        );
        map.insert("tags".into(), tags);
    }
    after
}

fn tags_sensitive(unit: &Unit) -> Value {
    match unit.tags {
        Tags::None => json!({"tags_all": {}}),
        _ => json!({"tags": {}, "tags_all": {}}),
    }
}

fn policy_document(unit: &Unit) -> String {
    let statement = if unit.bad {
        json!({"Sid": "Everything", "Effect": "Allow", "Action": "*", "Resource": "*"})
    } else {
        json!({
            "Sid": "ReadObjects",
            "Effect": "Allow",
            "Action": ["s3:GetObject", "s3:ListBucket"],
            "Resource": [
                format!("arn:aws:s3:::bench-data-{}", unit.salt % 97),
                format!("arn:aws:s3:::bench-data-{}/*", unit.salt % 97),
            ],
        })
    };
    json!({"Version": "2012-10-17", "Statement": [statement]}).to_string()
}

fn terraform_resources(unit: &Unit) -> Vec<TfResource> {
    let u = unit.index;
    let salt = unit.salt;
    let mut out = Vec::with_capacity(2);
    match unit.kind {
        Kind::Bucket { paired } => {
            let name = format!("b{u}");
            out.push(TfResource {
                type_: "aws_s3_bucket",
                after: with_tags(
                    json!({
                        "bucket": format!("bench-{u}-{:x}", salt & 0xffff),
                        "force_destroy": false,
                        "object_lock_enabled": null,
                        "timeouts": null,
                    }),
                    unit,
                ),
                unknown: json!({
                    "acceleration_status": true, "acl": true, "arn": true, "bucket_domain_name": true,
                    "bucket_prefix": true, "bucket_regional_domain_name": true, "cors_rule": true,
                    "grant": true, "hosted_zone_id": true, "id": true, "lifecycle_rule": true,
                    "logging": true, "object_lock_configuration": true, "policy": true,
                    "region": true, "replication_configuration": true, "request_payer": true,
                    "server_side_encryption_configuration": true, "tags": {}, "tags_all": {},
                    "versioning": true, "website": true, "website_domain": true,
                    "website_endpoint": true,
                }),
                sensitive: json!({
                    "cors_rule": [], "grant": [], "lifecycle_rule": [], "logging": [],
                    "object_lock_configuration": [], "replication_configuration": [],
                    "server_side_encryption_configuration": [], "tags": {}, "tags_all": {},
                    "versioning": [], "website": [],
                }),
                references: Vec::new(),
                name: name.clone(),
            });
            if paired {
                out.push(TfResource {
                    type_: "aws_s3_bucket_server_side_encryption_configuration",
                    after: json!({
                        "expected_bucket_owner": null,
                        "rule": [{
                            "apply_server_side_encryption_by_default": [
                                {"kms_master_key_id": null, "sse_algorithm": if salt & 1 == 0 { "aws:kms" } else { "AES256" }}
                            ],
                            "bucket_key_enabled": true,
                        }],
                    }),
                    unknown: json!({"bucket": true, "id": true, "rule": [{"apply_server_side_encryption_by_default": [{}]}]}),
                    sensitive: json!({"rule": [{"apply_server_side_encryption_by_default": [{}]}]}),
                    references: vec![(
                        "bucket",
                        vec![format!("aws_s3_bucket.{name}.id"), format!("aws_s3_bucket.{name}")],
                    )],
                    name,
                });
            }
        }
        Kind::SecurityGroup => {
            let admin_source = if unit.bad { "0.0.0.0/0" } else { "10.0.0.0/8" };
            out.push(TfResource {
                type_: "aws_security_group",
                name: format!("sg{u}"),
                after: with_tags(
                    json!({
                        "name": format!("bench-sg-{u}"),
                        "description": "Managed by the guardrail benchmark",
                        "vpc_id": "vpc-0a1b2c3d4e5f60718",
                        "revoke_rules_on_delete": false,
                        "timeouts": null,
                        "ingress": [
                            {
                                "cidr_blocks": ["0.0.0.0/0"], "description": "https",
                                "from_port": 443, "ipv6_cidr_blocks": ["::/0"], "prefix_list_ids": [],
                                "protocol": "tcp", "security_groups": [], "self": false, "to_port": 443,
                            },
                            {
                                "cidr_blocks": [admin_source], "description": "ssh",
                                "from_port": 22, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                                "protocol": "tcp", "security_groups": [], "self": false, "to_port": 22,
                            },
                        ],
                        "egress": [{
                            "cidr_blocks": ["10.0.0.0/8"], "description": "internal",
                            "from_port": 0, "ipv6_cidr_blocks": [], "prefix_list_ids": [],
                            "protocol": "-1", "security_groups": [], "self": false, "to_port": 0,
                        }],
                    }),
                    unit,
                ),
                unknown: json!({"arn": true, "id": true, "owner_id": true, "name_prefix": true,
                    "egress": [{"cidr_blocks": [false], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
                    "ingress": [{"cidr_blocks": [false], "ipv6_cidr_blocks": [false], "prefix_list_ids": [], "security_groups": []}, {"cidr_blocks": [false], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
                    "tags": {}, "tags_all": {}}),
                sensitive: json!({"egress": [{"cidr_blocks": [false], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
                    "ingress": [{"cidr_blocks": [false], "ipv6_cidr_blocks": [false], "prefix_list_ids": [], "security_groups": []}, {"cidr_blocks": [false], "ipv6_cidr_blocks": [], "prefix_list_ids": [], "security_groups": []}],
                    "tags": {}, "tags_all": {}}),
                references: Vec::new(),
            });
        }
        Kind::IngressRule => {
            out.push(TfResource {
                type_: "aws_vpc_security_group_ingress_rule",
                name: format!("rdp{u}"),
                after: with_tags(
                    json!({
                        "cidr_ipv4": if unit.bad { "0.0.0.0/0" } else { "10.20.0.0/16" },
                        "cidr_ipv6": null,
                        "description": "remote desktop",
                        "from_port": 3389,
                        "ip_protocol": "tcp",
                        "prefix_list_id": null,
                        "referenced_security_group_id": null,
                        "security_group_id": "sg-0123456789abcdef0",
                        "to_port": 3389,
                    }),
                    unit,
                ),
                unknown: json!({"arn": true, "id": true, "security_group_rule_id": true, "tags": {}, "tags_all": {}}),
                sensitive: tags_sensitive(unit),
                references: Vec::new(),
            });
        }
        Kind::TargetGroup => {
            out.push(TfResource {
                type_: "aws_lb_target_group",
                name: format!("tg{u}"),
                after: with_tags(
                    json!({
                        "name": format!("bench-tg-{u}"),
                        "port": if unit.bad { 22 } else { 8080 },
                        "protocol": if unit.bad { "TCP" } else { "HTTP" },
                        "target_type": "instance",
                        "vpc_id": "vpc-0a1b2c3d4e5f60718",
                        "deregistration_delay": "300",
                        "health_check": [{
                            "enabled": true, "healthy_threshold": 3, "interval": 30,
                            "matcher": "200", "path": "/healthz", "port": "traffic-port",
                            "protocol": "HTTP", "timeout": 5, "unhealthy_threshold": 3,
                        }],
                        "lambda_multi_value_headers_enabled": false,
                        "proxy_protocol_v2": false,
                        "slow_start": 0,
                    }),
                    unit,
                ),
                unknown: json!({"arn": true, "arn_suffix": true, "id": true, "ip_address_type": true,
                    "load_balancing_algorithm_type": true, "stickiness": true, "target_failover": true,
                    "health_check": [{}], "tags": {}, "tags_all": {}}),
                sensitive: json!({"health_check": [{}], "stickiness": [], "tags": {}, "tags_all": {}}),
                references: Vec::new(),
            });
        }
        Kind::Instance => {
            out.push(TfResource {
                type_: "aws_instance",
                name: format!("vm{u}"),
                after: with_tags(
                    json!({
                        "ami": format!("ami-0{:016x}", salt),
                        "instance_type": instance_type(salt),
                        "associate_public_ip_address": false,
                        "iam_instance_profile": "app-instance",
                        "monitoring": true,
                        "ebs_optimized": true,
                        "user_data": null,
                        "user_data_replace_on_change": false,
                        "metadata_options": [{
                            "http_endpoint": "enabled",
                            "http_put_response_hop_limit": 1,
                            "http_tokens": if unit.bad { "optional" } else { "required" },
                            "instance_metadata_tags": "disabled",
                        }],
                        "root_block_device": [{
                            "delete_on_termination": true, "encrypted": true,
                            "volume_size": 20 + (salt % 5) * 10, "volume_type": "gp3",
                        }],
                        "timeouts": null,
                    }),
                    unit,
                ),
                unknown: json!({"arn": true, "availability_zone": true, "id": true, "private_ip": true,
                    "public_ip": true, "subnet_id": true, "vpc_security_group_ids": true,
                    "metadata_options": [{}], "root_block_device": [{"device_name": true, "iops": true, "kms_key_id": true, "throughput": true, "volume_id": true}],
                    "ebs_block_device": true, "tags": {}, "tags_all": {}}),
                sensitive: json!({"metadata_options": [{}], "root_block_device": [{}], "ebs_block_device": [], "tags": {}, "tags_all": {}}),
                references: Vec::new(),
            });
        }
        Kind::Database => {
            out.push(TfResource {
                type_: "aws_db_instance",
                name: format!("db{u}"),
                after: with_tags(
                    json!({
                        "identifier": format!("bench-db-{u}"),
                        "engine": "postgres",
                        "engine_version": "16.3",
                        "instance_class": "db.t4g.medium",
                        "allocated_storage": 20 + salt % 80,
                        "username": "appadmin",
                        "password": "bench-Pa55word",
                        "publicly_accessible": unit.bad,
                        "storage_encrypted": !unit.bad2,
                        "backup_retention_period": 7,
                        "deletion_protection": true,
                        "multi_az": salt & 1 == 0,
                        "auto_minor_version_upgrade": true,
                        "copy_tags_to_snapshot": true,
                        "iam_database_authentication_enabled": true,
                        "replicate_source_db": null,
                        "snapshot_identifier": null,
                        "skip_final_snapshot": false,
                        "timeouts": null,
                    }),
                    unit,
                ),
                unknown: json!({"address": true, "arn": true, "endpoint": true, "id": true,
                    "kms_key_id": true, "port": true, "status": true, "tags": {}, "tags_all": {}}),
                sensitive: json!({"password": true, "tags": {}, "tags_all": {}}),
                references: Vec::new(),
            });
        }
        Kind::Policy => {
            out.push(TfResource {
                type_: "aws_iam_policy",
                name: format!("pol{u}"),
                after: with_tags(
                    json!({
                        "name": format!("bench-policy-{u}"),
                        "path": "/",
                        "description": "Managed by the guardrail benchmark",
                        "policy": policy_document(unit),
                    }),
                    unit,
                ),
                unknown: json!({"arn": true, "attachment_count": true, "id": true, "name_prefix": true, "policy_id": true, "tags": {}, "tags_all": {}}),
                sensitive: tags_sensitive(unit),
                references: Vec::new(),
            });
        }
    }
    out
}

/// One Pulumi resource of a unit.
struct PuResource {
    type_: &'static str,
    name: String,
    id: String,
    inputs: Value,
    dependencies: Vec<String>,
}

fn pulumi_tags(unit: &Unit, mut inputs: Value) -> Value {
    let tags = tf_tags(unit);
    if let (Value::Object(map), false) = (&mut inputs, tags.is_null()) {
        map.insert("tags".into(), tags);
    }
    inputs
}

fn pulumi_resources(unit: &Unit) -> Vec<PuResource> {
    let u = unit.index;
    let salt = unit.salt;
    let mut out = Vec::with_capacity(2);
    match unit.kind {
        Kind::Bucket { paired } => {
            let bucket = format!("bench-{u}-{:x}", salt & 0xffff);
            out.push(PuResource {
                type_: "aws:s3/bucketV2:BucketV2",
                name: format!("b{u}"),
                id: bucket.clone(),
                inputs: pulumi_tags(unit, json!({"bucket": bucket, "forceDestroy": false})),
                dependencies: Vec::new(),
            });
            if paired {
                out.push(PuResource {
                    type_: "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
                    name: format!("b{u}-sse"),
                    id: bucket.clone(),
                    inputs: json!({
                        "bucket": bucket,
                        "rules": [{
                            "applyServerSideEncryptionByDefault": {"sseAlgorithm": if salt & 1 == 0 { "aws:kms" } else { "AES256" }},
                            "bucketKeyEnabled": true,
                        }],
                    }),
                    dependencies: vec![format!("aws:s3/bucketV2:BucketV2::b{u}")],
                });
            }
        }
        Kind::SecurityGroup => {
            let admin_source = if unit.bad { "0.0.0.0/0" } else { "10.0.0.0/8" };
            out.push(PuResource {
                type_: "aws:ec2/securityGroup:SecurityGroup",
                name: format!("sg{u}"),
                id: format!("sg-{:017x}", salt & 0xffff_ffff_ffff),
                inputs: pulumi_tags(
                    unit,
                    json!({
                        "name": format!("bench-sg-{u}"),
                        "description": "Managed by the guardrail benchmark",
                        "vpcId": "vpc-0a1b2c3d4e5f60718",
                        "revokeRulesOnDelete": false,
                        "ingress": [
                            {"cidrBlocks": ["0.0.0.0/0"], "ipv6CidrBlocks": ["::/0"], "description": "https", "fromPort": 443, "toPort": 443, "protocol": "tcp", "self": false},
                            {"cidrBlocks": [admin_source], "description": "ssh", "fromPort": 22, "toPort": 22, "protocol": "tcp", "self": false},
                        ],
                        "egress": [{"cidrBlocks": ["10.0.0.0/8"], "description": "internal", "fromPort": 0, "toPort": 0, "protocol": "-1", "self": false}],
                    }),
                ),
                dependencies: Vec::new(),
            });
        }
        Kind::IngressRule => {
            out.push(PuResource {
                type_: "aws:vpc/securityGroupIngressRule:SecurityGroupIngressRule",
                name: format!("rdp{u}"),
                id: format!("sgr-{:017x}", salt & 0xffff_ffff_ffff),
                inputs: pulumi_tags(
                    unit,
                    json!({
                        "cidrIpv4": if unit.bad { "0.0.0.0/0" } else { "10.20.0.0/16" },
                        "description": "remote desktop",
                        "fromPort": 3389,
                        "toPort": 3389,
                        "ipProtocol": "tcp",
                        "securityGroupId": "sg-0123456789abcdef0",
                    }),
                ),
                dependencies: Vec::new(),
            });
        }
        Kind::TargetGroup => {
            out.push(PuResource {
                type_: "aws:lb/targetGroup:TargetGroup",
                name: format!("tg{u}"),
                id: format!("arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/bench-tg-{u}/{salt:016x}"),
                inputs: pulumi_tags(
                    unit,
                    json!({
                        "name": format!("bench-tg-{u}"),
                        "port": if unit.bad { 22 } else { 8080 },
                        "protocol": if unit.bad { "TCP" } else { "HTTP" },
                        "targetType": "instance",
                        "vpcId": "vpc-0a1b2c3d4e5f60718",
                        "healthCheck": {"enabled": true, "path": "/healthz", "port": "traffic-port", "protocol": "HTTP", "matcher": "200"},
                    }),
                ),
                dependencies: Vec::new(),
            });
        }
        Kind::Instance => {
            out.push(PuResource {
                type_: "aws:ec2/instance:Instance",
                name: format!("vm{u}"),
                id: format!("i-{:017x}", salt & 0xffff_ffff_ffff),
                inputs: pulumi_tags(
                    unit,
                    json!({
                        "ami": format!("ami-0{:016x}", salt),
                        "instanceType": instance_type(salt),
                        "associatePublicIpAddress": false,
                        "iamInstanceProfile": "app-instance",
                        "monitoring": true,
                        "ebsOptimized": true,
                        "metadataOptions": {"httpEndpoint": "enabled", "httpPutResponseHopLimit": 1, "httpTokens": if unit.bad { "optional" } else { "required" }},
                        "rootBlockDevice": {"deleteOnTermination": true, "encrypted": true, "volumeSize": 20 + (salt % 5) * 10, "volumeType": "gp3"},
                    }),
                ),
                dependencies: Vec::new(),
            });
        }
        Kind::Database => {
            out.push(PuResource {
                type_: "aws:rds/instance:Instance",
                name: format!("db{u}"),
                id: format!("bench-db-{u}"),
                inputs: pulumi_tags(
                    unit,
                    json!({
                        "identifier": format!("bench-db-{u}"),
                        "engine": "postgres",
                        "engineVersion": "16.3",
                        "instanceClass": "db.t4g.medium",
                        "allocatedStorage": 20 + salt % 80,
                        "username": "appadmin",
                        "password": {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", "plaintext": "\"bench-Pa55word\""},
                        "publiclyAccessible": unit.bad,
                        "storageEncrypted": !unit.bad2,
                        "backupRetentionPeriod": 7,
                        "deletionProtection": true,
                        "multiAz": salt & 1 == 0,
                        "autoMinorVersionUpgrade": true,
                        "copyTagsToSnapshot": true,
                        "iamDatabaseAuthenticationEnabled": true,
                        "skipFinalSnapshot": false,
                    }),
                ),
                dependencies: Vec::new(),
            });
        }
        Kind::Policy => {
            out.push(PuResource {
                type_: "aws:iam/policy:Policy",
                name: format!("pol{u}"),
                id: format!("arn:aws:iam::123456789012:policy/bench-policy-{u}"),
                inputs: pulumi_tags(
                    unit,
                    json!({
                        "name": format!("bench-policy-{u}"),
                        "path": "/",
                        "description": "Managed by the guardrail benchmark",
                        "policy": policy_document(unit),
                    }),
                ),
                dependencies: Vec::new(),
            });
        }
    }
    out
}
