//! `guardrail serve --tls-cert --tls-key` and the commands that talk to it over https, as users
//! run them: the real binary, with a certificate authority and server certificates that the
//! test makes (rcgen) and trusts through `GUARDRAIL_CA_CERT` or `--ca-cert`.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;

use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};

use common::{root, run_with, temp_dir, TempDir};
use guardrail_server::client::Client;
use rcgen::{BasicConstraints, CertificateParams, DnType, IsCa, Issuer, KeyPair, KeyUsagePurpose};
use serde_json::json;

/// A test authority and the PEM files it signed, in a scratch directory.
struct Pki {
    dir: TempDir,
}

impl Pki {
    fn path(&self, name: &str) -> String {
        format!("{}/{name}", self.dir.path())
    }
}

/// A CA (`ca.pem`), a server certificate for `127.0.0.1` and `localhost` (`server.pem`,
/// `server.key`), one for another host only (`other.pem`, `other.key`), an expired one for
/// `127.0.0.1` (`expired.pem`, `expired.key`), and a key of nothing (`stray.key`).
fn pki() -> Pki {
    let dir = TempDir::new("tls");
    let ca_key = KeyPair::generate().unwrap();
    let mut ca = CertificateParams::new(Vec::<String>::new()).unwrap();
    ca.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
    ca.distinguished_name
        .push(DnType::CommonName, "guardrail test authority");
    ca.key_usages = vec![KeyUsagePurpose::KeyCertSign, KeyUsagePurpose::CrlSign];
    let ca_cert = ca.self_signed(&ca_key).unwrap();
    dir.write("ca.pem", &ca_cert.pem());
    let issuer = Issuer::new(ca, ca_key);
    let leaf = |names: &[&str], file: &str, expired: bool| {
        let key = KeyPair::generate().unwrap();
        let names: Vec<String> = names.iter().map(|n| (*n).to_owned()).collect();
        let mut params = CertificateParams::new(names).unwrap();
        params
            .distinguished_name
            .push(DnType::CommonName, "guardrail test server");
        if expired {
            params.not_before = rcgen::date_time_ymd(2020, 1, 1);
            params.not_after = rcgen::date_time_ymd(2021, 1, 1);
        }
        let cert = params.signed_by(&key, &issuer).unwrap();
        dir.write(&format!("{file}.pem"), &cert.pem());
        dir.write(&format!("{file}.key"), &key.serialize_pem());
    };
    leaf(&["127.0.0.1", "localhost"], "server", false);
    leaf(&["other.example"], "other", false);
    leaf(&["127.0.0.1"], "expired", true);
    dir.write("stray.key", &KeyPair::generate().unwrap().serialize_pem());
    Pki { dir }
}

/// A running `guardrail serve`, killed when dropped.
struct Server {
    child: Child,
    url: String,
    token: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Starts `guardrail serve` on a free port with `args` and `env`, and waits until it listens.
fn serve(data_dir: &str, args: &[&str], env: &[(&str, &str)]) -> Server {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_guardrail"));
    cmd.args(["serve", "--listen", "127.0.0.1:0", "--data-dir", data_dir])
        .args(args)
        .env_remove("GUARDRAIL_TLS_CERT")
        .env_remove("GUARDRAIL_TLS_KEY")
        .stderr(Stdio::piped())
        .stdout(Stdio::null());
    for (k, v) in env {
        cmd.env(k, v);
    }
    let mut server = Server {
        child: cmd.spawn().unwrap(),
        url: String::new(),
        token: String::new(),
    };
    let mut lines = BufReader::new(server.child.stderr.take().unwrap()).lines();
    loop {
        let line = lines
            .next()
            .expect("the server printed its address")
            .unwrap();
        if let Some(t) = line.trim().strip_prefix("grd_") {
            server.token = format!("grd_{t}");
        }
        if let Some(rest) = line.split("listening on ").nth(1) {
            server.url = rest.split(' ').next().unwrap().to_owned();
            return server;
        }
    }
}

/// The serve options of a certificate and key of `pki`.
fn tls_args<'a>(pki: &'a Pki, cert: &'a str, key: &'a str) -> [String; 4] {
    [
        "--tls-cert".into(),
        pki.path(cert),
        "--tls-key".into(),
        pki.path(key),
    ]
}

