//! Kubernetes: the pod spec of every workload kind, its containers, and the verdicts the pod
//! security rules share, in the three spellings rules meet:
//!
//! - Pulumi's `kubernetes:apps/v1:Deployment` (camelCase, objects), which is also the shape of a
//!   plain manifest (guardrail loads manifests into the same types);
//! - Terraform's `kubernetes_deployment` and `kubernetes_deployment_v1` (snake_case, nested
//!   blocks as lists of one object, `container` and `init_container` in the singular).
//!
//! Paths are reported in the resource's own spelling (`spec.template.spec.containers[0]` or
//! `spec[0].template[0].spec[0].container[0]`).

use guardrail_core::{
    canonical_type, Halt, ResourceView, Spelling, StackFinding, StackView, Value, Verdict,
    Violation,
};

use super::items_at;

/// Every workload type that embeds a pod template, in every spelling.
pub(crate) const WORKLOAD_TYPES: &[&str] = &[
    "kubernetes:core/v1:Pod",
    "kubernetes_pod",
    "kubernetes_pod_v1",
    "kubernetes:apps/v1:Deployment",
    "kubernetes:apps/v1beta1:Deployment",
    "kubernetes:apps/v1beta2:Deployment",
    "kubernetes:extensions/v1beta1:Deployment",
    "kubernetes_deployment",
    "kubernetes_deployment_v1",
    "kubernetes:apps/v1:StatefulSet",
    "kubernetes:apps/v1beta1:StatefulSet",
    "kubernetes:apps/v1beta2:StatefulSet",
    "kubernetes_stateful_set",
    "kubernetes_stateful_set_v1",
    "kubernetes:apps/v1:DaemonSet",
    "kubernetes:apps/v1beta2:DaemonSet",
    "kubernetes:extensions/v1beta1:DaemonSet",
    "kubernetes_daemonset",
    "kubernetes_daemon_set_v1",
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:apps/v1beta2:ReplicaSet",
    "kubernetes:extensions/v1beta1:ReplicaSet",
    "kubernetes:core/v1:ReplicationController",
    "kubernetes_replication_controller",
    "kubernetes_replication_controller_v1",
    "kubernetes:batch/v1:Job",
    "kubernetes_job",
    "kubernetes_job_v1",
    "kubernetes:batch/v1:CronJob",
    "kubernetes:batch/v1beta1:CronJob",
    "kubernetes_cron_job",
    "kubernetes_cron_job_v1",
    "kubernetes:core/v1:PodTemplate",
];

/// Role and ClusterRole in every spelling.
pub(crate) const ROLE_TYPES: &[&str] = &[
    "kubernetes:rbac.authorization.k8s.io/v1:Role",
    "kubernetes:rbac.authorization.k8s.io/v1beta1:Role",
    "kubernetes_role",
    "kubernetes_role_v1",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    "kubernetes:rbac.authorization.k8s.io/v1beta1:ClusterRole",
    "kubernetes_cluster_role",
    "kubernetes_cluster_role_v1",
];

/// RoleBinding and ClusterRoleBinding in every spelling.
pub(crate) const BINDING_TYPES: &[&str] = &[
    "kubernetes:rbac.authorization.k8s.io/v1:RoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1beta1:RoleBinding",
    "kubernetes_role_binding",
    "kubernetes_role_binding_v1",
    "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    "kubernetes:rbac.authorization.k8s.io/v1beta1:ClusterRoleBinding",
    "kubernetes_cluster_role_binding",
    "kubernetes_cluster_role_binding_v1",
];

/// Service in every spelling.
pub(crate) const SERVICE_TYPES: &[&str] = &[
    "kubernetes:core/v1:Service",
    "kubernetes_service",
    "kubernetes_service_v1",
];

/// Ingress in every spelling.
pub(crate) const INGRESS_TYPES: &[&str] = &[
    "kubernetes:networking.k8s.io/v1:Ingress",
    "kubernetes_ingress_v1",
    "kubernetes:networking.k8s.io/v1beta1:Ingress",
    "kubernetes:extensions/v1beta1:Ingress",
    "kubernetes_ingress",
];

