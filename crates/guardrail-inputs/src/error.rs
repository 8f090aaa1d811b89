//! The error every adapter returns: which file, what was wrong, where, and what to do about it.

use std::fmt;

/// Why an input file could not be loaded.
///
/// Displayed as `file:line:column: message`, followed by a `help:` line when there is one. Messages
/// are lowercase, quote user input in backticks and never print property values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub struct InputError {
    /// The file, as the caller named it.
    pub file: String,
    /// What was wrong, in lowercase.
    pub message: String,
    /// The 1-based line where the problem is, when known.
    pub line: Option<usize>,
    /// The 1-based column where the problem is, when known.
    pub column: Option<usize>,
    /// What to do about it, when there is advice to give.
    pub help: Option<String>,
}

impl InputError {
    /// An error about `file` with no position and no help.
    pub fn new(file: impl Into<String>, message: impl Into<String>) -> Self {
        InputError {
            file: file.into(),
            message: message.into(),
            line: None,
            column: None,
            help: None,
        }
    }

    /// Adds a position.
    pub fn at(mut self, line: usize, column: usize) -> Self {
        self.line = Some(line);
        self.column = Some(column);
        self
    }

    /// Adds a help line.
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.file)?;
        match (self.line, self.column) {
            (Some(line), Some(column)) => write!(f, ":{line}:{column}")?,
            (Some(line), None) => write!(f, ":{line}")?,
            _ => {}
        }
        write!(f, ": {}", self.message)?;
        if let Some(help) = &self.help {
            write!(f, "\nhelp: {help}")?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn displays_file_position_message_and_help() {
        let e = InputError::new("plan.json", "not valid JSON: expected value")
            .at(3, 7)
            .help("run `terraform show -json`");
        assert_eq!(
            e.to_string(),
            "plan.json:3:7: not valid JSON: expected value\nhelp: run `terraform show -json`"
        );
        assert_eq!(
            InputError::new("a", "b").to_string(),
            "a: b",
            "no position, no help"
        );
    }
}
