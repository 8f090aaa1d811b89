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
//!
//! Rego values share their parts: a list of a million references to one long string costs
//! little memory, but the builtins that write a value out (`concat`, `sprintf`, `json.marshal`,
//! `yaml.marshal`) or multiply it (`replace`, `strings.replace_n`, `array.concat`) copy every
//! reference, so a few calls can double a value until memory runs out. Their result's size is
//! estimated from their arguments first and refused above [`MAX_RESULT_BYTES`]; within it,
//! `concat`, `replace`, `strings.replace_n` and `array.concat` are computed here as regorus
//! computes them, and the others (and every ill-typed call, for the builtin's own error) run in
//! a helper engine.

use regorus::{Engine, Value as Rego};

/// The most elements one `numbers.range` or `numbers.range_step` call may build (about 50 MB of
/// Rego values). OPA itself has no limit; policies use ranges for indexes and ports, far below.
pub const MAX_ELEMENTS: u64 = 1_000_000;

/// The largest width or precision a `sprintf` format may ask for (Go's `fmt` refuses larger).
pub const MAX_WIDTH: u64 = 1_000_000;

/// The largest result, in bytes of text (or about that for lists), that one call of a
/// copying builtin may build: 256 MiB.
pub const MAX_RESULT_BYTES: u64 = 256 << 20;

/// The helper engine's rules: each runs the real builtin once its arguments are checked.
const HELPER_MODULE: &str = "package guardrail_limits

sprintf := sprintf(input[0], input[1])

concat := concat(input[0], input[1])

replace := replace(input[0], input[1], input[2])

replace_n := strings.replace_n(input[0], input[1])

json_marshal := json.marshal(input[0])

yaml_marshal := yaml.marshal(input[0])

array_concat := array.concat(input[0], input[1])
";

/// What the size-checked builtins built in the evaluation running on this thread, in bytes.
/// One evaluation of one policy runs on one thread from start to end.
fn built() -> &'static std::thread::LocalKey<std::cell::Cell<u64>> {
    thread_local! {
        static BUILT: std::cell::Cell<u64> = const { std::cell::Cell::new(0) };
    }
    &BUILT
}

/// Starts the count of what one evaluation builds (called before each evaluation).
pub(crate) fn start_evaluation() {
    built().with(|b| b.set(0));
}

/// The most the size-checked builtins may build in one evaluation of one policy, together: a
/// quarter of the memory budget (1 GiB by default), at least [`MAX_RESULT_BYTES`]. Each call within its own limit is cheap to
/// check, but a loop of them (`json.marshal` of a large value six hundred times) would run for
/// minutes inside a few evaluation steps; this stops it after a bounded amount of work.
pub fn evaluation_limit() -> u64 {
    (crate::memory::budget() / 4).max(MAX_RESULT_BYTES)
}

/// Counts `bytes` built by `name` against the evaluation's limit.
fn charge(name: &str, bytes: u64) -> anyhow::Result<()> {
    let limit = evaluation_limit();
    built().with(|b| {
        let total = b.get().saturating_add(bytes);
        b.set(total);
        if total > limit {
            anyhow::bail!(
                "{name}: the policy's builtins built more than {} in one evaluation (the limit of one evaluation: a quarter of --rego-max-memory, at least 256 MiB)",
                crate::human_bytes(limit)
            );
        }
        Ok(())
    })
}

thread_local! {
    /// One helper engine per thread, built at the first checked call.
    static HELPER: std::cell::RefCell<Option<Engine>> = const { std::cell::RefCell::new(None) };
}