/// Where a kind keeps its pod spec.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Shape {
    /// `spec` (a Pod).
    Pod,
    /// `spec.template.spec` (Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// ReplicationController, Job).
    Templated,
    /// `spec.jobTemplate.spec.template.spec` (CronJob).
    CronJob,
    /// `template.spec` (PodTemplate).
    PodTemplate,
}

/// The kind of a workload and where its pod spec is, from its canonical type.
fn workload(view: &ResourceView<'_>) -> Option<(&'static str, Shape)> {
    let canonical = canonical_type(&view.resource.type_);
    let kind = match canonical.as_ref() {
        "kubernetes_pod" => return Some(("pod", Shape::Pod)),
        "kubernetes_deployment" => return Some(("deployment", Shape::Templated)),
        "kubernetes_stateful_set" => return Some(("stateful set", Shape::Templated)),
        "kubernetes_daemonset" => return Some(("daemon set", Shape::Templated)),
        "kubernetes_replication_controller" => {
            return Some(("replication controller", Shape::Templated))
        }
        "kubernetes_job" => return Some(("job", Shape::Templated)),
        "kubernetes_cron_job" => return Some(("cron job", Shape::CronJob)),
        other => other.rsplit(':').next().unwrap_or_default(),
    };
    if !canonical.starts_with("kubernetes:") {
        return None;
    }
    match kind {
        "ReplicaSet" => Some(("replica set", Shape::Templated)),
        "PodTemplate" => Some(("pod template", Shape::PodTemplate)),
        _ => None,
    }
}

/// `deployment`, `cron job`, ... when the resource is a workload that embeds a pod template.
pub(crate) fn workload_noun(view: &ResourceView<'_>) -> Option<&'static str> {
    workload(view).map(|(noun, _)| noun)
}

/// A key as the resource spells it: Pulumi's camelCase name, or Terraform's snake_case one
/// (which is sometimes another word: `containers` is Terraform's `container`).
pub(crate) fn key(spelling: Spelling, pulumi: &str, terraform: &str) -> String {
    match spelling {
        Spelling::Pulumi => pulumi.to_string(),
        Spelling::Terraform => terraform.to_string(),
    }
}

/// `base.key` (`key` alone when `base` is empty); Terraform's single blocks get their `[0]`.
pub(crate) fn child(spelling: Spelling, base: &str, pulumi: &str, terraform: &str) -> String {
    let key = key(spelling, pulumi, terraform);
    let key = match spelling {
        Spelling::Pulumi => key,
        Spelling::Terraform => format!("{key}[0]"),
    };
    if base.is_empty() {
        key
    } else {
        format!("{base}.{key}")
    }
}

/// A workload's pod spec: where it is, and what the messages call the workload.
pub(crate) struct PodSpec<'a> {
    /// The pod spec.
    pub value: &'a Value,
    /// Its path in the resource's spelling.
    pub path: String,
    /// The pod's metadata (labels, annotations), when the resource has one.
    pub metadata: Option<(&'a Value, String)>,
    /// `deployment`, `pod`, `cron job`, ...
    pub noun: &'static str,
    /// The resource's spelling.
    pub spelling: Spelling,
}

impl PodSpec<'_> {
    /// `deployment `web``, for messages.
    pub(crate) fn who(&self, view: ResourceView<'_>) -> String {
        format!("{} `{}`", self.noun, view.resource.name)
    }

    /// The path of a pod-spec field (`hostNetwork` → `spec.template.spec.hostNetwork`).
    pub(crate) fn at(&self, pulumi: &str, terraform: &str) -> String {
        format!("{}.{}", self.path, key(self.spelling, pulumi, terraform))
    }
}

/// Reads `path` of the props; unknown halts at the path.
fn read_path<'a>(view: ResourceView<'a>, path: &str) -> Result<Option<&'a Value>, Halt> {
    view.props
        .field(path)
        .map_err(|_| Halt::unknown(path.to_string()))
}

