//! Text handling shared by every adapter: decoding bytes (UTF-8 with or without BOM, UTF-16),
//! positions of raw JSON slices, and JSON errors mapped to lines and columns of the whole file.

use std::borrow::Cow;
use std::fmt;

use serde::de::{self, Deserialize, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde_json::value::RawValue;

use crate::error::InputError;

/// Decodes a file's bytes into text: UTF-8 (a BOM is dropped), or UTF-16 with a BOM (or without
/// one, when the document starts with an ASCII character followed by a zero byte).
pub(crate) fn decode<'a>(file: &str, bytes: &'a [u8]) -> Result<Cow<'a, str>, InputError> {
    // `terraform plan -out` writes a zip archive; its JSON comes from `terraform show -json`
    if bytes.starts_with(b"PK\x03\x04") {
        return Err(InputError::new(
            file,
            "is a binary plan (a zip archive, what `terraform plan -out` writes), not JSON",
        )
        .help(format!(
            "this is a binary plan: run `terraform show -json {} > plan.json` (or `tofu show -json`) and check `plan.json`",
            if file == "stdin" { "plan" } else { file }
        )));
    }
    if let Some(rest) = bytes.strip_prefix(&[0xEF, 0xBB, 0xBF]) {
        return utf8(file, rest, 3).map(Cow::Borrowed);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFF, 0xFE]) {
        return utf16(file, rest, false).map(Cow::Owned);
    }
    if let Some(rest) = bytes.strip_prefix(&[0xFE, 0xFF]) {
        return utf16(file, rest, true).map(Cow::Owned);
    }
    match bytes {
        [a, 0, ..] if a.is_ascii() && *a != 0 => return utf16(file, bytes, false).map(Cow::Owned),
        [0, b, ..] if b.is_ascii() && *b != 0 => return utf16(file, bytes, true).map(Cow::Owned),
        _ => {}
    }
    utf8(file, bytes, 0).map(Cow::Borrowed)
}

fn utf8<'a>(file: &str, bytes: &'a [u8], skipped: usize) -> Result<&'a str, InputError> {
    std::str::from_utf8(bytes).map_err(|e| {
        let good = e.valid_up_to();
        // the prefix up to the bad byte is valid UTF-8 by construction
        let prefix = std::str::from_utf8(&bytes[..good]).unwrap_or_default();
        let (line, column) = line_col(prefix, good);
        InputError::new(
            file,
            format!(
                "is not UTF-8 text: invalid byte 0x{:02x} at byte offset {}",
                bytes[good],
                good + skipped
            ),
        )
        .at(line, column)
        .help("save the file as UTF-8 (or UTF-16 with a byte order mark)")
    })
}

fn utf16(file: &str, bytes: &[u8], big_endian: bool) -> Result<String, InputError> {
    let units = bytes.chunks(2).map(|pair| match (pair, big_endian) {
        ([a, b], false) => u16::from_le_bytes([*a, *b]),
        ([a, b], true) => u16::from_be_bytes([*a, *b]),
        // an odd trailing byte: make it an unpaired surrogate so decoding reports it
        _ => 0xD800,
    });
    let mut out = String::with_capacity(bytes.len() / 2);
    for c in char::decode_utf16(units) {
        match c {
            Ok(c) => out.push(c),
            Err(_) => {
                let (line, column) = line_col(&out, out.len());
                return Err(InputError::new(
                    file,
                    "is not valid UTF-16 text: it has an unpaired surrogate or an odd number of bytes",
                )
                .at(line, column)
                .help("save the file as UTF-8"));
            }
        }
    }
    Ok(out)
}

/// The 1-based line and column (in characters) of a byte offset.
pub(crate) fn line_col(text: &str, offset: usize) -> (usize, usize) {
    let offset = offset.min(text.len());
    let before = text.get(..offset).unwrap_or(text);
    let line = count_newlines(before.as_bytes()) + 1;
    let start = before.rfind('\n').map_or(0, |i| i + 1);
    let column = before.get(start..).map_or(0, |s| s.chars().count()) + 1;
    (line, column)
}

/// The byte offset of a line and column as serde_json reports them (column counts bytes).
fn offset_of(text: &str, line: usize, column: usize) -> usize {
    let mut offset = 0;
    for _ in 1..line {
        match text[offset..].find('\n') {
            Some(i) => offset += i + 1,
            None => return text.len(),
        }
    }
    (offset + column.saturating_sub(1)).min(text.len())
}

/// The whole file being loaded: its name and its text, for positions and errors.
pub(crate) struct Source<'a> {
    /// The file, as the caller named it.
    pub file: &'a str,
    /// The decoded text.
    pub text: &'a str,
}

