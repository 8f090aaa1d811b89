//! guardrail-inputs: format detection and adapters that turn input files into a
//! [`guardrail_core::Stack`].
//!
//! Formats (detected from content; see [`InputFormat`]):
//! - Terraform/OpenTofu `show -json` of a plan (format 0.1 to 1.2) and of a state;
//! - raw `.tfstate` files (version 4);
//! - Pulumi `stack export` (deployment v3) and checkpoints v0 to v4;
//! - Pulumi `preview --json`;
//! - Pulumi engine event logs (JSON lines);
//! - Kubernetes manifests: YAML (several documents) or JSON, `kind: List`, the output of
//!   `helm template` and `kustomize build`, and directories of them.
//!
//! Each file is read once and parsed once: the top level is skimmed into raw slices, and only
//! the parts a format needs are parsed, straight into [`guardrail_core::Value`]. Unknown values
//! become [`Value::Unknown`](guardrail_core::Value::Unknown), sensitive and secret values
//! [`Value::Secret`](guardrail_core::Value::Secret).
//!
//! Files are decoded from UTF-8 (with or without a byte order mark) or UTF-16 (with a byte order
//! mark). Anything else is an [`InputError`] naming the file, the position where the JSON parser
//! gives one, what was wrong, and what to do.

mod detect;
mod error;
pub mod kubernetes;
mod pulumi;
pub mod source;
mod terraform;
mod text;

#[cfg(test)]
mod tests;

use std::fmt;
use std::path::Path;
use std::str::FromStr;

use guardrail_core::Stack;

pub use error::InputError;

use detect::{Document, Top};
use text::Source;

/// Turns Pulumi's markers inside a property value into guardrail's, exactly as the stack-export
/// reader does: secret objects become [`Value::Secret`](guardrail_core::Value::Secret) (of their
/// `plaintext` or `value`; one with only `ciphertext` a secret unknown), output values their
/// `value`, and the unknown sentinel strings [`Value::Unknown`](guardrail_core::Value::Unknown).
/// The Pulumi analyzer protocol sends properties with the same markers.
pub fn convert_pulumi_markers(value: &mut guardrail_core::Value) {
    pulumi::convert(value);
}

/// An input format guardrail reads.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum InputFormat {
    /// `terraform show -json plan.out` (or `tofu show -json`): a plan, format 0.1 to 1.2.
    TerraformPlan,
    /// `terraform show -json` of a state (no plan file given).
    TerraformState,
    /// A raw `.tfstate` file, version 4 (Terraform 0.12 and later, OpenTofu).
    TerraformStateFile,
    /// `pulumi stack export` (deployment version 3), and checkpoints version 0 to 4.
    PulumiStackExport,
    /// `pulumi preview --json`.
    PulumiPreview,
    /// A Pulumi engine event log (`pulumi up --event-log`): one JSON event a line.
    PulumiEvents,
    /// Kubernetes manifests: YAML or JSON objects, several documents a file, `kind: List`, or a
    /// directory of such files.
    KubernetesManifests,
}

impl InputFormat {
    /// Every format, in the order detection reports them.
    pub const ALL: [InputFormat; 7] = [
        InputFormat::TerraformPlan,
        InputFormat::TerraformState,
        InputFormat::TerraformStateFile,
        InputFormat::PulumiStackExport,
        InputFormat::PulumiPreview,
        InputFormat::PulumiEvents,
        InputFormat::KubernetesManifests,
    ];

