#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]
//! A pack reads only files inside its directory: symbolic links that leave it are refused, and
//! the refusal never shows what the linked file holds.

mod common;

use std::os::unix::fs::symlink;

use common::*;

const SECRET: &str = "DB_PASSWORD=hunter2-very-secret";

const POLICY: &str = "package main\n\ndeny contains msg if {\n\tinput.x == 1\n\tmsg := \"x\"\n}\n";

/// A directory outside every pack, with a policy and a secret file.
fn outside() -> TempDir {
    let dir = TempDir::new("outside");
    dir.write("evil.rego", POLICY)
        .write(".env", &format!("{SECRET}\n"));
    dir.write("sub/more.rego", POLICY);
    dir
}

#[test]
fn a_rego_link_out_of_the_pack_is_refused() {
    let out = outside();
    let pack = TempDir::new("pack");
    pack.write("ok.rego", POLICY);
    symlink(out.join("evil.rego"), pack.join("linked.rego")).unwrap();
    let e = load_err(pack.path());
    assert_eq!(e.file, pack.join("linked.rego"), "{e}");
    assert!(e.message.contains("symbolic link"), "{e}");
    assert!(e.message.contains("outside the pack"), "{e}");
    assert!(e
        .help
        .as_deref()
        .unwrap_or_default()
        .contains("copy the file into the pack"));
}

#[test]
fn a_link_to_a_secret_file_never_shows_its_content() {
    let out = outside();
    for (layout, manifest, link) in [
        ("conftest", None, "env.rego"),
        (
            "guardrail",
            Some(("guardrail-pack.yaml", "name: p\n")),
            "env.rego",
        ),
        ("bridge-manifest", None, "PulumiPolicy.yaml"),
        ("guardrail-manifest", None, "guardrail-pack.yaml"),
        (
            "bridge-schema",
            Some(("PulumiPolicy.yaml", "runtime: opa\n")),
            "config-schema.json",
        ),
    ] {
        let pack = TempDir::new("pack");
        pack.write(
            "ok.rego",
            "package main\n\ndeny[msg] {\n\tinput.x == 1\n\tmsg := \"x\"\n}\n",
        );
        if let Some((name, text)) = manifest {
            pack.write(name, text);
        }
        symlink(out.join(".env"), pack.join(link)).unwrap();
        let e = load_err(pack.path());
        let shown = format!("{e} {e:?}");
        assert!(!shown.contains("hunter2"), "{layout}: {shown}");
        assert!(e.message.contains("outside the pack"), "{layout}: {e}");
    }
}

#[test]
fn a_directory_link_out_of_the_pack_is_refused_and_one_inside_is_read_once() {
    let out = outside();
    let pack = TempDir::new("pack");
    pack.write("ok.rego", POLICY);
    symlink(out.join("sub"), pack.join("sub")).unwrap();
    let e = load_err(pack.path());
    assert!(e.message.contains("outside the pack"), "{e}");

    let pack = TempDir::new("pack");
    pack.write("lib/ok.rego", POLICY);
    symlink(pack.join("lib"), pack.join("again")).unwrap();
    symlink(pack.join("lib/ok.rego"), pack.join("alias.rego")).unwrap();
    let loaded = load(pack.path());
    // `alias.rego` is a second name of `lib/ok.rego`, inside the pack: allowed.
    assert_eq!(loaded.modules.len(), 2, "{:?}", loaded.modules);
}