impl<'a> Source<'a> {
    /// An error about this file.
    pub fn error(&self, message: impl Into<String>) -> InputError {
        InputError::new(self.file, message)
    }

    /// An error at a raw slice of this file.
    pub fn error_at(&self, raw: &RawValue, message: impl Into<String>) -> InputError {
        let (line, column) = line_col(self.text, self.offset(raw));
        self.error(message).at(line, column)
    }

    /// Where a raw slice starts in the file, in bytes.
    pub fn offset(&self, raw: &RawValue) -> usize {
        let start = raw.get().as_ptr() as usize;
        start
            .checked_sub(self.text.as_ptr() as usize)
            .filter(|o| *o <= self.text.len())
            .unwrap_or(0)
    }

    /// Parses a raw slice of this file; errors are positioned in the whole file and name the
    /// field in the document's terms (`resource_changes[0].address`). `place` is where `raw`
    /// sits in the document (empty for a whole line of JSON lines); it is only built on error.
    pub fn parse<T: Deserialize<'a>>(
        &self,
        raw: &'a RawValue,
        what: &str,
        place: impl FnOnce() -> String,
    ) -> Result<T, InputError> {
        serde_json::from_str(raw.get()).map_err(|e| {
            // parsed a second time, on error only, to learn the path: the common case pays
            // nothing for it
            let inner = field_path::<T>(raw.get());
            let place = join_path(&place(), inner.as_deref());
            self.json_error_at(&e, Some(raw), what, Some(&place))
        })
    }

    /// Maps a serde_json error in `raw` (or in the whole text) to an input error.
    pub fn json_error(
        &self,
        e: &serde_json::Error,
        raw: Option<&RawValue>,
        what: &str,
    ) -> InputError {
        self.json_error_at(e, raw, what, None)
    }

    /// [`Source::json_error`], naming the place of a value of the wrong shape when known.
    fn json_error_at(
        &self,
        e: &serde_json::Error,
        raw: Option<&RawValue>,
        what: &str,
        place: Option<&str>,
    ) -> InputError {
        let base = raw.map_or(0, |r| self.offset(r));
        let slice = raw.map_or(self.text, RawValue::get);
        let message = user_terms(&strip_position(&e.to_string()));
        let err = match e.classify() {
            serde_json::error::Category::Eof => self.error(format!(
                "ends in the middle of a JSON value (the file looks truncated): {message}"
            )),
            serde_json::error::Category::Syntax => {
                self.error(format!("is not valid JSON: {message}"))
            }
            serde_json::error::Category::Io => self.error(format!("could not be read: {message}")),
            serde_json::error::Category::Data => match place.filter(|p| !p.is_empty()) {
                Some(place) => {
                    self.error(format!("has an unexpected {what} at `{place}`: {message}"))
                }
                None => self.error(format!("has an unexpected {what}: {message}")),
            },
        };
        if e.line() == 0 {
            return err;
        }
        let (line, column) = line_col(self.text, base + offset_of(slice, e.line(), e.column()));
        err.at(line, column)
    }
}

/// The path inside `json` (`address`, `change.after[2]`) of the value that does not deserialize
/// as a `T`, as the keys are spelled in the file; `None` when it fails at its top.
fn field_path<'a, T: Deserialize<'a>>(json: &'a str) -> Option<String> {
    let mut de = serde_json::Deserializer::from_str(json);
    match serde_path_to_error::deserialize::<_, T>(&mut de) {
        Ok(_) => None,
        Err(e) => {
            let path = e.path().to_string();
            (path != ".").then_some(path)
        }
    }
}

/// `outer` and a path inside it joined: `resource_changes[0]` and `address` make
/// `resource_changes[0].address`.
pub(crate) fn join_path(outer: &str, inner: Option<&str>) -> String {
    match inner {
        None => outer.to_string(),
        Some(inner) if outer.is_empty() => inner.to_string(),
        Some(inner) if inner.starts_with('[') => format!("{outer}{inner}"),
        Some(inner) => format!("{outer}.{inner}"),
    }
}

/// Drops serde_json's ` at line L column C` suffix (the position is reported apart).
fn strip_position(message: &str) -> String {
    match message.rfind(" at line ") {
        Some(i) => message[..i].to_string(),
        None => message.to_string(),
    }
}

