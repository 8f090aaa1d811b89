//! `guardrail init [DIR]`: writes a commented `guardrail.toml` for the Terraform configuration
//! or Pulumi project it finds in the directory.

use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use clap::Args;

use crate::UserError;

/// Options of `guardrail init`.
#[derive(Args, Debug)]
pub struct InitArgs {
    /// The project directory (default: the working directory).
    #[arg(value_name = "DIR")]
    pub dir: Option<PathBuf>,

    /// Replace an existing guardrail.toml.
    #[arg(long)]
    pub force: bool,
}

/// What `init` found in the directory.
#[derive(Debug, Default, PartialEq, Eq)]
struct Project {
    /// Terraform/OpenTofu files (`*.tf`, `*.tofu`), by name.
    terraform: Vec<String>,
    /// The Pulumi project: its name and runtime.
    pulumi: Option<(String, String)>,
}

fn find_project(dir: &Path) -> Result<Project, UserError> {
    let entries = std::fs::read_dir(dir).map_err(|e| {
        UserError::new(format!("cannot read `{}`: {e}", dir.display()))
            .help("pass the directory of your Terraform configuration or Pulumi project")
    })?;
    let mut project = Project::default();
    let mut names: Vec<String> = entries
        .filter_map(|e| e.ok())
        .filter(|e| e.path().is_file())
        .filter_map(|e| e.file_name().to_str().map(str::to_string))
        .collect();
    names.sort();
    for name in &names {
        if name.ends_with(".tf") || name.ends_with(".tofu") {
            project.terraform.push(name.clone());
        }
    }
    if let Some(file) = names
        .iter()
        .find(|n| *n == "Pulumi.yaml" || *n == "Pulumi.yml")
    {
        let path = dir.join(file);
        let text = std::fs::read_to_string(&path).map_err(|e| {
            UserError::new(format!("cannot read `{}`: {e}", path.display()))
                .help("check the file's permissions")
        })?;
        let doc: serde_json::Value = yaml_serde::from_str(&text).map_err(|e| {
            UserError::new(format!("`{}` is not valid YAML: {e}", path.display()))
                .help("fix the Pulumi project file; `pulumi about` checks it")
        })?;
        let name = doc
            .get("name")
            .and_then(|n| n.as_str())
            .unwrap_or("(unnamed)")
            .to_string();
        // `runtime: nodejs`, or `runtime: {name: python, options: {...}}`
        let runtime = doc
            .get("runtime")
            .and_then(|r| {
                r.as_str()
                    .or_else(|| r.get("name").and_then(|n| n.as_str()))
            })
            .unwrap_or("unknown")
            .to_string();
        project.pulumi = Some((name, runtime));
    }
    Ok(project)
}

const HEADER: &str = "\
# guardrail.toml: which policies run, how strictly, which findings are exempted and which
# reports CI gets. Every key is explained in docs/config.md; `guardrail config validate` checks
# this file without running policies. Relative paths are relative to this file's directory.
";

const BODY: &str = r#"
# Built-in policies to run, as --select (`guardrail rules` lists them, `guardrail rule ID`
# explains one). Without `select`, the default set runs: the whole catalog but the PLATFORM-*
# demos of one example organization.
# select = ["vendor=aws"]
# ignore = ["severity=low"]

# Rego policy packs, as --pack (`guardrail pack new policies` writes one to start from).
# packs = ["policies"]

# What fails the run (exit code 1): "mandatory" violations, any violation ("advisory"), or
# "never" (report only). Policy errors exit 2 whatever this says.
fail_on = "mandatory"
# Only findings of this severity or higher fail the run; lower ones are still reported.
# fail_on_severity = "high"
# Whether indeterminate outcomes (values known only after apply) block under mandatory.
strict = false

# Findings recorded by `guardrail check --write-baseline guardrail-baseline.json` do not fail
# the run: adopt guardrail on an existing project, fail only on new findings.
# baseline = "guardrail-baseline.json"

# Enforcement per policy: "advisory" (warn), "mandatory" (block), "remediate" (propose a fix)
# or "disabled"; a table sets a policy's configuration too.
[policies]
# all = "advisory"                     # start with warnings only, raise policies one by one
# "AWS-S3-001" = "mandatory"

# Exemptions: these policies do not block these resources, for a reason, until a date.
# [[exemptions]]
# policies = ["AWS-EC2-001"]
# resources = ["EXEMPT_RESOURCE"]
# reason = "reachable from the office VPN only"
# expires = 2027-01-31