fn publish(url: &str, env: &[(&str, &str)]) -> common::Output {
    let pack = root().join("examples/packs/platform-guardrails");
    run_with(
        &root(),
        &[
            "pack",
            "publish",
            pack.to_str().unwrap(),
            "--server",
            url,
            "--version",
            "1.0.0",
        ],
        env,
    )
}

#[test]
fn over_https_publish_check_and_the_history_work_with_the_test_authority_and_fail_clearly_without_it(
) {
    let pki = pki();
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let args = tls_args(&pki, "server.pem", "server.key");
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let server = serve(&data, &args, &[]);
    assert!(
        server.url.starts_with("https://127.0.0.1:"),
        "{}",
        server.url
    );
    let url = server.url.as_str();
    let token = server.token.as_str();
    let ca = pki.path("ca.pem");
    let trusted = [
        ("GUARDRAIL_TOKEN", token),
        ("GUARDRAIL_CA_CERT", ca.as_str()),
    ];

    let out = publish(url, &trusted);
    assert_eq!(out.code, 0, "{out}");
    assert!(
        out.stdout
            .starts_with("published `platform-guardrails` version `1.0.0` to `default`"),
        "{out}"
    );
    // The library's client, with the authority passed in, sets the default group.
    let client = Client::new(url, Some(std::path::Path::new(&ca))).unwrap();
    let body = json!({"packs": [{"name": "platform-guardrails", "version": "1.0.0", "level": "mandatory"}]});
    let r = client
        .request(
            "PUT",
            "/api/v1/orgs/default/groups/default",
            Some(token),
            Some(body.to_string().as_bytes()),
        )
        .unwrap();
    assert_eq!(r.status, 201, "{}", r.error_message());
    // The dashboard's cookies are `Secure` when the service itself speaks https.
    let login = client.request("GET", "/login", None, None).unwrap();
    assert_eq!(login.status, 200);
    let cookie = login.header("set-cookie").unwrap_or_default();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("; Secure"),
        "{cookie}"
    );

    let cache = format!("{}/cache", dir.path());
    let check = |extra: &[&str], env: &[(&str, &str)]| {
        let mut args = vec![
            "check",
            "examples/plans/pulumi-preview.json",
            "--server",
            url,
            "--stack",
            "default/shop/prod",
        ];
        args.extend_from_slice(extra);
        let mut env = env.to_vec();
        env.push(("GUARDRAIL_CACHE_DIR", &cache));
        run_with(&root(), &args, &env)
    };
    let out = check(&[], &trusted);
    assert_eq!(out.code, 1, "the required pack blocks: {out}");
    assert!(out.stdout.contains("PG-003 [server]"), "{out}");
    assert!(!out.stderr.contains("not recorded"), "{out}");

    // The history over https, the authority given by the flag this time.
    let flag = ["--server", url, "--ca-cert", ca.as_str()];
    let token_only = [("GUARDRAIL_TOKEN", token)];
    let runs = run_with(
        &root(),
        &[&["runs", "--format", "json"][..], &flag].concat(),
        &token_only,
    );
    assert_eq!(runs.code, 0, "{runs}");
    let answer: serde_json::Value = serde_json::from_str(&runs.stdout).unwrap();
    let recorded = answer["runs"].as_array().unwrap();
    assert_eq!(recorded.len(), 1, "the check was recorded: {runs}");
    assert_eq!(recorded[0]["stack"], "shop/prod", "{runs}");
    for command in [
        &["findings", "--policy", "PG-003"][..],
        &["exempt", "list"],
        &["audit-log", "--kind", "pack"],
    ] {
        let out = run_with(&root(), &[command, &flag].concat(), &token_only);
        assert_eq!(out.code, 0, "{command:?}: {out}");
    }
    let audit = run_with(&root(), &[&["audit-log"][..], &flag].concat(), &token_only);
    assert!(audit.stdout.contains("publish"), "{audit}");

    // Without the authority: exit 2, the certificate problem and what to do, the server named.
    let out = check(&[], &token_only);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "the certificate of `{url}` is not signed by an authority this client trusts"
        )),
        "{out}"
    );
    assert!(out.stderr.contains("GUARDRAIL_CA_CERT"), "{out}");
    assert!(!out.stderr.contains("not supported"), "{out}");
    let out = publish(url, &token_only);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("not signed by an authority"), "{out}");
    assert!(
        out.stderr
            .contains("help: the connection was refused by this client's TLS checks"),
        "{out}"
    );
    let out = run_with(&root(), &["runs", "--server", url], &token_only);
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains("not signed by an authority"), "{out}");
    // The system's trust store as OpenSSL's variables name it counts as well.
    let out = run_with(
        &root(),
        &["runs", "--server", url],
        &[("GUARDRAIL_TOKEN", token), ("SSL_CERT_FILE", ca.as_str())],
    );
    assert_eq!(out.code, 0, "{out}");
    let ca_dir = pki.dir.join("roots");
    std::fs::create_dir_all(&ca_dir).unwrap();
    std::fs::copy(&ca, ca_dir.join("guardrail-test.pem")).unwrap();
    let out = run_with(
        &root(),
        &["runs", "--server", url],
        &[
            ("GUARDRAIL_TOKEN", token),
            ("SSL_CERT_FILE", "/nonexistent"),
            ("SSL_CERT_DIR", ca_dir.to_str().unwrap()),
        ],
    );
    assert_eq!(out.code, 0, "{out}");
    // `--offline-ok` takes a TLS failure as an unreachable server: the cached packs run, the
    // run is not recorded.
    let out = check(&["--offline-ok"], &token_only);
    assert_eq!(out.code, 1, "{out}");
    assert!(out.stdout.contains("PG-003 [server]"), "{out}");
    assert!(out.stderr.contains("cannot be reached"), "{out}");
    assert!(out.stderr.contains("not signed by an authority"), "{out}");
    assert!(out.stderr.contains("not recorded"), "{out}");
    let runs = client
        .request("GET", "/api/v1/orgs/default/runs", Some(token), None)
        .unwrap();
    assert_eq!(runs.json()["runs"].as_array().unwrap().len(), 1);

    // Large bodies travel over TLS, and the size limit still answers 413.
    let evaluations = "/api/v1/stacks/default/shop/prod/evaluations";
    let plan = std::fs::read(root().join("examples/plans/terraform-plan.json")).unwrap();
    let r = client
        .request("POST", evaluations, Some(token), Some(&plan))
        .unwrap();
    assert_eq!(r.status, 200, "{}", r.error_message());
    let huge = vec![b' '; guardrail_server::api::MAX_EVALUATION_BYTES + 1];
    let r = client
        .request("POST", evaluations, Some(token), Some(&huge))
        .unwrap();
    assert_eq!(r.status, 413, "{}", r.error_message());

    // A plain http client at the TLS port is told to use https.
    let plain = url.replacen("https://", "http://", 1);
    let out = publish(&plain, &trusted);
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr.contains(&format!(
            "this service speaks https only: use `{url}` as the server URL"
        )),
        "{out}"
    );
    let out = check(&[], &trusted);
    assert_eq!(out.code, 1, "the https check still works after that: {out}");

    // A CA file that is not there is a usage error naming it.
    let out = run_with(
        &root(),
        &["runs", "--server", url, "--ca-cert", "no-such-ca.pem"],
        &token_only,
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(
        out.stderr
            .contains("cannot read the CA certificate file `no-such-ca.pem`"),
        "{out}"
    );
}

