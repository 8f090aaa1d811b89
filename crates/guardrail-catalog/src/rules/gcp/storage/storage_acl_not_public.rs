//! GCP-STORAGE-007: Cloud Storage ACLs grant nothing to allUsers or allAuthenticatedUsers.

use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support;

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "GCP-STORAGE-007",
    name: "storage-acl-not-public",
    title: "Cloud Storage ACLs grant nothing to allUsers or allAuthenticatedUsers",
    description: "An ACL entry for `allUsers` or `allAuthenticatedUsers` on a bucket, its default object ACL or an object makes the data public.",
    severity: Severity::Critical,
    enforcement: Enforcement::Mandatory,
    vendor: "gcp",
    services: &["storage"],
    topics: &["access-control", "data-protection"],
    frameworks: Frameworks::Mapped(&[
        Control { framework: "cis-gcp", controls: &["5.1"] },
        Control { framework: "pci-dss", controls: &["7.2.1"] },
        Control { framework: "soc2", controls: &["CC6.1"] },
        Control { framework: "iso27001", controls: &["A.5.15"] },
        Control { framework: "nist-800-53", controls: &["AC-3", "AC-21"] },
    ]),
    resource_types: &["google_storage_bucket_access_control", "gcp:storage/bucketAccessControl:BucketAccessControl", "google_storage_default_object_access_control", "gcp:storage/defaultObjectAccessControl:DefaultObjectAccessControl", "google_storage_object_access_control", "gcp:storage/objectAccessControl:ObjectAccessControl", "google_storage_bucket_acl", "gcp:storage/bucketACL:BucketACL", "google_storage_default_object_acl", "gcp:storage/defaultObjectACL:DefaultObjectACL"],
    remediation: "Remove ACL entries for `allUsers` and `allAuthenticatedUsers`; prefer uniform bucket-level access and IAM.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Cloud Storage ACL resources: the `entity` of a bucket, default object or object access control, and each `role_entity` (Pulumi `roleEntities`, `ROLE:entity`) of a bucket or default object ACL, must not be `allUsers` or `allAuthenticatedUsers`. Each public entry is one violation; entries known only after apply are indeterminate.",
        why: "ACLs bypass the bucket's IAM review and attach to objects one by one; a public default object ACL silently publishes every future upload.",
        noncompliant: r#"Terraform:

    resource "google_storage_default_object_access_control" "public" {
      bucket = google_storage_bucket.orders.name
      role   = "READER"
      entity = "allUsers"
    }"#,
        compliant: r#"Terraform:

    resource "google_storage_bucket" "orders" {
      name                        = "acme-orders"
      location                    = "EU"
      uniform_bucket_level_access = true
    }"#,
        fix: "Delete the public ACL entries, grant named principals through IAM instead, and turn on uniform bucket-level access (GCP-STORAGE-001) so ACLs no longer apply.",
        references: &["Google Cloud: Access control lists — https://cloud.google.com/storage/docs/access-control/lists", "CIS Google Cloud Platform Foundation Benchmark v2.0.0: 5.1"],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut entries = Vec::new();
    if let Some(entity) = support::gcp::text_at(view, "entity")? {
        entries.push((
            support::at(view, "entity"),
            entity,
            view.secret_at("entity"),
        ));
    }
    for entry in support::string_list(view, "roleEntities")? {
        entries.push((
            support::at(view, "roleEntities"),
            entry,
            view.secret_at("roleEntities"),
        ));
    }
    let violations = entries
        .into_iter()
        .filter(|(_, entry, _)| support::gcp::is_public_member(entry))
        .map(|(path, entry, secret)| {
            let shown = Value::string(entry.trim())
                .tainted_if(secret)
                .shown()
                .to_string();
            Violation::new(format!(
                "{} grants access to `{shown}`, that is to anyone",
                support::who(view, "Cloud Storage ACL")
            ))
            .at(path)
        })
        .collect();
    Ok(Verdict::from_violations(violations))
}