/// The pod spec of a workload: `Ok(None)` when the resource is no workload or has no pod spec
/// (a template left out); unknown when the spec is known only after apply.
pub(crate) fn pod_spec<'a>(view: ResourceView<'a>) -> Result<Option<PodSpec<'a>>, Halt> {
    let Some((noun, shape)) = workload(&view) else {
        return Ok(None);
    };
    let s = view.resource.spelling;
    let root = child(s, "", "spec", "spec");
    let template = match shape {
        Shape::Pod => None,
        Shape::Templated => Some(child(s, &root, "template", "template")),
        Shape::CronJob => {
            let job = child(s, &root, "jobTemplate", "job_template");
            let job_spec = child(s, &job, "spec", "spec");
            Some(child(s, &job_spec, "template", "template"))
        }
        Shape::PodTemplate => Some(child(s, "", "template", "template")),
    };
    let (spec_path, meta_path) = match template {
        None => (root, child(s, "", "metadata", "metadata")),
        Some(template) => (
            child(s, &template, "spec", "spec"),
            child(s, &template, "metadata", "metadata"),
        ),
    };
    let Some(value) = read_path(view, &spec_path)? else {
        return Ok(None);
    };
    let metadata = read_path(view, &meta_path)
        .ok()
        .flatten()
        .map(|m| (m, meta_path.clone()));
    Ok(Some(PodSpec {
        value,
        path: spec_path,
        metadata,
        noun,
        spelling: s,
    }))
}

/// What list of a pod spec a container comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum ContainerKind {
    /// `containers`.
    App,
    /// `initContainers`.
    Init,
    /// `ephemeralContainers` (debug containers; Pulumi and manifests only).
    Ephemeral,
}

/// One container of a pod spec.
pub(crate) struct Container<'a> {
    /// The container.
    pub value: &'a Value,
    /// Its path in the resource's spelling.
    pub path: String,
    /// Which list it is in.
    pub kind: ContainerKind,
    /// `container `app`` (or `init container #2`), for messages; a secret name is masked.
    pub label: String,
}

impl<'a> Container<'a> {
    /// A field of the container (folded key), unknown halting at its path.
    pub(crate) fn field(&self, spelling: Spelling, camel: &str) -> Result<Option<&'a Value>, Halt> {
        let value: &'a Value = self.value;
        value.field(camel).map_err(|_| {
            Halt::unknown(format!("{}.{}", self.path, super::spelled(spelling, camel)))
        })
    }
}

/// The containers of a pod spec: app containers, then init containers, then ephemeral ones.
/// An unknown list or item halts.
pub(crate) fn containers<'a>(spec: &PodSpec<'a>) -> Result<Vec<Container<'a>>, Halt> {
    let mut out = Vec::new();
    let lists = [
        ("containers", "container", ContainerKind::App, "container"),
        (
            "initContainers",
            "init_container",
            ContainerKind::Init,
            "init container",
        ),
        (
            "ephemeralContainers",
            "ephemeral_container",
            ContainerKind::Ephemeral,
            "ephemeral container",
        ),
    ];
    for (pulumi, terraform, kind, noun) in lists {
        let name = key(spec.spelling, pulumi, terraform);
        let path = format!("{}.{name}", spec.path);
        let list = match spec.value.reveal() {
            Value::Object(map) => map.get(name.as_str()),
            _ => spec.value.get(&name),
        };
        let Some(list) = list else { continue };
        if list.is_unknown() {
            return Err(Halt::unknown(path));
        }
        for (i, (item_path, item)) in items_at(list, &path)?.into_iter().enumerate() {
            // a name read from a secret is shown masked
            let label = match item.get("name").filter(|n| n.as_str().is_some()) {
                Some(n) if n.is_secret() => format!("{noun} {}", n.shown()),
                Some(n) => format!("{noun} `{}`", n.shown()),
                None => format!("{noun} #{}", i + 1),
            };
            out.push(Container {
                value: item,
                path: item_path,
                kind,
                label,
            });
        }
    }
    Ok(out)
}

