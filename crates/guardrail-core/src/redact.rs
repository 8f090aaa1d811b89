//! Keeps secret plaintext out of every output.
//!
//! Policies see plaintext, and a careless policy may write it into its message. The engine passes
//! every message, path and error through a [`Redactor`] built from all secret values of the stack.

use rayon::prelude::*;
use std::borrow::Cow;

use crate::resource::Stack;
use crate::value::Value;

/// What replaces a secret in text.
pub const MASK: &str = "[secret]";

/// Replaces known secret plaintexts in text.
#[derive(Clone, Debug, Default)]
pub struct Redactor {
    /// Longest first, so a secret that contains another is masked whole.
    secrets: Vec<String>,
}

/// Secrets shorter than this are masked only where they stand as a whole word, so that a secret
/// such as `1` or `on` does not mangle every message; longer ones are masked wherever they appear.
const SUBSTRING_MIN: usize = 4;

impl Redactor {
    /// Collects the secrets of every resource of a stack (inputs, outputs and old inputs) and of
    /// its configuration.
    pub fn for_stack(stack: &Stack) -> Self {
        // every value of every resource is walked: on all cores
        let secrets = stack
            .resources
            .par_iter()
            .with_min_len(256)
            .fold(Vec::new, |mut found: Vec<String>, res| {
                for value in std::iter::once(&res.props)
                    .chain(res.outputs.as_ref())
                    .chain(res.old_props.as_ref())
                {
                    value.for_each_secret_leaf(&mut |s| {
                        if !s.is_empty() {
                            found.push(s);
                        }
                    });
                }
                found
            })
            .reduce(Vec::new, |mut a, mut b| {
                a.append(&mut b);
                a
            });
        let mut r = Redactor { secrets };
        for v in stack.config.values() {
            r.add_value(v);
        }
        r.finish();
        r
    }

    /// Adds the secret leaves inside a value. Call [`Redactor::finish`] afterwards.
    pub fn add_value(&mut self, value: &Value) {
        value.for_each_secret_leaf(&mut |s| {
            if !s.is_empty() {
                self.secrets.push(s);
            }
        });
    }

    /// Adds one secret string. Call [`Redactor::finish`] afterwards.
    pub fn add(&mut self, secret: impl Into<String>) {
        let s = secret.into();
        if !s.is_empty() {
            self.secrets.push(s);
        }
    }

    /// Sorts and deduplicates the secrets.
    pub fn finish(&mut self) {
        self.secrets
            .sort_by(|a, b| b.len().cmp(&a.len()).then_with(|| a.cmp(b)));
        self.secrets.dedup();
    }

    /// Whether there is nothing to redact.
    pub fn is_empty(&self) -> bool {
        self.secrets.is_empty()
    }

    /// The text with every secret masked.
    pub fn redact<'a>(&self, text: &'a str) -> Cow<'a, str> {
        let mut out: Cow<'a, str> = Cow::Borrowed(text);
        for secret in &self.secrets {
            if !out.contains(secret.as_str()) {
                continue;
            }
            let replaced = if secret.chars().count() >= SUBSTRING_MIN {
                out.replace(secret.as_str(), MASK)
            } else {
                replace_whole_words(&out, secret)
            };
            out = Cow::Owned(replaced);
        }
        out
    }
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn replace_whole_words(text: &str, secret: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    let mut prev: Option<char> = None;
    while let Some(pos) = rest.find(secret) {
        let before = rest[..pos].chars().next_back().or(prev);
        let after = rest[pos + secret.len()..].chars().next();
        let bounded = !before.is_some_and(is_word) && !after.is_some_and(is_word);
        out.push_str(&rest[..pos]);
        out.push_str(if bounded { MASK } else { secret });
        prev = secret.chars().next_back();
        rest = &rest[pos + secret.len()..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks_long_secrets_anywhere_and_short_ones_as_words() {
        let mut r = Redactor::default();
        r.add("hunter22");
        r.add("42");
        r.finish();
        assert_eq!(
            r.redact("password hunter22 is weak; xhunter22x too"),
            "password [secret] is weak; x[secret]x too"
        );
        assert_eq!(r.redact("port 42, not 4242"), "port [secret], not 4242");
        assert_eq!(r.redact("nothing here"), "nothing here");
    }

    #[test]
    fn longest_secret_first() {
        let mut r = Redactor::default();
        r.add("abcd");
        r.add("abcdefgh");
        r.finish();
        assert_eq!(r.redact("=abcdefgh="), "=[secret]=");
    }
}
