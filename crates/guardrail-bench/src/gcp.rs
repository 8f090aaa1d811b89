//! Generator of Google Cloud plans for the benchmark, in the style of the AWS one: [`GcpPlan::new`]
//! lays out `N` resources from a seed — Cloud Storage buckets, firewall rules, Compute Engine
//! instances, Cloud SQL instances, GKE clusters, project IAM members and Cloud KMS keys — of
//! which a known fraction violates known rules, so that [`GcpPlan::expected`] is exact. The plan
//! is `terraform show -json` format 1.2 with `planned_values`, `resource_changes` and
//! `configuration`, streamed.

use std::io::{self, Write};

use serde_json::{json, Map, Value};

use crate::{Expected, Rng};

/// The rules whose expected violation counts the Google Cloud generator writes.
pub const GCP_COUNTED_RULES: &[(&str, &str)] = &[
    (
        "GCP-STORAGE-001",
        "a bucket without uniform bucket-level access",
    ),
    (
        "GCP-COMPUTE-001",
        "a firewall rule opening port 22 to 0.0.0.0/0",
    ),
    ("GCP-COMPUTE-008", "an instance with an external address"),
    ("GCP-SQL-002", "a Cloud SQL instance with a public address"),
    ("GCP-SQL-004", "a Cloud SQL instance without backups"),
    ("GCP-GKE-001", "a GKE cluster without private nodes"),
    ("GCP-IAM-001", "a project IAM member for `allUsers`"),
    ("GCP-KMS-001", "a Cloud KMS key without rotation"),
];

/// The kind of one generated Google Cloud resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum GcpKind {
    Bucket,
    Firewall,
    Instance,
    Sql,
    Cluster,
    IamMember,
    Key,
}

/// One resource with its decided properties.
struct GcpUnit {
    index: usize,
    kind: GcpKind,
    bad: bool,
    bad2: bool,
    salt: u64,
}

/// A generated Google Cloud plan.
#[derive(Clone, Debug)]
pub struct GcpPlan {
    seed: u64,
    kinds: Vec<GcpKind>,
}

const PROVIDER: &str = "registry.terraform.io/hashicorp/google";

impl GcpPlan {
    /// Lays out exactly `resources` resources for `seed`.
    pub fn new(resources: usize, seed: u64) -> GcpPlan {
        let kinds = (0..resources as u64)
            .map(|u| {
                let mut rng = Rng::new(seed ^ 0x6C9, u);
                match rng.below(100) {
                    0..=24 => GcpKind::Bucket,
                    25..=39 => GcpKind::Firewall,
                    40..=64 => GcpKind::Instance,
                    65..=74 => GcpKind::Sql,
                    75..=79 => GcpKind::Cluster,
                    80..=89 => GcpKind::IamMember,
                    _ => GcpKind::Key,
                }
            })
            .collect();
        GcpPlan { seed, kinds }
    }

    /// The number of resources.
    pub fn resources(&self) -> usize {
        self.kinds.len()
    }