#[test]
fn a_certificate_for_another_host_or_an_expired_one_is_refused_with_exit_2() {
    let pki = pki();
    let ca = pki.path("ca.pem");
    for (cert, expected) in [
        (
            "other",
            "is not valid for the host name `127.0.0.1` (it names `other.example`)".to_owned(),
        ),
        ("expired", "has expired".to_owned()),
    ] {
        let dir = temp_dir();
        let data = format!("{}/data", dir.path());
        let args = tls_args(&pki, &format!("{cert}.pem"), &format!("{cert}.key"));
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let server = serve(&data, &args, &[]);
        let env = [
            ("GUARDRAIL_TOKEN", server.token.as_str()),
            ("GUARDRAIL_CA_CERT", ca.as_str()),
        ];
        let out = publish(&server.url, &env);
        assert_eq!(out.code, 2, "{cert}: {out}");
        assert!(
            out.stderr
                .contains(&format!("the certificate of `{}` {expected}", server.url)),
            "{cert}: {out}"
        );
    }
}

#[test]
fn serve_takes_its_certificate_from_the_environment_and_an_https_client_of_a_plain_server_is_told()
{
    let pki = pki();
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let (cert, key) = (pki.path("server.pem"), pki.path("server.key"));
    let server = serve(
        &data,
        &[],
        &[
            ("GUARDRAIL_TLS_CERT", cert.as_str()),
            ("GUARDRAIL_TLS_KEY", key.as_str()),
        ],
    );
    assert!(server.url.starts_with("https://"), "{}", server.url);
    let ca = pki.dir.join("ca.pem");
    let r = Client::new(&server.url, Some(&ca))
        .unwrap()
        .request("GET", "/api/v1/openapi.json", None, None)
        .unwrap();
    assert_eq!(r.status, 200);
    drop(server);

    let plain_dir = temp_dir();
    let plain = serve(&format!("{}/data", plain_dir.path()), &[], &[]);
    assert!(plain.url.starts_with("http://"), "{}", plain.url);
    let https = plain.url.replacen("http://", "https://", 1);
    let out = run_with(
        &root(),
        &["runs", "--server", &https, "--ca-cert", &pki.path("ca.pem")],
        &[("GUARDRAIL_TOKEN", &plain.token)],
    );
    assert_eq!(out.code, 2, "{out}");
    assert!(out.stderr.contains(&format!("`{https}`")), "{out}");
    assert!(out.stderr.contains("use `http://`"), "{out}");
}