[output]
format = "human"
# Reports for CI, beside this file: SARIF for code scanning, markdown for the pull request.
# reports = ["sarif=guardrail.sarif", "markdown=guardrail.md"]
"#;

/// The text of the file for a project.
fn render(project: &Project) -> String {
    let mut out = String::from(HEADER);
    out.push('#');
    out.push('\n');
    if !project.terraform.is_empty() {
        let n = project.terraform.len();
        let _ = writeln!(
            out,
            "# Written by `guardrail init` for the Terraform configuration here ({n} file{}).",
            if n == 1 { "" } else { "s" }
        );
        out.push_str(
            "# Check a plan before it is applied (OpenTofu: `tofu` for `terraform`):\n\
             #   terraform plan -out plan.out\n\
             #   terraform show -json plan.out > plan.json\n\
             #   guardrail check plan.json\n\
             # Audit what is deployed:\n\
             #   terraform show -json > state.json\n\
             #   guardrail audit state.json\n",
        );
    }
    if let Some((name, runtime)) = &project.pulumi {
        let _ = writeln!(
            out,
            "# Written by `guardrail init` for the Pulumi project `{name}` (runtime `{runtime}`)."
        );
        out.push_str(
            "# Check a preview before it is applied:\n\
             #   pulumi preview --json > preview.json\n\
             #   guardrail check preview.json\n\
             # Audit what is deployed:\n\
             #   pulumi stack export > stack.json\n\
             #   guardrail audit stack.json\n",
        );
    }
    let example_resource = if project.terraform.is_empty() {
        "urn:pulumi:prod::*::aws:ec2/securityGroup:SecurityGroup::bastion"
    } else {
        "aws_security_group.bastion"
    };
    out.push_str(&BODY.replace("EXEMPT_RESOURCE", example_resource));
    out
}

/// Runs `guardrail init`; returns the exit code.
pub fn run(args: InitArgs) -> Result<u8, UserError> {
    let dir = args.dir.unwrap_or_else(|| PathBuf::from("."));
    if !dir.is_dir() {
        return Err(
            UserError::new(format!("`{}` is not a directory", dir.display()))
                .help("pass the directory of your Terraform configuration or Pulumi project"),
        );
    }
    let project = find_project(&dir)?;
    if project.terraform.is_empty() && project.pulumi.is_none() {
        return Err(UserError::new(format!(
            "`{}` holds no Terraform configuration (`*.tf`) and no Pulumi project (`Pulumi.yaml`)",
            dir.display()
        ))
        .help(
            "run `guardrail init` in the project's directory, or pass it: `guardrail init infra`",
        ));
    }
    let path = dir.join("guardrail.toml");
    if path.exists() && !args.force {
        return Err(
            UserError::new(format!("`{}` already exists", path.display())).help(
                "nothing was written; pass `--force` to replace it, or edit it \
                 (`guardrail config validate` checks it)",
            ),
        );
    }
    std::fs::write(&path, render(&project)).map_err(|e| {
        UserError::new(format!("cannot write `{}`: {e}", path.display()))
            .help("check that the directory is writable")
    })?;
    let mut found = Vec::new();
    if !project.terraform.is_empty() {
        found.push("a Terraform configuration".to_string());
    }
    if let Some((name, runtime)) = &project.pulumi {
        found.push(format!("the Pulumi project `{name}` ({runtime})"));
    }
    crate::emit(
        None,
        &format!(
            "wrote `{}` for {}; edit it, then run `guardrail config validate`\n",
            path.display(),
            found.join(" and ")
        ),
    )?;
    Ok(0)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_text_names_the_project_and_how_to_check_it() {
        let tf = render(&Project {
            terraform: vec!["main.tf".into()],
            pulumi: None,
        });
        assert!(tf.contains("Terraform configuration here (1 file)"));
        assert!(tf.contains("terraform show -json plan.out > plan.json"));
        assert!(tf.contains("aws_security_group.bastion"));
        assert!(!tf.contains("pulumi preview"));
        let pulumi = render(&Project {
            terraform: vec![],
            pulumi: Some(("shop".into(), "python".into())),
        });
        assert!(pulumi.contains("the Pulumi project `shop` (runtime `python`)"));
        assert!(pulumi.contains("pulumi preview --json > preview.json"));
        assert!(pulumi.contains("urn:pulumi:prod::"));
        assert!(!pulumi.contains("terraform plan"));
    }
}
