//! Amazon ECS rules, and the container-definition walk the task definition rules share.

pub mod ecs_cluster_container_insights;
pub mod ecs_service_no_public_ip;
pub mod ecs_task_log_configuration;
pub mod ecs_task_no_host_network;
pub mod ecs_task_no_host_pid;
pub mod ecs_task_no_privileged_containers;
pub mod ecs_task_no_secrets_in_environment;
pub mod ecs_task_non_root_user;
pub mod ecs_task_read_only_root_filesystem;

use guardrail_core::{Halt, ResourceView, Value, Verdict, Violation};

use crate::support::{at, document_at, read};

/// Checks every container of a task definition's `container_definitions` (a JSON string, or a
/// list in Pulumi programs that pass one): `problem` returns what is wrong with one container,
/// `Ok(None)` when nothing is, `Err(())` when a value it needs is unknown. Each problem is a
/// violation at `container_definitions`; an unknown makes the outcome indeterminate unless a
/// violation was found.
pub(crate) fn each_container(
    view: ResourceView<'_>,
    problem: impl Fn(&Value) -> Result<Option<String>, ()>,
) -> Result<Verdict, Halt> {
    let path = at(view, "containerDefinitions");
    let containers = match container_definitions(view)? {
        None => {
            return Ok(Verdict::not_applicable(
                "the task definition has no containers",
            ))
        }
        Some(Err(())) => {
            return Ok(Verdict::not_applicable(
                "the container definitions are not a JSON list",
            ))
        }
        Some(Ok(list)) => list,
    };
    let mut violations = Vec::new();
    let mut unknown = false;
    for (i, container) in containers.iter().enumerate() {
        if container.is_unknown() {
            unknown = true;
            continue;
        }
        match problem(container) {
            Ok(Some(what)) => violations.push(
                Violation::new(format!(
                    "task definition `{}`: container {} {what}",
                    view.resource.name,
                    container_name(container, i)
                ))
                .at(path.clone()),
            ),
            Ok(None) => {}
            Err(()) => unknown = true,
        }
    }
    if violations.is_empty() && unknown {
        return Err(Halt::unknown(path));
    }
    Ok(Verdict::from_violations(violations))
}

/// A container's property, `Err(())` when unknown.
pub(crate) fn prop<'a>(container: &'a Value, key: &str) -> Result<Option<&'a Value>, ()> {
    container.field(key).map_err(|_| ())
}

/// Parses the JSON list of an ECS task definition's `container_definitions`: `Ok(None)` when
/// absent, `Err` when unknown, `Ok(Some(Err(())))` when it is not a JSON list.
pub(crate) fn container_definitions(
    view: ResourceView<'_>,
) -> Result<Option<Result<Vec<Value>, ()>>, Halt> {
    let Some(raw) = read(view, "containerDefinitions")? else {
        return Ok(None);
    };
    let Some(doc) = document_at(view.props, &at(view, "containerDefinitions"), raw) else {
        return Ok(Some(Err(())));
    };
    match doc {
        Value::Array(items) => Ok(Some(Ok(items))),
        Value::Object(_) => Ok(Some(Ok(vec![doc]))),
        _ => Ok(Some(Err(()))),
    }
}

/// A container's name for messages, or its position.
pub(crate) fn container_name(container: &Value, index: usize) -> String {
    match container.get("name").filter(|n| n.as_str().is_some()) {
        Some(name) => format!("`{}`", name.shown()),
        None => format!("#{}", index + 1),
    }
}