/// Runs `problem` on every container of a workload: each problem (what is wrong, the path at
/// fault) is a violation naming the workload and the container. Not applicable when the
/// resource has no pod spec or no containers (a template left out). An unknown value makes the
/// outcome indeterminate unless a violation was found elsewhere.
pub(crate) fn each_container(
    view: ResourceView<'_>,
    problem: impl Fn(&PodSpec<'_>, &Container<'_>) -> Result<Option<(String, String)>, Halt>,
) -> Result<Verdict, Halt> {
    let Some(spec) = pod_spec(view)? else {
        return Ok(Verdict::not_applicable("the workload has no pod spec"));
    };
    let list = containers(&spec)?;
    if list.is_empty() {
        return Ok(Verdict::not_applicable("the pod spec has no containers"));
    }
    let who = spec.who(view);
    let mut violations = Vec::new();
    let mut unknown = None;
    for c in &list {
        match problem(&spec, c) {
            Ok(Some((what, path))) => {
                violations.push(Violation::new(format!("{who}: {} {what}", c.label)).at(path));
            }
            Ok(None) => {}
            Err(halt) => {
                unknown.get_or_insert(halt);
            }
        }
    }
    match unknown {
        Some(halt) if violations.is_empty() => Err(halt),
        _ => Ok(Verdict::from_violations(violations)),
    }
}

/// Checks the pod spec itself: `problem` returns what is wrong and where.
pub(crate) fn pod_check(
    view: ResourceView<'_>,
    problem: impl Fn(&PodSpec<'_>) -> Result<Vec<(String, String)>, Halt>,
) -> Result<Verdict, Halt> {
    let Some(spec) = pod_spec(view)? else {
        return Ok(Verdict::not_applicable("the workload has no pod spec"));
    };
    let who = spec.who(view);
    let found = problem(&spec)?;
    Ok(Verdict::from_violations(
        found
            .into_iter()
            .map(|(what, path)| Violation::new(format!("{who} {what}")).at(path))
            .collect(),
    ))
}

/// A field of the pod spec (folded key), unknown halting at its path.
pub(crate) fn pod_field<'a>(
    spec: &PodSpec<'a>,
    pulumi: &str,
    terraform: &str,
) -> Result<Option<&'a Value>, Halt> {
    let k = key(spec.spelling, pulumi, terraform);
    spec.value
        .field(&k)
        .map_err(|_| Halt::unknown(format!("{}.{k}", spec.path)))
}

/// A security-context setting as it applies to a container: the container's own
/// `securityContext` value, else the pod's (for the settings a pod may set for all its
/// containers), with the path where it was found. `None` when neither sets it.
pub(crate) fn effective_setting<'a>(
    spec: &PodSpec<'a>,
    c: &Container<'a>,
    camel: &str,
) -> Result<Option<(&'a Value, String)>, Halt> {
    let s = spec.spelling;
    let own = format!("securityContext.{camel}");
    // a nested block (`seccompProfile`) is `seccomp_profile[0]` in Terraform's paths
    let blocks = |v: &Value| {
        if matches!(v.reveal(), Value::Object(_) | Value::Array(_)) {
            2
        } else {
            1
        }
    };
    if let Some(v) = c.field(s, &own)? {
        return Ok(Some((
            v,
            block_path(s, &c.path, &["securityContext", camel], blocks(v)),
        )));
    }
    let pod_path = block_path(s, &spec.path, &["securityContext", camel], 1);
    let pod = spec
        .value
        .field(&own)
        .map_err(|_| Halt::unknown(pod_path.clone()))?;
    Ok(pod.map(|v| {
        (
            v,
            block_path(s, &spec.path, &["securityContext", camel], blocks(v)),
        )
    }))
}

/// The path of a container's security-context field, where a fix or a finding names it.
pub(crate) fn context_path(spec: &PodSpec<'_>, c: &Container<'_>, camel: &str) -> String {
    let s = spec.spelling;
    let ctx = match s {
        Spelling::Pulumi => "securityContext".to_string(),
        Spelling::Terraform => "security_context[0]".to_string(),
    };
    format!("{}.{ctx}.{}", c.path, super::spelled(s, camel))
}

