//! Keeps secret plaintext out of every output.
//!
//! Policies see plaintext, and a careless policy may write it, or something computed from it,
//! into its message. The engine passes every message, path and error through a [`Redactor`]
//! built from all secret values of the stack. It masks, ASCII case folded:
//!
//! - every secret's text; secrets shorter than [`SUBSTRING_MIN`] bytes, and numbers, only where
//!   they stand as a whole token (not inside `0.0.0.0/0`, `x42` or `a.b`);
//! - numbers in any spelling: a secret `65535.0` masks `65535`, `65535.00` and `6.5535e4`, also
//!   as a bound of a range (`0-65535`);
//! - the leaves of JSON documents held in secret strings (a policy document's `Sid` and
//!   actions), and the text of secret strings that are base64 (user data);
//! - encodings of each secret: base64 (standard and URL-safe, with and without padding, and
//!   the part that stays the same whatever precedes or follows it), base64 of the base64 of the
//!   whole secret, hex, percent-encoding, JSON string escaping, and the reversed text;
//! - the parts of a short secret without whitespace split at its punctuation (what a policy's
//!   `split` returns), from [`PART_MIN`] bytes, as whole tokens;
//! - fragments: any run of [`FRAGMENT`] or more bytes of a secret (or of its encodings) of at
//!   least [`FRAGMENT_SECRET_MIN`] bytes, found through an index of its [`FRAGMENT`]-byte
//!   windows, so that the cost per output byte does not grow with the number of secrets; a run
//!   of letters, `_` and `-` only counts from [`FRAGMENT_WORD`] bytes (see [`fragment_counts`]).
//!
//! It is the last net, not the wall: values parsed from secrets are secret themselves
//! ([`Value::into_tainted`]), and Rego policies see secrets only when they ask for them.

use rayon::prelude::*;
use std::borrow::Cow;
use std::collections::{HashMap, HashSet};

use crate::resource::Stack;
use crate::value::Value;

/// What replaces a secret in text.
pub const MASK: &str = "[secret]";

/// Secrets shorter than this many bytes (and numbers) are masked only where they stand as a
/// whole token, so that a secret such as `1`, `on` or `0.0` does not mangle every message.
pub const SUBSTRING_MIN: usize = 4;

/// The length in bytes of the fragments of longer secrets that are masked wherever they appear.
pub const FRAGMENT: usize = 6;

/// Secrets (and encodings of secrets) of at least this many bytes are masked by fragment: any
/// run of [`FRAGMENT`] bytes of them. Shorter ones are masked whole.
pub const FRAGMENT_SECRET_MIN: usize = 8;

/// Fragments made of letters, `_` and `-` only are masked from this length on (see
/// [`fragment_counts`]).
pub const FRAGMENT_WORD: usize = 10;

/// Parts of a secret split at its punctuation (what a policy's `split` returns) are masked from
/// this length on, as whole tokens.
pub const PART_MIN: usize = 5;

/// Secrets longer than this are not split into parts ([`PART_MIN`]).
const PARTS_MAX: usize = 128;

/// How deep documents inside secrets are opened (JSON in base64 in JSON...).
const MAX_DEPTH: usize = 3;

/// The smallest and largest prefilter (a bitset checked before the hash sets), as powers of
/// two of bits; in between, 16 bits per key keep false hits rare. The largest (256 KiB) still
/// fits a core's cache: a bitset that does not costs a cache miss per byte of text.
const FILTER_BITS: (u32, u32) = (16, 21);

/// Masks known secret plaintexts, their encodings and fragments in text.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// Secrets as collected (with what kind of value each is), turned into the indexes below
    /// by [`Redactor::finish`].
    pending: Vec<(String, Kind)>,
    /// Every [`FRAGMENT`]-byte window (ASCII lowercased) of the long secrets and encodings.
    /// (The value tells a window that comes from encodings only: a run of those is masked
    /// whatever its letters, see [`fragment_counts`].)
    windows: HashMap<u64, bool, Seeded>,
    /// Secrets of letters, `_` and `-` only, shorter than [`FRAGMENT_WORD`] and masked by their
    /// windows (lowercased): a run of windows that is exactly one of them counts.
    words: HashSet<Box<[u8]>, Seeded>,
    /// A bitset over the windows' hashes: most text positions are rejected by one bit test.
    filter: Bloom,
    /// Secrets masked whole wherever they appear (lowercased), by [`prefix_key`].
    whole: HashMap<u64, Vec<Box<[u8]>>, Seeded>,
    /// A bitset over the first four bytes of the whole secrets, checked before the map.
    whole_filter: Bloom,
    /// Short secrets, masked as whole tokens (lowercased); those made of token bytes only are
    /// moved to `short_tokens` by [`Redactor::finish`].
    short: Vec<String>,
    /// Short secrets made of token bytes only (lowercased): looked up per token of the text.
    /// (Keyed by [`token_key`].)
    short_tokens: HashSet<u64, Seeded>,
    /// Numeric secrets (absolute value), masked as whole tokens in any spelling.
    numbers: HashSet<u64, Seeded>,
}

/// The hasher of the indexes: a multiply-and-rotate hash of the key's 64-bit words, keyed by
/// a random seed per process so that an input cannot choose secrets that collide. (Most text
/// positions never reach it: the prefilters reject them.)
#[derive(Clone, Copy, Debug)]
struct Seeded(u64);

