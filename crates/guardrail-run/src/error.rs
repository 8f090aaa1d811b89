//! The pipeline's error: a message for a person, a help line, and what kind of mistake it is.

/// What kind of problem stopped a run. Every kind is exit code 2 on the command line; a
/// service can map them to its own statuses (a bad upload is the caller's, a pack that does not
/// load is the operator's).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ErrorKind {
    /// The options contradict themselves or name something unknown (a selector, a format).
    Usage,
    /// The project config (`guardrail.toml`), the policy configuration or an exemption.
    Config,
    /// An input that cannot be read or is no known format.
    Input,
    /// A policy pack that cannot be loaded.
    Pack,
    /// A baseline that cannot be read, parsed or written.
    Baseline,
    /// A file the pipeline was asked to write.
    Output,
}

/// An error for a person: what went wrong (lowercase, user input in backticks, the file and
/// place when there is one) and what to do about it. The message never holds secret values.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{message}")]
pub struct Error {
    /// What kind of problem it is.
    pub kind: ErrorKind,
    /// What went wrong.
    pub message: String,
    /// What to do.
    pub help: Option<String>,
}

impl Error {
    /// An error of `kind` without help.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error {
            kind,
            message: message.into(),
            help: None,
        }
    }

    /// A usage error: options that contradict themselves or name something unknown.
    pub fn usage(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Usage, message)
    }

    /// A problem in the config, the policy configuration or an exemption.
    pub fn config(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Config, message)
    }

    /// An input that cannot be read or understood.
    pub fn input(message: impl Into<String>) -> Self {
        Error::new(ErrorKind::Input, message)
    }

    /// Adds a help line.
    #[must_use]
    pub fn help(mut self, help: impl Into<String>) -> Self {
        self.help = Some(help.into());
        self
    }

    /// A pack error as a person reads it.
    pub fn pack(e: guardrail_rego::PackError) -> Self {
        Error {
            kind: ErrorKind::Pack,
            message: e.headline(),
            help: e.help,
        }
    }

    /// An input error, with its place (`file:line:column: message`).
    pub fn from_input(e: guardrail_inputs::InputError) -> Self {
        Error {
            kind: ErrorKind::Input,
            message: match (e.line, e.column) {
                (Some(l), Some(c)) => format!("{}:{l}:{c}: {}", e.file, e.message),
                (Some(l), None) => format!("{}:{l}: {}", e.file, e.message),
                _ => format!("{}: {}", e.file, e.message),
            },
            help: e.help.clone(),
        }
    }
}