/// The name a resource gives itself: `metadata.name` (Terraform `metadata[0].name`), else the
/// resource name.
pub(crate) fn object_name(view: ResourceView<'_>) -> String {
    view.props
        .field("metadata.name")
        .ok()
        .flatten()
        .and_then(Value::as_str)
        .map_or_else(|| view.resource.name.clone(), str::to_string)
}

/// The namespace an object sets (`metadata.namespace`), `None` when unset; unknown halts.
pub(crate) fn namespace_of<'a>(view: ResourceView<'a>) -> Result<Option<&'a str>, Halt> {
    let path = match view.resource.spelling {
        Spelling::Pulumi => "metadata.namespace",
        Spelling::Terraform => "metadata[0].namespace",
    };
    Ok(read_path(view, path)?
        .and_then(Value::as_str)
        .filter(|s| !s.is_empty()))
}

/// A label for a value read from a secret or not: `` `x` `` or `[secret]`.
pub(crate) fn shown_text(text: &str, secret: bool) -> String {
    let shown = Value::string(text).tainted_if(secret);
    if secret {
        shown.shown().to_string()
    } else {
        format!("`{text}`")
    }
}

/// An image reference in parts: `registry/repo:tag@sha256:...`.
#[derive(Debug, PartialEq, Eq)]
pub(crate) struct ImageRef<'a> {
    /// Registry and repository.
    pub name: &'a str,
    /// The tag, when one is written.
    pub tag: Option<&'a str>,
    /// The digest (`sha256:...`), when one is written.
    pub digest: Option<&'a str>,
}

/// Splits an image reference; a `:` before the last `/` is a registry port, not a tag.
pub(crate) fn parse_image(image: &str) -> ImageRef<'_> {
    let image = image.trim();
    let (rest, digest) = match image.split_once('@') {
        Some((rest, digest)) => (rest, Some(digest)),
        None => (image, None),
    };
    let slash = rest.rfind('/').map_or(0, |i| i + 1);
    let (name, tag) = match rest.get(slash..).and_then(|last| last.rfind(':')) {
        Some(colon) => (
            rest.get(..slash + colon).unwrap_or(rest),
            rest.get(slash + colon + 1..),
        ),
        None => (rest, None),
    };
    ImageRef {
        name,
        tag: tag.filter(|t| !t.is_empty()),
        digest: digest.filter(|d| !d.is_empty()),
    }
}

