//! Lints the catalog itself: ids, names, docs, metadata, fixtures, and fixes that behave as
//! declared. Each check reports every offending rule at once.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::collections::{BTreeMap, HashSet};

use guardrail_catalog::{frameworks, rules, Check, Frameworks, RuleSpec};
use guardrail_core::{canonical_type, Enforcement, FixSafety, OutcomeKind, PolicyKind, Stack};

use common::{load, observed, run_at, Run};

/// Pulumi tokens of kinds that no Terraform provider manages (Kubernetes ReplicaSets and
/// PodTemplates are made by controllers or kept as templates): a Pulumi spelling alone is
/// complete for them.
const PULUMI_ONLY: &[&str] = &[
    "kubernetes:apps/v1:ReplicaSet",
    "kubernetes:apps/v1beta2:ReplicaSet",
    "kubernetes:extensions/v1beta1:ReplicaSet",
    "kubernetes:core/v1:PodTemplate",
];

fn report(problems: Vec<String>) {
    assert!(
        problems.is_empty(),
        "{} catalog problem(s):\n{}",
        problems.len(),
        problems.join("\n")
    );
}

fn is_upper_word(s: &str) -> bool {
    !s.is_empty()
        && s.chars()
            .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit())
}

fn is_number3(s: &str) -> bool {
    s.len() == 3 && s.chars().all(|c| c.is_ascii_digit())
}

#[test]
fn ids_are_unique_and_well_formed() {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for spec in rules() {
        if !seen.insert(spec.id) {
            problems.push(format!("{}: duplicate id", spec.id));
        }
        let parts: Vec<&str> = spec.id.split('-').collect();
        match parts.as_slice() {
            ["PLATFORM", n] if is_number3(n) => {
                if spec.vendor != "platform" {
                    problems.push(format!(
                        "{}: PLATFORM rules have vendor `platform`",
                        spec.id
                    ));
                }
            }
            [vendor, service, n]
                if is_upper_word(vendor) && is_upper_word(service) && is_number3(n) =>
            {
                // ids abbreviate `kubernetes` as `K8S`
                let id_vendor = if spec.vendor == "kubernetes" {
                    "K8S"
                } else {
                    spec.vendor
                };
                if !vendor.eq_ignore_ascii_case(id_vendor) {
                    problems.push(format!(
                        "{}: id vendor `{vendor}` differs from vendor `{}`",
                        spec.id, spec.vendor
                    ));
                }
                if !spec
                    .services
                    .iter()
                    .any(|s| s.eq_ignore_ascii_case(service))
                {
                    problems.push(format!(
                        "{}: id service `{service}` is not among services {:?}",
                        spec.id, spec.services
                    ));
                }
            }
            _ => problems.push(format!(
                "{}: ids are `VENDOR-SERVICE-NNN` or `PLATFORM-NNN`",
                spec.id
            )),
        }
    }
    report(problems);
}

#[test]
fn names_are_unique_slugs_matching_their_files() {
    let mut problems = Vec::new();
    let mut seen = HashSet::new();
    for spec in rules() {
        if !seen.insert(spec.name) {
            problems.push(format!("{}: duplicate name `{}`", spec.id, spec.name));
        }
        let slug = !spec.name.is_empty()
            && !spec.name.starts_with('-')
            && !spec.name.ends_with('-')
            && spec
                .name
                .chars()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-');
        if !slug {
            problems.push(format!(
                "{}: name `{}` is not a kebab-case slug",
                spec.id, spec.name
            ));
        }
        let source = common::source_path(spec);
        let relative = source.strip_prefix(common::rules_dir()).unwrap();
        let parts: Vec<String> = relative
            .iter()
            .map(|p| p.to_string_lossy().into_owned())
            .collect();
        let expected_file = format!("{}.rs", spec.name.replace('-', "_"));
        match parts.as_slice() {
            [vendor, service, file] => {
                if vendor != spec.vendor {
                    problems.push(format!(
                        "{}: lives under `{vendor}`, vendor is `{}`",
                        spec.id, spec.vendor
                    ));
                }
                if !spec.services.contains(&service.as_str()) {
                    problems.push(format!(
                        "{}: lives under service `{service}`, not among {:?}",
                        spec.id, spec.services
                    ));
                }
                if *file != expected_file {
                    problems.push(format!(
                        "{}: file `{file}` should be `{expected_file}`",
                        spec.id
                    ));
                }
            }
            _ => problems.push(format!(
                "{}: rules live in src/rules/<vendor>/<service>/<rule>.rs, not {}",
                spec.id,
                relative.display()
            )),
        }
    }
    report(problems);
}