impl Default for Seeded {
    fn default() -> Self {
        use std::hash::BuildHasher;
        static SEED: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
        Seeded(
            *SEED.get_or_init(|| {
                std::collections::hash_map::RandomState::new().hash_one(0x5eed_u64)
            }),
        )
    }
}

impl std::hash::BuildHasher for Seeded {
    type Hasher = SeededHasher;
    fn build_hasher(&self) -> SeededHasher {
        SeededHasher(self.0)
    }
}

struct SeededHasher(u64);

impl std::hash::Hasher for SeededHasher {
    fn finish(&self) -> u64 {
        mix(self.0 ^ (self.0 >> 29))
    }
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            if let Some(head) = word.get_mut(..chunk.len()) {
                head.copy_from_slice(chunk);
            }
            self.write_u64(u64::from_le_bytes(word));
        }
    }
    fn write_u64(&mut self, n: u64) {
        self.0 = (self.0 ^ n)
            .wrapping_mul(0x9fb2_1c65_1e98_df25)
            .rotate_left(23);
    }
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

fn mix(key: u64) -> u64 {
    key.wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A prefilter: a bitset with one bit set per key, sized to the number of keys.
#[derive(Clone, Debug, Default)]
struct Bloom {
    words: Vec<u64>,
    /// How far a mixed key is shifted to give its bit number.
    shift: u32,
}

impl Bloom {
    fn new(keys: &[u64]) -> Bloom {
        let wanted = (keys.len().max(1) * 32)
            .next_power_of_two()
            .trailing_zeros();
        let bits = wanted.clamp(FILTER_BITS.0, FILTER_BITS.1);
        let mut bloom = Bloom {
            words: vec![0u64; 1 << (bits - 6)],
            shift: 64 - bits,
        };
        for key in keys {
            let bit = mix(*key) >> bloom.shift;
            if let Some(word) = bloom.words.get_mut((bit >> 6) as usize) {
                *word |= 1 << (bit & 63);
            }
        }
        bloom
    }

    /// Whether a key may be one of those the filter was built from.
    fn may_hold(&self, key: u64) -> bool {
        let bit = mix(key) >> self.shift;
        self.words
            .get((bit >> 6) as usize)
            .is_some_and(|w| w & (1 << (bit & 63)) != 0)
    }
}

impl Redactor {
    /// Collects the secrets of every resource of a stack (inputs, outputs and old inputs) and of
    /// its configuration.
    pub fn for_stack(stack: &Stack) -> Self {
        // every value of every resource is walked: on all cores
        let secrets = stack
            .resources
            .par_iter()
            .with_min_len(256)
            .fold(Vec::new, |mut found: Vec<(String, Kind)>, res| {
                for value in std::iter::once(&res.props)
                    .chain(res.outputs.as_ref())
                    .chain(res.old_props.as_ref())
                {
                    secret_leaves(value, None, &mut found);
                }
                found
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        let mut r = Redactor {
            pending: secrets,
            ..Redactor::default()
        };
        for v in stack.config.values() {
            r.add_value(v);
        }
        r.finish();
        r
    }

    /// Adds the secret leaves inside a value. Call [`Redactor::finish`] afterwards.
    pub fn add_value(&mut self, value: &Value) {
        secret_leaves(value, None, &mut self.pending);
    }

    /// Adds one secret string. Call [`Redactor::finish`] afterwards.
    pub fn add(&mut self, secret: impl Into<String>) {
        let s = secret.into();
        if !s.is_empty() {
            self.pending.push((s, Kind::Text));
        }
    }

    /// Builds the indexes from the secrets added so far (with their documents, encodings and
    /// spellings).
    pub fn finish(&mut self) {
        let mut pending = std::mem::take(&mut self.pending);
        pending.sort_unstable();
        pending.dedup();
        for (secret, kind) in &pending {
            self.register(secret, 0, *kind);
        }
        let (plain, other): (Vec<String>, Vec<String>) = std::mem::take(&mut self.short)
            .into_iter()
            .partition(|s| s.bytes().all(token_byte));
        self.short_tokens
            .extend(plain.iter().filter_map(|s| token_key(s.as_bytes())));
        self.short = other;
        self.short.sort_unstable();
        self.short.dedup();
        for list in self.whole.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        if !self.windows.is_empty() {
            let keys: Vec<u64> = self.windows.keys().copied().collect();
            self.filter = Bloom::new(&keys);
        }
        if !self.whole.is_empty() {
            let heads = self
                .whole
                .values()
                .flatten()
                .filter_map(|secret| secret.get(..SUBSTRING_MIN).map(window_key))
                .collect::<Vec<u64>>();
            self.whole_filter = Bloom::new(&heads);
        }
    }

    /// Indexes one secret: its text, the documents it holds, its encodings.
    fn register(&mut self, secret: &str, depth: usize, kind: Kind) {
        let trimmed = secret.trim();
        if trimmed.is_empty() {
            return;
        }
        // a number in any spelling; a string that looks like one (`0.0`) is text
        let leaf = match kind {
            Kind::Number { leaf } => match numeric(trimmed) {
                Some(n) => {
                    self.numbers.insert(n.abs().to_bits());
                    if trimmed.len() < FRAGMENT_SECRET_MIN {
                        return;
                    }
                    leaf
                }
                None => leaf,
            },
            Kind::Text => false,
            Kind::Leaf => true,
        };
        if depth < MAX_DEPTH {
            // A JSON document: its leaves are secrets; its own text is masked whole, not by
            // fragment (its keys and punctuation are common words).
            if trimmed.starts_with(['{', '[']) {
                if let Ok(doc) = serde_json::from_str::<serde_json::Value>(trimmed) {
                    self.register_json(&doc, depth + 1);
                    self.add_plain(trimmed, false, false);
                    return;
                }
            }
            if let Some(decoded) = base64_text(trimmed) {
                self.register(&decoded, depth + 1, Kind::Text);
            }
        }
        if leaf {
            // A leaf of a document (an action, a name, `Allow`) is masked whole, not by
            // fragment: its parts are common words. Short ones only as whole tokens.
            let punctuation = !secret.chars().any(char::is_alphanumeric);
            if punctuation && secret.len() < SUBSTRING_MIN {
                // a document's `*` or `/`: nothing to hide, and masking it everywhere garbles
                return;
            }
            if secret.len() < FRAGMENT_SECRET_MIN {
                self.short.push(secret.to_ascii_lowercase());
            } else {
                self.add_plain(secret, false, false);
            }
            for encoded in encodings(secret) {
                if encoded.len() >= SUBSTRING_MIN {
                    self.add_plain(&encoded, false, true);
                }
            }
            return;
        }
        self.add_plain(secret, true, false);
        for encoded in encodings(secret) {
            self.add_plain(&encoded, true, true);
        }
        // base64 of base64: an encoding policies reach for, cheap to add for the whole secret
        let twice = base64(base64(secret.as_bytes(), STANDARD).as_bytes(), STANDARD);
        self.add_plain(&twice, true, true);
        self.add_parts(secret);
    }

    /// Indexes the parts of a secret split at its punctuation (`Correct` and `Horse` of
    /// `Hunter2-Correct-Horse`), what a policy's `split` returns: each part of [`PART_MIN`] bytes
    /// or more is masked where it stands as a whole token. Only secrets without whitespace of at
    /// most [`PARTS_MAX`] bytes (passwords, tokens, keys) are split, not scripts or documents
    /// whose words are ordinary text.
    fn add_parts(&mut self, secret: &str) {
        if secret.len() > PARTS_MAX || secret.bytes().any(|b| b.is_ascii_whitespace()) {
            return;
        }
        let parts: Vec<&str> = secret
            .split(|c: char| !c.is_alphanumeric())
            .filter(|part| part.len() >= PART_MIN)
            .collect();
        if parts.len() == 1 && parts.first().is_some_and(|part| part.len() == secret.len()) {
            return;
        }
        for part in parts {
            let lower = part.to_ascii_lowercase();
            if lower.len() < FRAGMENT_SECRET_MIN {
                self.short.push(lower);
            } else if !fragment_counts(lower.as_bytes()) {
                // a longer part of letters only: its windows are the secret's; a run of them
                // that is exactly the part counts
                self.words.insert(lower.into_bytes().into_boxed_slice());
            }
        }
    }

    fn register_json(&mut self, doc: &serde_json::Value, depth: usize) {
        match doc {
            serde_json::Value::String(s) => self.register(s, depth, Kind::Leaf),
            serde_json::Value::Number(n) => {
                self.register(&n.to_string(), depth, Kind::Number { leaf: true });
            }
            serde_json::Value::Array(items) => {
                items.iter().for_each(|i| self.register_json(i, depth));
            }
            serde_json::Value::Object(map) => {
                map.values().for_each(|i| self.register_json(i, depth));
            }
            // a boolean is one bit: masking every `true` would garble all text
            serde_json::Value::Bool(_) | serde_json::Value::Null => {}
        }
    }

    /// Indexes a text by its length: whole tokens, whole anywhere, and (`fragments`) by its
    /// [`FRAGMENT`]-byte windows; `encoded` says the text is an encoding of a secret.
    fn add_plain(&mut self, text: &str, fragments: bool, encoded: bool) {
        let len = text.len();
        if len < SUBSTRING_MIN {
            self.short.push(text.to_ascii_lowercase());
            return;
        }
        // an encoding's windows are its fragments from six bytes on; a secret's from eight
        let least = if encoded {
            FRAGMENT
        } else {
            FRAGMENT_SECRET_MIN
        };
        if !(fragments && len >= least) {
            self.add_whole(text);
            return;
        }
        // Masked by its windows; a secret of word bytes only too short to count as a fragment
        // (see `fragment_counts`) is remembered to be masked when its windows cover it whole.
        let lower = text.to_ascii_lowercase();
        for window in lower.as_bytes().windows(FRAGMENT) {
            self.windows
                .entry(window_key(window))
                .and_modify(|only_encoded| *only_encoded &= encoded)
                .or_insert(encoded);
        }
        if !encoded && !fragment_counts(lower.as_bytes()) {
            self.words.insert(lower.into_bytes().into_boxed_slice());
        }
    }

    fn add_whole(&mut self, text: &str) {
        let lower = text.to_ascii_lowercase().into_bytes();
        if let Some(prefix) = prefix_key(&lower) {
            self.whole
                .entry(prefix)
                .or_default()
                .push(lower.into_boxed_slice());
        }
    }

    /// Whether there is nothing to redact.
    pub fn is_empty(&self) -> bool {
        self.windows.is_empty()
            && self.whole.is_empty()
            && self.short.is_empty()
            && self.short_tokens.is_empty()
            && self.numbers.is_empty()
            && self.pending.is_empty()
    }

    /// Whether the text holds a secret, an encoding or a fragment of one.
    pub fn catches(&self, text: &str) -> bool {
        matches!(self.redact(text), Cow::Owned(_))
    }

    /// The text with every secret, encoding and fragment masked.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        if self.is_empty() || text.is_empty() {
            return Cow::Borrowed(text);
        }
        let bytes = text.as_bytes();
        let mut marks: Option<Vec<bool>> = None;
        let mut mark = |start: usize, end: usize| {
            let m = marks.get_or_insert_with(|| vec![false; bytes.len()]);
            if let Some(slice) = m.get_mut(start..end) {
                slice.fill(true);
            }
        };
        if !self.windows.is_empty() && bytes.len() >= FRAGMENT {
            // runs of consecutive matching windows: one fragment each
            let mut run: Option<(usize, usize, bool)> = None;
            let mut key: u64 = 0;
            let keep = (1u64 << (8 * FRAGMENT)) - 1;
            for (i, b) in bytes.iter().enumerate() {
                key = ((key << 8) | u64::from(b.to_ascii_lowercase())) & keep;
                if i + 1 < FRAGMENT {
                    continue;
                }
                let hit = if self.filter.may_hold(key) {
                    self.windows.get(&key).copied()
                } else {
                    None
                };
                let start = i + 1 - FRAGMENT;
                run = match (run, hit) {
                    (Some((s, _, encoded)), Some(more)) => Some((s, i + 1, encoded || more)),
                    (None, Some(encoded)) => Some((start, i + 1, encoded)),
                    (Some((s, e, encoded)), None) => {
                        if encoded || self.run_counts(bytes.get(s..e).unwrap_or_default()) {
                            mark(s, e);
                        }
                        None
                    }
                    (None, None) => None,
                };
            }
            if let Some((s, e, encoded)) = run {
                if encoded || self.run_counts(bytes.get(s..e).unwrap_or_default()) {
                    mark(s, e);
                }
            }
        }
        if !self.whole.is_empty() && bytes.len() >= SUBSTRING_MIN {
            let mut head: u64 = 0;
            let keep = (1u64 << (8 * SUBSTRING_MIN)) - 1;
            for (i, b) in bytes.iter().enumerate() {
                head = ((head << 8) | u64::from(b.to_ascii_lowercase())) & keep;
                if i + 1 < SUBSTRING_MIN || !self.whole_filter.may_hold(head) {
                    continue;
                }
                let start = i + 1 - SUBSTRING_MIN;
                let long = bytes
                    .get(start..start + FRAGMENT_SECRET_MIN)
                    .map(|h| window_key(h) | (1 << 63));
                for key in [Some(head), long].into_iter().flatten() {
                    for secret in self.whole.get(&key).into_iter().flatten() {
                        let end = start + secret.len();
                        let same = bytes
                            .get(start..end)
                            .is_some_and(|t| t.eq_ignore_ascii_case(secret));
                        if same {
                            mark(start, end);
                        }
                    }
                }
            }
        }
        if !self.short.is_empty() || !self.short_tokens.is_empty() || !self.numbers.is_empty() {
            for (start, end) in self.whole_tokens(text) {
                mark(start, end);
            }
        }
        let Some(mut marks) = marks else {
            return Cow::Borrowed(text);
        };
        // a mask already in the text (a policy's, or a tainted value's) stays as it is
        for (at, _) in text.match_indices(MASK) {
            if let Some(slice) = marks.get_mut(at..at + MASK.len()) {
                slice.fill(false);
            }
        }
        if marks.iter().any(|m| *m) {
            Cow::Owned(masked(text, &marks))
        } else {
            Cow::Borrowed(text)
        }
    }

    /// Whether a run of fragments of secrets is masked: see [`fragment_counts`]; a run that is
    /// a whole secret of word bytes only always is.
    fn run_counts(&self, run: &[u8]) -> bool {
        fragment_counts(run) || {
            let lower = run.to_ascii_lowercase().into_boxed_slice();
            self.words.contains(&lower)
        }
    }

    /// The byte ranges of short secrets and numbers standing as whole tokens.
    fn whole_tokens(&self, text: &str) -> Vec<(usize, usize)> {
        let mut found = Vec::new();
        let lower = if self.short.is_empty() {
            String::new()
        } else {
            text.to_ascii_lowercase()
        };
        for secret in &self.short {
            let mut from = 0;
            while let Some(pos) = lower
                .get(from..)
                .and_then(|rest| rest.find(secret.as_str()))
            {
                let start = from + pos;
                let end = start + secret.len();
                if bounded(&lower, start, end) {
                    found.push((start, end));
                }
                from = start + secret.len().max(1);
            }
        }
        if !self.numbers.is_empty() || !self.short_tokens.is_empty() {
            for (start, end) in tokens(text) {
                let Some(token) = text.get(start..end) else {
                    continue;
                };
                // sentence punctuation and a sign are not part of the word or number
                let trimmed_end = token.trim_end_matches(['.', ':']);
                let short = !self.short_tokens.is_empty()
                    && token_key(trimmed_end.as_bytes())
                        .is_some_and(|k| self.short_tokens.contains(&k));
                if short {
                    found.push((start, start + trimmed_end.len()));
                    continue;
                }
                if self.numbers.is_empty() {
                    continue;
                }
                let body = trimmed_end.trim_start_matches(['-', '+']);
                let offset = trimmed_end.len() - body.len();
                // `ingress[0]`: a list index in a path, not a value
                let index = text.as_bytes().get(end) == Some(&b']')
                    && start >= 2
                    && text.as_bytes().get(start - 1) == Some(&b'[')
                    && text
                        .as_bytes()
                        .get(start - 2)
                        .is_some_and(|b| token_byte(*b));
                if index {
                    continue;
                }
                let secret_number = |text: &str| {
                    numeric(text).is_some_and(|n| self.numbers.contains(&n.abs().to_bits()))
                };
                if secret_number(body) {
                    found.push((start + offset, start + trimmed_end.len()));
                    continue;
                }
                // a range of two numbers (`ports 0-65535`): each bound is a number token
                if let Some((low, high)) = body.split_once('-') {
                    let bound =
                        |part: &str| part.bytes().next().is_some_and(|b| b.is_ascii_digit());
                    if bound(low)
                        && bound(high)
                        && numeric(low).is_some()
                        && numeric(high).is_some()
                    {
                        let at = start + offset;
                        if secret_number(low) {
                            found.push((at, at + low.len()));
                        }
                        if secret_number(high) {
                            found.push((at + low.len() + 1, at + body.len()));
                        }
                    }
                }
            }
        }
        found
    }

    /// A copy of a value in which every string leaf that holds a secret, an encoding or a
    /// fragment of one is marked secret: for values a policy computed (its fixes), whose
    /// secret parts lost their marker on the way.
    pub fn taint(&self, value: &mut Value) {
        if self.is_empty() {
            return;
        }
        match value {
            Value::String(s) if self.catches(s) => {
                let text = std::mem::take(s);
                *value = Value::Secret(Box::new(Value::String(text)));
            }
            Value::Number(n) if self.catches(&n.to_string()) => {
                let inner = std::mem::replace(value, Value::Null);
                *value = Value::Secret(Box::new(inner));
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.taint(i)),
            Value::Object(map) => map.values_mut().for_each(|i| self.taint(i)),
            _ => {}
        }
    }
}

/// What kind of value a secret is, for how it is masked.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Kind {
    /// A secret string (or boolean) of its own.
    Text,
    /// A string inside a secret document or object: masked whole, not by fragment.
    Leaf,
    /// A number (on its own or in a document): masked in any spelling.
    Number { leaf: bool },
}

