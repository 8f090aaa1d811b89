//! Where resources are written in the program's source, so that findings point at the code in
//! the pull request rather than at a generated plan.
//!
//! - Terraform and OpenTofu: the `.tf` files of the configuration directory (`--source DIR`,
//!   or the input's own directory when it holds `*.tf`) are scanned for `resource`, `data` and
//!   `module` blocks; local module sources (`./…`, `../…`) are followed, remote ones skipped
//!   with a note. Each resource address (`module.a.module.b.aws_x.y["k"]`; `count` and
//!   `for_each` keys dropped) maps to its block, and each argument and nested block of it to
//!   its line.
//! - Pulumi: the `sourcePosition` a stack export or preview records for a resource
//!   (`project:///index.ts#12,5`) is read when loading; here its path is placed under the
//!   project directory (`--source DIR`, or the input's directory when it holds `Pulumi.yaml`).

use std::collections::{HashMap, HashSet};
use std::path::{Component, Path, PathBuf};
use std::sync::Arc;

use guardrail_core::source::fold_name;
use guardrail_core::{SourceLocation, Spelling, Stack};

use crate::error::InputError;
use crate::terraform::hcl::{self, Item};

/// How deep local modules may nest before the rest is skipped (guards against cycles too).
const MAX_MODULE_DEPTH: usize = 32;

/// Attaches source locations to the resources of `stack`, loaded from `input`, reading the
/// configuration in `dir` (or found beside the input when `dir` is `None`). Returns notes for
/// the user (remote modules skipped, files that could not be read). An explicit `dir` that is
/// not a directory, or holds no configuration for the stack's kind, is an error.
pub fn attach(
    stack: &mut Stack,
    input: &Path,
    dir: Option<&Path>,
) -> Result<Vec<String>, InputError> {
    // manifests are the source themselves: their objects already point at their files
    if stack.format == crate::InputFormat::KubernetesManifests.name() {
        return Ok(Vec::new());
    }
    let terraform = stack
        .resources
        .iter()
        .any(|r| r.spelling == Spelling::Terraform);
    let pulumi = stack
        .resources
        .iter()
        .any(|r| r.source_location.is_some() && r.spelling == Spelling::Pulumi);
    if let Some(d) = dir {
        if !d.is_dir() {
            return Err(InputError::new(
                input.display().to_string(),
                format!(
                    "the `--source` directory `{}` does not exist or is not a directory",
                    d.display()
                ),
            )
            .help("pass the directory that holds the Terraform configuration (`*.tf`) or the Pulumi project"));
        }
    }
    if terraform {
        let dir = match dir {
            Some(d) => {
                if !has_tf(d) {
                    return Err(InputError::new(
                        input.display().to_string(),
                        format!(
                            "the `--source` directory `{}` holds no `.tf` files",
                            d.display()
                        ),
                    )
                    .help("pass the directory of the root module, where `terraform plan` ran"));
                }
                d.to_path_buf()
            }
            None => match beside(input).filter(|d| has_tf(d)) {
                Some(d) => d,
                None => return Ok(Vec::new()),
            },
        };
        return Ok(attach_terraform(stack, &dir));
    }
    if pulumi {
        let base = dir.map(Path::to_path_buf).or_else(|| {
            beside(input)
                .filter(|d| d.join("Pulumi.yaml").is_file() || d.join("Pulumi.yml").is_file())
        });
        for r in &mut stack.resources {
            if let Some(loc) = &mut r.source_location {
                let file = Path::new(&loc.file);
                let placed = match &base {
                    Some(b) if file.is_relative() => b.join(file),
                    _ => file.to_path_buf(),
                };
                Arc::make_mut(loc).file = display(&placed);
            }
        }
    }
    Ok(Vec::new())
}

/// The directory of an input file (`.` for a bare file name).
fn beside(input: &Path) -> Option<PathBuf> {
    match input.parent() {
        Some(p) if p.as_os_str().is_empty() => Some(PathBuf::from(".")),
        Some(p) => Some(p.to_path_buf()),
        None => None,
    }
}

fn tf_files(dir: &Path) -> Vec<PathBuf> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .filter_map(Result::ok)
                .map(|e| e.path())
                .filter(|p| p.extension().is_some_and(|e| e == "tf") && p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

fn has_tf(dir: &Path) -> bool {
    !tf_files(dir).is_empty()
}

/// A path as reports show it: `.` and `..` resolved where they can be, relative to the working
/// directory when it is below it.
fn display(path: &Path) -> String {
    let mut parts: Vec<Component<'_>> = Vec::new();
    for c in path.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir if matches!(parts.last(), Some(Component::Normal(_))) => {
                parts.pop();
            }
            c => parts.push(c),
        }
    }
    let clean: PathBuf = parts.iter().collect();
    let shown = std::env::current_dir()
        .ok()
        .and_then(|cwd| clean.strip_prefix(cwd).ok().map(Path::to_path_buf))
        .unwrap_or(clean);
    shown.to_string_lossy().replace('\\', "/")
}