#[test]
fn serve_refuses_missing_unreadable_and_mismatched_tls_files_with_exit_2() {
    let pki = pki();
    let dir = temp_dir();
    let data = format!("{}/data", dir.path());
    let serve_with = |args: &[&str]| {
        let mut all = vec!["serve", "--listen", "127.0.0.1:0", "--data-dir", &data];
        all.extend_from_slice(args);
        run_with(&root(), &all, &[])
    };
    let (cert, key, stray) = (
        pki.path("server.pem"),
        pki.path("server.key"),
        pki.path("stray.key"),
    );
    let cases: [(Vec<&str>, String); 5] = [
        (
            vec!["--tls-cert", "missing.pem", "--tls-key", &key],
            "cannot read the TLS certificate `missing.pem`".to_owned(),
        ),
        (
            vec!["--tls-cert", &cert],
            format!("the TLS certificate `{cert}` has no key"),
        ),
        (
            vec!["--tls-key", &key],
            format!("the TLS key `{key}` has no certificate"),
        ),
        (
            vec!["--tls-cert", &cert, "--tls-key", &stray],
            format!("the TLS key `{stray}` is not the key of the certificate `{cert}`"),
        ),
        (
            vec!["--tls-cert", &key, "--tls-key", &key],
            format!("the TLS certificate `{key}` holds no certificate"),
        ),
    ];
    for (args, expected) in cases {
        let out = serve_with(&args);
        assert_eq!(out.code, 2, "{args:?}: {out}");
        assert!(out.stderr.contains(&expected), "{args:?}: {out}");
        assert!(out.stderr.contains("--tls-"), "a help line: {out}");
        assert!(
            !out.stderr.contains("PRIVATE KEY"),
            "no key material: {out}"
        );
    }
    // Nothing was started: no database was made either.
    assert!(!std::path::Path::new(&data).exists());
}