/// Collects the plaintext leaves of the secrets in a value: a secret scalar is a secret of its
/// own; the leaves of a secret object or list (a policy document given as an object) are
/// leaves, masked whole like those of a JSON document in a secret string. Booleans inside a
/// secret document are one bit each and are not collected.
fn secret_leaves(value: &Value, under: Option<bool>, out: &mut Vec<(String, Kind)>) {
    match (value, under) {
        (Value::Secret(inner), _) => {
            let inside = under.unwrap_or(false)
                || matches!(inner.as_ref(), Value::Array(_) | Value::Object(_));
            secret_leaves(inner, Some(inside), out);
        }
        (Value::String(s), Some(inside)) if !s.is_empty() => {
            out.push((s.clone(), if inside { Kind::Leaf } else { Kind::Text }));
        }
        (Value::Number(n), Some(leaf)) => out.push((n.to_string(), Kind::Number { leaf })),
        (Value::Bool(b), Some(false)) => out.push((b.to_string(), Kind::Text)),
        (Value::Array(items), _) => items.iter().for_each(|i| secret_leaves(i, under, out)),
        (Value::Object(map), _) => map.values().for_each(|i| secret_leaves(i, under, out)),
        _ => {}
    }
}

/// Whether a run of text made of fragments of secrets (not of their encodings, which always
/// count) is masked: when it holds a digit or a symbol other than `_` and `-` (as generated
/// passwords, keys and tokens do), or is at least [`FRAGMENT_WORD`] bytes long. A shorter run
/// of letters, `_` and `-` only is most likely a word or identifier the secret shares with
/// ordinary text (`secret`, `_ACCESS_` of `AWS_SECRET_ACCESS_KEY` in `public_access_block`),
/// and the secret's whole text is masked anyway.
fn fragment_counts(run: &[u8]) -> bool {
    run.len() >= FRAGMENT_WORD || !run.iter().all(|b| word_byte(*b))
}