/// `role` or `cluster role`, from the resource's canonical type.
pub(crate) fn role_noun(view: ResourceView<'_>) -> &'static str {
    match canonical_type(&view.resource.type_).as_ref() {
        "kubernetes_cluster_role" => "cluster role",
        "kubernetes_role_binding" => "role binding",
        "kubernetes_cluster_role_binding" => "cluster role binding",
        _ => "role",
    }
}

/// One rule of a Role or ClusterRole: what it grants and where it is.
pub(crate) struct Grant {
    /// `verbs`, lowercased.
    pub verbs: Vec<String>,
    /// `resources`, lowercased (`pods/exec` as written).
    pub resources: Vec<String>,
    /// `apiGroups` (`""` is the core group).
    pub groups: Vec<String>,
    /// `resourceNames`: a rule limited to named objects.
    pub names: Vec<String>,
    /// The rule's path in the resource's spelling.
    pub path: String,
    /// Whether any of it was read from a secret.
    pub secret: bool,
}

impl Grant {
    /// Whether the rule grants `verb` (or `*`).
    pub(crate) fn has_verb(&self, verb: &str) -> bool {
        self.verbs.iter().any(|v| v == "*" || v == verb)
    }

    /// Whether the rule covers `resource` (`*`, the resource, or `resource/*` for
    /// subresources) in an API group of `groups` (`*` always).
    pub(crate) fn has_resource(&self, groups: &[&str], resource: &str) -> bool {
        let group = self
            .groups
            .iter()
            .any(|g| g == "*" || groups.contains(&g.as_str()));
        let base = resource.split('/').next().unwrap_or(resource);
        let res = self.resources.iter().any(|r| {
            r == "*" || r == resource || (resource.contains('/') && *r == format!("{base}/*"))
        });
        group && res
    }

    /// A value for a message: in backticks, or `[secret]` when the rule was read from one.
    pub(crate) fn show(&self, text: &str) -> String {
        shown_text(text, self.secret)
    }
}

/// The string items of a list in a rule; an unknown item halts at its path.
fn rule_strings(
    rule: &Value,
    path: &str,
    spelling: Spelling,
    camel: &str,
) -> Result<Vec<String>, Halt> {
    let at = format!("{path}.{}", super::spelled(spelling, camel));
    let Some(list) = rule.field(camel).map_err(|_| Halt::unknown(at.clone()))? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (i, item) in list.items().enumerate() {
        if item.is_unknown() {
            return Err(Halt::unknown(format!("{at}[{i}]")));
        }
        if let Some(s) = item.as_str() {
            out.push(s.to_ascii_lowercase());
        }
    }
    Ok(out)
}

/// The rules of a Role or ClusterRole (`rules`, Terraform `rule`); unknown parts halt.
pub(crate) fn grants(view: ResourceView<'_>) -> Result<Vec<Grant>, Halt> {
    let s = view.resource.spelling;
    let k = key(s, "rules", "rule");
    let Some(list) = view.props.field(&k).map_err(|_| Halt::unknown(k.clone()))? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (path, rule) in items_at(list, &k)? {
        let secret = view.props.secret_at(&path) || rule.contains_secret();
        let groups = rule_strings(rule, &path, s, "apiGroups")?;
        out.push(Grant {
            verbs: rule_strings(rule, &path, s, "verbs")?,
            resources: rule_strings(rule, &path, s, "resources")?,
            groups: groups.into_iter().collect(),
            names: rule_strings(rule, &path, s, "resourceNames")?,
            path,
            secret,
        });
    }
    Ok(out)
}

/// Checks every rule of a Role or ClusterRole: `problem` says what a rule grants that it
/// should not. Not applicable to an aggregated ClusterRole (its rules come from others).
pub(crate) fn grants_verdict(
    view: ResourceView<'_>,
    problem: impl Fn(&Grant) -> Option<String>,
) -> Result<Verdict, Halt> {
    if view.props.field("aggregationRule").ok().flatten().is_some() {
        return Ok(Verdict::not_applicable(
            "an aggregated cluster role: its rules are those of the roles it selects",
        ));
    }
    let who = format!("{} `{}`", role_noun(view), view.resource.name);
    let list = grants(view)?;
    let violations = list
        .iter()
        .enumerate()
        .filter_map(|(i, g)| {
            problem(g).map(|what| {
                Violation::new(format!("{who}: rule #{} {what}", i + 1)).at(g.path.clone())
            })
        })
        .collect();
    Ok(Verdict::from_violations(violations))
}

/// One subject of a binding.
pub(crate) struct Subject {
    /// `User`, `Group` or `ServiceAccount`.
    pub kind: String,
    /// The subject's name.
    pub name: String,
    /// Its path in the resource's spelling.
    pub path: String,
    /// Whether it was read from a secret.
    pub secret: bool,
}

/// A binding's subjects (`subjects`, Terraform `subject`); unknown parts halt.
pub(crate) fn subjects(view: ResourceView<'_>) -> Result<Vec<Subject>, Halt> {
    let s = view.resource.spelling;
    let k = key(s, "subjects", "subject");
    let Some(list) = view.props.field(&k).map_err(|_| Halt::unknown(k.clone()))? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for (path, subject) in items_at(list, &k)? {
        let text = |field: &str| -> Result<Option<String>, Halt> {
            Ok(subject
                .field(field)
                .map_err(|_| Halt::unknown(format!("{path}.{field}")))?
                .and_then(Value::as_str)
                .map(str::to_string))
        };
        let secret = view.props.secret_at(&path) || subject.contains_secret();
        out.push(Subject {
            kind: text("kind")?.unwrap_or_default(),
            name: text("name")?.unwrap_or_default(),
            path,
            secret,
        });
    }
    Ok(out)
}

/// A binding's `roleRef` (Terraform `role_ref`): kind and name, with the path of the name.
pub(crate) fn role_ref(view: ResourceView<'_>) -> Result<Option<(String, String, String)>, Halt> {
    let s = view.resource.spelling;
    let base = child(s, "", "roleRef", "role_ref");
    let name_path = format!("{base}.name");
    let name = view
        .props
        .field(&name_path)
        .map_err(|_| Halt::unknown(name_path.clone()))?
        .and_then(Value::as_str);
    let kind = view
        .props
        .field(&format!("{base}.kind"))
        .map_err(|_| Halt::unknown(format!("{base}.kind")))?
        .and_then(Value::as_str)
        .unwrap_or_default();
    Ok(name.map(|n| (kind.to_string(), n.to_string(), name_path)))
}

/// A path below `base` in the resource's spelling: the first `blocks` segments are nested
/// blocks (Terraform: `name[0]`), the rest are arguments or map keys.
pub(crate) fn block_path(
    spelling: Spelling,
    base: &str,
    segments: &[&str],
    blocks: usize,
) -> String {
    let mut out = base.to_string();
    for (i, seg) in segments.iter().enumerate() {
        let name = super::spelled(spelling, seg);
        out.push('.');
        out.push_str(&name);
        if i < blocks && spelling == Spelling::Terraform {
            out.push_str("[0]");
        }
    }
    out
}

/// A value that is really set: not null, not an empty list or object (a Terraform plan lists
/// every nested block of a schema, unset ones as `[]`).
pub(crate) fn set_value(value: Option<&Value>) -> Option<&Value> {
    value.filter(|v| match v.reveal() {
        Value::Null => false,
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => true,
    })
}

/// The items of a pod-spec list (`volumes`, Terraform `volume`) with their paths; unknown
/// halts.
pub(crate) fn pod_list<'a>(
    spec: &PodSpec<'a>,
    pulumi: &str,
    terraform: &str,
) -> Result<Vec<(String, &'a Value)>, Halt> {
    let k = key(spec.spelling, pulumi, terraform);
    let path = format!("{}.{k}", spec.path);
    let value: &'a Value = spec.value;
    match value.field(&k).map_err(|_| Halt::unknown(path.clone()))? {
        Some(list) => items_at(list, &path),
        None => Ok(Vec::new()),
    }
}

