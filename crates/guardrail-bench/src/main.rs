//! `guardrail-bench`: generates benchmark plans, provides the parsing reference and floor, counts
//! violations in reports, and runs the whole benchmark.
//!
//! ```text
//! guardrail-bench gen --resources N [--seed S] --out DIR   plan.json, stack.json, plan.expected.json
//! guardrail-bench gen-gcp --resources N [--seed S] --out DIR  gcp-plan.json, gcp-plan.expected.json
//! guardrail-bench gen-k8s --objects N [--seed S] --out DIR manifests.yaml, manifests.expected.json
//! guardrail-bench gen-history (--data-dir DIR | --database URL) [--runs 100k] [--stacks 200] [--days 90]
//!                                                          an organization's run history (prints its admin token)
//! guardrail-bench parse-value FILE                         serde_json::Value of the file (the reference)
//! guardrail-bench skim FILE                                serde::de::IgnoredAny over the file (the floor)
//! guardrail-bench count guardrail|opa|checkov FILE         violations per rule, as JSON
//! guardrail-bench run [--sizes 1000,10000] [--runs 3] ...  the benchmark (see bench/README in BENCHMARKS.md)
//! ```

use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use guardrail_bench::{Expected, Plan};

mod harness;
mod history;

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.first().map(String::as_str) {
        Some("gen") => generate(&args[1..]),
        Some("gen-gcp") => generate_gcp(&args[1..]),
        Some("gen-k8s") => generate_manifests(&args[1..]),
        Some("gen-history") => history::generate(&args[1..]),
        Some("parse-value") => parse_value(&args[1..]),
        Some("skim") => skim(&args[1..]),
        Some("count") => count(&args[1..]),
        Some("run") => harness::run(&args[1..]),
        _ => Err(
            "usage: guardrail-bench gen|gen-gcp|gen-k8s|gen-history|parse-value|skim|count|run ..."
                .to_string(),
        ),
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("error: {message}");
            ExitCode::from(2)
        }
    }
}

/// The value following `--name`, if given.
pub(crate) fn option<'a>(args: &'a [String], name: &str) -> Option<&'a str> {
    args.iter()
        .position(|a| a == name)
        .and_then(|i| args.get(i + 1))
        .map(String::as_str)
}

/// Parses `10k`, `1M` or `1000`.
pub(crate) fn parse_count(text: &str) -> Result<usize, String> {
    let t = text.trim();
    let (digits, factor) = match t.chars().last() {
        Some('k' | 'K') => (&t[..t.len() - 1], 1_000),
        Some('m' | 'M') => (&t[..t.len() - 1], 1_000_000),
        _ => (t, 1),
    };
    digits
        .parse::<usize>()
        .map(|n| n * factor)
        .map_err(|_| format!("`{text}` is not a count (e.g. 1000, 10k, 1M)"))
}