/// A byte of words and identifiers: a letter, `_` or `-`.
fn word_byte(b: u8) -> bool {
    b.is_ascii_alphabetic() || matches!(b, b'_' | b'-')
}

/// Whether a byte is part of a token: a short secret or number next to one is part of a
/// larger word, address, path or version, not the secret.
fn token_byte(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'-' | b'/' | b':' | b'+') || b >= 0x80
}

/// Whether `start..end` stands as a whole token: no token byte before it, and none after it
/// either, except a `.` or `:` that ends a sentence or clause.
fn bounded(text: &str, start: usize, end: usize) -> bool {
    let bytes = text.as_bytes();
    let before = start
        .checked_sub(1)
        .and_then(|i| bytes.get(i))
        .is_some_and(|b| token_byte(*b));
    if before {
        return false;
    }
    match bytes.get(end) {
        None => true,
        Some(b'.' | b':') => !bytes.get(end + 1).is_some_and(|b| token_byte(*b)),
        Some(b) => !token_byte(*b),
    }
}

/// The byte ranges of maximal runs of token bytes.
fn tokens(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = None;
    for (i, b) in text.bytes().enumerate() {
        match (token_byte(b), start) {
            (true, None) => start = Some(i),
            (false, Some(s)) => {
                out.push((s, i));
                start = None;
            }
            _ => {}
        }
    }
    if let Some(s) = start {
        out.push((s, text.len()));
    }
    out
}