/// A resource address without its instance keys, as the configuration writes it:
/// `module.a["x"].module.b[0].aws_x.y["k"]` → `module.a.module.b.aws_x.y`.
pub(crate) fn config_address(address: &str) -> String {
    let mut out = String::with_capacity(address.len());
    let mut chars = address.chars();
    while let Some(c) = chars.next() {
        if c != '[' {
            out.push(c);
            continue;
        }
        let mut quoted = false;
        let mut escaped = false;
        for c in chars.by_ref() {
            match c {
                _ if escaped => escaped = false,
                '\\' if quoted => escaped = true,
                '"' => quoted = !quoted,
                ']' if !quoted => break,
                _ => {}
            }
        }
    }
    out
}

/// The string of a literal expression (`"./modules/net"` → `./modules/net`).
fn literal(value: &str) -> Option<&str> {
    value
        .strip_prefix('"')
        .and_then(|v| v.strip_suffix('"'))
        .filter(|v| !v.contains("${"))
}

/// The lines of what a block writes, keyed as [`SourceLocation::properties`] describes.
fn properties(body: &[Item], prefix: &str, out: &mut Vec<(String, usize)>) {
    let join = |name: &str| {
        if prefix.is_empty() {
            fold_name(name)
        } else {
            format!("{prefix}.{}", fold_name(name))
        }
    };
    let mut seen: HashMap<String, usize> = HashMap::new();
    for item in body {
        match item {
            Item::Attribute { name, line, .. } => out.push((join(name), *line)),
            Item::Block {
                kind,
                labels,
                line,
                body,
            } if kind == "dynamic" => {
                let Some(name) = labels.first() else {
                    continue;
                };
                let key = format!("{}[*]", join(name));
                out.push((key.clone(), *line));
                for content in body {
                    if let Item::Block { kind, body, .. } = content {
                        if kind == "content" {
                            properties(body, &key, out);
                        }
                    }
                }
            }
            Item::Block {
                kind, line, body, ..
            } => {
                let base = join(kind);
                let index = seen.entry(base.clone()).or_insert(0);
                let key = format!("{base}[{index}]");
                *index += 1;
                out.push((key.clone(), *line));
                properties(body, &key, out);
            }
        }
    }
}

/// The blocks of a module directory and of the local modules it calls, by address.
struct Config {
    blocks: HashMap<String, Arc<SourceLocation>>,
    notes: Vec<String>,
    visited: HashSet<(PathBuf, String)>,
}

impl Config {
    fn module(&mut self, dir: &Path, prefix: &str, depth: usize) {
        if depth > MAX_MODULE_DEPTH || !self.visited.insert((dir.to_path_buf(), prefix.to_string()))
        {
            return;
        }
        for file in tf_files(dir) {
            let text = match std::fs::read_to_string(&file) {
                Ok(t) => t,
                Err(e) => {
                    self.notes.push(format!(
                        "`{}` could not be read ({e}): its resources keep the input's lines",
                        display(&file)
                    ));
                    continue;
                }
            };
            let shown = display(&file);
            for item in hcl::parse(&text) {
                let Item::Block {
                    kind,
                    labels,
                    line,
                    body,
                } = item
                else {
                    continue;
                };
                let address = match (kind.as_str(), labels.as_slice()) {
                    ("resource", [t, n]) => format!("{prefix}{t}.{n}"),
                    ("data", [t, n]) => format!("{prefix}data.{t}.{n}"),
                    ("module", [name]) => {
                        self.call(dir, prefix, name, &body, (&shown, line), depth);
                        continue;
                    }
                    _ => continue,
                };
                let mut location = SourceLocation::new(shown.clone(), line);
                properties(&body, "", &mut location.properties);
                self.blocks.entry(address).or_insert(Arc::new(location));
            }
        }
    }

    /// Follows a `module` block written at `at` (file, line) to a local directory.
    fn call(
        &mut self,
        dir: &Path,
        prefix: &str,
        name: &str,
        body: &[Item],
        (file, line): (&str, usize),
        depth: usize,
    ) {
        let source = body.iter().find_map(|i| match i {
            Item::Attribute { name, value, .. } if name == "source" => Some(value.as_str()),
            _ => None,
        });
        let Some(source) = source.and_then(literal) else {
            self.notes.push(format!(
                "module `{prefix}module.{name}` ({file}:{line}) has no literal `source`: its resources keep the input's lines"
            ));
            return;
        };
        if !(source.starts_with("./") || source.starts_with("../")) {
            self.notes.push(format!(
                "module `{prefix}module.{name}` comes from `{source}`, not a local path: its resources keep the input's lines"
            ));
            return;
        }
        let child = dir.join(source);
        if !child.is_dir() {
            self.notes.push(format!(
                "module `{prefix}module.{name}` ({file}:{line}): `{}` is not a directory: its resources keep the input's lines",
                display(&child)
            ));
            return;
        }
        self.module(&child, &format!("{prefix}module.{name}."), depth + 1);
    }
}

