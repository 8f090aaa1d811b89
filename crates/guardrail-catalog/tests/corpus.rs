//! The whole catalog over every loadable file of the shared corpus (`../shared/corpus` from the
//! workspace root: real plans, states and stack exports from public repositories) with zero
//! error outcomes: real-world shapes must give pass, violation, not applicable or indeterminate.
//!
//! `cargo test -p guardrail-catalog --test corpus -- --nocapture` also prints the findings by
//! rule on the corpus's AWS plans.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use guardrail_core::{
    evaluate, Enforcement, EvaluationOptions, OutcomeKind, PolicySettings, Stack,
};

#[path = "../../../tests/support/corpus.rs"]
mod corpus;

fn files(dir: &Path, out: &mut Vec<PathBuf>) {
    let mut entries: Vec<_> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", dir.display()))
        .map(|e| e.unwrap().path())
        .collect();
    entries.sort();
    for p in entries {
        if p.is_dir() {
            files(&p, out);
        } else if p.extension().is_none_or(|e| e != "md") {
            out.push(p);
        }
    }
}

fn is_aws(stack: &Stack) -> bool {
    stack
        .resources
        .iter()
        .any(|r| r.type_.starts_with("aws_") || r.type_.starts_with("aws:"))
}

fn resource_id(stack: &Stack, index: Option<usize>) -> &str {
    index
        .and_then(|i| stack.resources.get(i))
        .map_or("(stack)", |r| r.id.as_str())
}

/// Counts of one rule's outcomes over a set of files.
#[derive(Default)]
struct Tally {
    violations: usize,
    indeterminate: usize,
    files: usize,
}

#[test]
fn the_catalog_runs_over_the_corpus_without_errors() {
    let Some(root) = corpus::corpus("the_catalog_runs_over_the_corpus_without_errors") else {
        return;
    };
    let mut all = Vec::new();
    files(&root, &mut all);
    assert!(all.len() > 300, "corpus not found at {}", root.display());
    let packs = [guardrail_catalog::builtin_pack()];
    let options = EvaluationOptions::default();
    let remediate = EvaluationOptions {
        settings: PolicySettings {
            all: Some(Enforcement::Remediate),
            ..PolicySettings::default()
        },
        ..EvaluationOptions::default()
    };
    let mut errors = Vec::new();
    let (mut loaded, mut skipped, mut resources, mut outcomes) = (0, 0, 0, 0);
    let mut aws_plans = 0;
    let mut by_rule: BTreeMap<String, Tally> = BTreeMap::new();
    // indeterminate outcomes on every Terraform plan, and those that name no resource
    let mut plan_indeterminate = 0;
    let mut unattributed = Vec::new();
    for path in &all {
        let rel = path
            .strip_prefix(&root)
            .unwrap()
            .to_string_lossy()
            .replace('\\', "/");
        let Ok(stack) = guardrail_inputs::load_file(path, None) else {
            skipped += 1;
            continue;
        };
        loaded += 1;
        resources += stack.resources.len();
        // Once as declared, and once with every fix applied, so fixes meet real shapes too.
        let fixed = evaluate(&packs, &stack, &remediate);
        for outcome in &fixed.outcomes {
            if outcome.kind == OutcomeKind::Error {
                let id = &fixed.policies[outcome.policy].meta.id;
                errors.push(format!(
                    "{rel}: {id} (remediating) on `{}`: {}\n    reproduce: cargo run -p guardrail -- check ../shared/corpus/{rel} --select {id} --policy-config <(echo '{{\"all\": \"remediate\"}}')",
                    resource_id(&stack, outcome.resource),
                    outcome.message.as_deref().unwrap_or("(no message)")
                ));
            }
        }
        let evaluation = evaluate(&packs, &stack, &options);
        outcomes += evaluation.outcomes.len();
        let counted = rel.starts_with("terraform-plan/") && is_aws(&stack);
        aws_plans += usize::from(counted);
        let mut seen_here = std::collections::BTreeSet::new();
        for outcome in &evaluation.outcomes {
            let id = &evaluation.policies[outcome.policy].meta.id;
            let resource = resource_id(&stack, outcome.resource);
            if outcome.kind == OutcomeKind::Indeterminate {
                plan_indeterminate += usize::from(rel.starts_with("terraform-plan/"));
                if outcome.resource.is_none() {
                    unattributed.push(format!("{rel}: {id}"));
                }
            }
            match outcome.kind {
                OutcomeKind::Error => errors.push(format!(
                    "{rel}: {id} on `{resource}`: {}\n    reproduce: cargo run -p guardrail -- check ../shared/corpus/{rel} --select {id}",
                    outcome.message.as_deref().unwrap_or("(no message)")
                )),
                OutcomeKind::Violation | OutcomeKind::Indeterminate if counted => {
                    let tally = by_rule.entry(id.clone()).or_default();
                    if outcome.kind == OutcomeKind::Violation {
                        tally.violations += 1;
                        if seen_here.insert(id.clone()) {
                            tally.files += 1;
                        }
                    } else {
                        tally.indeterminate += 1;
                    }
                }
                _ => {}
            }
        }
    }
    println!(
        "corpus: {loaded} files loaded ({skipped} rejected by the loader), {resources} resources, \
         {} rules, {outcomes} outcomes, {} errors",
        packs[0].policies.len(),
        errors.len()
    );
    println!("\nfindings by rule on the {aws_plans} AWS Terraform plans (violations, plans with one, indeterminate):");
    let mut rows: Vec<_> = by_rule.iter().collect();
    rows.sort_by(|a, b| b.1.violations.cmp(&a.1.violations).then(a.0.cmp(b.0)));
    for (id, t) in &rows {
        let title = guardrail_catalog::find(id).map_or("", |s| s.title);
        println!(
            "  {id:<20} {:>5} {:>4} {:>5}  {title}",
            t.violations, t.files, t.indeterminate
        );
    }
    let total: usize = rows.iter().map(|(_, t)| t.violations).sum();
    println!(
        "  total violations: {total} from {} rules",
        rows.iter().filter(|(_, t)| t.violations > 0).count()
    );
    assert!(loaded > 250, "only {loaded} corpus files loaded");
    println!("indeterminate outcomes on the Terraform plans: {plan_indeterminate}");
    // Ratchet (issue 14): unset arguments are decided from the plans' configuration; 544
    // before, 94 since (69 of them in the 7 plans without a configuration), then 108: stack
    // rules give every undecided bucket or VPC its own outcome, beside the violations of others
    // (14 that were hidden before, in 8 plans). Lower it when it falls; a rise means values the
    // configuration never sets are undecided again.
    assert!(
        plan_indeterminate <= 108,
        "{plan_indeterminate} indeterminate outcomes on the corpus's Terraform plans, more than \
         the 108 recorded: run with `-- --nocapture` for the table by rule"
    );
    assert!(
        unattributed.is_empty(),
        "indeterminate outcomes that name no resource:\n{}",
        unattributed.join("\n")
    );
    assert!(
        errors.is_empty(),
        "{} error outcome(s) on the corpus:\n{}",
        errors.len(),
        errors.join("\n")
    );
}