/// serde's wording of a value of the wrong shape (`invalid type: string "x", expected struct
/// Metadata`) in the user's terms: JSON kinds instead of Rust types, and never the value itself
/// (it may be a secret that only a later field marks as sensitive).
fn user_terms(message: &str) -> String {
    let (found, expected) = match message
        .strip_prefix("invalid type: ")
        .or_else(|| message.strip_prefix("invalid value: "))
        .and_then(|rest| rest.split_once(", expected "))
    {
        Some(parts) => parts,
        None => return rust_free(message),
    };
    let found = if found.starts_with("string") || found.starts_with("borrowed string") {
        "a string"
    } else if found.starts_with("integer") || found.starts_with("floating point") {
        "a number"
    } else if found.starts_with("boolean") {
        "true or false"
    } else if found == "null" || found == "unit value" {
        "null"
    } else if found == "map" {
        "an object"
    } else if found == "sequence" {
        "a list"
    } else {
        "another kind of value"
    };
    format!("expected {}, found {found}", json_kind(expected))
}

/// A serde expectation (`struct State`, `a sequence`, `u64`) as a JSON kind.
fn json_kind(expected: &str) -> String {
    let e = expected.trim();
    let kind = if e.starts_with("struct ") || e == "a map" || e == "map" || e.ends_with(" map") {
        "an object"
    } else if e.starts_with("tuple") || e.contains("sequence") || e == "a list" {
        "a list"
    } else if e.contains("string") || e == "char" || e == "a character" {
        "a string"
    } else if e.contains("bool") {
        "true or false"
    } else if ["u8", "u16", "u32", "u64", "usize"].contains(&e) {
        "a whole number of zero or more"
    } else if ["i8", "i16", "i32", "i64", "isize"].contains(&e) || e.contains("integer") {
        "a whole number"
    } else if ["f32", "f64"].contains(&e) || e.contains("number") {
        "a number"
    } else if e.starts_with("enum ") || e.starts_with("variant") || e.starts_with("one of") {
        "one of the known values"
    } else {
        return rust_free(e);
    };
    kind.to_string()
}

/// Any other serde message, with Rust's words for kinds replaced.
fn rust_free(message: &str) -> String {
    message
        .replace("struct variant", "object")
        .replace("tuple variant", "list")
        .replace("unit variant", "value")
        .split(' ')
        .scan(false, |after_struct, word| {
            // `struct Name` → `an object`: the name after `struct` is Rust's, not the user's.
            let out = if *after_struct {
                None
            } else if word == "struct" || word == "enum" {
                Some(if word == "struct" {
                    "an object"
                } else {
                    "a value"
                })
            } else {
                Some(word)
            };
            *after_struct = word == "struct" || word == "enum";
            Some(out)
        })
        .flatten()
        .collect::<Vec<_>>()
        .join(" ")
}

/// Counts lines forward through a text, for offsets that mostly increase.
pub(crate) struct LineCounter<'a> {
    text: &'a str,
    offset: usize,
    line: usize,
}

impl<'a> LineCounter<'a> {
    /// Starts at the beginning of `text`.
    pub fn new(text: &'a str) -> Self {
        LineCounter {
            text,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line_at(&mut self, offset: usize) -> usize {
        let offset = offset.min(self.text.len());
        if offset < self.offset {
            self.offset = 0;
            self.line = 1;
        }
        self.line += count_newlines(&self.text.as_bytes()[self.offset..offset]);
        self.offset = offset;
        self.line
    }
}

/// How many `\n` bytes there are: counted in runs of 255 bytes into a byte-wide counter, which
/// the compiler turns into wide vector compares (a large plan is hundreds of megabytes).
pub(crate) fn count_newlines(bytes: &[u8]) -> usize {
    bytes
        .chunks(255)
        .map(|run| {
            usize::from(
                run.iter()
                    .fold(0u8, |n, b| n.wrapping_add(u8::from(*b == b'\n'))),
            )
        })
        .sum()
}

/// A JSON value that is kept as raw slices when it is a list, and skipped otherwise.
pub(crate) enum RawList<'a> {
    /// The items of the list, unparsed.
    List(Vec<&'a RawValue>),
    /// `null`.
    Null,
    /// Not a list (an object, a string, …).
    Other,
}

impl<'a> RawList<'a> {
    /// The items, or none when this is not a list.
    pub fn items(&self) -> &[&'a RawValue] {
        match self {
            RawList::List(items) => items,
            RawList::Null | RawList::Other => &[],
        }
    }

    /// The items of a list the format requires: absent or `null` is empty, any other value is
    /// an error naming the key (a wrong shape must not read as a stack without resources, which
    /// every policy would pass).
    pub fn required<'b>(
        list: Option<&'b RawList<'a>>,
        src: &Source<'_>,
        key: &str,
    ) -> Result<&'b [&'a RawValue], InputError> {
        match list {
            Some(RawList::List(items)) => Ok(items),
            Some(RawList::Other) => Err(src.error(format!("has `{key}` that is not a list"))),
            Some(RawList::Null) | None => Ok(&[]),
        }
    }