/// Writes `plan.json`, `stack.json` and `plan.expected.json` for `n` resources into `dir`.
pub(crate) fn write_plans(dir: &Path, n: usize, seed: u64) -> Result<Expected, String> {
    std::fs::create_dir_all(dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let plan = Plan::new(n, seed);
    let write = |name: &str, f: &dyn Fn(&mut dyn Write) -> std::io::Result<()>| {
        let path = dir.join(name);
        let file =
            File::create(&path).map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
        let mut out = BufWriter::with_capacity(1 << 20, file);
        f(&mut out)
            .and_then(|()| out.flush())
            .map_err(|e| format!("cannot write `{}`: {e}", path.display()))
    };
    write("plan.json", &|out| plan.write_terraform(out))?;
    write("stack.json", &|out| plan.write_pulumi(out))?;
    let expected = plan.expected_json();
    write("plan.expected.json", &|out| {
        serde_json::to_writer_pretty(&mut *out, &expected)?;
        out.write_all(b"\n")
    })?;
    Ok(plan.expected())
}

fn generate(args: &[String]) -> Result<(), String> {
    let n = parse_count(option(args, "--resources").ok_or("--resources N is required")?)?;
    let seed = option(args, "--seed")
        .map(|s| s.parse::<u64>().map_err(|_| format!("`{s}` is not a seed")))
        .transpose()?
        .unwrap_or(1);
    let dir = PathBuf::from(option(args, "--out").ok_or("--out DIR is required")?);
    let expected = write_plans(&dir, n, seed)?;
    println!(
        "{}",
        serde_json::to_string(&expected).map_err(|e| e.to_string())?
    );
    Ok(())
}

/// Writes `manifests.yaml` and `manifests.expected.json` for `--objects N` Kubernetes objects.
fn generate_manifests(args: &[String]) -> Result<(), String> {
    let n = parse_count(option(args, "--objects").ok_or("--objects N is required")?)?;
    let seed = option(args, "--seed")
        .map(|s| s.parse::<u64>().map_err(|_| format!("`{s}` is not a seed")))
        .transpose()?
        .unwrap_or(1);
    let dir = PathBuf::from(option(args, "--out").ok_or("--out DIR is required")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let set = guardrail_bench::kubernetes::ManifestSet::new(n, seed);
    let path = dir.join("manifests.yaml");
    let file =
        File::create(&path).map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    set.write_yaml(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    let expected = set.expected_json();
    let text = serde_json::to_string_pretty(&expected).map_err(|e| e.to_string())?;
    let path = dir.join("manifests.expected.json");
    std::fs::write(&path, format!("{text}\n"))
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    println!("{text}");
    Ok(())
}

/// Writes a Google Cloud Terraform plan (`gcp-plan.json`) and its expected counts.
fn generate_gcp(args: &[String]) -> Result<(), String> {
    let n = parse_count(option(args, "--resources").ok_or("--resources N is required")?)?;
    let seed = option(args, "--seed")
        .map(|s| s.parse::<u64>().map_err(|_| format!("`{s}` is not a seed")))
        .transpose()?
        .unwrap_or(1);
    let dir = PathBuf::from(option(args, "--out").ok_or("--out DIR is required")?);
    std::fs::create_dir_all(&dir).map_err(|e| format!("cannot create `{}`: {e}", dir.display()))?;
    let plan = guardrail_bench::gcp::GcpPlan::new(n, seed);
    let path = dir.join("gcp-plan.json");
    let file =
        File::create(&path).map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
    let mut out = BufWriter::with_capacity(1 << 20, file);
    plan.write_terraform(&mut out)
        .and_then(|()| out.flush())
        .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    let expected = plan.expected_json();
    let path = dir.join("gcp-plan.expected.json");
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&expected).map_err(|e| e.to_string())? + "\n",
    )
    .map_err(|e| format!("cannot write `{}`: {e}", path.display()))?;
    println!(
        "{}",
        serde_json::to_string(&plan.expected()).map_err(|e| e.to_string())?
    );
    Ok(())
}

fn read(args: &[String]) -> Result<Vec<u8>, String> {
    let path = args.first().ok_or("a FILE is required")?;
    std::fs::read(path).map_err(|e| format!("cannot read `{path}`: {e}"))
}

/// The reference: the whole file as a generic `serde_json::Value`.
fn parse_value(args: &[String]) -> Result<(), String> {
    let bytes = read(args)?;
    let value: serde_json::Value = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    let resources = value
        .get("resource_changes")
        .or_else(|| value.pointer("/deployment/resources"))
        .and_then(serde_json::Value::as_array)
        .map_or(0, Vec::len);
    println!("{resources}");
    Ok(())
}

/// The floor: the parser checks every byte and builds nothing.
fn skim(args: &[String]) -> Result<(), String> {
    let bytes = read(args)?;
    let _: serde::de::IgnoredAny = serde_json::from_slice(&bytes).map_err(|e| e.to_string())?;
    println!("ok");
    Ok(())
}

fn count(args: &[String]) -> Result<(), String> {
    let tool = args.first().ok_or("count guardrail|opa|checkov FILE")?;
    let path = args.get(1).ok_or("count guardrail|opa|checkov FILE")?;
    let counts = harness::count_file(tool, Path::new(path))?;
    println!(
        "{}",
        serde_json::to_string_pretty(&counts).map_err(|e| e.to_string())?
    );
    Ok(())
}
