//! AWS-KMS-001: KMS keys rotate their key material automatically.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Value, Verdict};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{expect_flag, fix_flag, text, who};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AWS-KMS-001",
    name: "kms-key-rotation-enabled",
    title: "KMS keys rotate their key material automatically",
    description: "Symmetric customer-managed KMS keys without automatic rotation keep the same \
                  key material for ever, so a compromise of it exposes everything it ever \
                  encrypted.",
    severity: Severity::Medium,
    enforcement: Enforcement::Advisory,
    vendor: "aws",
    services: &["kms"],
    topics: &["encryption", "secrets"],
    frameworks: Frameworks::Mapped(&[
        Control {
            framework: "cis-aws",
            controls: &["3.6"],
        },
        Control {
            framework: "pci-dss",
            controls: &["3.7.4"],
        },
        Control {
            framework: "soc2",
            controls: &["CC6.1"],
        },
        Control {
            framework: "iso27001",
            controls: &["A.8.24"],
        },
        Control {
            framework: "nist-800-53",
            controls: &["SC-12"],
        },
    ]),
    resource_types: &[
        "aws_kms_key",
        "aws:kms/key:Key",
    ],
    remediation: "Set `enable_key_rotation = true` (Pulumi `enableKeyRotation: true`).",
    fix: FixSafety::Safe,
    config_schema: None,
    docs: RuleDocs {
        what: "Customer-managed KMS keys (`aws_kms_key`, Pulumi `aws:kms/key:Key`) that are \
               symmetric encryption keys — `key_usage` (Pulumi `keyUsage`) `ENCRYPT_DECRYPT` or \
               unset, and `customer_master_key_spec`/`key_spec` (Pulumi \
               `customerMasterKeySpec`/`keySpec`) `SYMMETRIC_DEFAULT` or unset — and not in a \
               custom key store (`custom_key_store_id` unset): `enable_key_rotation` (Pulumi \
               `enableKeyRotation`) must be true. Absent means false. Asymmetric, HMAC and \
               custom-key-store keys cannot rotate automatically and are not applicable. A value \
               known only after apply is indeterminate. Under `remediate` guardrail turns \
               rotation on. This is the AWSGuard `cmk-backing-key-rotation-enabled` check.",
        why: "Rotation limits how much data any one version of key material protects and how long \
              a leaked or cryptanalysed version stays useful. AWS keeps the old versions for \
              decryption, so rotation is transparent to applications; there is little reason not \
              to turn it on, and CIS, PCI DSS and NIST all expect defined cryptoperiods.",
        noncompliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        description: "orders data key",
    });

Terraform:

    resource "aws_kms_key" "orders" {
      description         = "orders data key"
      enable_key_rotation = false
    }"#,
        compliant: r#"Pulumi (TypeScript):

    const key = new aws.kms.Key("orders", {
        description: "orders data key",
        enableKeyRotation: true,
    });

Terraform:

    resource "aws_kms_key" "orders" {
      description         = "orders data key"
      enable_key_rotation = true
    }"#,
        fix: "Pulumi: `enableKeyRotation: true`; Terraform: `enable_key_rotation = true` \
              (optionally `rotation_period_in_days`, 90 to 2560, default 365). Rotation is \
              transparent: existing ciphertext stays decryptable. Under `remediate` guardrail \
              turns it on (a safe fix).",
        references: &[
            "CIS Amazon Web Services Foundations Benchmark v3.0.0: 3.6 Ensure rotation for customer-created symmetric CMKs is enabled",
            "AWS: Rotate AWS KMS keys — https://docs.aws.amazon.com/kms/latest/developerguide/rotate-keys.html",
            "AWS Security Hub: AWS KMS controls — https://docs.aws.amazon.com/securityhub/latest/userguide/kms-controls.html (KMS.4)",
            "Pulumi AWSGuard: cmk-backing-key-rotation-enabled",
            "PCI DSS v4.0: 3.7.4; NIST SP 800-53 Rev. 5: SC-12; ISO/IEC 27001:2022: A.8.24",
        ],
    },
    check: Check::Resource {
        validate,
        remediate: Some(remediate),
    },
    source: file!(),
};

/// Why the key cannot rotate automatically, if it cannot.
fn cannot_rotate(view: ResourceView<'_>) -> Result<Option<String>, Halt> {
    if let Some(usage) = text(view, "keyUsage")? {
        if !usage.eq_ignore_ascii_case("ENCRYPT_DECRYPT") {
            return Ok(Some(format!("a `{usage}` key cannot rotate automatically")));
        }
    }
    for camel in ["customerMasterKeySpec", "keySpec"] {
        if let Some(spec) = text(view, camel)? {
            if !spec.eq_ignore_ascii_case("SYMMETRIC_DEFAULT") {
                return Ok(Some(format!("a `{spec}` key cannot rotate automatically")));
            }
        }
    }
    if text(view, "customKeyStoreId")?.is_some() {
        return Ok(Some(
            "keys in a custom key store cannot rotate automatically".into(),
        ));
    }
    Ok(None)
}

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    if let Some(reason) = cannot_rotate(view)? {
        return Ok(Verdict::not_applicable(reason));
    }
    expect_flag(
        view,
        "enableKeyRotation",
        true,
        false,
        &format!("{} does not rotate its key material", who(view, "KMS key")),
    )
}

fn remediate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Option<Value>, Halt> {
    if cannot_rotate(view)?.is_some() {
        return Ok(None);
    }
    fix_flag(view, "enableKeyRotation", true, false)
}
