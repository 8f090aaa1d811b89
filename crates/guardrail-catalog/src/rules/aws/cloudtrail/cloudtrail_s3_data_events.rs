//! AWS-CLOUDTRAIL-007: CloudTrail trails record S3 object-level events

use crate::support::{at, read_first};
use guardrail_core::{
    Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict, Violation,
};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-CLOUDTRAIL-007",
    name: "cloudtrail-s3-data-events",
    title: "CloudTrail trails record S3 object-level events",
    description: "Management events do not show who read or wrote which S3 object; object-level (data) events do.",
    severity: Severity::Low,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["cloudtrail"],
    topics: &["logging", "monitoring"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["3.8", "3.9"],
        },
        Control {
            framework: "pci-dss",
            controls: &["10.2.1"],
        },
        Control {
            framework: "hipaa",
            controls: &["164.312(b)"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["AU-2", "AU-12"],
        },
    ]),
    resource_types: &[
        "aws_cloudtrail",
        "aws:cloudtrail/trail:Trail",
    ],
    remediation: "Add an `event_selector` with a `data_resource` of type `AWS::S3::Object`, or an advanced event selector on `resources.type` `AWS::S3::Object`.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Every CloudTrail trail (`aws_cloudtrail`, Pulumi `aws:cloudtrail/trail:Trail`) must log S3 object-level events: an `event_selector` block (Pulumi `eventSelectors`) with a `data_resource` (Pulumi `dataResources`) of `type` `AWS::S3::Object`, or an `advanced_event_selector` (Pulumi `advancedEventSelectors`) whose `field_selector` (Pulumi `fieldSelectors`) on `resources.type` `equals` `AWS::S3::Object`. Any bucket scope counts (read, write or both). A trail with neither is a violation; a selector known only after apply makes it indeterminate when nothing else decides.",
        why: "S3 is where most data lives, and management events record only bucket-level calls. Without object-level logging an investigation cannot say which objects were read by stolen credentials, which is often the question a breach notification depends on. CIS AWS Foundations 3.8 and 3.9 ask for write and read data events. Data events are billed per event, so teams often scope them to sensitive buckets; this rule accepts any scope, hence low severity.",
        noncompliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", { s3BucketName: logs.bucket, isMultiRegionTrail: true });

Terraform:

    resource "aws_cloudtrail" "audit" {
      name           = "audit"
      s3_bucket_name = aws_s3_bucket.logs.id
      is_multi_region_trail = true
    }"#,
        compliant: r#"Pulumi (TypeScript):

    new aws.cloudtrail.Trail("audit", {
        s3BucketName: logs.bucket,
        eventSelectors: [{ readWriteType: "All", dataResources: [{ type: "AWS::S3::Object", values: ["arn:aws:s3"] }] }],
    });

Terraform:

    resource "aws_cloudtrail" "audit" {
      s3_bucket_name = aws_s3_bucket.logs.id
      event_selector {
        read_write_type = "All"
        data_resource {
          type   = "AWS::S3::Object"
          values = ["arn:aws:s3"]
        }
      }
    }"#,
        fix: "Add `eventSelectors: [{ readWriteType: \"All\", dataResources: [{ type: \"AWS::S3::Object\", values: [\"arn:aws:s3\"] }] }]` (Pulumi) or the equivalent `event_selector { data_resource { ... } }` block (Terraform); list bucket ARNs in `values` to limit cost, or use an advanced event selector.",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.8 Ensure that Object-level logging for write events is enabled for S3 bucket; 3.9 ... for read events",
            "AWS CloudTrail User Guide: Logging data events — https://docs.aws.amazon.com/awscloudtrail/latest/userguide/logging-data-events-with-cloudtrail.html",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: None,
    },
    source: file!(),
};

/// Whether the trail's selectors log S3 object-level events: `Ok(true)`, `Ok(false)`, or the
/// path of an unknown value that kept it from deciding.
fn logs_s3_objects(view: ResourceView<'_>) -> Result<bool, Halt> {
    let mut unknown: Option<String> = None;
    if let Some((selectors, key)) = read_first(view, &["eventSelectors", "eventSelector"])? {
        for (i, selector) in selectors.items().enumerate() {
            for data_key in ["dataResources", "dataResource"] {
                let Some(resources) = selector.get(data_key) else {
                    continue;
                };
                for resource in resources.items() {
                    if resource.is_unknown() || resource.get("type").is_some_and(Value::is_unknown)
                    {
                        unknown.get_or_insert_with(|| format!("{}[{i}]", at(view, key)));
                        continue;
                    }
                    if resource.get("type").and_then(Value::as_str) == Some(S3_OBJECT) {
                        return Ok(true);
                    }
                }
            }
        }
    }
    if let Some((selectors, key)) =
        read_first(view, &["advancedEventSelectors", "advancedEventSelector"])?
    {
        for (i, selector) in selectors.items().enumerate() {
            for field_key in ["fieldSelectors", "fieldSelector"] {
                let Some(fields) = selector.get(field_key) else {
                    continue;
                };
                for field in fields.items() {
                    if field.is_unknown() {
                        unknown.get_or_insert_with(|| format!("{}[{i}]", at(view, key)));
                        continue;
                    }
                    let is_type = field
                        .get("field")
                        .and_then(Value::as_str)
                        .is_some_and(|f| f == "resources.type");
                    if !is_type {
                        continue;
                    }
                    match field.get("equals") {
                        Some(v) if v.is_unknown() => {
                            unknown.get_or_insert_with(|| format!("{}[{i}]", at(view, key)));
                        }
                        Some(v) if v.items().any(|t| t.as_str() == Some(S3_OBJECT)) => {
                            return Ok(true);
                        }
                        _ => {}
                    }
                }
            }
        }
    }
    match unknown {
        Some(path) => Err(Halt::unknown(path)),
        None => Ok(false),
    }
}

const S3_OBJECT: &str = "AWS::S3::Object";

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if logs_s3_objects(view)? {
        return Ok(Verdict::Pass);
    }
    Ok(Verdict::violation(
        Violation::new(format!(
            "CloudTrail trail `{}` records no S3 object-level (data) events; add an event \
             selector for `AWS::S3::Object`",
            view.resource.name
        ))
        .at(at(view, "eventSelectors")),
    ))
}
