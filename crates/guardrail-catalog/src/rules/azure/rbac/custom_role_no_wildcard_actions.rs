//! AZURE-RBAC-001: Custom roles do not grant every action.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{items_of, join, read_in};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-RBAC-001",
    name: "custom-role-no-wildcard-actions",
    title: "Custom roles do not grant every action",
    description: "A custom role with the action `*` is an Owner in disguise: it can change anything, including who has access.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["rbac"],
    topics: &["identity"],
    frameworks: Frameworks::Mapped(&[Control { framework: "pci-dss", controls: &["7.2.1"] }, Control { framework: "soc2", controls: &["CC6.3"] }, Control { framework: "iso27001", controls: &["A.8.2"] }, Control { framework: "nist-800-53", controls: &["AC-6", "AC-2"] }]),
    resource_types: &["azurerm_role_definition", "azure:authorization/roleDefinition:RoleDefinition", "azure-native:authorization:RoleDefinition"],
    remediation: "List the resource-provider operations the role needs (`Microsoft.Compute/virtualMachines/start/action`, ...) instead of `*`, or use a built-in role.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: "Custom role definitions (`azurerm_role_definition`, Pulumi `azure:authorization/roleDefinition:RoleDefinition`, Azure Native `azure-native:authorization:RoleDefinition`): no entry of `permissions[*].actions` may be `*` (every operation of every provider). Provider-scoped wildcards such as `Microsoft.Storage/*` are left to review.",
        why: "Unrestricted actions include `Microsoft.Authorization/*/write`: whoever holds the role can grant themselves or others any role, so the custom role silently escalates to subscription owner and escapes reviews that look for Owner assignments.",
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.authorization.RoleDefinition("operator", { scope, permissions: [{ actions: ["*"] }], assignableScopes: [scope] });

Pulumi Azure Native (TypeScript):

    new authorization.RoleDefinition("operator", { scope, roleName: "app-operator", permissions: [{ actions: ["*"] }], assignableScopes: [scope] });

Terraform:

    resource "azurerm_role_definition" "operator" {
      # ...
      permissions {
        actions = ["*"]
      }
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.authorization.RoleDefinition("operator", { scope, permissions: [{ actions: ["Microsoft.Compute/virtualMachines/start/action", "Microsoft.Compute/virtualMachines/restart/action"] }], assignableScopes: [scope] });

Pulumi Azure Native (TypeScript):

    new authorization.RoleDefinition("operator", { scope, roleName: "app-operator", permissions: [{ actions: ["Microsoft.Web/sites/restart/action"] }], assignableScopes: [scope] });

Terraform:

    resource "azurerm_role_definition" "operator" {
      # ...
      permissions {
        actions = ["Microsoft.Compute/virtualMachines/start/action"]
      }
    }"#,
        fix: "Replace `*` by the operations the role's holders need. No automatic fix: the list must be chosen.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark: Ensure That No Custom Subscription Administrator Roles Exist",
            "Microsoft Learn: Azure custom roles — https://learn.microsoft.com/azure/role-based-access-control/custom-roles",
            "NIST SP 800-53 Rev. 5: AC-6",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let mut violations = Vec::new();
    for (path, permission) in items_of(view, &["permissions"])? {
        let actions = join(view.resource.spelling, &path, "actions");
        let Some(list) = read_in(permission, view.resource.spelling, &path, "actions")? else {
            continue;
        };
        for item in list.items() {
            if item.is_unknown() {
                return Err(Halt::unknown(actions));
            }
            if item.as_str().is_some_and(|a| a.trim() == "*") {
                violations.push(
                    Violation::new(format!(
                        "custom role `{}` grants every action (`*` in `{actions}`)",
                        view.resource.name
                    ))
                    .at(actions.clone()),
                );
                break;
            }
        }
    }
    Ok(Verdict::from_violations(violations))
}
