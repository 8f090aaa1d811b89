//! Prints a rule's documentation: `cargo run -p guardrail-catalog --example explain -- AWS-EC2-001`.

fn main() {
    let id = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "AWS-EC2-001".into());
    match guardrail_catalog::explain(&id) {
        Some(text) => print!("{text}"),
        None => eprintln!(
            "unknown rule `{id}`{}",
            guardrail_catalog::suggest(&id)
                .map(|s| format!("; did you mean `{s}`?"))
                .unwrap_or_default()
        ),
    }
}