/// A copying builtin: its name, its number of arguments, the size of its result estimated from
/// them, and the helper module's rule that runs it.
type Checked = (&'static str, u8, fn(&[Rego]) -> u64, &'static str);

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
    let checked: [Checked; 6] = [
        ("concat", 2, concat_size, "concat"),
        ("replace", 3, replace_size, "replace"),
        ("strings.replace_n", 2, replace_n_size, "replace_n"),
        ("json.marshal", 1, marshal_size, "json_marshal"),
        ("yaml.marshal", 1, marshal_size, "yaml_marshal"),
        ("array.concat", 2, array_concat_size, "array_concat"),
    ];
    for (name, nargs, size, rule) in checked {
        let _ = engine.add_extension(
            name.to_string(),
            nargs,
            Box::new(move |args: Vec<Rego>| {
                let bytes = size(&args);
                if bytes > MAX_RESULT_BYTES {
                    anyhow::bail!(
                        "{name} would build a result of more than {MAX_RESULT_BYTES} bytes (the limit for one call)"
                    );
                }
                charge(name, bytes)?;
                // The common cases run here (policies call these per property); the helper
                // engine runs the rest, with the builtin's own errors.
                match native(rule, &args)? {
                    Some(value) => Ok(value),
                    None => delegate(rule, args),
                }
            }),
        );
    }
}

/// `concat`, `replace`, `strings.replace_n` and `array.concat` on well-typed arguments, as
/// regorus computes them; `None` for anything else.
fn native(rule: &str, args: &[Rego]) -> anyhow::Result<Option<Rego>> {
    Ok(match rule {
        // Its size is known exactly only step by step.
        "replace_n" => replace_n(args)?,
        _ => native_simple(rule, args),
    })
}

/// `strings.replace_n(patterns, text)` as regorus computes it: each pattern (in key order)
/// replaced in the previous one's result; each step's result size checked before it is built.
fn replace_n(args: &[Rego]) -> anyhow::Result<Option<Rego>> {
    let (Some(Rego::Object(patterns)), Some(Rego::String(text))) = (args.first(), args.get(1))
    else {
        return Ok(None);
    };
    let mut out = text.to_string();
    for (old, new) in patterns.iter_sorted() {
        let (Ok(old), Ok(new)) = (old.as_string(), new.as_string()) else {
            return Ok(None);
        };
        let count = occurrences(&out, old);
        let size = (out.len() as u64)
            .saturating_sub(count.saturating_mul(old.len() as u64))
            .saturating_add(count.saturating_mul(new.len() as u64));
        if size > MAX_RESULT_BYTES {
            anyhow::bail!(
                "strings.replace_n would build a result of more than {MAX_RESULT_BYTES} bytes (the limit for one call)"
            );
        }
        out = out.replace(old.as_ref(), new.as_ref());
    }
    Ok(Some(Rego::from(out)))
}

/// `concat`, `replace` and `array.concat` on well-typed arguments; `None` for anything else.
fn native_simple(rule: &str, args: &[Rego]) -> Option<Rego> {
    let text = |i: usize| match args.get(i) {
        Some(Rego::String(s)) => Some(s.as_ref()),
        _ => None,
    };
    match rule {
        "replace" => Some(Rego::from(text(0)?.replace(text(1)?, text(2)?))),
        "concat" => {
            let delimiter = text(0)?;
            let strings: Option<Vec<&str>> = match args.get(1)? {
                Rego::Array(items) => items
                    .iter()
                    .map(|v| v.as_string().ok().map(|s| s.as_ref()))
                    .collect(),
                Rego::Set(items) => items
                    .iter()
                    .map(|v| v.as_string().ok().map(|s| s.as_ref()))
                    .collect(),
                _ => None,
            };
            Some(Rego::from(strings?.join(delimiter)))
        }
        "replace_n" => {
            let Rego::Object(patterns) = args.first()? else {
                return None;
            };
            let mut out = text(1)?.to_string();
            for (old, new) in patterns.iter_sorted() {
                out = out.replace(
                    old.as_string().ok()?.as_ref(),
                    new.as_string().ok()?.as_ref(),
                );
            }
            Some(Rego::from(out))
        }
        "array_concat" => match (args.first()?, args.get(1)?) {
            (Rego::Array(a), Rego::Array(b)) => Some(Rego::from(
                a.iter().chain(b.iter()).cloned().collect::<Vec<_>>(),
            )),
            _ => None,
        },
        _ => None,
    }
}