    /// The name used on the command line and in [`Stack::format`].
    pub fn name(self) -> &'static str {
        match self {
            InputFormat::TerraformPlan => "terraform-plan",
            InputFormat::TerraformState => "terraform-state",
            InputFormat::TerraformStateFile => "tfstate",
            InputFormat::PulumiStackExport => "pulumi-stack",
            InputFormat::PulumiPreview => "pulumi-preview",
            InputFormat::PulumiEvents => "pulumi-events",
            InputFormat::KubernetesManifests => "kubernetes-manifests",
        }
    }

    /// How to produce a file of this format.
    pub(crate) fn help(self) -> &'static str {
        match self {
            InputFormat::TerraformPlan => {
                "produce a plan with `terraform plan -out plan.out && terraform show -json plan.out > plan.json`"
            }
            InputFormat::TerraformState => "produce a state with `terraform show -json > state.json`",
            InputFormat::TerraformStateFile => {
                "use a version 4 `.tfstate` (Terraform 0.12 or later), or `terraform show -json > state.json`"
            }
            InputFormat::PulumiStackExport => {
                "produce a stack export with `pulumi stack export --file stack.json`"
            }
            InputFormat::PulumiPreview => {
                "produce a preview with `pulumi preview --json > preview.json`"
            }
            InputFormat::PulumiEvents => {
                "produce an event log with `pulumi up --event-log events.json` (or `pulumi preview --event-log`)"
            }
            InputFormat::KubernetesManifests => kubernetes::HELP,
        }
    }
}

impl fmt::Display for InputFormat {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for InputFormat {
    type Err = String;

    /// Accepts the names of [`InputFormat::name`].
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        InputFormat::ALL
            .into_iter()
            .find(|f| f.name() == s)
            .ok_or_else(|| {
                let names: Vec<&str> = InputFormat::ALL.iter().map(|f| f.name()).collect();
                format!(
                    "unknown input format `{s}` (expected one of: {})",
                    names.join(", ")
                )
            })
    }
}

/// Loads a file into a stack. `format: None` detects the format from the content; `Some` forces
/// it (a file that does not fit is an error naming the format). The file is read once.
///
/// A directory is read as Kubernetes manifests: every `.yaml`, `.yml` and `.json` file under it
/// that holds Kubernetes objects, as one stack.
pub fn load_file(path: &Path, format: Option<InputFormat>) -> Result<Stack, InputError> {
    let name = source_name(path);
    if path != Path::new(STDIN) && path.is_dir() {
        if let Some(forced) = format.filter(|f| *f != InputFormat::KubernetesManifests) {
            return Err(InputError::new(
                &name,
                format!("is a directory, not a {} file", forced.name()),
            )
            .help(forced.help()));
        }
        let mut stack = kubernetes::load_dir(path, &name)?;
        stack.source = name;
        stack.format = InputFormat::KubernetesManifests.name().to_string();
        return Ok(stack);
    }
    let bytes = read(path).map_err(|e| read_error(&name, &e))?;
    load_bytes(&name, &bytes, format)
}

/// The input name that reads standard input (`guardrail check -`).
pub const STDIN: &str = "-";

/// How an input is named in errors and reports: its path, or `stdin`.
pub fn source_name(path: &Path) -> String {
    if path == Path::new(STDIN) {
        "stdin".to_string()
    } else {
        path.display().to_string()
    }
}

/// Standard input, read once: a run that reads its input twice (the stack and, for
/// whole-document policies, the raw document) gets the same bytes both times.
fn read_stdin() -> std::io::Result<Vec<u8>> {
    /// Why standard input could not be read; kept so that a second read fails the same way.
    #[derive(Clone)]
    enum Failure {
        TooLarge(u64),
        Io(String),
    }
    static STDIN_BYTES: std::sync::OnceLock<Result<Vec<u8>, Failure>> = std::sync::OnceLock::new();
    STDIN_BYTES
        .get_or_init(|| {
            // a stream has no length to trust: read up to the limit and a byte more
            let limit = max_input_size();
            let mut bytes = Vec::new();
            match read_capped(std::io::stdin().lock(), &mut bytes, limit) {
                Ok(()) if bytes.len() as u64 > limit => Err(Failure::TooLarge(limit)),
                Ok(()) => Ok(bytes),
                Err(e) => Err(Failure::Io(e.to_string())),
            }
        })
        .clone()
        .map_err(|failure| match failure {
            Failure::TooLarge(limit) => too_large(limit),
            Failure::Io(text) => std::io::Error::other(text),
        })
}