#[test]
fn every_rule_file_is_registered_and_every_fixture_has_a_rule() {
    let mut problems = Vec::new();
    let sources: HashSet<_> = rules().iter().map(|s| common::source_path(s)).collect();
    for file in common::walk(&common::rules_dir(), ".rs") {
        if file
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n == "mod.rs" || n.starts_with("registry_"))
        {
            continue;
        }
        if !sources.contains(&file) {
            problems.push(format!(
                "{} is not in the registry (a `RULES` list in src/rules/aws/registry_*.rs or `FIRST` in src/rules/mod.rs)",
                file.display()
            ));
        }
    }
    let fixtures: HashSet<_> = rules().iter().map(|s| common::fixtures_path(s)).collect();
    for file in common::walk(&common::rules_dir(), ".fixtures.json") {
        if !fixtures.contains(&file) {
            problems.push(format!("{} belongs to no rule", file.display()));
        }
    }
    report(problems);
}

#[test]
fn metadata_and_docs_are_complete() {
    let mut problems = Vec::new();
    for spec in rules() {
        let id = spec.id;
        let text = [
            ("title", spec.title),
            ("description", spec.description),
            ("remediation", spec.remediation),
            ("docs.what", spec.docs.what),
            ("docs.why", spec.docs.why),
            ("docs.noncompliant", spec.docs.noncompliant),
            ("docs.compliant", spec.docs.compliant),
            ("docs.fix", spec.docs.fix),
        ];
        for (field, value) in text {
            if value.trim().is_empty() {
                problems.push(format!("{id}: `{field}` is empty"));
            }
        }
        if spec.docs.references.is_empty()
            || spec.docs.references.iter().any(|r| r.trim().is_empty())
        {
            problems.push(format!("{id}: docs need references, none empty"));
        }
        if spec.title.ends_with('.') {
            problems.push(format!("{id}: titles end without a full stop"));
        }
        for (field, list) in [("services", spec.services), ("topics", spec.topics)] {
            if list.is_empty() {
                problems.push(format!("{id}: no {field}"));
            }
        }
        match spec.frameworks {
            Frameworks::Mapped(list) => {
                if list.is_empty() {
                    problems.push(format!("{id}: map frameworks, or say why there are none"));
                }
                for control in list {
                    if !frameworks::slugs().contains(&control.framework) {
                        problems.push(format!(
                            "{id}: unknown framework `{}` (frameworks: {})",
                            control.framework,
                            frameworks::slugs().join(", ")
                        ));
                    }
                    if control.controls.is_empty() {
                        problems.push(format!("{id}: `{}` names no controls", control.framework));
                    }
                }
            }
            Frameworks::None { reason } => {
                if reason.trim().is_empty() {
                    problems.push(format!("{id}: no frameworks needs a reason"));
                }
            }
        }
        let meta = spec.meta();
        if meta.kind != spec.kind() || meta.id != spec.id || meta.name != spec.name {
            problems.push(format!("{id}: metadata differs from the spec"));
        }
        if let Some(schema) = spec.config_schema {
            let schema = schema();
            let props = schema.get("properties").and_then(|p| p.as_object());
            match props {
                None => problems.push(format!("{id}: config schema has no `properties`")),
                Some(props) => {
                    for (key, prop) in props {
                        if prop.get("default").is_none() {
                            problems.push(format!("{id}: config `{key}` has no default"));
                        }
                        let docs = [spec.docs.what, spec.docs.fix].concat();
                        if !docs.contains(&format!("`{key}`")) {
                            problems.push(format!("{id}: docs do not explain config `{key}`"));
                        }
                        if prop.get("description").and_then(|d| d.as_str()).is_none() {
                            problems.push(format!("{id}: config `{key}` has no description"));
                        }
                    }
                }
            }
        }
        let has_fix = matches!(
            spec.check,
            Check::Resource {
                remediate: Some(_),
                ..
            }
        );
        if (spec.fix == FixSafety::None) == has_fix {
            problems.push(format!(
                "{id}: declares fix {:?} but {} a remediation",
                spec.fix,
                if has_fix { "has" } else { "has no" }
            ));
        }
        if spec.enforcement == Enforcement::Remediate && spec.fix == FixSafety::None {
            problems.push(format!("{id}: defaults to `remediate` without a fix"));
        }
    }
    report(problems);
}