/// A capability name as compared: upper case, without a `CAP_` prefix.
pub(crate) fn capability(name: &str) -> String {
    let upper = name.trim().to_ascii_uppercase();
    upper
        .strip_prefix("CAP_")
        .map_or(upper.clone(), str::to_string)
}

/// A container's `securityContext.capabilities` list (`add` or `drop`), normalised, with
/// whether it was read from a secret.
pub(crate) fn capabilities(
    spec: &PodSpec<'_>,
    c: &Container<'_>,
    which: &str,
) -> Result<(Vec<String>, bool), Halt> {
    let path = format!("securityContext.capabilities.{which}");
    let list = c.field(spec.spelling, &path)?;
    let secret = c.value.secret_at(&path);
    let mut out = Vec::new();
    if let Some(list) = list {
        for item in list.items() {
            if item.is_unknown() {
                return Err(Halt::unknown(block_path(
                    spec.spelling,
                    &c.path,
                    &["securityContext", "capabilities", which],
                    2,
                )));
            }
            if let Some(s) = item.as_str() {
                out.push(capability(s));
            }
        }
    }
    Ok((out, secret))
}

/// Names for a message: each in backticks, or one `[secret]` when read from a secret.
pub(crate) fn shown_list(items: &[String], secret: bool) -> String {
    if secret {
        return shown_text("", true);
    }
    let quoted: Vec<String> = items.iter().map(|i| format!("`{i}`")).collect();
    super::join_words(&quoted)
}