/// The value of a text that is a plain decimal number (`65535`, `65535.0`, `6.5535e4`).
fn numeric(text: &str) -> Option<f64> {
    let digits = text.bytes().any(|b| b.is_ascii_digit());
    let plain = text
        .bytes()
        .all(|b| b.is_ascii_digit() || matches!(b, b'.' | b'e' | b'E' | b'+' | b'-'));
    let starts = text
        .bytes()
        .next()
        .is_some_and(|b| b.is_ascii_digit() || matches!(b, b'.' | b'-' | b'+'));
    if !(digits && plain && starts) {
        return None;
    }
    text.parse::<f64>().ok().filter(|n| n.is_finite())
}

/// A short token (under [`FRAGMENT_SECRET_MIN`] bytes) as a number: its bytes lowercased,
/// and its length in the top byte.
fn token_key(token: &[u8]) -> Option<u64> {
    (!token.is_empty() && token.len() < FRAGMENT_SECRET_MIN)
        .then(|| window_key(token) | ((token.len() as u64) << 56))
}

fn window_key(window: &[u8]) -> u64 {
    window.iter().fold(0u64, |key, b| {
        (key << 8) | u64::from(b.to_ascii_lowercase())
    })
}

/// The key of a whole secret in its index: its first [`SUBSTRING_MIN`] bytes, or its first
/// [`FRAGMENT_SECRET_MIN`] for a longer one (so that many secrets with a common start, such as
/// ARNs, do not share one list). The high bit tells the two apart.
fn prefix_key(lower: &[u8]) -> Option<u64> {
    let take = if lower.len() >= FRAGMENT_SECRET_MIN {
        FRAGMENT_SECRET_MIN
    } else {
        SUBSTRING_MIN
    };
    let head = lower.get(..take)?;
    let key = window_key(head);
    Some(if take == FRAGMENT_SECRET_MIN {
        key | (1 << 63)
    } else {
        key
    })
}

