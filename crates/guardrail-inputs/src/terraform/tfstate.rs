//! Raw `.tfstate` files, version 4 (Terraform 0.12 and later, OpenTofu): one resource per
//! instance, addressed as Terraform prints it (`module.x.aws_s3_bucket.b[0]`,
//! `aws_s3_bucket.b["key"]`, `data.` for data sources).

use guardrail_core::{Operation, Stack, Value};
use serde::Deserialize;

use super::markers::apply_sensitive_path;
use super::refs::{Linker, Target};
use super::resource;
use crate::detect::Top;
use crate::error::InputError;
use crate::text::{LineCounter, RawList, Source};
use crate::InputFormat;

#[derive(Deserialize)]
struct TfResource<'a> {
    #[serde(default)]
    module: Option<String>,
    #[serde(default)]
    mode: Option<String>,
    #[serde(rename = "type")]
    type_: String,
    name: String,
    #[serde(default)]
    provider: Option<String>,
    #[serde(borrow, default)]
    instances: Option<RawList<'a>>,
}

#[derive(Deserialize)]
struct TfInstance {
    #[serde(default)]
    index_key: Option<Value>,
    #[serde(default)]
    deposed: Option<String>,
    #[serde(default)]
    attributes: Option<Value>,
    #[serde(default)]
    attributes_flat: Option<Value>,
    #[serde(default)]
    sensitive_attributes: Option<Vec<Value>>,
    #[serde(default)]
    dependencies: Option<Vec<String>>,
    #[serde(default)]
    depends_on: Option<Vec<String>>,
}

/// Builds an instance address the way Terraform prints it.
pub(crate) fn address(
    module: Option<&str>,
    mode: Option<&str>,
    type_: &str,
    name: &str,
    key: Option<&Value>,
) -> String {
    let mut out = String::new();
    if let Some(m) = module.filter(|m| !m.is_empty()) {
        out.push_str(m);
        out.push('.');
    }
    if mode == Some("data") {
        out.push_str("data.");
    }
    out.push_str(type_);
    out.push('.');
    out.push_str(name);
    if let Some(key) = key {
        out.push_str(&index_suffix(key));
    }
    out
}

/// `[0]` for a number key, `["k"]` for a string key, nothing for anything else.
pub(crate) fn index_suffix(key: &Value) -> String {
    match key {
        Value::Number(n) => format!("[{n}]"),
        Value::String(s) => {
            let quoted = serde_json::to_string(s).unwrap_or_else(|_| format!("\"{s}\""));
            format!("[{quoted}]")
        }
        _ => String::new(),
    }
}

/// Loads a version 4 state file.
pub(crate) fn load(src: &Source<'_>, top: &Top<'_>) -> Result<Stack, InputError> {
    let version = top
        .version
        .and_then(|v| serde_json::from_str::<u64>(v.get()).ok());
    if version != Some(4) {
        let shown = top.version.map_or("?", |v| v.get());
        let mut err = src.error(format!(
            "is a terraform state file of version `{shown}`; only version 4 (terraform 0.12 and later, opentofu) is supported"
        ));
        if let Some(v) = top.version {
            let (line, column) = crate::text::line_col(src.text, src.offset(v));
            err = err.at(line, column);
        }
        return Err(err.help(
            "upgrade the state by running `terraform plan` and `terraform apply` with terraform 0.12 or later, or load `terraform show -json > state.json` instead",
        ));
    }
    let mut lines = LineCounter::new(src.text);
    let mut resources = Vec::new();
    let mut depends = Vec::new();
    let items = RawList::required(top.resources.as_ref(), src, "resources")
        .map_err(|e| e.help(InputFormat::TerraformStateFile.help()))?;
    for (i, raw) in items.iter().enumerate() {
        let res: TfResource = src
            .parse(raw, "resource", || format!("resources[{i}]"))
            .map_err(|e| e.help(InputFormat::TerraformStateFile.help()))?;
        let instances = RawList::required(res.instances.as_ref(), src, "instances")
            .map_err(|e| e.help(InputFormat::TerraformStateFile.help()))?;
        for (j, inst_raw) in instances.iter().enumerate() {
            let inst: TfInstance = src.parse(inst_raw, "resource instance", || {
                format!("resources[{i}].instances[{j}]")
            })?;
            let mut id = address(
                res.module.as_deref(),
                res.mode.as_deref(),
                &res.type_,
                &res.name,
                inst.index_key.as_ref(),
            );
            if let Some(key) = &inst.deposed {
                id = format!("{id} (deposed object {key})");
            }
            let mut props = inst.attributes.or(inst.attributes_flat).unwrap_or_default();
            for path in inst.sensitive_attributes.iter().flatten() {
                apply_sensitive_path(&mut props, path);
            }
            let mut r = resource(
                id,
                res.type_.clone(),
                res.name.clone(),
                res.provider.clone(),
                res.mode.as_deref(),
                if inst.deposed.is_some() {
                    Operation::Delete
                } else {
                    Operation::Same
                },
                props,
            );
            r.parent = res.module.clone().filter(|m| !m.is_empty());
            r.line = Some(lines.line_at(src.offset(inst_raw)));
            let mut deps = inst.dependencies.unwrap_or_default();
            deps.extend(inst.depends_on.unwrap_or_default());
            depends.push(deps);
            resources.push(r);
        }
    }
    Linker::new(&resources).link(&mut resources, false, |i, _| {
        depends
            .get(i)
            .map(|d| d.iter().map(|a| Target::absolute(a)).collect())
            .unwrap_or_default()
    });
    Ok(Stack {
        resources,
        ..Stack::default()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_like_terraform() {
        assert_eq!(
            address(
                Some("module.x"),
                Some("managed"),
                "aws_s3_bucket",
                "b",
                Some(&Value::from(0))
            ),
            "module.x.aws_s3_bucket.b[0]"
        );
        assert_eq!(
            address(
                None,
                Some("data"),
                "aws_iam_policy_document",
                "d",
                Some(&Value::from("k\"q"))
            ),
            r#"data.aws_iam_policy_document.d["k\"q"]"#
        );
        assert_eq!(address(Some(""), None, "t", "n", None), "t.n");
    }
}