/// Appends what `reader` gives to `bytes`, up to `limit` bytes and one more (which tells that
/// the stream exceeds the limit). The buffer grows in steps this function chooses, never past
/// `limit + 1` bytes of capacity: `read_to_end` would double it past the limit (4 GiB of
/// capacity to learn that `/dev/zero` exceeds 2 GiB). The last step takes the whole rest, so
/// that no copy of a nearly full buffer is made for a few final bytes.
fn read_capped(
    mut reader: impl std::io::Read,
    bytes: &mut Vec<u8>,
    limit: u64,
) -> std::io::Result<()> {
    use std::io::Read;
    const FIRST_STEP: usize = 64 << 10;
    let cap = usize::try_from(limit.saturating_add(1)).unwrap_or(usize::MAX);
    loop {
        let room = cap.saturating_sub(bytes.len());
        if room == 0 {
            return Ok(());
        }
        let spare = bytes.capacity() - bytes.len();
        if spare > 0 {
            let step = spare.min(room);
            let got = (&mut reader).take(step as u64).read_to_end(bytes)?;
            if got < step {
                return Ok(());
            }
            continue;
        }
        // The buffer is full: a small read first tells whether there is more, so that a
        // file read whole is not copied into a larger buffer only to learn that it ended.
        let mut probe = [0u8; 8 << 10];
        let window = probe.get_mut(..room.min(8 << 10)).unwrap_or_default();
        let n = loop {
            match reader.read(window) {
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                other => break other?,
            }
        };
        if n == 0 {
            return Ok(());
        }
        let mut step = bytes.len().max(FIRST_STEP).min(room);
        if room - step < step {
            step = room;
        }
        bytes.reserve_exact(step.max(n));
        bytes.extend_from_slice(window.get(..n).unwrap_or_default());
    }
}

/// Reads a whole file (`-`: standard input). A large regular file is read in two halves at once: copying a plan of
/// hundreds of megabytes out of the page cache, and touching the fresh memory it lands in,
/// then takes both cores.
fn read(path: &Path) -> std::io::Result<Vec<u8>> {
    if path == Path::new(STDIN) {
        return read_stdin();
    }
    #[cfg(unix)]
    use std::os::unix::fs::FileExt;
    const PARALLEL_FROM: u64 = 8 << 20;
    let limit = max_input_size();
    let mut file = std::fs::File::open(path)?;
    let meta = file.metadata()?;
    let len = meta.len();
    if meta.is_file() && len > limit {
        return Err(too_large(limit));
    }
    // Pipes, devices and files still being written have no length to trust: they are read up
    // to the limit and a byte more, which tells that they exceed it.
    let read_rest = |file: &std::fs::File, bytes: &mut Vec<u8>| -> std::io::Result<()> {
        read_capped(file, bytes, limit)?;
        if bytes.len() as u64 > limit {
            return Err(too_large(limit));
        }
        Ok(())
    };
    #[cfg(unix)]
    if meta.is_file() && len >= PARALLEL_FROM {
        if let Ok(size) = usize::try_from(len) {
            let mut bytes = vec![0u8; size];
            let half = size / 2;
            let (first, second) = bytes.split_at_mut(half);
            let (a, b) = rayon::join(
                || file.read_exact_at(first, 0),
                || file.read_exact_at(second, half as u64),
            );
            a?;
            b?;
            std::io::Seek::seek(&mut file, std::io::SeekFrom::Start(len))?;
            read_rest(&file, &mut bytes)?;
            return Ok(bytes);
        }
    }
    let expected = if meta.is_file() { len } else { 0 };
    let mut bytes = Vec::with_capacity(usize::try_from(expected).unwrap_or(0));
    read_rest(&file, &mut bytes)?;
    Ok(bytes)
}

/// The default of [`max_input_size`]: 2 GiB.
pub const DEFAULT_MAX_INPUT_SIZE: u64 = 2 << 30;

static MAX_INPUT_SIZE: std::sync::atomic::AtomicU64 =
    std::sync::atomic::AtomicU64::new(DEFAULT_MAX_INPUT_SIZE);

