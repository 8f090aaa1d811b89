//! The benchmark runner: for each size, generate the plans once, then run every tool `--runs`
//! times (interleaved, so each run compares tools under the same conditions), timing wall clock
//! and reading peak RSS from `/usr/bin/time`. Violation counts are checked against the
//! generator's expected counts; a mismatch fails the benchmark.

use std::collections::{BTreeMap, BTreeSet};
use std::fs;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use serde::Deserialize;
use serde_json::{json, Value};

use crate::{option, parse_count, write_plans};
use guardrail_bench::Expected;

/// One command under measurement.
struct Tool {
    /// Row name.
    name: &'static str,
    /// What it does, for the table.
    what: &'static str,
    /// The command line.
    argv: Vec<String>,
    /// Where its stdout goes, when kept.
    stdout: Option<PathBuf>,
    /// How to count its violations (`guardrail`, `opa`, `checkov`), and from which file.
    counts: Option<(&'static str, PathBuf)>,
    /// Whether its counts must equal the expected counts.
    exact: bool,
    /// How many runs it gets (Checkov is slow).
    runs: usize,
}

/// One measurement.
#[derive(Clone, Copy, Debug)]
struct Sample {
    wall: f64,
    rss_kb: u64,
}

fn median(mut xs: Vec<f64>) -> f64 {
    if xs.is_empty() {
        return f64::NAN;
    }
    xs.sort_by(f64::total_cmp);
    let mid = xs.len() / 2;
    if xs.len() % 2 == 1 {
        xs[mid]
    } else {
        (xs[mid - 1] + xs[mid]) / 2.0
    }
}

fn measure(tool: &Tool, scratch: &Path) -> Result<(Sample, i32, String), String> {
    let time_file = scratch.join("time.txt");
    let mut cmd = Command::new("/usr/bin/time");
    cmd.arg("-f")
        .arg("%e %M")
        .arg("-o")
        .arg(&time_file)
        .args(&tool.argv)
        .stdin(Stdio::null())
        .stderr(Stdio::piped());
    match &tool.stdout {
        Some(path) => {
            let file = fs::File::create(path)
                .map_err(|e| format!("cannot create `{}`: {e}", path.display()))?;
            cmd.stdout(file);
        }
        None => {
            cmd.stdout(Stdio::null());
        }
    }
    let start = Instant::now();
    let out = cmd
        .output()
        .map_err(|e| format!("cannot run `{}`: {e}", tool.argv.join(" ")))?;
    let wall = start.elapsed().as_secs_f64();
    let timing = fs::read_to_string(&time_file).unwrap_or_default();
    let rss_kb = timing
        .lines()
        .last()
        .and_then(|l| l.split_whitespace().nth(1))
        .and_then(|m| m.parse().ok())
        .unwrap_or(0);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    Ok((
        Sample { wall, rss_kb },
        out.status.code().unwrap_or(-1),
        stderr,
    ))
}

#[derive(Deserialize)]
struct Report {
    findings: Vec<Finding>,
    #[serde(default)]
    remediations: Vec<Remediation>,
}

/// A resource changed by remediation: its violations of these policies were found and fixed.
#[derive(Deserialize)]
struct Remediation {
    resource: String,
    policies: Vec<String>,
}

#[derive(Deserialize)]
struct Finding {
    policy: String,
    kind: String,
    resource: Option<FindingResource>,
    #[serde(default)]
    message: Option<String>,
}

#[derive(Deserialize)]
struct FindingResource {
    id: String,
}

/// Violations per rule in a tool's output: resources with at least one violation of the rule.
pub(crate) fn count_file(tool: &str, path: &Path) -> Result<BTreeMap<String, u64>, String> {
    let bytes = fs::read(path).map_err(|e| format!("cannot read `{}`: {e}", path.display()))?;
    let bad = |e: serde_json::Error| format!("`{}` is not {tool} output: {e}", path.display());
    match tool {
        "guardrail" => {
            let report: Report = serde_json::from_slice(&bytes).map_err(bad)?;
            let mut seen: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
            for f in report.findings {
                if f.kind == "violation" {
                    let id = f.resource.map(|r| r.id).unwrap_or_default();
                    // The Rego pack's `deny` entries are `{"rule": ..., "resource": ...}`
                    // objects: the message is that object, the rule is inside.
                    let rule = f
                        .message
                        .as_deref()
                        .and_then(|m| serde_json::from_str::<Value>(m).ok())
                        .and_then(|v| v.get("rule").and_then(Value::as_str).map(str::to_string))
                        .unwrap_or(f.policy);
                    seen.entry(rule).or_default().insert(id);
                }
            }
            for r in report.remediations {
                for policy in r.policies {
                    seen.entry(policy).or_default().insert(r.resource.clone());
                }
            }
            Ok(seen.into_iter().map(|(k, v)| (k, v.len() as u64)).collect())
        }
        "opa" => {
            let v: Value = serde_json::from_slice(&bytes).map_err(bad)?;
            Ok(v.get("rules")
                .and_then(Value::as_object)
                .map(|m| {
                    m.iter()
                        .map(|(k, v)| (k.clone(), v.as_u64().unwrap_or(0)))
                        .collect()
                })
                .unwrap_or_default())
        }
        "checkov" => {
            let v: Value = serde_json::from_slice(&bytes).map_err(bad)?;
            let reports: Vec<&Value> = match &v {
                Value::Array(items) => items.iter().collect(),
                other => vec![other],
            };
            let mut out = BTreeMap::new();
            for r in reports {
                for check in r
                    .pointer("/results/failed_checks")
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    let id = check
                        .get("check_id")
                        .and_then(Value::as_str)
                        .unwrap_or("?")
                        .to_string();
                    *out.entry(id).or_insert(0) += 1;
                }
            }
            Ok(out)
        }
        other => Err(format!("unknown tool `{other}`")),
    }
}