    /// Whether this is a list.
    pub fn is_list(&self) -> bool {
        matches!(self, RawList::List(_))
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for RawList<'a> {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V<'a>(std::marker::PhantomData<&'a ()>);
        impl<'de: 'a, 'a> Visitor<'de> for V<'a> {
            type Value = RawList<'a>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a list")
            }
            fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<RawList<'a>, A::Error> {
                let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(4096));
                while let Some(item) = seq.next_element::<&'a RawValue>()? {
                    items.push(item);
                }
                Ok(RawList::List(items))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<RawList<'a>, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(RawList::Other)
            }
            fn visit_unit<E: de::Error>(self) -> Result<RawList<'a>, E> {
                Ok(RawList::Null)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<RawList<'a>, E> {
                Ok(RawList::Other)
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<RawList<'a>, E> {
                Ok(RawList::Other)
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<RawList<'a>, E> {
                Ok(RawList::Other)
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<RawList<'a>, E> {
                Ok(RawList::Other)
            }
            fn visit_str<E: de::Error>(self, _: &str) -> Result<RawList<'a>, E> {
                Ok(RawList::Other)
            }
        }
        d.deserialize_any(V(std::marker::PhantomData))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_binary_plan_says_how_to_get_its_json() {
        let e = decode("tfplan", b"PK\x03\x04\x14\x00\x08\x00").err();
        let e = e.map(|e| (e.message, e.help.unwrap_or_default()));
        assert_eq!(
            e,
            Some((
                "is a binary plan (a zip archive, what `terraform plan -out` writes), not JSON"
                    .to_string(),
                "this is a binary plan: run `terraform show -json tfplan > plan.json` (or `tofu show -json`) and check `plan.json`".to_string()
            ))
        );
    }

    #[test]
    fn decodes_bom_and_utf16() {
        assert_eq!(decode("f", b"\xEF\xBB\xBF{}").unwrap(), "{}");
        let le: Vec<u8> = [0xFF, 0xFE]
            .into_iter()
            .chain("{\"é\":1}".encode_utf16().flat_map(u16::to_le_bytes))
            .collect();
        assert_eq!(decode("f", &le).unwrap(), "{\"é\":1}");
        let be: Vec<u8> = [0xFE, 0xFF]
            .into_iter()
            .chain("{}".encode_utf16().flat_map(u16::to_be_bytes))
            .collect();
        assert_eq!(decode("f", &be).unwrap(), "{}");
        let no_bom: Vec<u8> = "{}".encode_utf16().flat_map(u16::to_le_bytes).collect();
        assert_eq!(decode("f", &no_bom).unwrap(), "{}");
    }

    #[test]
    fn invalid_utf8_and_utf16_are_positioned_errors() {
        let e = decode("f.json", b"{\n  \"a\": \"\xFF\"}").unwrap_err();
        assert_eq!((e.line, e.column), (Some(2), Some(9)));
        assert!(e.message.contains("not UTF-8"), "{e}");
        let e = decode("f.json", &[0xFF, 0xFE, b'{', 0, 0x00, 0xD8]).unwrap_err();
        assert!(e.message.contains("UTF-16"), "{e}");
    }

    #[test]
    fn serde_messages_are_told_in_json_terms_without_values() {
        for (serde, ours) in [
            (
                "invalid type: string \"hunter2\", expected struct Metadata",
                "expected an object, found a string",
            ),
            (
                "invalid type: string \"create\", expected a sequence",
                "expected a list, found a string",
            ),
            (
                "invalid type: integer `1`, expected a string",
                "expected a string, found a number",
            ),
            (
                "invalid type: map, expected u64",
                "expected a whole number of zero or more, found an object",
            ),
            (
                "invalid value: integer `-1`, expected u32",
                "expected a whole number of zero or more, found a number",
            ),
            ("missing field `address`", "missing field `address`"),
            ("expected struct State", "expected an object"),
        ] {
            assert_eq!(user_terms(serde), ours, "{serde}");
        }
    }

    #[test]
    fn line_counter_counts_forward_and_back() {
        let text = "a\nb\nc\n";
        let mut lines = LineCounter::new(text);
        assert_eq!(lines.line_at(0), 1);
        assert_eq!(lines.line_at(2), 2);
        assert_eq!(lines.line_at(4), 3);
        assert_eq!(lines.line_at(1), 1);
        assert_eq!(line_col("ab\ncdé\nx", 7), (2, 4));
    }
}