/// The largest input file read, in bytes ([`DEFAULT_MAX_INPUT_SIZE`] unless changed by
/// [`set_max_input_size`]). A larger file, or a stream (a pipe, a device) that goes on past it,
/// is an error rather than a process that grows until memory runs out.
pub fn max_input_size() -> u64 {
    MAX_INPUT_SIZE.load(std::sync::atomic::Ordering::Relaxed)
}

/// Sets [`max_input_size`] for the whole process (the CLI's `--max-input-size`).
pub fn set_max_input_size(bytes: u64) {
    MAX_INPUT_SIZE.store(bytes.max(1), std::sync::atomic::Ordering::Relaxed);
}

/// `2 GiB`, `512 MiB`, `1000000 bytes`: a unit only where it is exact.
pub fn human_size(bytes: u64) -> String {
    const UNITS: [(&str, u64); 3] = [("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)];
    for (unit, size) in UNITS {
        if bytes >= size && bytes / size * size == bytes {
            return format!("{} {unit}", bytes / size);
        }
    }
    guardrail_core::plural(bytes, "byte", "bytes")
}

/// The error of an input past the size limit; [`read_error`] words it for people.
fn too_large(limit: u64) -> std::io::Error {
    std::io::Error::other(TooLarge(limit))
}

#[derive(Debug)]
struct TooLarge(u64);

impl fmt::Display for TooLarge {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "is larger than the input size limit of {}",
            human_size(self.0)
        )
    }
}

impl std::error::Error for TooLarge {}

/// An input that could not be read: why, in the user's terms.
fn read_error(name: &str, e: &std::io::Error) -> InputError {
    match e.get_ref().and_then(|inner| inner.downcast_ref::<TooLarge>()) {
        Some(too_large) => InputError::new(name, too_large.to_string()).help(
            "pass a plan, state or preview file; if this really is one, raise the limit with --max-input-size SIZE (or GUARDRAIL_MAX_INPUT_SIZE), e.g. `--max-input-size 4GiB`",
        ),
        None => InputError::new(name, format!("could not be read: {}", io_message(e))),
    }
}

fn io_message(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::NotFound => "no such file".to_string(),
        std::io::ErrorKind::PermissionDenied => "permission denied".to_string(),
        // a large file is read in two halves by its size: it shrank while it was read
        std::io::ErrorKind::UnexpectedEof => {
            "became shorter while it was read (is it still being written?); run again once it is complete".to_string()
        }
        _ => {
            let text = e.to_string();
            let mut chars = text.chars();
            match chars.next() {
                Some(c) => c.to_lowercase().chain(chars).collect(),
                None => text,
            }
        }
    }
}

/// Loads bytes (named `source_name` in errors and in [`Stack::source`]) into a stack.
pub fn load_bytes(
    source_name: &str,
    bytes: &[u8],
    format: Option<InputFormat>,
) -> Result<Stack, InputError> {
    let text = text::decode(source_name, bytes)?;
    let src = Source {
        file: source_name,
        text: &text,
    };
    let yaml = !text.trim_start().starts_with(['{', '[']);
    let manifest = match format {
        Some(InputFormat::KubernetesManifests) => true,
        Some(_) => false,
        None => yaml && kubernetes::looks_like_yaml_manifest(&text),
    };
    if manifest && (yaml || format.is_some()) {
        let mut stack = kubernetes::load(&src)?;
        stack.source = source_name.to_string();
        stack.format = InputFormat::KubernetesManifests.name().to_string();
        return Ok(stack);
    }
    let doc = detect::read(&src)?;
    let detected = identify(&src, &doc)?;
    let chosen = match format {
        Some(forced) if forced != detected => {
            return Err(src
                .error(format!(
                    "is not a {} file: it looks like {}",
                    forced.name(),
                    detected.name()
                ))
                .help(forced.help()))
        }
        Some(forced) => forced,
        None => detected,
    };
    let mut stack = match (&doc, chosen) {
        (Document::Object(top), InputFormat::TerraformPlan) => terraform::plan::load(&src, top)?,
        (Document::Object(top), InputFormat::TerraformState) => terraform::state::load(&src, top)?,
        (Document::Object(top), InputFormat::TerraformStateFile) => {
            terraform::tfstate::load(&src, top)?
        }
        (Document::Object(top), InputFormat::PulumiStackExport) => {
            pulumi::deployment::load(&src, top)?
        }
        (Document::Object(top), InputFormat::PulumiPreview) => pulumi::preview::load(&src, top)?,
        (Document::Object(top), InputFormat::PulumiEvents) => {
            pulumi::events::load_object(&src, top)?
        }
        (Document::Lines(lines), InputFormat::PulumiEvents) => pulumi::events::load(&src, lines)?,
        (Document::Object(_), InputFormat::KubernetesManifests) => kubernetes::load(&src)?,
        _ => return Err(src.error("has no known shape").help(detect::HELP_FORMATS)),
    };
    stack.source = source_name.to_string();
    stack.format = chosen.name().to_string();
    Ok(stack)
}