#[test]
fn resource_types_come_in_both_spellings() {
    let mut problems = Vec::new();
    for spec in rules() {
        if spec.kind() == PolicyKind::Resource && spec.resource_types.is_empty() {
            // Matches every resource and selects by configuration; documented in `what`.
            continue;
        }
        if spec.resource_types.is_empty() {
            continue;
        }
        let mut groups: BTreeMap<String, (Vec<&str>, Vec<&str>)> = BTreeMap::new();
        for t in spec.resource_types {
            let entry = groups.entry(canonical_type(t).into_owned()).or_default();
            if t.contains(':') {
                entry.0.push(t);
            } else {
                entry.1.push(t);
            }
        }
        for (canonical, (pulumi, terraform)) in groups {
            if pulumi.is_empty() {
                problems.push(format!("{}: `{canonical}` has no Pulumi spelling", spec.id));
            }
            if terraform.is_empty() && !pulumi.iter().all(|t| PULUMI_ONLY.contains(t)) {
                problems.push(format!(
                    "{}: {pulumi:?} map to no declared Terraform type (add it, or add the token \
                     to guardrail-core's type table)",
                    spec.id
                ));
            }
        }
    }
    report(problems);
}

#[test]
fn every_rule_has_passing_and_failing_fixtures_in_each_spelling() {
    let mut problems = Vec::new();
    for spec in rules() {
        if !common::fixtures_path(spec).exists() {
            problems.push(format!(
                "{}: no fixtures at {}",
                spec.id,
                common::fixtures_path(spec).display()
            ));
            continue;
        }
        let runs = load(spec);
        for spelling in ["pulumi", "terraform"] {
            for wanted in ["pass", "violation"] {
                if !runs
                    .iter()
                    .any(|r| r.spelling == spelling && r.expect == wanted)
                {
                    problems.push(format!(
                        "{}: no `{wanted}` fixture in the {spelling} spelling",
                        spec.id
                    ));
                }
            }
        }
        if spec.fix != FixSafety::None && !runs.iter().any(|r| r.fixed.is_some()) {
            problems.push(format!(
                "{}: a fixing rule needs fixtures with `fixed` props",
                spec.id
            ));
        }
    }
    report(problems);
}

/// The stack with the first resource's props replaced.
fn with_props(stack: &Stack, props: guardrail_core::Value) -> Stack {
    let mut stack = stack.clone();
    if let Some(first) = stack.resources.first_mut() {
        first.props = props;
    }
    stack
}

fn fixes(spec: &'static RuleSpec, run: &Run) -> Vec<String> {
    let mut problems = Vec::new();
    let label = run.label(spec);
    let first = run_at(spec, &run.stack, &run.config, Enforcement::Remediate);
    if spec.fix == FixSafety::None {
        if !first.remediations.is_empty() {
            problems.push(format!("{label}: declares no fix but changed a resource"));
        }
        return problems;
    }
    for remediation in &first.remediations {
        if remediation.resource != 0 {
            problems.push(format!("{label}: fixtures fix only their first resource"));
        }
    }
    let Some(fixed) = first.remediations.first().map(|r| r.props.clone()) else {
        return problems;
    };
    let fixed_stack = with_props(&run.stack, fixed);
    let again = run_at(spec, &fixed_stack, &run.config, Enforcement::Remediate);
    if let Some(second) = again.remediations.first() {
        problems.push(format!(
            "{label}: the fix does not converge; a second pass changed {}",
            second.props.to_json_redacted()
        ));
    }
    let check = run_at(spec, &fixed_stack, &run.config, Enforcement::Mandatory);
    let outcome = observed(spec, &check);
    if outcome != OutcomeKind::Pass.as_str() {
        problems.push(format!(
            "{label}: after the fix the rule gives {outcome}, not pass"
        ));
    }
    problems
}

#[test]
fn fixes_behave_as_declared() {
    let mut problems = Vec::new();
    for spec in rules() {
        if !common::fixtures_path(spec).exists() {
            continue;
        }
        for run in load(spec) {
            problems.extend(fixes(spec, &run));
        }
    }
    report(problems);
}

#[test]
fn every_mapped_control_is_listed_in_its_framework() {
    let all = frameworks::all().unwrap_or_else(|e| panic!("{e}"));
    let mut problems = Vec::new();
    for spec in rules() {
        let Frameworks::Mapped(list) = spec.frameworks else {
            continue;
        };
        for mapping in list {
            let Some(framework) = all.iter().find(|f| f.slug == mapping.framework) else {
                continue; // reported by `metadata_and_docs_are_complete`
            };
            for id in mapping.controls {
                match framework.control(id) {
                    None => problems.push(format!(
                        "{}: maps to {} control `{id}`, which src/frameworks/{}.toml does not \
                         list (fix the id, or add the control with its title)",
                        spec.id, framework.slug, framework.slug
                    )),
                    Some(control) if !control.automatable => problems.push(format!(
                        "{}: maps to {} control `{id}`, which src/frameworks/{}.toml lists as \
                         out of scope for a scanner (`automatable = false`)",
                        spec.id, framework.slug, framework.slug
                    )),
                    Some(_) => {}
                }
            }
        }
    }
    report(problems);
}