/// The size of a value written out as text, counted up to a little past `cap` (shared parts
/// count each time they appear, as they do when written).
fn logical_size(value: &Rego, cap: u64) -> u64 {
    let mut total = 0u64;
    let mut pending = vec![value];
    while let Some(v) = pending.pop() {
        let (own, children) = match v {
            Rego::String(s) => (s.len() as u64 + 2, 0),
            Rego::Array(items) => (1, items.len()),
            Rego::Set(items) => (1, items.len()),
            Rego::Object(fields) => (1, 2 * fields.len()),
            _ => (8, 0),
        };
        total = total.saturating_add(own).saturating_add(children as u64);
        if total > cap {
            return total;
        }
        match v {
            Rego::Array(items) => pending.extend(items.iter()),
            Rego::Set(items) => pending.extend(items.iter()),
            Rego::Object(fields) => {
                for (k, v) in fields.iter() {
                    pending.push(k);
                    pending.push(v);
                }
            }
            _ => {}
        }
    }
    total
}

fn text_len(value: Option<&Rego>) -> u64 {
    match value {
        Some(Rego::String(s)) => s.len() as u64,
        _ => 0,
    }
}

/// `concat(delimiter, strings)`: the strings and a delimiter between each two.
fn concat_size(args: &[Rego]) -> u64 {
    let count = match args.get(1) {
        Some(Rego::Array(items)) => items.len() as u64,
        Some(Rego::Set(items)) => items.len() as u64,
        _ => 0,
    };
    let parts = args.get(1).map_or(0, |v| logical_size(v, MAX_RESULT_BYTES));
    parts.saturating_add(text_len(args.first()).saturating_mul(count))
}

/// How many times `old` occurs in `text` (an empty `old` matches around every character).
fn occurrences(text: &str, old: &str) -> u64 {
    if old.is_empty() {
        text.chars().count() as u64 + 1
    } else {
        text.matches(old).count() as u64
    }
}

/// `replace(text, old, new)`.
fn replace_size(args: &[Rego]) -> u64 {
    match (args.first(), args.get(1), args.get(2)) {
        (Some(Rego::String(text)), Some(Rego::String(old)), Some(Rego::String(new))) => (text.len()
            as u64)
            .saturating_add(occurrences(text, old).saturating_mul(new.len() as u64)),
        _ => 0,
    }
}

/// `strings.replace_n`: checked step by step as it runs ([`replace_n`]).
fn replace_n_size(_: &[Rego]) -> u64 {
    0
}

/// `json.marshal(value)`, `yaml.marshal(value)`: the value written out, with room for quoting
/// and indentation.
fn marshal_size(args: &[Rego]) -> u64 {
    args.first()
        .map_or(0, |v| logical_size(v, MAX_RESULT_BYTES).saturating_mul(2))
}

/// `array.concat(a, b)`: a list of both lists' items, counted at 256 bytes an item (a reference,
/// and room for what writing it out would cost) so that about a million items are allowed.
fn array_concat_size(args: &[Rego]) -> u64 {
    let len = |v: Option<&Rego>| match v {
        Some(Rego::Array(items)) => items.len() as u64,
        _ => 0,
    };
    len(args.first())
        .saturating_add(len(args.get(1)))
        .saturating_mul(256)
}

