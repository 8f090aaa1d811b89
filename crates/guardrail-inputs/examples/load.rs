//! Loads files and prints a summary of each (or the error): `cargo run -p guardrail-inputs
//! --example load -- FILE...`.

fn main() {
    for arg in std::env::args().skip(1) {
        let start = std::time::Instant::now();
        match guardrail_inputs::load_file(std::path::Path::new(&arg), None) {
            Ok(stack) => {
                println!(
                    "{arg}: {} with {} resources in {:?}",
                    stack.format,
                    stack.resources.len(),
                    start.elapsed()
                );
                if std::env::var_os("SHOW").is_some() {
                    for r in &stack.resources {
                        println!(
                            "  {} {} {} line {:?} deps {:?}",
                            r.operation, r.id, r.type_, r.line, r.dependencies
                        );
                    }
                }
            }
            Err(e) => println!("{e}"),
        }
    }
}