/// Compares counted rules; returns the mismatches as text.
fn compare(expected: &Expected, found: &BTreeMap<String, u64>) -> Vec<String> {
    expected
        .iter()
        .filter_map(|(rule, want)| {
            let got = found.get(rule).copied().unwrap_or(0);
            (got != *want).then(|| format!("{rule}: expected {want}, found {got}"))
        })
        .collect()
}

struct Row {
    name: &'static str,
    what: &'static str,
    samples: Vec<Sample>,
    /// Per run: this tool's wall time over the parse reference's, same run.
    ratios: Vec<f64>,
    counts: String,
    note: String,
}

fn exe_dir() -> Result<PathBuf, String> {
    let exe = std::env::current_exe().map_err(|e| e.to_string())?;
    exe.parent()
        .map(Path::to_path_buf)
        .ok_or_else(|| "cannot find the benchmark's own directory".to_string())
}

/// `guardrail-bench run`.
pub(crate) fn run(args: &[String]) -> Result<(), String> {
    let sizes: Vec<usize> = option(args, "--sizes")
        .unwrap_or("1k,10k,100k")
        .split(',')
        .map(parse_count)
        .collect::<Result<_, _>>()?;
    let runs: usize = option(args, "--runs")
        .unwrap_or("3")
        .parse()
        .map_err(|_| "--runs takes a number")?;
    let seed: u64 = option(args, "--seed")
        .unwrap_or("1")
        .parse()
        .map_err(|_| "--seed takes a number")?;
    let checkov_max = parse_count(option(args, "--checkov-max").unwrap_or("10k"))?;
    let checkov_runs: usize = option(args, "--checkov-runs")
        .unwrap_or("1")
        .parse()
        .map_err(|_| "--checkov-runs takes a number")?;
    let skip: Vec<&str> = option(args, "--skip")
        .map(|s| s.split(',').collect())
        .unwrap_or_default();
    let root = PathBuf::from(option(args, "--root").unwrap_or("."));
    let work = root.join(".bench");
    let bin = exe_dir()?;
    let guardrail = bin.join("guardrail");
    let bench = bin.join("guardrail-bench");
    let venv = work.join("venv/bin");
    let rego_dir = root.join("bench/rego");
    let mut all_ok = true;
    let mut summary = Vec::new();
    let mut markdown = String::new();

    for &n in &sizes {
        let dir = work.join(format!("data/{n}"));
        let expected_path = dir.join("plan.expected.json");
        let fresh = fs::read_to_string(&expected_path)
            .ok()
            .and_then(|t| serde_json::from_str::<Value>(&t).ok())
            .is_some_and(|v| v.get("seed") == Some(&json!(seed)));
        let expected: Expected = if fresh {
            let v: Value = serde_json::from_str(
                &fs::read_to_string(&expected_path).map_err(|e| e.to_string())?,
            )
            .map_err(|e| e.to_string())?;
            serde_json::from_value(v.get("rules").cloned().unwrap_or_default())
                .map_err(|e| e.to_string())?
        } else {
            eprintln!(
                "generating {n} resources (seed {seed}) in {}",
                dir.display()
            );
            write_plans(&dir, n, seed)?
        };
        let plan = dir.join("plan.json");
        let stack = dir.join("stack.json");
        let plan_mb = fs::metadata(&plan).map_err(|e| e.to_string())?.len() as f64 / 1e6;
        let stack_mb = fs::metadata(&stack).map_err(|e| e.to_string())?.len() as f64 / 1e6;
        let out = dir.join("out");
        fs::create_dir_all(&out).map_err(|e| e.to_string())?;
        let s = |p: &Path| p.display().to_string();
        let mut tools = vec![
            Tool {
                name: "parse",
                what: "serde_json::Value of plan.json (reference)",
                argv: vec![s(&bench), "parse-value".into(), s(&plan)],
                stdout: None,
                counts: None,
                exact: false,
                runs,
            },
            Tool {
                name: "skim",
                what: "IgnoredAny over plan.json (floor)",
                argv: vec![s(&bench), "skim".into(), s(&plan)],
                stdout: None,
                counts: None,
                exact: false,
                runs,
            },
            Tool {
                name: "guardrail",
                what: "guardrail check plan.json --select all",
                argv: vec![
                    s(&guardrail),
                    "check".into(),
                    s(&plan),
                    "--select".into(),
                    "all".into(),
                    "--format".into(),
                    "json".into(),
                    "-o".into(),
                    s(&out.join("guardrail.json")),
                ],
                stdout: None,
                counts: Some(("guardrail", out.join("guardrail.json"))),
                exact: true,
                runs,
            },
            Tool {
                name: "guardrail-pulumi",
                what: "guardrail audit stack.json --select all (Pulumi export)",
                argv: vec![
                    s(&guardrail),
                    "audit".into(),
                    s(&stack),
                    "--select".into(),
                    "all".into(),
                    "--format".into(),
                    "json".into(),
                    "-o".into(),
                    s(&out.join("guardrail-pulumi.json")),
                ],
                stdout: None,
                counts: Some(("guardrail", out.join("guardrail-pulumi.json"))),
                exact: true,
                runs,
            },
            Tool {
                name: "guardrail-rego",
                what: "guardrail check plan.json --pack bench/rego",
                argv: vec![
                    s(&guardrail),
                    "check".into(),
                    s(&plan),
                    "--pack".into(),
                    s(&rego_dir),
                    // One evaluation covers the whole plan: give it time at 1M resources.
                    "--rego-timeout".into(),
                    "30m".into(),
                    "--format".into(),
                    "json".into(),
                    "-o".into(),
                    s(&out.join("guardrail-rego.json")),
                ],
                stdout: None,
                counts: Some(("guardrail", out.join("guardrail-rego.json"))),
                exact: true,
                runs,
            },
            Tool {
                name: "opa",
                what: "OPA (Go) on bench/rego over plan.json",
                argv: vec![
                    s(&venv.join("python")),
                    s(&root.join("bench/opa_eval.py")),
                    s(&rego_dir.join("guardrails.rego")),
                    s(&plan),
                ],
                stdout: Some(out.join("opa.json")),
                counts: Some(("opa", out.join("opa.json"))),
                exact: true,
                runs,
            },
        ];
        if n <= checkov_max {
            tools.push(Tool {
                name: "checkov",
                what: "checkov -f plan.json --framework terraform_plan",
                argv: vec![
                    s(&venv.join("checkov")),
                    "-f".into(),
                    s(&plan),
                    "--framework".into(),
                    "terraform_plan".into(),
                    "--quiet".into(),
                    "--compact".into(),
                    "-o".into(),
                    "json".into(),
                ],
                stdout: Some(out.join("checkov.json")),
                counts: Some(("checkov", out.join("checkov.json"))),
                exact: false,
                runs: checkov_runs.min(runs),
            });
        } else if !skip.contains(&"checkov") {
            eprintln!(
                "checkov skipped at {n} resources: above --checkov-max {checkov_max} (Checkov needs about 5 minutes and 3.9 GB at 10k; at {n} it would need hours)"
            );
        }
        tools.retain(|t| !skip.contains(&t.name));
        let mut rows: Vec<Row> = tools
            .iter()
            .map(|t| Row {
                name: t.name,
                what: t.what,
                samples: Vec::new(),
                ratios: Vec::new(),
                counts: String::new(),
                note: String::new(),
            })
            .collect();
        let mut disabled: BTreeSet<&str> = BTreeSet::new();
        for r in 0..runs {
            let mut parse_wall = None;
            for (tool, row) in tools.iter().zip(rows.iter_mut()) {
                if r >= tool.runs || disabled.contains(tool.name) {
                    continue;
                }
                eprintln!("[{n}] run {} {}", r + 1, tool.name);
                let (sample, code, stderr) = measure(tool, &out)?;
                let failed = !matches!(code, 0 | 1);
                if failed {
                    disabled.insert(tool.name);
                    let first = stderr.lines().next().unwrap_or("").to_string();
                    row.note = format!("not measured: exit {code}: {first}");
                    eprintln!("[{n}] {} failed (exit {code}): {stderr}", tool.name);
                    if tool.exact && !first.contains("not supported") {
                        all_ok = false;
                    }
                    continue;
                }
                if tool.name == "parse" {
                    parse_wall = Some(sample.wall);
                }
                if let Some(p) = parse_wall {
                    row.ratios.push(sample.wall / p);
                }
                row.samples.push(sample);
                if r == 0 {
                    if let Some((kind, file)) = &tool.counts {
                        let found = count_file(kind, file)?;
                        if tool.exact {
                            let mismatches = compare(&expected, &found);
                            if mismatches.is_empty() {
                                row.counts = "exact".into();
                            } else {
                                all_ok = false;
                                row.counts = format!("MISMATCH: {}", mismatches.join("; "));
                                eprintln!("[{n}] {}: {}", tool.name, row.counts);
                            }
                        } else {
                            let total: u64 = found.values().sum();
                            row.counts = format!("{total} failed checks ({} kinds)", found.len());
                        }
                    }
                }
            }
        }

        markdown.push_str(&format!(
            "\n### {n} resources (plan.json {plan_mb:.1} MB, stack.json {stack_mb:.1} MB)\n\n| tool | what | wall s (median) | peak RSS MB | RSS / file | time / parse | counts |\n|---|---|---:|---:|---:|---:|---|\n"
        ));
        let mut size_summary = serde_json::Map::new();
        for row in &rows {
            let file_mb = if row.name == "guardrail-pulumi" {
                stack_mb
            } else {
                plan_mb
            };
            if row.samples.is_empty() {
                markdown.push_str(&format!(
                    "| {} | {} | – | – | – | – | {} |\n",
                    row.name, row.what, row.note
                ));
                continue;
            }
            let wall = median(row.samples.iter().map(|s| s.wall).collect());
            let rss = median(row.samples.iter().map(|s| s.rss_kb as f64).collect()) / 1024.0;
            // no ratio when the reference parse was skipped (1M: it needs ~10x the file in RAM)
            let ratio = (!row.ratios.is_empty()).then(|| median(row.ratios.clone()));
            let ratio_cell = ratio.map_or_else(|| "–".to_string(), |r| format!("{r:.2}×"));
            markdown.push_str(&format!(
                "| {} | {} | {wall:.3} | {rss:.0} | {:.2}× | {ratio_cell} | {} |\n",
                row.name,
                row.what,
                rss * 1.048_576 / file_mb,
                row.counts
            ));
            size_summary.insert(
                row.name.to_string(),
                json!({"wall_s": wall, "rss_mb": rss, "rss_over_file": rss * 1.048_576 / file_mb,
                       "over_parse": ratio, "runs": row.samples.len(), "counts": row.counts,
                       "walls": row.samples.iter().map(|s| s.wall).collect::<Vec<_>>()}),
            );
        }
        // pair-by-pair ratios from the same runs
        let pair = |a: &str, b: &str| -> Option<f64> {
            let ra = rows.iter().find(|r| r.name == a)?;
            let rb = rows.iter().find(|r| r.name == b)?;
            let k = ra.samples.len().min(rb.samples.len());
            (k > 0).then(|| {
                median(
                    (0..k)
                        .map(|i| ra.samples[i].wall / rb.samples[i].wall)
                        .collect(),
                )
            })
        };
        let mut ratios = Vec::new();
        for (a, b, label) in [
            ("guardrail", "parse", "guardrail / serde_json::Value parse"),
            ("guardrail", "skim", "guardrail / skim floor"),
            (
                "checkov",
                "guardrail",
                "Checkov / guardrail (throughput ratio)",
            ),
            ("opa", "guardrail-rego", "OPA / guardrail Rego"),
            ("guardrail-rego", "guardrail", "guardrail Rego / native"),
            ("opa", "guardrail", "OPA / guardrail native"),
        ] {
            if let Some(x) = pair(a, b) {
                ratios.push(format!("{label}: {x:.2}×"));
                size_summary.insert(format!("{a}/{b}"), json!(x));
            }
        }
        if !ratios.is_empty() {
            markdown.push_str(&format!(
                "\nPaired ratios (median over runs): {}.\n",
                ratios.join("; ")
            ));
        }
        summary.push(json!({"resources": n, "plan_mb": plan_mb, "stack_mb": stack_mb, "expected": expected, "tools": size_summary}));
        println!("{markdown}");
    }

    let results = work.join("results");
    fs::create_dir_all(&results).map_err(|e| e.to_string())?;
    let label = sizes
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("-");
    fs::write(results.join(format!("{label}.md")), &markdown).map_err(|e| e.to_string())?;
    fs::write(
        results.join(format!("{label}.json")),
        serde_json::to_string_pretty(&summary).map_err(|e| e.to_string())?,
    )
    .map_err(|e| e.to_string())?;
    println!(
        "results written to {}",
        results.join(format!("{label}.md")).display()
    );
    if all_ok {
        Ok(())
    } else {
        Err("the benchmark failed: a tool failed or its violation counts differ from the generator's expected counts".into())
    }
}