/// The text with each run of characters that have a marked byte replaced by one [`MASK`].
fn masked(text: &str, marks: &[bool]) -> String {
    let mut out = String::with_capacity(text.len());
    let mut in_mask = false;
    for (i, c) in text.char_indices() {
        let hit = marks
            .get(i..i + c.len_utf8())
            .is_some_and(|m| m.iter().any(|b| *b));
        if hit {
            if !in_mask {
                out.push_str(MASK);
            }
            in_mask = true;
        } else {
            out.push(c);
            in_mask = false;
        }
    }
    out
}

/// The forms a secret may take when a policy encodes it.
fn encodings(secret: &str) -> Vec<String> {
    let bytes = secret.as_bytes();
    let mut out = Vec::with_capacity(12);
    for alphabet in [STANDARD, URL_SAFE] {
        let padded = base64(bytes, alphabet);
        out.push(padded.trim_end_matches('=').to_string());
        out.push(padded);
        // Inside a longer encoded text the secret's bytes fall at any of three alignments;
        // the encoding's middle is the same whatever comes before and after.
        for shift in 1..=2 {
            let mut shifted = vec![0u8; shift];
            shifted.extend_from_slice(bytes);
            let encoded = base64(&shifted, alphabet);
            let middle = encoded
                .get(4..encoded.len().saturating_sub(4))
                .unwrap_or_default();
            if middle.len() >= FRAGMENT {
                out.push(middle.to_string());
            }
        }
    }
    out.push(bytes.iter().map(|b| format!("{b:02x}")).collect());
    let percent = percent_encode(bytes);
    if percent != secret {
        out.push(percent);
    }
    if let Ok(json) = serde_json::to_string(secret) {
        let inner = json
            .get(1..json.len().saturating_sub(1))
            .unwrap_or_default();
        if inner != secret {
            out.push(inner.to_string());
        }
    }
    if secret.len() >= FRAGMENT_SECRET_MIN {
        out.push(secret.chars().rev().collect());
    }
    out
}

const STANDARD: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
const URL_SAFE: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// Base64 with padding.
fn base64(bytes: &[u8], alphabet: &[u8; 64]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    let sextet = |n: u32, shift: u32| {
        let index = ((n >> shift) & 63) as usize;
        char::from(alphabet.get(index).copied().unwrap_or(b'A'))
    };
    for chunk in bytes.chunks(3) {
        let mut n: u32 = 0;
        for (i, b) in chunk.iter().enumerate() {
            n |= u32::from(*b) << (16 - 8 * i);
        }
        out.push(sextet(n, 18));
        out.push(sextet(n, 12));
        out.push(if chunk.len() > 1 { sextet(n, 6) } else { '=' });
        out.push(if chunk.len() > 2 { sextet(n, 0) } else { '=' });
    }
    out
}

/// The UTF-8 text of a standard or URL-safe base64 string (padding optional, whitespace
/// ignored) of at least [`FRAGMENT_SECRET_MIN`] characters; `None` when it is not base64 or not
/// text.
fn base64_text(text: &str) -> Option<String> {
    let body = text
        .bytes()
        .filter(|b| !b.is_ascii_whitespace() && *b != b'=')
        .count();
    if body < FRAGMENT_SECRET_MIN
        || body % 4 == 1
        || text.trim_end().trim_end_matches('=').contains('=')
    {
        return None;
    }
    let decoded = String::from_utf8(base64_decode(text)?).ok()?;
    // random bytes that happen to be UTF-8 are not a document worth indexing
    let printable = decoded
        .chars()
        .all(|c| !c.is_control() || c.is_ascii_whitespace());
    printable.then_some(decoded)
}