/// Runs the real builtin (the helper module's `rule`) on checked arguments.
fn delegate(rule: &str, args: Vec<Rego>) -> anyhow::Result<Rego> {
    HELPER.with(|cell| {
        let mut slot = cell.borrow_mut();
        let engine = match slot.as_mut() {
            Some(engine) => engine,
            None => {
                let mut engine = Engine::new();
                engine.add_policy("guardrail-limits.rego".into(), HELPER_MODULE.into())?;
                slot.insert(engine)
            }
        };
        engine.set_input(Rego::from(args));
        // The helper's own file and place mean nothing to the policy's author: keep the message.
        engine
            .eval_rule(format!("data.guardrail_limits.{rule}"))
            .map_err(|e| anyhow::anyhow!(crate::error::parse_regorus(&e.to_string()).2))
    })
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
    let size = args.get(1).map_or(0, |v| logical_size(v, MAX_RESULT_BYTES));
    if size.saturating_add(text_len(args.first())) > MAX_RESULT_BYTES {
        anyhow::bail!(
            "sprintf would build a result of more than {MAX_RESULT_BYTES} bytes (the limit for one call)"
        );
    }
    let width = args
        .first()
        .and_then(|f| match f {
            Rego::String(format) => Some(largest_width(format)),
            _ => None,
        })
        .unwrap_or(0);
    charge(
        "sprintf",
        size.saturating_add(text_len(args.first()))
            .saturating_add(width),
    )?;
    delegate("sprintf", args)
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
    // a Rego number in a list takes about 16 bytes
    charge(name, count.saturating_mul(16))?;
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

    /// A list of a million references to one 1 KiB string, for the queries of [`eval`].
    const SHARED: &str = "kib := concat(\"\", [x | some j in numbers.range(1, 1024); x := \"x\"])\nbig := [kib | some i in numbers.range(1, 1000000)]\n";

    fn eval(query: &str) -> Result<Rego, String> {
        let mut engine = Engine::new();
        install(&mut engine);
        engine
            .add_policy(
                "t.rego".into(),
                format!("package t\nimport rego.v1\n{SHARED}x := {query}\n"),
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

    #[test]
    fn copying_builtins_work_as_before() {
        for (q, want) in [
            (r#"concat("-", ["a", "b", "c"])"#, Rego::from("a-b-c")),
            (r#"replace("a.b.c", ".", "::")"#, Rego::from("a::b::c")),
            (
                r#"strings.replace_n({"a": "1", "b": "2"}, "abc")"#,
                Rego::from("12c"),
            ),
            (
                r#"json.marshal({"a": [1, "x"]})"#,
                Rego::from(r#"{"a":[1,"x"]}"#),
            ),
            (r#"count(array.concat([1, 2], [3]))"#, Rego::from(3_i64)),
        ] {
            assert_eq!(eval(q).unwrap(), want, "{q}");
        }
        assert!(eval("yaml.marshal({\"a\": 1})")
            .unwrap()
            .as_string()
            .is_ok());
    }

    #[test]
    fn shared_values_cannot_be_copied_into_gigabytes() {
        // A list of a million references to one 1 KiB string costs little; writing it out
        // would cost a gigabyte, and each doubling twice that.
        let big = "big";
        for (q, name) in [
            (format!(r#"concat("", {big})"#), "concat"),
            (format!("json.marshal({big})"), "json.marshal"),
            (format!("yaml.marshal({big})"), "yaml.marshal"),
            (format!(r#"sprintf("%v", [{big}])"#), "sprintf"),
            (
                r#"replace(concat("", [x | some j in numbers.range(1, 100000); x := "x"]), "", concat("", [x | some j in numbers.range(1, 10000); x := "y"]))"#.to_string(),
                "replace",
            ),
            (
                r#"strings.replace_n({"x": concat("", [x | some j in numbers.range(1, 10000); x := "y"])}, concat("", [x | some j in numbers.range(1, 100000); x := "x"]))"#.to_string(),
                "strings.replace_n",
            ),
            (
                format!("array.concat({big}, {big})"),
                "array.concat",
            ),
        ] {
            let e = eval(&q).unwrap_err();
            assert!(
                e.contains(&format!("{name} would build a result of more than 268435456 bytes")),
                "{name}: {e}"
            );
        }
    }
}
