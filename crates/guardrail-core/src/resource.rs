//! Resources and stacks, as every input format is normalised into.

use std::fmt;
use std::sync::Arc;

use serde::Serialize;

use crate::source::SourceLocation;
use crate::value::{Key, Map, Value};

/// What the change does to a resource.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Operation {
    /// Created.
    Create,
    /// Updated in place.
    Update,
    /// Deleted and created again (either order).
    Replace,
    /// Deleted.
    Delete,
    /// Read (a data source or an external resource).
    Read,
    /// Unchanged (also: every resource of a deployed state).
    Same,
}

impl Operation {
    /// The lowercase name.
    pub fn as_str(self) -> &'static str {
        match self {
            Operation::Create => "create",
            Operation::Update => "update",
            Operation::Replace => "replace",
            Operation::Delete => "delete",
            Operation::Read => "read",
            Operation::Same => "same",
        }
    }
}

impl fmt::Display for Operation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether a resource is managed by the program or read from outside.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Mode {
    /// Managed: created, updated and deleted by the program.
    Managed,
    /// Read: a Terraform data source or a Pulumi `get`/read resource.
    Data,
    /// A Pulumi component resource (a logical grouping with no cloud object of its own).
    Component,
    /// A provider instance (Pulumi's `pulumi:providers:*`).
    Provider,
}

/// Which family of spellings a resource comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Spelling {
    /// Pulumi tokens (`aws:s3/bucket:Bucket`), camelCase keys, blocks as objects.
    Pulumi,
    /// Terraform types (`aws_s3_bucket`), snake_case keys, blocks as lists.
    Terraform,
}

/// A resource in a plan or a state.
#[derive(Clone, Debug, PartialEq)]
pub struct Resource {
    /// Pulumi URN or Terraform address (`module.a.aws_s3_bucket.x["k"]`).
    pub id: String,
    /// The type as the source spells it.
    pub type_: String,
    /// The resource's name (the last part of its address or URN).
    pub name: String,
    /// The provider, as the source names it.
    pub provider: Option<String>,
    /// Managed, data, component or provider.
    pub mode: Mode,
    /// Which spelling the source uses.
    pub spelling: Spelling,
    /// What the change does.
    pub operation: Operation,
    /// The properties policies validate: planned inputs for a plan, values for a state.
    pub props: Value,
    /// Outputs known from a state, where the source has them apart from the inputs.
    pub outputs: Option<Value>,
    /// The inputs before an update, replace or delete.
    pub old_props: Option<Value>,
    /// Parent URN (Pulumi) or module address (Terraform).
    pub parent: Option<String>,
    /// Ids of resources this one depends on.
    pub dependencies: Vec<String>,
    /// Per-property dependencies: for each property, the ids of the resources its value comes
    /// from (Pulumi's `propertyDependencies`; for Terraform plans, the resources each top-level
    /// argument's expression refers to in the plan's `configuration`, never `depends_on`).
    pub property_dependencies: Map,
    /// Properties (paths, e.g. `tracing_config`, `vpc_config[0].public_access_cidrs`) that a
    /// Terraform plan showed as known only after apply although the configuration never sets
    /// them: the provider fills them in with its documented default, so the loader made them
    /// null (unset) instead of unknown. Empty for every other input (Pulumi previews carry no
    /// configuration: their unknowns stay unknown).
    pub defaulted: Vec<Key>,
    /// Line of the input file where the resource starts, when known.
    pub line: Option<usize>,
    /// Where the program's source writes the resource, when known (a `.tf` block found with
    /// `--source`, a Pulumi `sourcePosition`); reports point there rather than at the input
    /// file. Shared by the instances of one block (`count`, `for_each`).
    pub source_location: Option<Arc<SourceLocation>>,
}

impl Resource {
    /// A managed resource to be created, with the given properties; the other fields empty.
    pub fn new(
        id: impl Into<String>,
        type_: impl Into<String>,
        spelling: Spelling,
        props: Value,
    ) -> Self {
        let id = id.into();
        let name = id.rsplit(['.', ':']).next().unwrap_or_default().to_string();
        Resource {
            id,
            type_: type_.into(),
            name,
            provider: None,
            mode: Mode::Managed,
            spelling,
            operation: Operation::Create,
            props,
            outputs: None,
            old_props: None,
            parent: None,
            dependencies: Vec::new(),
            property_dependencies: Map::new(),
            defaulted: Vec::new(),
            line: None,
            source_location: None,
        }
    }

    /// Whether the resource exists after the change and is the program's to manage.
    pub fn will_exist(&self) -> bool {
        self.operation != Operation::Delete
    }
}

/// A stack: the resources of one plan, preview or state, with its context.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Stack {
    /// Where it came from (a file path, as given).
    pub source: String,
    /// The detected input format, e.g. `terraform-plan`.
    pub format: String,
    /// Pulumi organization, when known.
    pub organization: Option<String>,
    /// Pulumi project, when known.
    pub project: Option<String>,
    /// Pulumi stack name, when known.
    pub stack: Option<String>,
    /// Stack tags.
    pub tags: Map,
    /// Configuration (Pulumi config, Terraform variables).
    pub config: Map,
    /// Resources, in deployment order.
    pub resources: Vec<Resource>,
    /// The input document's JSON text, for policies that read the whole file (conftest
    /// style); loaded only when such a policy runs. Kept as text: each policy engine parses it
    /// into its own value form once, without an intermediate tree.
    pub document: Option<std::sync::Arc<String>>,
}
