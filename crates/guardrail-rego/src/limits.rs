//! Size limits on the Rego builtins whose result can be far larger than their arguments.
//!
//! regorus checks its time limit between evaluation steps, never inside one builtin call, and
//! without its own allocator build it has no memory limit: `numbers.range(1, 4000000000)` asks
//! for tens of gigabytes in one allocation, which aborts the whole process, and
//! `numbers.range(1, 2e8)` runs for many seconds past any time limit. These builtins are
//! replaced (regorus looks extensions up before builtins) by versions that compute the size of
//! their result first and refuse one above [`MAX_ELEMENTS`]: the policy gets an error outcome,
//! the same on every machine and under any load. `sprintf` is guarded the same way: a width or
//! precision in its format above [`MAX_WIDTH`] (Go's own limit) is an error, not gigabytes of
//! padding.

use regorus::{Engine, Value as Rego};

/// The most elements one `numbers.range` or `numbers.range_step` call may build (about 50 MB of
/// Rego values). OPA itself has no limit; policies use ranges for indexes and ports, far below.
pub const MAX_ELEMENTS: u64 = 1_000_000;

/// The largest width or precision a `sprintf` format may ask for (Go's `fmt` refuses larger).
pub const MAX_WIDTH: u64 = 1_000_000;

/// The package of the helper engine that runs the real `sprintf` once its format is checked.
const SPRINTF_MODULE: &str =
    "package guardrail_limits\n\nsprintf_checked := sprintf(input[0], input[1])\n";

thread_local! {
    /// One helper engine per thread, built at the first checked `sprintf`.
    static SPRINTF: std::cell::RefCell<Option<Engine>> = const { std::cell::RefCell::new(None) };
}

/// Replaces the unbounded builtins of `engine` with size-checked versions.
pub(crate) fn install(engine: &mut Engine) {
    // Adding fails only when the name is already taken, which a fresh engine never has.
    let _ = engine.add_extension(
        "numbers.range".to_string(),
        2,
        Box::new(|args: Vec<Rego>| range("numbers.range", &args, false)),
    );
    let _ = engine.add_extension(
        "numbers.range_step".to_string(),
        3,
        Box::new(|args: Vec<Rego>| range("numbers.range_step", &args, true)),
    );
    let _ = engine.add_extension("sprintf".to_string(), 2, Box::new(sprintf));
}

/// The largest width or precision that `format` asks for.
fn largest_width(format: &str) -> u64 {
    let mut largest = 0u64;
    let mut chars = format.chars().peekable();
    while let Some(c) = chars.next() {
        if c != '%' {
            continue;
        }
        let mut number = 0u64;
        while let Some(&c) = chars.peek() {
            if let Some(d) = c.to_digit(10) {
                number = number.saturating_mul(10).saturating_add(u64::from(d));
            } else if "+-# .".contains(c) {
                number = 0;
            } else {
                break;
            }
            largest = largest.max(number);
            chars.next();
        }
        // The verb (or the second `%` of `%%`).
        chars.next();
    }
    largest
}

/// `sprintf(format, values)`, refusing a width or precision above [`MAX_WIDTH`].
fn sprintf(args: Vec<Rego>) -> anyhow::Result<Rego> {
    if let Some(Rego::String(format)) = args.first() {
        let width = largest_width(format);
        if width > MAX_WIDTH {
            anyhow::bail!(
                "sprintf: the format asks for a width of {width}, more than the limit of {MAX_WIDTH}"
            );
        }
    }
    SPRINTF.with(|cell| {
        let mut slot = cell.borrow_mut();
        let engine = match slot.as_mut() {
            Some(engine) => engine,
            None => {
                let mut engine = Engine::new();
                engine.add_policy("guardrail-limits.rego".into(), SPRINTF_MODULE.into())?;
                slot.insert(engine)
            }
        };
        engine.set_input(Rego::from(args));
        // The helper's own file and place mean nothing to the policy's author: keep the message.
        engine
            .eval_rule("data.guardrail_limits.sprintf_checked".into())
            .map_err(|e| anyhow::anyhow!(crate::error::parse_regorus(&e.to_string()).2))
    })
}

/// An integer argument; `None` for a number that is not an integer (OPA: undefined).
fn integer(name: &str, which: &str, value: &Rego) -> anyhow::Result<Option<i64>> {
    let Ok(number) = value.as_number() else {
        anyhow::bail!("{name}: the {which} operand must be a number");
    };
    if !number.is_integer() {
        return Ok(None);
    }
    match number.as_i64() {
        Some(n) => Ok(Some(n)),
        None => anyhow::bail!(
            "{name}: the {which} operand is too large (at most {} numbers may be built)",
            MAX_ELEMENTS
        ),
    }
}

