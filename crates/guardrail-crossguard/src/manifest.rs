//! `PulumiPolicy.yaml`: which runtime starts the pack, with which options.

use std::path::{Path, PathBuf};

use serde::Deserialize;

use crate::Error;

/// The runtime of a CrossGuard pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Runtime {
    /// `runtime: python`: `python -u -m pulumi.policy <engine> <dir>`.
    Python {
        /// The `virtualenv` option: the pack's virtual environment, relative to the pack.
        virtualenv: Option<PathBuf>,
    },
    /// `runtime: nodejs`: `@pulumi/pulumi`'s `run-policy-pack` entry point.
    NodeJs,
}

/// What `PulumiPolicy.yaml` says about a CrossGuard pack.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Manifest {
    /// How the pack is started.
    pub runtime: Runtime,
    /// The pack's name, when the manifest gives one.
    pub name: Option<String>,
    /// The pack's version, when the manifest gives one.
    pub version: Option<String>,
    /// What the pack is for.
    pub description: Option<String>,
}

#[derive(Deserialize)]
#[serde(untagged)]
enum RawRuntime {
    Name(String),
    Full {
        name: String,
        #[serde(default)]
        options: Option<serde_json::Map<String, serde_json::Value>>,
    },
}

#[derive(Deserialize)]
struct Raw {
    #[serde(default)]
    runtime: Option<RawRuntime>,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    version: Option<serde_json::Value>,
    #[serde(default)]
    description: Option<String>,
}

/// The name of the manifest file.
pub const MANIFEST: &str = "PulumiPolicy.yaml";

/// The runtime named in the pack directory's `PulumiPolicy.yaml`, when the directory has one
/// that parses (`opa`, `python`, `nodejs`, ...).
pub fn runtime_name(dir: &Path) -> Option<String> {
    let text = std::fs::read_to_string(dir.join(MANIFEST)).ok()?;
    let raw: Raw = yaml_serde::from_str(&text).ok()?;
    match raw.runtime? {
        RawRuntime::Name(n) => Some(n),
        RawRuntime::Full { name, .. } => Some(name),
    }
}

/// Whether `dir` holds a CrossGuard pack this crate runs (`runtime: python` or `nodejs`).
pub fn is_crossguard_pack(dir: &Path) -> bool {
    matches!(runtime_name(dir).as_deref(), Some("python" | "nodejs"))
}

/// Reads the pack directory's `PulumiPolicy.yaml`.
pub fn read(dir: &Path) -> Result<Manifest, Error> {
    let path = dir.join(MANIFEST);
    let text = std::fs::read_to_string(&path).map_err(|e| {
        Error::new(format!("`{}` cannot be read: {e}", path.display()))
            .help("pass the directory of a CrossGuard pack, one with a PulumiPolicy.yaml")
    })?;
    let raw: Raw = yaml_serde::from_str(&text).map_err(|e| {
        Error::new(format!("`{}` is not a valid PulumiPolicy.yaml: {e}", path.display()))
            .help("write `runtime: python` or `runtime: nodejs`, and optionally `name`, `version`, `description`")
    })?;
    let (name, options) = match raw.runtime {
        Some(RawRuntime::Name(n)) => (n, None),
        Some(RawRuntime::Full { name, options }) => (name, options),
        None => {
            return Err(Error::new(format!("`{}` has no `runtime`", path.display()))
                .help("write `runtime: python` or `runtime: nodejs`"))
        }
    };
    let option = |key: &str| {
        options
            .as_ref()
            .and_then(|o| o.get(key))
            .and_then(serde_json::Value::as_str)
            .filter(|s| !s.is_empty())
            .map(PathBuf::from)
    };
    let runtime = match name.as_str() {
        "python" => Runtime::Python {
            virtualenv: option("virtualenv"),
        },
        "nodejs" => Runtime::NodeJs,
        other => {
            return Err(Error::new(format!(
                "`{}` names the runtime `{other}`, which guardrail does not start",
                path.display()
            ))
            .help("CrossGuard packs run with `runtime: python` or `runtime: nodejs`; Rego packs with `runtime: opa`"))
        }
    };
    Ok(Manifest {
        runtime,
        name: raw.name,
        version: raw.version.map(|v| match v {
            serde_json::Value::String(s) => s,
            other => other.to_string(),
        }),
        description: raw.description,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn write(text: &str) -> crate::testdir::TestDir {
        let dir = crate::testdir::TestDir::new("manifest");
        std::fs::write(dir.path().join(MANIFEST), text).unwrap();
        dir
    }

    #[test]
    fn runtimes_and_options() {
        let d = write("runtime: python\nname: p\nversion: 1.2.0\n");
        let m = read(d.path()).unwrap();
        assert_eq!(m.runtime, Runtime::Python { virtualenv: None });
        assert_eq!(m.name.as_deref(), Some("p"));
        assert_eq!(m.version.as_deref(), Some("1.2.0"));
        assert!(is_crossguard_pack(d.path()));

        let d = write("runtime:\n  name: python\n  options:\n    virtualenv: venv\n");
        assert_eq!(
            read(d.path()).unwrap().runtime,
            Runtime::Python {
                virtualenv: Some(PathBuf::from("venv"))
            }
        );

        let d = write("runtime: nodejs\n");
        assert_eq!(read(d.path()).unwrap().runtime, Runtime::NodeJs);

        let d = write("runtime: opa\n");
        assert!(!is_crossguard_pack(d.path()));
        let e = read(d.path()).unwrap_err();
        assert!(e.message.contains("the runtime `opa`"), "{}", e.message);

        let d = write("name: x\n");
        assert!(read(d.path())
            .unwrap_err()
            .message
            .contains("has no `runtime`"));
    }
}