/// Detects the format of `bytes` from their content (`source_name` names them in errors).
pub fn detect(source_name: &str, bytes: &[u8]) -> Result<InputFormat, InputError> {
    let text = text::decode(source_name, bytes)?;
    let src = Source {
        file: source_name,
        text: &text,
    };
    let doc = detect::read(&src)?;
    identify(&src, &doc)
}

fn identify(src: &Source<'_>, doc: &Document<'_>) -> Result<InputFormat, InputError> {
    match doc {
        Document::Object(top) => identify_object(src, top),
        Document::NotObject(kind) => Err(src
            .error(format!(
                "is {kind}, not an object of any known input format ({})",
                detect::formats_tried()
            ))
            .help(detect::HELP_FORMATS)),
        Document::Lines(lines) => {
            let first = lines.first().map(|raw| raw.get().trim_start());
            if first.is_some_and(|t| t.starts_with('{')) && pulumi::events::looks_like(lines) {
                Ok(InputFormat::PulumiEvents)
            } else {
                Err(src
                    .error(format!(
                        "holds {} JSON values one after another, but they are not a pulumi engine event log ({})",
                        lines.len(),
                        detect::formats_tried()
                    ))
                    .help(detect::HELP_FORMATS))
            }
        }
    }
}

fn identify_object(src: &Source<'_>, top: &Top<'_>) -> Result<InputFormat, InputError> {
    if let Some(format) = detect::classify(top) {
        return Ok(format);
    }
    let what = if top.key_count == 0 {
        "an empty JSON object".to_string()
    } else {
        let keys: Vec<String> = top.keys.iter().map(|k| format!("`{k}`")).collect();
        let more = if top.key_count > keys.len() {
            ", …"
        } else {
            ""
        };
        format!("a JSON object with keys {}{more}", keys.join(", "))
    };
    Err(src
        .error(format!(
            "is {what}, which is no known input format ({})",
            detect::formats_tried()
        ))
        .help(detect::HELP_FORMATS))
}

/// Reads a file as one JSON document's text, decoded (not parsed), for policies that see the whole input
/// (conftest-style Rego policies). UTF-8 with or without a BOM and UTF-16 with a BOM are read.
pub fn load_document(path: &Path) -> Result<String, InputError> {
    let name = source_name(path);
    let bytes = read(path).map_err(|e| read_error(&name, &e))?;
    // Not parsed here: the policies' engine parses it into its own values, and reports a
    // document that is not JSON.
    // UTF-8 without a BOM (the usual case) keeps the bytes as they are read, without a copy.
    let owned = match text::decode(&name, &bytes)? {
        std::borrow::Cow::Borrowed(t) if t.len() == bytes.len() => None,
        other => Some(other.into_owned()),
    };
    match owned {
        Some(text) => Ok(text),
        None => String::from_utf8(bytes).map_err(|_| InputError::new(&name, "is not UTF-8 text")),
    }
}