/// A pod annotation (`metadata.annotations[key]` of the pod template), with whether it was
/// read from a secret; unknown halts.
pub(crate) fn pod_annotation<'a>(
    spec: &PodSpec<'a>,
    name: &str,
) -> Result<Option<(&'a str, bool)>, Halt> {
    let Some((meta, path)) = &spec.metadata else {
        return Ok(None);
    };
    let meta: &'a Value = meta;
    let Some(annotations) = meta
        .field("annotations")
        .map_err(|_| Halt::unknown(format!("{path}.annotations")))?
    else {
        return Ok(None);
    };
    let Some(value) = annotations.as_object().and_then(|m| m.get(name)) else {
        return Ok(None);
    };
    if value.is_unknown() {
        return Err(Halt::unknown(format!("{path}.annotations[\"{name}\"]")));
    }
    Ok(value.as_str().map(|s| (s, value.is_secret())))
}

/// Where an object names its namespace, in its own spelling.
pub(crate) fn namespace_path(view: ResourceView<'_>) -> String {
    match view.resource.spelling {
        guardrail_core::Spelling::Pulumi => "metadata.namespace".to_string(),
        guardrail_core::Spelling::Terraform => "metadata[0].namespace".to_string(),
    }
}

/// The stack rules "every namespace in use has a `kind`": a violation on each namespace object
/// and each workload whose namespace has no object of the canonical type `companion` in the
/// input; undecided (naming the companion) while a companion's namespace is unknown.
pub(crate) fn namespaces_without(
    view: StackView<'_>,
    companion: &str,
    kind: &str,
) -> Result<Vec<StackFinding>, Halt> {
    let mut covered = std::collections::HashSet::new();
    let mut pending: Option<(String, String)> = None;
    for r in view.resources() {
        if guardrail_core::canonical_type(&r.resource.type_) != companion {
            continue;
        }
        match namespace_of(r) {
            Ok(ns) => {
                covered.insert(ns.unwrap_or("default").to_string());
            }
            Err(Halt::Unknown { .. }) => {
                pending.get_or_insert((r.resource.id.clone(), namespace_path(r)));
            }
            Err(e) => return Err(e),
        }
    }
    let mut findings = Vec::new();
    for r in view.resources() {
        let is_namespace =
            guardrail_core::canonical_type(&r.resource.type_) == "kubernetes_namespace";
        let (ns, who, secret) = if is_namespace {
            (
                object_name(r),
                format!("namespace `{}`", r.resource.name),
                r.props.secret_at("metadata.name"),
            )
        } else if let Some(noun) = workload_noun(&r) {
            let ns = match namespace_of(r) {
                Ok(ns) => ns.unwrap_or("default").to_string(),
                Err(Halt::Unknown { path, .. }) => {
                    findings.push(StackFinding::unknown(r.resource.id.clone(), path, None));
                    continue;
                }
                Err(e) => return Err(e),
            };
            (
                ns,
                format!("{noun} `{}`", r.resource.name),
                r.props.secret_at(&namespace_path(r)),
            )
        } else {
            continue;
        };
        if covered.contains(&ns) {
            continue;
        }
        if let Some((id, path)) = &pending {
            findings.push(StackFinding::unknown(
                r.resource.id.clone(),
                path.clone(),
                Some(id.clone()),
            ));
            continue;
        }
        let what = if is_namespace {
            format!("{who} has no {kind} in this input")
        } else {
            let shown = if secret {
                shown_text(&ns, true)
            } else {
                format!("`{ns}`")
            };
            format!("{who}: namespace {shown} has no {kind} in this input")
        };
        findings.push(StackFinding::violation(
            r.resource.id.clone(),
            guardrail_core::Violation::new(what).at(namespace_path(r)),
        ));
    }
    Ok(findings)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn images_split_into_name_tag_and_digest() {
        let i = parse_image("registry:5000/team/app:1.2@sha256:abc");
        assert_eq!(
            (i.name, i.tag, i.digest),
            ("registry:5000/team/app", Some("1.2"), Some("sha256:abc"))
        );
        let i = parse_image("registry:5000/app");
        assert_eq!((i.name, i.tag, i.digest), ("registry:5000/app", None, None));
        let i = parse_image("nginx:latest");
        assert_eq!((i.name, i.tag), ("nginx", Some("latest")));
    }
}
