//! Compliance reports on every real input of the corpus: each loadable file gives a report on
//! every framework with no control in error, and no control passes without evidence.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

use std::path::{Path, PathBuf};

use guardrail_report::compliance::Status;
use guardrail_run::{compliance, config::Config, Input, RunOptions, Silent};

fn json_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let mut entries: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    entries.sort();
    for path in entries {
        if path.is_dir() {
            json_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
}

#[test]
fn every_corpus_input_gets_a_report_without_errors() {
    let Some(root) = corpus::corpus("every_corpus_input_gets_a_report_without_errors") else {
        return;
    };
    let mut files = Vec::new();
    json_files(&root, &mut files);
    let slugs: Vec<String> = guardrail_catalog::frameworks::slugs()
        .iter()
        .map(|s| (*s).to_string())
        .collect();
    let frameworks = compliance::frameworks(&slugs).unwrap();
    let (mut reported, mut problems) = (0, Vec::new());
    for file in &files {
        // files that are no input (configs, expected outputs) are rejected by the loader, as
        // `guardrail check` rejects them
        if guardrail_inputs::load_file(file, None).is_err() {
            continue;
        }
        let options = RunOptions {
            inputs: vec![Input::Path(file.clone())],
            today: Some("2026-01-01".into()),
            ..RunOptions::default()
        };
        let report = match compliance::run(
            &frameworks,
            options,
            &Config::default(),
            &Silent,
            "2026-01-01T00:00:00Z",
        ) {
            Ok(report) => report,
            Err(e) => {
                problems.push(format!("{}: {}", file.display(), e.message));
                continue;
            }
        };
        reported += 1;
        for framework in &report.frameworks {
            for control in &framework.controls {
                let bad = match control.status {
                    Status::Error => Some("a rule failed"),
                    Status::Pass if control.resources.is_empty() => Some("passes without evidence"),
                    Status::Pass | Status::Fail | Status::Exempted if control.rules.is_empty() => {
                        Some("is decided without a rule")
                    }
                    _ => None,
                };
                if let Some(bad) = bad {
                    problems.push(format!(
                        "{}: {} control {} {bad}; reproduce with `cargo run -p guardrail -- report compliance --framework {} {}`",
                        file.display(),
                        framework.slug,
                        control.id,
                        framework.slug,
                        file.display()
                    ));
                }
            }
        }
    }
    assert!(reported > 0, "no loadable input in {}", root.display());
    assert!(problems.is_empty(), "{}", problems.join("\n"));
    eprintln!("compliance reports on {reported} corpus inputs, none in error");
}