/// `numbers.range(a, b)` (`stepped` false) or `numbers.range_step(a, b, step)`: the integers from
/// `a` to `b`, both included, counting down when `b < a`.
fn range(name: &str, args: &[Rego], stepped: bool) -> anyhow::Result<Rego> {
    let (Some(first), Some(last)) = (args.first(), args.get(1)) else {
        anyhow::bail!("{name}: expected {} arguments", if stepped { 3 } else { 2 });
    };
    let (Some(a), Some(b)) = (
        integer(name, "first", first)?,
        integer(name, "second", last)?,
    ) else {
        return Ok(Rego::Undefined);
    };
    let step = if stepped {
        match args.get(2).map(|s| integer(name, "step", s)).transpose()? {
            Some(Some(s)) if s > 0 => s,
            _ => anyhow::bail!("{name}: the step must be a positive integer"),
        }
    } else {
        1
    };
    let span = u64::try_from((i128::from(b) - i128::from(a)).unsigned_abs()).unwrap_or(u64::MAX);
    let count = span / step.unsigned_abs() + 1;
    if count > MAX_ELEMENTS {
        anyhow::bail!(
            "{name} would build {count} numbers, more than the limit of {MAX_ELEMENTS} for one call"
        );
    }
    let mut values = Vec::with_capacity(usize::try_from(count).unwrap_or(0));
    let mut next = i128::from(a);
    let signed_step = if b < a {
        -i128::from(step)
    } else {
        i128::from(step)
    };
    for _ in 0..count {
        // Every value lies between `a` and `b`, so it fits.
        values.push(Rego::from(i64::try_from(next).unwrap_or_default()));
        next += signed_step;
    }
    Ok(Rego::from(values))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    fn eval(query: &str) -> Result<Rego, String> {
        let mut engine = Engine::new();
        install(&mut engine);
        engine
            .add_policy(
                "t.rego".into(),
                format!("package t\nimport rego.v1\nx := {query}\n"),
            )
            .map_err(|e| e.to_string())?;
        engine
            .eval_rule("data.t.x".into())
            .map_err(|e| e.to_string())
    }

    fn ints(v: &Rego) -> Vec<i64> {
        v.as_array()
            .unwrap()
            .iter()
            .map(|n| n.as_i64().unwrap())
            .collect()
    }

    #[test]
    fn ranges_match_opa() {
        assert_eq!(ints(&eval("numbers.range(1, 4)").unwrap()), [1, 2, 3, 4]);
        assert_eq!(ints(&eval("numbers.range(2, -1)").unwrap()), [2, 1, 0, -1]);
        assert_eq!(ints(&eval("numbers.range(3, 3)").unwrap()), [3]);
        assert_eq!(
            ints(&eval("numbers.range_step(0, 10, 4)").unwrap()),
            [0, 4, 8]
        );
        assert_eq!(
            ints(&eval("numbers.range_step(10, 0, 5)").unwrap()),
            [10, 5, 0]
        );
        assert_eq!(eval("numbers.range(1.5, 4)").unwrap(), Rego::Undefined);
    }

    #[test]
    fn huge_ranges_are_errors_not_aborts() {
        for q in [
            "numbers.range(1, 4000000000)",
            "numbers.range(1, 2e8)",
            "numbers.range(-9223372036854775807, 9223372036854775807)",
            "numbers.range_step(1, 4000000000, 2)",
        ] {
            let e = eval(q).unwrap_err();
            assert!(e.contains("more than the limit of 1000000"), "{q}: {e}");
        }
        assert_eq!(
            eval("count(numbers.range(1, 1000000))").unwrap(),
            Rego::from(1_000_000_i64)
        );
        let e = eval("numbers.range_step(1, 10, 0)").unwrap_err();
        assert!(e.contains("step must be a positive integer"), "{e}");
    }

    #[test]
    fn sprintf_works_and_refuses_huge_widths() {
        assert_eq!(
            eval(r#"sprintf("%s has %5d ports, %.2f%%", ["sg", 3, 1.5])"#).unwrap(),
            Rego::from("sg has     3 ports, 1.50%")
        );
        assert_eq!(
            eval(r#"sprintf("%s", [input.missing])"#).unwrap(),
            Rego::Undefined
        );
        for q in [
            r#"sprintf("%1999999999d", [1])"#,
            r#"sprintf(concat("", ["%0", "5000000", "d"]), [1])"#,
            r#"sprintf("%-.99999999999999999999f", [1])"#,
        ] {
            let e = eval(q).unwrap_err();
            assert!(e.contains("more than the limit of 1000000"), "{q}: {e}");
        }
        assert_eq!(largest_width("100%% %d %08.3f"), 8);
    }
}