/// Decodes standard or URL-safe base64 (padding optional, whitespace ignored, decoding stops at
/// the first `=`); `None` when the text holds another character or no base64 at all. The one
/// decoder of the workspace: the filter uses it for secrets, rules for user data.
pub fn base64_decode(text: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(text.len() * 3 / 4);
    let mut buffer: u32 = 0;
    let mut bits = 0;
    let mut seen = 0usize;
    for c in text.bytes() {
        let v = match c {
            b'A'..=b'Z' => c - b'A',
            b'a'..=b'z' => c - b'a' + 26,
            b'0'..=b'9' => c - b'0' + 52,
            b'+' | b'-' => 62,
            b'/' | b'_' => 63,
            b'=' => break,
            b' ' | b'\n' | b'\r' | b'\t' => continue,
            _ => return None,
        };
        seen += 1;
        buffer = (buffer << 6) | u32::from(v);
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push(((buffer >> bits) & 0xff) as u8);
        }
    }
    (seen > 0).then_some(out)
}

fn percent_encode(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len());
    for b in bytes {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(char::from(*b));
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn redactor(secrets: &[&str]) -> Redactor {
        let mut r = Redactor::default();
        for s in secrets {
            r.add(*s);
        }
        r.finish();
        r
    }

    #[test]
    fn masks_long_secrets_anywhere_and_short_ones_as_words() {
        let r = redactor(&["hunter22", "42"]);
        assert_eq!(
            r.redact("password hunter22 is weak; xhunter22x too"),
            "password [secret] is weak; x[secret]x too"
        );
        assert_eq!(r.redact("port 42, not 4242"), "port [secret], not 4242");
        assert_eq!(r.redact("nothing here"), "nothing here");
    }

    #[test]
    fn longest_secret_first() {
        let r = redactor(&["abcd", "abcdefgh"]);
        assert_eq!(r.redact("=abcdefgh="), "=[secret]=");
    }

    #[test]
    fn short_secrets_do_not_garble_addresses_versions_or_paths() {
        let r = redactor(&["0.0", "ab"]);
        assert_eq!(
            r.redact("ingress from 0.0.0.0/0 and ::/0"),
            "ingress from 0.0.0.0/0 and ::/0"
        );
        assert_eq!(
            r.redact("v10.0.0 a.ab ab_c ab-c ab/c"),
            "v10.0.0 a.ab ab_c ab-c ab/c"
        );
        assert_eq!(
            r.redact("value 0.0. Then `ab`: (0.0)"),
            "value [secret]. Then `[secret]`: ([secret])"
        );
        // a string that looks like a number is text: other spellings are other values
        assert_eq!(r.redact("defaults to 0"), "defaults to 0");
    }

    #[test]
    fn numbers_are_masked_in_every_spelling() {
        let mut r = Redactor::default();
        let number: Value = serde_json::from_str("65535.0").unwrap_or_default();
        r.add_value(&Value::Secret(Box::new(number)));
        r.finish();
        for spelling in ["65535", "65535.0", "65535.00", "6.5535e4", "6.5535E+4"] {
            let text = format!("port {spelling}, open");
            assert_eq!(r.redact(&text), "port [secret], open", "{spelling}");
        }
        assert_eq!(r.redact("port 65535."), "port [secret].");
        assert_eq!(r.redact("port -65535"), "port -[secret]");
        assert_eq!(r.redact("ports 165535 and 65536"), "ports 165535 and 65536");
        // the bounds of a range are numbers of their own; other hyphenated tokens are not
        assert_eq!(r.redact("to ports 0-65535."), "to ports 0-[secret].");
        assert_eq!(r.redact("ports 65535-65535"), "ports [secret]-[secret]");
        assert_eq!(
            r.redact("ports 0-65536, x-65535, 1-2-65535"),
            "ports 0-65536, x-65535, 1-2-65535"
        );
    }

    #[test]
    fn leaves_of_json_documents_in_secrets_are_secret() {
        let doc = r#"{"Version":"2012-10-17","Statement":[{"Sid":"AllowAll","Effect":"Allow",
            "Principal":"*","Action":["s3:GetObject","x:MySecretAction"],"Max":65535.0}]}"#;
        let r = redactor(&[doc]);
        let text = "statement `AllowAll` allows `s3:GetObject`, `x:MySecretAction` up to 65535";
        assert_eq!(
            r.redact(text),
            "statement `[secret]` allows `[secret]`, `[secret]` up to [secret]"
        );
        // a short leaf is masked where it stands alone, not inside other words
        assert_eq!(r.redact("`Allow` allows"), "`[secret]` allows");
        // its keys and punctuation are not fragments of a secret
        assert_eq!(r.redact("policy statement 1"), "policy statement 1");
    }

    #[test]
    fn secret_objects_are_documents_and_indexes_are_not_values() {
        let doc = serde_json::json!({"Effect": "Allow", "Sid": "AllowAll", "n": 0.0, "on": true});
        let mut r = Redactor::default();
        r.add_value(&Value::Secret(Box::new(Value::from_json(doc))));
        r.finish();
        assert_eq!(
            r.redact("`AllowAll` allows `Allow` at ingress[0], 0 true"),
            "`[secret]` allows `[secret]` at ingress[0], [secret] true"
        );
        let mut r = Redactor::default();
        let doc = serde_json::json!({"Principal": "*", "Action": "s3:*"});
        r.add_value(&Value::Secret(Box::new(Value::from_json(doc))));
        r.finish();
        assert_eq!(r.redact("`*` and `s3:*`"), "`*` and `[secret]`");
    }

    #[test]
    fn encodings_and_fragments_are_masked() {
        let secret = "correct-Horse/battery staple";
        let r = redactor(&[secret]);
        let b64 = base64(secret.as_bytes(), STANDARD);
        let url = base64(secret.as_bytes(), URL_SAFE);
        let hex: String = secret.bytes().map(|b| format!("{b:02X}")).collect();
        let embedded = base64(format!("user:{secret}!").as_bytes(), STANDARD);
        let embedded_leak = embedded.clone();
        let json = serde_json::to_string(&format!("say \"{secret}\"")).unwrap_or_default();
        let json_leak = json.clone();
        for leak in [
            b64.clone(),
            b64.trim_end_matches('=').to_string(),
            url.trim_end_matches('=').to_string(),
            hex,
            percent_encode(secret.as_bytes()),
            embedded_leak,
            json,
            secret.to_uppercase(),
            secret.chars().rev().collect(),
            "rse/ba".to_string(),
            "ect-Horse/b".to_string(),
            "ry sta".to_string(),
        ] {
            let text = format!("leak: <{leak}>");
            let out = r.redact(&text);
            assert!(out.starts_with("leak: <") && out.ends_with('>'), "{out}");
            assert!(out.contains(MASK), "{leak} -> {out}");
            if leak == embedded || leak == json_leak {
                // the encoded `user:` and `!` around it are not secret
                assert!(out.len() < 40, "{out}");
                continue;
            }
            for window in leak.as_bytes().windows(FRAGMENT) {
                let w = String::from_utf8_lossy(window);
                assert!(!out.contains(w.as_ref()), "{leak} -> {out}");
            }
        }
        assert_eq!(r.redact("unrelated text stays"), "unrelated text stays");
        // a word the secret shares with ordinary text is not a fragment; a longer run is
        assert_eq!(r.redact("correct answer"), "correct answer");
        // so is a run of letters, `_` and `-` shorter than ten bytes
        assert_eq!(r.redact("ect-Ho, ect-Horse"), "ect-Ho, ect-Horse");
        let aws = redactor(&["export AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMIK7MDENGbPxRfiCY"]);
        assert_eq!(
            aws.redact("`aws_s3_bucket_public_access_block` for `sg` (aws_security_group)"),
            "`aws_s3_bucket_public_access_block` for `sg` (aws_security_group)"
        );
        assert_eq!(aws.redact("<SECRET_ACCESS>"), "<[secret]>");
        let letters = redactor(&["Swordfish"]);
        assert_eq!(letters.redact("is SWORDFISH."), "is [secret].");
        assert_eq!(letters.redact("a sword fish"), "a sword fish");
        let words = redactor(&["Supercalifragilistic9"]);
        // an encoding of a fragment, at each alignment, whatever its letters
        for start in 0..3 {
            let part = &"Supercalifragilistic9"[start..start + 12];
            let encoded = base64(part.as_bytes(), STANDARD);
            let out = words.redact(&encoded);
            assert!(
                out.contains(MASK) && out.len() < 16,
                "{part}: {encoded} -> {out}"
            );
        }
        assert_eq!(words.redact("Superc!"), "Superc!");
        assert_eq!(words.redact("<califragilis>"), "<[secret]>");
        assert_eq!(words.redact("<istic9>"), "<[secret]>");
        // a mask already in the text is left alone
        assert_eq!(r.redact("`[secret]` battery"), "`[secret]` battery");
    }

    #[test]
    fn parts_and_double_base64_of_secrets_are_masked() {
        let r = redactor(&["Hunter2-Correct-Horse-Battery", "Pass_Sunshine9"]);
        assert_eq!(
            r.redact(r#"["Hunter2", "Correct", "Horse", "Battery", "is"]"#),
            r#"["[secret]", "[secret]", "[secret]", "[secret]", "is"]"#
        );
        assert_eq!(r.redact("`Sunshine9` and `Pass`"), "`[secret]` and `Pass`");
        // a part inside a longer word is ordinary text
        assert_eq!(r.redact("incorrectly horses"), "incorrectly horses");
        let twice = base64(
            base64(b"Hunter2-Correct-Horse-Battery", STANDARD).as_bytes(),
            STANDARD,
        );
        assert_eq!(r.redact(&format!("b64 {twice}")), "b64 [secret]");
        // scripts are not split into their words
        let script = redactor(&["#!/bin/bash\nexport KEY=Sw0rdfish!\nrun-server --verbose"]);
        assert_eq!(script.redact("`verbose`, `server`"), "`verbose`, `server`");
    }

    #[test]
    fn base64_documents_are_opened() {
        let script = "#!/bin/bash\nexport DB_PASSWORD=Sw0rdfish!\n";
        let r = redactor(&[&base64(script.as_bytes(), STANDARD)]);
        assert_eq!(
            r.redact("line `export DB_PASSWORD=Sw0rdfish!`"),
            "line `[secret]`"
        );
    }

    #[test]
    fn multibyte_text_is_masked_on_character_boundaries() {
        let r = redactor(&["päßwörd-geheim"]);
        assert_eq!(r.redact("é päßwörd-geheim é"), "é [secret] é");
        assert_eq!(r.redact("ü wörd-ge ü"), "ü [secret] ü");
    }

    #[test]
    fn taint_marks_computed_leaves() {
        let r = redactor(&["hunter22-long"]);
        let mut v = Value::from_json(serde_json::json!({"a": "HUNTER22-LONG", "b": "ok"}));
        r.taint(&mut v);
        assert!(v.get("a").is_some_and(Value::is_secret));
        assert!(v.get("b").is_some_and(|b| !b.is_secret()));
    }
}