/// Maps every Terraform resource of `stack` to its block in the configuration at `dir`.
fn attach_terraform(stack: &mut Stack, dir: &Path) -> Vec<String> {
    let mut config = Config {
        blocks: HashMap::new(),
        notes: Vec::new(),
        visited: HashSet::new(),
    };
    config.module(dir, "", 0);
    for r in &mut stack.resources {
        if r.spelling != Spelling::Terraform {
            continue;
        }
        if let Some(loc) = config.blocks.get(&config_address(&r.id)) {
            r.source_location = Some(Arc::clone(loc));
        }
    }
    config.notes
}

/// Reads a Pulumi `sourcePosition` (`project:///index.ts#12,5`, `file:///abs/index.ts#12`):
/// the file (relative to the project for `project://`), line and column.
pub(crate) fn pulumi_position(text: &str) -> Option<SourceLocation> {
    let (path, position) = text.rsplit_once('#')?;
    let file = if let Some(p) = path.strip_prefix("project://") {
        p.trim_start_matches('/').to_string()
    } else if let Some(p) = path.strip_prefix("file://") {
        p.to_string()
    } else {
        return None;
    };
    let file = percent_decode(&file);
    let mut numbers = position.split(',');
    let line: usize = numbers.next()?.trim().parse().ok().filter(|l| *l > 0)?;
    let column = numbers.next().and_then(|c| c.trim().parse().ok());
    if file.is_empty() {
        return None;
    }
    let mut location = SourceLocation::new(file, line);
    location.column = column;
    Some(location)
}

fn percent_decode(text: &str) -> String {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while let Some(&b) = bytes.get(i) {
        if b == b'%' {
            if let Some(v) = text
                .get(i + 1..i + 3)
                .and_then(|h| u8::from_str_radix(h, 16).ok())
            {
                out.push(v);
                i += 3;
                continue;
            }
        }
        out.push(b);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn addresses_lose_their_instance_keys() {
        assert_eq!(
            config_address("module.a[\"x.]\"].module.b[0].aws_x.y[\"k\"]"),
            "module.a.module.b.aws_x.y"
        );
        assert_eq!(config_address("data.aws_ami.x"), "data.aws_ami.x");
    }

    #[test]
    fn terraform_addresses_map_to_blocks_and_properties() {
        use guardrail_core::{Resource, Value};
        let dir = std::env::temp_dir().join(format!("guardrail-source-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(dir.join("mods/net")).unwrap();
        std::fs::write(
            dir.join("main.tf"),
            "data \"aws_ami\" \"base\" {\n  owners = [\"self\"]\n}\n\
             module \"net\" {\n  for_each = toset([\"a.b\"])\n  source = \"./mods/net\"\n}\n\
             module \"gone\" {\n  source = \"./nowhere\"\n}\n\
             module \"computed\" {\n  source = local.path\n}\n",
        )
        .unwrap();
        std::fs::write(
            dir.join("mods/net/vpc.tf"),
            "resource \"aws_vpc\" \"this\" {\n  cidr_block = \"10.0.0.0/16\"\n  tags = {\n    Name = \"x\"\n  }\n}\n",
        )
        .unwrap();
        let mut stack = Stack::default();
        for id in [
            "data.aws_ami.base",
            "module.net[\"a.b\"].aws_vpc.this",
            "aws_vpc.elsewhere",
        ] {
            stack
                .resources
                .push(Resource::new(id, "t", Spelling::Terraform, Value::Null));
        }
        let notes = attach(&mut stack, &dir.join("plan.json"), None).unwrap();
        let at = |i: usize, path: Option<&str>| {
            stack.resources[i].source_location.as_deref().map(|l| {
                (
                    Path::new(&l.file)
                        .file_name()
                        .unwrap()
                        .to_string_lossy()
                        .into_owned(),
                    l.line_of(path),
                )
            })
        };
        assert_eq!(at(0, Some("owners[0]")), Some(("main.tf".to_string(), 2)));
        assert_eq!(at(1, None), Some(("vpc.tf".to_string(), 1)));
        assert_eq!(at(1, Some("tags.Name")), Some(("vpc.tf".to_string(), 3)));
        assert_eq!(at(2, None), None, "no block: the input's line stays");
        assert_eq!(notes.len(), 2, "{notes:?}");
        assert!(
            notes[0].contains("module `module.gone`") && notes[0].contains("is not a directory"),
            "{notes:?}"
        );
        assert!(
            notes[1].contains("module `module.computed`")
                && notes[1].contains("no literal `source`"),
            "{notes:?}"
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn pulumi_positions() {
        let l = pulumi_position("project:///src/index.ts#12,5").unwrap();
        assert_eq!(
            (l.file.as_str(), l.line, l.column),
            ("src/index.ts", 12, Some(5))
        );
        let l = pulumi_position("file:///home/me/my%20app/__main__.py#7").unwrap();
        assert_eq!(
            (l.file.as_str(), l.line, l.column),
            ("/home/me/my app/__main__.py", 7, None)
        );
        assert!(pulumi_position("index.ts").is_none());
        assert!(pulumi_position("project:///index.ts#0,1").is_none());
    }
}
