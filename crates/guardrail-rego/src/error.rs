//! Errors in a policy pack: the file, the place, the line, and what to do.

use std::fmt;
use std::path::{Path, PathBuf};

/// A problem with a policy pack (a manifest, a Rego file, metadata, a test file).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PackError {
    /// The file at fault.
    pub file: PathBuf,
    /// 1-based line, when known.
    pub line: Option<usize>,
    /// 1-based column, when known.
    pub column: Option<usize>,
    /// The text of that line, when known.
    pub source_line: Option<String>,
    /// What is wrong.
    pub message: String,
    /// What to do about it.
    pub help: Option<String>,
}

impl PackError {
    /// An error about a whole file.
    pub fn new(file: impl Into<PathBuf>, message: impl Into<String>) -> Self {
        PackError {
            file: file.into(),
            line: None,
            column: None,
            source_line: None,
            message: message.into(),
            help: None,
        }
    }

    /// Places the error at `line:column` of `text` (the file's contents), keeping that line.
    pub fn at(mut self, text: &str, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column.max(1));
        self.source_line = text
            .lines()
            .nth(line.saturating_sub(1))
            .map(|l| l.trim_end().to_string());
        self
    }

    /// Places the error at a location regorus reported, whose columns count a tab as four: the
    /// column becomes a character column of the line.
    pub(crate) fn at_rego(self, text: &str, line: usize, column: usize) -> Self {
        let source = text.lines().nth(line.saturating_sub(1)).unwrap_or_default();
        self.at(text, line, char_column(source, column))
    }

    /// Adds what to do.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// `file:line:col`, as far as known.
    pub fn location(&self) -> String {
        match (self.line, self.column) {
            (Some(l), Some(c)) => format!("{}:{l}:{c}", self.file.display()),
            (Some(l), None) => format!("{}:{l}", self.file.display()),
            _ => self.file.display().to_string(),
        }
    }

    /// The message with its location and the source line with a caret under the column, without
    /// the help.
    pub fn headline(&self) -> String {
        let mut out = format!("{}: {}", self.location(), self.message);
        if let (Some(line), Some(text)) = (self.line, &self.source_line) {
            let gutter = line.to_string();
            out.push_str(&format!("\n {gutter} | {text}"));
            if let Some(col) = self.column {
                let pad: String = text
                    .chars()
                    .take(col.saturating_sub(1))
                    .map(|c| if c == '\t' { '\t' } else { ' ' })
                    .collect();
                out.push_str(&format!("\n {} | {pad}^", " ".repeat(gutter.len())));
            }
        }
        out
    }

    /// Builds an error from a regorus parse or evaluation error, whose text carries
    /// `--> file:line:col`, the line, and `error: message`.
    pub fn from_regorus(file: &Path, text: &str, error: &str) -> Self {
        let (line, column, message) = parse_regorus(error);
        let mut e = PackError::new(file, message);
        if let Some(line) = line {
            e = e.at_rego(text, line, column.unwrap_or(1));
        }
        e
    }
}

/// The character column of `line` at regorus column `column` (its lexer counts a tab as four).
fn char_column(line: &str, column: usize) -> usize {
    let mut visual = 1;
    let mut chars = 0;
    for c in line.chars() {
        if visual >= column {
            return chars + 1;
        }
        visual += if c == '\t' { 4 } else { 1 };
        chars += 1;
    }
    chars + 1 + column.saturating_sub(visual)
}

impl fmt::Display for PackError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.headline())?;
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for PackError {}

/// Splits a regorus error into line, column and message.
pub(crate) fn parse_regorus(error: &str) -> (Option<usize>, Option<usize>, String) {
    let mut line = None;
    let mut column = None;
    let mut message = None;
    for l in error.lines() {
        let t = l.trim();
        if let Some(loc) = t.strip_prefix("--> ") {
            let mut parts = loc.rsplitn(3, ':');
            column = parts.next().and_then(|c| c.trim().parse().ok());
            line = parts.next().and_then(|c| c.trim().parse().ok());
        } else if let Some(m) = t.strip_prefix("error: ") {
            message = Some(m.to_string());
        }
    }
    let message = message.unwrap_or_else(|| {
        error
            .lines()
            .map(str::trim)
            .find(|l| !l.is_empty())
            .unwrap_or("unknown error")
            .to_string()
    });
    (line, column, message)
}

/// A regorus evaluation error as one line: `file:line:col: message`.
pub(crate) fn one_line(error: &str) -> String {
    let (line, column, message) = parse_regorus(error);
    let file = error
        .lines()
        .find_map(|l| l.trim().strip_prefix("--> "))
        .and_then(|loc| loc.rsplitn(3, ':').nth(2));
    match (file, line, column) {
        (Some(f), Some(l), Some(c)) => format!("{f}:{l}:{c}: {message}"),
        _ => message,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regorus_errors_become_located_messages() {
        let err = "\n--> p.rego:3:11\n  |\n3 | deny[msg] {\n  |           ^\nerror: `if` keyword is required before rule body";
        let text = "package p\n\ndeny[msg] {\n}\n";
        let e = PackError::from_regorus(Path::new("p.rego"), text, err).help("use v1");
        assert_eq!(e.line, Some(3));
        assert_eq!(e.column, Some(11));
        let shown = e.to_string();
        assert!(shown.starts_with("p.rego:3:11: `if` keyword is required before rule body"));
        assert!(
            shown.contains(" 3 | deny[msg] {\n   |           ^"),
            "{shown}"
        );
        assert!(shown.ends_with("help: use v1"));
        assert_eq!(
            one_line(err),
            "p.rego:3:11: `if` keyword is required before rule body"
        );
    }

    #[test]
    fn tab_columns_become_character_columns() {
        assert_eq!(char_column("\tmsg := sprintff(1)", 12), 9);
        assert_eq!(char_column("    msg := x", 5), 5);
        assert_eq!(char_column("\t\tx", 9), 3);
        assert_eq!(char_column("ab", 4), 4);
    }

    #[test]
    fn errors_without_location_keep_their_text() {
        let (l, c, m) = parse_regorus("execution exceeded time limit");
        assert_eq!((l, c), (None, None));
        assert_eq!(m, "execution exceeded time limit");
    }
}
