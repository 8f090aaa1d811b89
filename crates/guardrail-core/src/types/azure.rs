//! Azure's Pulumi tokens and the `azurerm` types they meet at.
//!
//! Two Pulumi providers spell Azure: the classic `azure:` provider, bridged from `azurerm` (the
//! same schema, camelCase), and Azure Native (`azure-native:`), generated from the Azure Resource
//! Manager API with each resource's nested `properties` flattened into its inputs. Both map to
//! the `azurerm` type of the same Azure resource, so one catalog rule lists all three spellings;
//! an Azure Native resource keeps its own property names, which the rules read through the
//! catalog's Azure support layer. Where Azure Native has one resource for several `azurerm`
//! types (a web app on Linux or Windows), its token maps to the first of them.

/// Pulumi token → canonical (`azurerm`) type.
pub const AZURE_TYPES: &[(&str, &str)] = &[
    // Storage
    (
        "azure-native:storage:StorageAccount",
        "azurerm_storage_account",
    ),
    (
        "azure:storage/container:Container",
        "azurerm_storage_container",
    ),
    (
        "azure-native:storage:BlobContainer",
        "azurerm_storage_container",
    ),
    (
        "azure:storage/accountNetworkRules:AccountNetworkRules",
        "azurerm_storage_account_network_rules",
    ),
    // Key Vault
    ("azure:keyvault/keyVault:KeyVault", "azurerm_key_vault"),
    ("azure-native:keyvault:Vault", "azurerm_key_vault"),
    ("azure:keyvault/key:Key", "azurerm_key_vault_key"),
    ("azure-native:keyvault:Key", "azurerm_key_vault_key"),
    ("azure:keyvault/secret:Secret", "azurerm_key_vault_secret"),
    ("azure-native:keyvault:Secret", "azurerm_key_vault_secret"),
    // SQL Database
    ("azure:mssql/server:Server", "azurerm_mssql_server"),
    ("azure-native:sql:Server", "azurerm_mssql_server"),
    ("azure:mssql/database:Database", "azurerm_mssql_database"),
    ("azure-native:sql:Database", "azurerm_mssql_database"),
    (
        "azure:mssql/firewallRule:FirewallRule",
        "azurerm_mssql_firewall_rule",
    ),
    (
        "azure-native:sql:FirewallRule",
        "azurerm_mssql_firewall_rule",
    ),
    ("azure:sql/sqlServer:SqlServer", "azurerm_sql_server"),
    (
        "azure:sql/firewallRule:FirewallRule",
        "azurerm_sql_firewall_rule",
    ),
    // PostgreSQL and MySQL
    (
        "azure:postgresql/server:Server",
        "azurerm_postgresql_server",
    ),
    (
        "azure-native:dbforpostgresql:SingleServer",
        "azurerm_postgresql_server",
    ),
    (
        "azure:postgresql/flexibleServer:FlexibleServer",
        "azurerm_postgresql_flexible_server",
    ),
    (
        "azure-native:dbforpostgresql:Server",
        "azurerm_postgresql_flexible_server",
    ),
    (
        "azure:postgresql/configuration:Configuration",
        "azurerm_postgresql_configuration",
    ),
    (
        "azure-native:dbforpostgresql:SingleServerConfiguration",
        "azurerm_postgresql_configuration",
    ),
    (
        "azure:postgresql/flexibleServerConfiguration:FlexibleServerConfiguration",
        "azurerm_postgresql_flexible_server_configuration",
    ),
    (
        "azure-native:dbforpostgresql:Configuration",
        "azurerm_postgresql_flexible_server_configuration",
    ),
    (
        "azure:postgresql/firewallRule:FirewallRule",
        "azurerm_postgresql_firewall_rule",
    ),
    (
        "azure:postgresql/flexibleServerFirewallRule:FlexibleServerFirewallRule",
        "azurerm_postgresql_flexible_server_firewall_rule",
    ),
    (
        "azure-native:dbforpostgresql:FirewallRule",
        "azurerm_postgresql_flexible_server_firewall_rule",
    ),
    ("azure:mysql/server:Server", "azurerm_mysql_server"),
    (
        "azure-native:dbformysql:SingleServer",
        "azurerm_mysql_server",
    ),
    (
        "azure:mysql/flexibleServer:FlexibleServer",
        "azurerm_mysql_flexible_server",
    ),
    (
        "azure-native:dbformysql:Server",
        "azurerm_mysql_flexible_server",
    ),
    (
        "azure:mysql/flexibleServerConfiguration:FlexibleServerConfiguration",
        "azurerm_mysql_flexible_server_configuration",
    ),
    (
        "azure-native:dbformysql:Configuration",
        "azurerm_mysql_flexible_server_configuration",
    ),
    (
        "azure:mysql/flexibleServerFirewallRule:FlexibleServerFirewallRule",
        "azurerm_mysql_flexible_server_firewall_rule",
    ),
    (
        "azure-native:dbformysql:FirewallRule",
        "azurerm_mysql_flexible_server_firewall_rule",
    ),
    // Cosmos DB
    ("azure:cosmosdb/account:Account", "azurerm_cosmosdb_account"),
    (
        "azure-native:documentdb:DatabaseAccount",
        "azurerm_cosmosdb_account",
    ),
    // AKS and Container Registry
    (
        "azure:containerservice/kubernetesCluster:KubernetesCluster",
        "azurerm_kubernetes_cluster",
    ),
    (
        "azure-native:containerservice:ManagedCluster",
        "azurerm_kubernetes_cluster",
    ),
    (
        "azure:containerservice/registry:Registry",
        "azurerm_container_registry",
    ),
    (
        "azure-native:containerregistry:Registry",
        "azurerm_container_registry",
    ),
    // App Service and Functions
    (
        "azure:appservice/linuxWebApp:LinuxWebApp",
        "azurerm_linux_web_app",
    ),
    ("azure-native:web:WebApp", "azurerm_linux_web_app"),
    (
        "azure:appservice/windowsWebApp:WindowsWebApp",
        "azurerm_windows_web_app",
    ),
    (
        "azure:appservice/linuxFunctionApp:LinuxFunctionApp",
        "azurerm_linux_function_app",
    ),
    (
        "azure:appservice/windowsFunctionApp:WindowsFunctionApp",
        "azurerm_windows_function_app",
    ),
    (
        "azure:appservice/appService:AppService",
        "azurerm_app_service",
    ),
    (
        "azure:appservice/functionApp:FunctionApp",
        "azurerm_function_app",
    ),
    // Virtual machines and disks
    (
        "azure:compute/linuxVirtualMachine:LinuxVirtualMachine",
        "azurerm_linux_virtual_machine",
    ),
    (
        "azure-native:compute:VirtualMachine",
        "azurerm_linux_virtual_machine",
    ),
    (
        "azure:compute/windowsVirtualMachine:WindowsVirtualMachine",
        "azurerm_windows_virtual_machine",
    ),
    (
        "azure:compute/virtualMachine:VirtualMachine",
        "azurerm_virtual_machine",
    ),
    (
        "azure:compute/managedDisk:ManagedDisk",
        "azurerm_managed_disk",
    ),
    ("azure-native:compute:Disk", "azurerm_managed_disk"),
    // Networking
    (
        "azure:network/networkSecurityGroup:NetworkSecurityGroup",
        "azurerm_network_security_group",
    ),
    (
        "azure-native:network:NetworkSecurityGroup",
        "azurerm_network_security_group",
    ),
    (
        "azure:network/networkSecurityRule:NetworkSecurityRule",
        "azurerm_network_security_rule",
    ),
    (
        "azure-native:network:SecurityRule",
        "azurerm_network_security_rule",
    ),
    ("azure:network/publicIp:PublicIp", "azurerm_public_ip"),
    ("azure-native:network:PublicIPAddress", "azurerm_public_ip"),
    (
        "azure:network/applicationGateway:ApplicationGateway",
        "azurerm_application_gateway",
    ),
    (
        "azure-native:network:ApplicationGateway",
        "azurerm_application_gateway",
    ),
    ("azure:network/firewall:Firewall", "azurerm_firewall"),
    ("azure-native:network:AzureFirewall", "azurerm_firewall"),
    (
        "azure:network/virtualNetwork:VirtualNetwork",
        "azurerm_virtual_network",
    ),
    (
        "azure-native:network:VirtualNetwork",
        "azurerm_virtual_network",
    ),
    (
        "azure:network/networkWatcherFlowLog:NetworkWatcherFlowLog",
        "azurerm_network_watcher_flow_log",
    ),
    (
        "azure-native:network:FlowLog",
        "azurerm_network_watcher_flow_log",
    ),
    (
        "azure:network/firewallPolicy:FirewallPolicy",
        "azurerm_firewall_policy",
    ),
    (
        "azure-native:network:FirewallPolicy",
        "azurerm_firewall_policy",
    ),
    // Monitor
    (
        "azure:monitoring/diagnosticSetting:DiagnosticSetting",
        "azurerm_monitor_diagnostic_setting",
    ),
    (
        "azure-native:insights:DiagnosticSetting",
        "azurerm_monitor_diagnostic_setting",
    ),
    (
        "azure:monitoring/logProfile:LogProfile",
        "azurerm_monitor_log_profile",
    ),
    (
        "azure-native:insights:LogProfile",
        "azurerm_monitor_log_profile",
    ),
    (
        "azure:operationalinsights/analyticsWorkspace:AnalyticsWorkspace",
        "azurerm_log_analytics_workspace",
    ),
    (
        "azure-native:operationalinsights:Workspace",
        "azurerm_log_analytics_workspace",
    ),
    // Identity and RBAC
    (
        "azure:authorization/roleDefinition:RoleDefinition",
        "azurerm_role_definition",
    ),
    (
        "azure-native:authorization:RoleDefinition",
        "azurerm_role_definition",
    ),
];
