//! AZURE-SQL-003: Database firewall rules do not admit the whole internet or all of Azure.

use guardrail_core::{Enforcement, FixSafety, Halt, ResourceView, Severity, Verdict, Violation};

use crate::rule::{Check, Control, Frameworks, RuleDocs, RuleSpec};
use crate::support::{at, read};

/// The rule.
pub static RULE: RuleSpec = RuleSpec {
    id: "AZURE-SQL-003",
    name: "database-firewall-not-open-to-all",
    title: "Database firewall rules do not admit the whole internet or all of Azure",
    description: "A server-level firewall rule from 0.0.0.0 to 255.255.255.255 admits every address; one from 0.0.0.0 to 0.0.0.0 admits every Azure service of every customer.",
    severity: Severity::High,
    enforcement: Enforcement::Mandatory,
    vendor: "azure",
    services: &["sql", "postgresql", "mysql"],
    topics: &["network", "public-access"],
    frameworks: Frameworks::Mapped(&[Control { framework: "cis-azure", controls: &["4.1.2", "4.3.7"] }, Control { framework: "pci-dss", controls: &["1.3.1"] }, Control { framework: "soc2", controls: &["CC6.6"] }, Control { framework: "iso27001", controls: &["A.8.20"] }, Control { framework: "nist-800-53", controls: &["SC-7"] }]),
    resource_types: &["azurerm_mssql_firewall_rule", "azure:mssql/firewallRule:FirewallRule", "azure-native:sql:FirewallRule", "azurerm_sql_firewall_rule", "azure:sql/firewallRule:FirewallRule", "azurerm_postgresql_firewall_rule", "azure:postgresql/firewallRule:FirewallRule", "azurerm_postgresql_flexible_server_firewall_rule", "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule", "azure-native:dbforpostgresql:FirewallRule", "azurerm_mysql_flexible_server_firewall_rule", "azure:mysql/flexibleServerFirewallRule:FlexibleServerFirewallRule", "azure-native:dbformysql:FirewallRule"],
    remediation: "Replace the rule by ranges of known client addresses, or by private endpoints or virtual network rules.",
    fix: FixSafety::None,
    config_schema: None,
    docs: RuleDocs {
        what: r#"Server-level firewall rules of Azure SQL (`azurerm_mssql_firewall_rule`, `azurerm_sql_firewall_rule`, Azure Native `azure-native:sql:FirewallRule`), PostgreSQL (`azurerm_postgresql_firewall_rule`, `azurerm_postgresql_flexible_server_firewall_rule`, Azure Native `azure-native:dbforpostgresql:FirewallRule`) and MySQL flexible servers (`azurerm_mysql_flexible_server_firewall_rule`, Azure Native `azure-native:dbformysql:FirewallRule`), with their Pulumi `azure` spellings: `start_ip_address`/`end_ip_address` (Pulumi and Azure Native `startIpAddress`/`endIpAddress`) must not span every IPv4 address (`0.0.0.0`–`255.255.255.255`), nor be the special `0.0.0.0`–`0.0.0.0` rule that Azure reads as "allow Azure services and resources to access this server"."#,
        why: r#"A rule over every address puts the server's login on the internet for password spraying and exploits. The "Azure services" rule is wider than it sounds: it admits connections from any Azure subscription, including an attacker's."#,
        noncompliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.FirewallRule("anywhere", {
        serverId: server.id,
        startIpAddress: "0.0.0.0",
        endIpAddress: "255.255.255.255",
    });

Pulumi Azure Native (TypeScript):

    new sql.FirewallRule("azure", {
        resourceGroupName: rg.name,
        serverName: server.name,
        startIpAddress: "0.0.0.0",
        endIpAddress: "0.0.0.0",
    });

Terraform:

    resource "azurerm_postgresql_flexible_server_firewall_rule" "anywhere" {
      server_id        = azurerm_postgresql_flexible_server.app.id
      start_ip_address = "0.0.0.0"
      end_ip_address   = "255.255.255.255"
    }"#,
        compliant: r#"Pulumi `azure` (TypeScript):

    new azure.mssql.FirewallRule("office", {
        serverId: server.id,
        startIpAddress: "203.0.113.0",
        endIpAddress: "203.0.113.255",
    });

Pulumi Azure Native (TypeScript):

    new sql.FirewallRule("office", {
        resourceGroupName: rg.name,
        serverName: server.name,
        startIpAddress: "203.0.113.0",
        endIpAddress: "203.0.113.255",
    });

Terraform:

    resource "azurerm_mssql_firewall_rule" "office" {
      server_id        = azurerm_mssql_server.app.id
      start_ip_address = "203.0.113.0"
      end_ip_address   = "203.0.113.255"
    }"#,
        fix: "Delete the rule; admit the addresses that need the server, or use private endpoints (and virtual network rules for services in your own networks). No automatic fix.",
        references: &[
            "CIS Microsoft Azure Foundations Benchmark v2.1.0: 4.1.2 Ensure no Azure SQL Databases allow ingress from 0.0.0.0/0 (ANY IP); 4.3.7 Ensure 'Allow access to Azure services' for PostgreSQL Database Server is disabled",
            "Microsoft Learn: Azure SQL Database and Azure Synapse IP firewall rules — https://learn.microsoft.com/azure/azure-sql/database/firewall-configure",
            "PCI DSS v4.0: 1.3.1; NIST SP 800-53 Rev. 5: SC-7",
        ],
    },
    check: Check::Resource { validate, remediate: None },
    source: file!(),
};

fn validate(view: ResourceView<'_>, _config: &serde_json::Value) -> Result<Verdict, Halt> {
    let (Some(start), Some(end)) = (
        read(view, "startIpAddress")?.and_then(|v| v.as_str()),
        read(view, "endIpAddress")?.and_then(|v| v.as_str()),
    ) else {
        return Ok(Verdict::not_applicable(
            "the rule's address range is not set",
        ));
    };
    let (Ok(start), Ok(end)) = (
        start.trim().parse::<std::net::Ipv4Addr>(),
        end.trim().parse::<std::net::Ipv4Addr>(),
    ) else {
        return Ok(Verdict::not_applicable(
            "the rule's range is not two IPv4 addresses",
        ));
    };
    let secret = view.secret_at("startIpAddress") || view.secret_at("endIpAddress");
    let range = if secret {
        "[secret]".to_string()
    } else {
        format!("{start}-{end}")
    };
    let what = if start.is_unspecified() && end.is_unspecified() {
        "admits every Azure service of every customer"
    } else if start.is_unspecified() && end.is_broadcast() {
        "admits the whole internet"
    } else {
        return Ok(Verdict::Pass);
    };
    Ok(Verdict::violation(
        Violation::new(format!(
            "firewall rule `{}` {what} ({range})",
            view.resource.name
        ))
        .at(at(view, "startIpAddress")),
    ))
}