    fn units(&self) -> impl Iterator<Item = GcpUnit> + '_ {
        self.kinds.iter().enumerate().map(|(index, kind)| {
            let mut rng = Rng::new(self.seed ^ 0x05EE_D6C9, index as u64);
            GcpUnit {
                index,
                kind: *kind,
                bad: rng.chance(10),
                bad2: rng.chance(10),
                salt: rng.next_u64(),
            }
        })
    }

    /// The exact violation counts of [`GCP_COUNTED_RULES`].
    pub fn expected(&self) -> Expected {
        let mut counts: Expected = GCP_COUNTED_RULES
            .iter()
            .map(|(id, _)| (id.to_string(), 0))
            .collect();
        let mut bump = |id: &str| {
            if let Some(c) = counts.get_mut(id) {
                *c += 1;
            }
        };
        for unit in self.units() {
            match unit.kind {
                GcpKind::Bucket if unit.bad => bump("GCP-STORAGE-001"),
                GcpKind::Firewall if unit.bad => bump("GCP-COMPUTE-001"),
                GcpKind::Instance if unit.bad => bump("GCP-COMPUTE-008"),
                GcpKind::Cluster if unit.bad => bump("GCP-GKE-001"),
                GcpKind::IamMember if unit.bad => bump("GCP-IAM-001"),
                GcpKind::Key if unit.bad => bump("GCP-KMS-001"),
                GcpKind::Sql => {
                    if unit.bad {
                        bump("GCP-SQL-002");
                    }
                    if unit.bad2 {
                        bump("GCP-SQL-004");
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
            "violations": GCP_COUNTED_RULES.iter().map(|(id, what)| (id.to_string(), Value::from(*what))).collect::<Map<_, _>>(),
        })
    }

    /// Writes the Terraform plan.
    pub fn write_terraform(&self, out: &mut dyn Write) -> io::Result<()> {
        out.write_all(
            br#"{"format_version":"1.2","terraform_version":"1.9.5","planned_values":{"root_module":{"resources":["#,
        )?;
        let mut first = true;
        for unit in self.units() {
            let (type_, name, after, _) = resource(&unit);
            crate::sep(out, &mut first)?;
            serde_json::to_writer(
                &mut *out,
                &json!({
                    "address": format!("{type_}.{name}"), "mode": "managed", "type": type_,
                    "name": name, "provider_name": PROVIDER, "schema_version": 0,
                    "values": after, "sensitive_values": {},
                }),
            )?;
        }
        out.write_all(br#"]}},"resource_changes":["#)?;
        let mut first = true;
        for unit in self.units() {
            let (type_, name, after, unknown) = resource(&unit);
            crate::sep(out, &mut first)?;
            serde_json::to_writer(
                &mut *out,
                &json!({
                    "address": format!("{type_}.{name}"), "mode": "managed", "type": type_,
                    "name": name, "provider_name": PROVIDER,
                    "change": {"actions": ["create"], "before": null, "after": after,
                               "after_unknown": unknown, "before_sensitive": false,
                               "after_sensitive": {}},
                }),
            )?;
        }
        out.write_all(
            br#"],"configuration":{"provider_config":{"google":{"name":"google","full_name":"registry.terraform.io/hashicorp/google","version_constraint":"~> 6.0","expressions":{"project":{"constant_value":"bench-project"},"region":{"constant_value":"europe-west1"}}}},"root_module":{"resources":["#,
        )?;
        let mut first = true;
        for unit in self.units() {
            let (type_, name, after, _) = resource(&unit);
            crate::sep(out, &mut first)?;
            let mut expressions = Map::new();
            if let Value::Object(map) = &after {
                for (k, v) in map {
                    if !v.is_null() {
                        expressions.insert(k.clone(), json!({ "constant_value": v }));
                    }
                }
            }
            serde_json::to_writer(
                &mut *out,
                &json!({
                    "address": format!("{type_}.{name}"), "mode": "managed", "type": type_,
                    "name": name, "provider_config_key": "google",
                    "expressions": expressions, "schema_version": 0,
                }),
            )?;
        }
        out.write_all(
            br#"]}},"timestamp":"2025-01-01T00:00:00Z","applyable":true,"complete":true,"errored":false}"#,
        )?;
        out.write_all(b"\n")
    }
}

/// The roles the generated project IAM members grant.
const ROLES: [&str; 3] = [
    "roles/viewer",
    "roles/storage.objectViewer",
    "roles/logging.viewer",
];

/// The type, name, planned values and unknown attributes of one unit.
fn resource(unit: &GcpUnit) -> (&'static str, String, Value, Value) {
    let u = unit.index;
    let salt = unit.salt;
    let region = ["europe-west1", "us-central1", "asia-east1"]
        .get((salt % 3) as usize)
        .copied()
        .unwrap_or("europe-west1");
    let labels = json!({"team": format!("team-{}", salt % 17), "env": "bench"});
    let computed = json!({"id": true, "self_link": true, "project": true});
    match unit.kind {
        GcpKind::Bucket => (
            "google_storage_bucket",
            format!("b{u}"),
            json!({
                "name": format!("bench-{u}-{:x}", salt & 0xffff), "location": "EU",
                "storage_class": "STANDARD", "force_destroy": false, "labels": labels,
                "uniform_bucket_level_access": !unit.bad,
                "public_access_prevention": "enforced",
                "versioning": [{"enabled": salt.is_multiple_of(2)}], "logging": [], "encryption": [],
                "lifecycle_rule": [], "cors": [], "retention_policy": [],
            }),
            json!({"id": true, "self_link": true, "url": true, "project": true, "soft_delete_policy": true}),
        ),
        GcpKind::Firewall => {
            let (ranges, port) = if unit.bad {
                (json!(["0.0.0.0/0"]), "22")
            } else if salt.is_multiple_of(2) {
                (json!(["10.0.0.0/8"]), "22")
            } else {
                (json!(["0.0.0.0/0"]), "443")
            };
            (
                "google_compute_firewall",
                format!("fw{u}"),
                json!({
                    "name": format!("allow-{u}"), "network": "bench-vpc", "direction": "INGRESS",
                    "priority": 1000, "disabled": false, "source_ranges": ranges,
                    "allow": [{"protocol": "tcp", "ports": [port]}], "deny": [],
                    "log_config": [{"metadata": "INCLUDE_ALL_METADATA"}],
                    "target_tags": [format!("tier-{}", salt % 5)],
                }),
                json!({"id": true, "self_link": true, "creation_timestamp": true, "project": true, "destination_ranges": true}),
            )
        }
        GcpKind::Instance => (
            "google_compute_instance",
            format!("vm{u}"),
            json!({
                "name": format!("vm-{u}"), "machine_type": "e2-standard-2",
                "zone": format!("{region}-b"), "labels": labels,
                "boot_disk": [{"auto_delete": true, "initialize_params": [{"image": "debian-cloud/debian-12"}],
                               "kms_key_self_link": "projects/bench/locations/global/keyRings/vm/cryptoKeys/disks"}],
                "network_interface": [{"network": "bench-vpc", "subnetwork": format!("app-{}", salt % 8),
                                       "access_config": if unit.bad { json!([{}]) } else { json!([]) }}],
                "service_account": [{"email": format!("vm-{}@bench.iam.gserviceaccount.com", salt % 9), "scopes": ["cloud-platform"]}],
                "shielded_instance_config": [{"enable_secure_boot": true, "enable_vtpm": true, "enable_integrity_monitoring": true}],
                "metadata": {"block-project-ssh-keys": "true"}, "can_ip_forward": false,
            }),
            computed,
        ),
        GcpKind::Sql => (
            "google_sql_database_instance",
            format!("db{u}"),
            json!({
                "name": format!("db-{u}"), "database_version": "POSTGRES_16", "region": region,
                "deletion_protection": true,
                "settings": [{
                    "tier": "db-custom-2-7680", "availability_type": "REGIONAL",
                    "ip_configuration": [{"ipv4_enabled": unit.bad, "ssl_mode": "ENCRYPTED_ONLY",
                                          "private_network": "projects/bench/global/networks/bench-vpc",
                                          "authorized_networks": []}],
                    "backup_configuration": [{"enabled": !unit.bad2, "point_in_time_recovery_enabled": !unit.bad2}],
                    "database_flags": [{"name": "log_connections", "value": "on"}, {"name": "log_disconnections", "value": "on"}],
                }],
            }),
            json!({"id": true, "self_link": true, "connection_name": true, "ip_address": true, "project": true}),
        ),
        GcpKind::Cluster => (
            "google_container_cluster",
            format!("gke{u}"),
            json!({
                "name": format!("gke-{u}"), "location": region, "initial_node_count": 1,
                "remove_default_node_pool": true, "enable_legacy_abac": false,
                "private_cluster_config": [{"enable_private_nodes": !unit.bad, "enable_private_endpoint": false,
                                            "master_ipv4_cidr_block": "172.16.0.0/28"}],
                "master_authorized_networks_config": [{"cidr_blocks": [{"cidr_block": "10.0.0.0/8", "display_name": "corp"}]}],
                "workload_identity_config": [{"workload_pool": "bench.svc.id.goog"}],
                "network_policy": [{"enabled": true, "provider": "CALICO"}],
                "release_channel": [{"channel": "REGULAR"}],
                "resource_labels": labels,
            }),
            json!({"id": true, "self_link": true, "endpoint": true, "master_version": true, "node_config": true, "project": true}),
        ),
        GcpKind::IamMember => (
            "google_project_iam_member",
            format!("iam{u}"),
            json!({
                "project": "bench-project",
                "role": ROLES.get((salt % 3) as usize).copied().unwrap_or("roles/viewer"),
                "member": if unit.bad { "allUsers".to_string() } else { format!("group:team-{}@bench.example", salt % 17) },
                "condition": [],
            }),
            json!({"id": true, "etag": true}),
        ),
        GcpKind::Key => (
            "google_kms_crypto_key",
            format!("key{u}"),
            json!({
                "name": format!("key-{u}"), "key_ring": "projects/bench/locations/europe/keyRings/bench",
                "purpose": "ENCRYPT_DECRYPT", "labels": labels,
                "rotation_period": if unit.bad { Value::Null } else { json!("7776000s") },
            }),
            json!({"id": true, "version_template": true, "primary": true}),
        ),
    }
}
