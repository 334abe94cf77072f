//! Release artefacts as a user meets them: `scripts/dist.sh` (what `make dist` runs) packages the
//! provider, Terraform installs it from a filesystem mirror and from an https network mirror, locks
//! it, and plans against the emulator. Also the binary run by hand and `--version`.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use base64::Engine;
use sha2::{Digest, Sha256};

use crate::harness::*;

const NAME: &str = "terraform-provider-inspector2fix";
const VERSION: &str = env!("CARGO_PKG_VERSION");
const PROVIDER_BIN: &str = env!("CARGO_BIN_EXE_terraform-provider-inspector2fix");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("i2f-release-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[track_caller]
fn run_ok(cmd: &mut Command) -> String {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    let text = format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr));
    assert!(out.status.success(), "{cmd:?} failed:\n{text}");
    text
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// Terraform's h1: hash of an unpacked package holding one file (dirhash Hash1).
fn h1_of_single_file(name: &str, bytes: &[u8]) -> String {
    let summary = format!("{}  {name}\n", sha256_hex(bytes));
    format!("h1:{}", base64::engine::general_purpose::STANDARD.encode(Sha256::digest(summary.as_bytes())))
}

/// A throwaway signing key in a keyring of its own; returns its fingerprint.
fn throwaway_key(gnupg: &Path) -> String {
    std::fs::create_dir_all(gnupg).unwrap();
    let gpg = |args: &[&str]| run_ok(Command::new("gpg").env("GNUPGHOME", gnupg).arg("--batch").args(args));
    gpg(&["--passphrase", "", "--quick-generate-key", "i2f release test <test@invalid>", "ed25519", "sign", "1d"]);
    let listing = gpg(&["--list-secret-keys", "--with-colons"]);
    let fpr = listing.lines().find(|l| l.starts_with("fpr:")).and_then(|l| l.split(':').nth(9));
    fpr.expect("fingerprint of the throwaway key").to_owned()
}

struct Dist {
    dir: PathBuf,
    gnupg: PathBuf,
    sums: Vec<(String, String)>,
}

impl Drop for Dist {
    /// gpg starts an agent per keyring; stop it with the test.
    fn drop(&mut self) {
        let _ = Command::new("gpgconf").env("GNUPGHOME", &self.gnupg).args(["--kill", "gpg-agent"]).status();
    }
}

/// Runs scripts/dist.sh on the test build of the provider, signed with a throwaway key.
fn dist(root: &Path) -> Dist {
    let (dir, gnupg) = (root.join("dist"), root.join("gnupg"));
    let fpr = throwaway_key(&gnupg);
    run_ok(
        Command::new("bash")
            .arg(repo_root().join("scripts/dist.sh"))
            .env("DIST_DIR", &dir)
            .env("DIST_BINARY", PROVIDER_BIN)
            .env("GNUPGHOME", &gnupg)
            .env("GPG_FINGERPRINT", fpr)
            .env_remove("GPG_PRIVATE_KEY")
            .env_remove("DIST_TARGETS"),
    );
    let sums_text = std::fs::read_to_string(dir.join(format!("{NAME}_{VERSION}_SHA256SUMS"))).unwrap();
    let sums = sums_text
        .lines()
        .map(|l| l.split_once("  ").map(|(h, f)| (h.to_owned(), f.to_owned())).expect("a `hash  file` line"))
        .collect();
    Dist { dir, gnupg, sums }
}

#[test]
fn dist_writes_the_registry_layout_with_signed_sums() {
    let root = scratch("layout");
    let d = dist(&root);
    let mut files: Vec<String> =
        std::fs::read_dir(&d.dir).unwrap().map(|e| e.unwrap().file_name().to_string_lossy().into_owned()).collect();
    files.sort();
    let prefix = format!("{NAME}_{VERSION}");
    let expected =
        ["SHA256SUMS", "SHA256SUMS.sig", "linux_amd64.zip", "manifest.json"].map(|s| format!("{prefix}_{s}"));
    assert_eq!(files, expected, "dist/ must hold exactly the registry's files for this platform");
    // Every listed file's SHA-256 is right, and the zip and manifest are both listed.
    for (hash, file) in &d.sums {
        assert_eq!(&sha256_hex(&std::fs::read(d.dir.join(file)).unwrap()), hash, "{file} in SHA256SUMS");
    }
    let listed: Vec<&str> = d.sums.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(listed, [expected[2].as_str(), expected[3].as_str()]);
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(d.dir.join(&expected[3])).unwrap()).unwrap();
    assert_eq!(manifest["metadata"]["protocol_versions"], serde_json::json!(["6.0"]));
    run_ok(
        Command::new("gpg")
            .env("GNUPGHOME", &d.gnupg)
            .args(["--batch", "--verify"])
            .args([d.dir.join(&expected[1]), d.dir.join(&expected[0])]),
    );
    let _ = std::fs::remove_dir_all(&root);
}

/// scripts/serve-https.py on a mirror directory, with a certificate made for this run.
struct HttpsMirror {
    child: Child,
    url: String,
    cert: PathBuf,
}

impl HttpsMirror {
    fn start(dir: &Path, root: &Path) -> Self {
        let (cert, key) = (root.join("cert.pem"), root.join("key.pem"));
        run_ok(
            Command::new("openssl")
                .args(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1"])
                .args(["-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"])
                .arg("-keyout")
                .arg(&key)
                .arg("-out")
                .arg(&cert),
        );
        let mut child = Command::new("python3")
            .arg(repo_root().join("scripts/serve-https.py"))
            .args([dir, &cert, &key])
            .stdout(Stdio::piped())
            .stderr(Stdio::null())
            .spawn()
            .expect("start scripts/serve-https.py");
        let mut line = String::new();
        std::io::BufRead::read_line(&mut std::io::BufReader::new(child.stdout.take().unwrap()), &mut line).unwrap();
        let port: u16 = line.trim().parse().unwrap_or_else(|_| panic!("serve-https.py printed {line:?}, not a port"));
        HttpsMirror { child, url: format!("https://127.0.0.1:{port}/"), cert }
    }
}

impl Drop for HttpsMirror {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The address the mirror holds the provider under: where the CLI under test reads
/// `inspector2fix/inspector2fix` (README "Install": OpenTofu's mirror uses its own registry's).
fn mirrored_address() -> &'static str {
    if is_opentofu() {
        TOFU_SOURCE
    } else {
        PROVIDER_SOURCE
    }
}

fn mirror(kind: &str, d: &Dist, out: &Path) {
    let script = repo_root().join("scripts/mirror.sh");
    run_ok(Command::new("bash").arg(script).arg(kind).args([&d.dir, out]).arg(mirrored_address()));
}

/// A workspace whose Terraform installs the provider only through `installation` (CLI config).
fn mirror_workspace(name: &str, emu: &Emulator, installation: &str) -> Workspace {
    let ws = workspace(name, &emu.url());
    std::fs::write(ws.dir.join("terraformrc"), format!("provider_installation {{\n{installation}\n}}\n")).unwrap();
    ws.config("provider \"inspector2fix\" {}\n\nresource \"inspector2fix_ecr_scanning\" \"this\" {}\n");
    ws
}

fn lock_hashes(ws: &Workspace) -> Vec<String> {
    let lock = std::fs::read_to_string(ws.dir.join(".terraform.lock.hcl")).expect("terraform wrote no lock file");
    let version_line = format!("version = \"{VERSION}\"");
    let names_version = lock.lines().any(|l| l.split_whitespace().collect::<Vec<_>>().join(" ") == version_line);
    assert!(names_version, "lock file does not name version {VERSION}:\n{lock}");
    let mut hashes: Vec<String> = lock
        .lines()
        .map(|l| l.trim().trim_end_matches(',').trim_matches('"'))
        .filter(|l| l.starts_with("h1:") || l.starts_with("zh:"))
        .map(str::to_owned)
        .collect();
    hashes.sort();
    hashes
}

/// Every lock-file hash must be one SHA256SUMS vouches for: zh: is a listed zip's SHA-256, h1: the
/// hash of the binary that zip holds. At least the h1: must be there.
#[track_caller]
fn assert_hashes_match_sums(hashes: &[String], d: &Dist) {
    let binary = std::fs::read(PROVIDER_BIN).unwrap();
    let h1 = h1_of_single_file(&format!("{NAME}_v{VERSION}"), &binary);
    assert!(hashes.contains(&h1), "lock file {hashes:?} lacks the h1: of the packaged binary {h1}");
    for hash in hashes {
        let ok = match hash.strip_prefix("zh:") {
            Some(zh) => d.sums.iter().any(|(h, f)| h == zh && f.ends_with(".zip")),
            None => hash == &h1,
        };
        assert!(ok, "lock file hash {hash} matches nothing in SHA256SUMS {:?}", d.sums);
    }
}

/// init, then `providers lock` from scratch; both lock files must match SHA256SUMS; then a plan.
fn init_lock_and_plan(ws: &Workspace, d: &Dist, lock_flag: &str) {
    ws.tf(&["init", "-no-color", "-input=false"]).ok();
    let from_init = lock_hashes(ws);
    assert_hashes_match_sums(&from_init, d);
    std::fs::remove_file(ws.dir.join(".terraform.lock.hcl")).unwrap();
    ws.tf(&["providers", "lock", "-no-color", "-platform=linux_amd64", lock_flag]).ok();
    let from_lock = lock_hashes(ws);
    assert_hashes_match_sums(&from_lock, d);
    assert_eq!(from_init, from_lock, "init and providers lock recorded different hashes");
    let plan = ws.plan();
    assert_eq!(plan.code, 2, "plan with the mirrored provider should propose creation:\n{}", plan.all());
    assert!(plan.stdout.contains("inspector2fix_ecr_scanning.this will be created"), "{}", plan.stdout);
}

#[test]
fn terraform_installs_locks_and_plans_from_a_filesystem_mirror() {
    let root = scratch("fs-mirror");
    let d = dist(&root);
    let mirror_dir = root.join("mirror");
    mirror("filesystem", &d, &mirror_dir);
    let emu = Emulator::start();
    let path = mirror_dir.display();
    let ws = mirror_workspace("fs-mirror", &emu, &format!("  filesystem_mirror {{\n    path = \"{path}\"\n  }}"));
    init_lock_and_plan(&ws, &d, &format!("-fs-mirror={path}"));
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn terraform_installs_locks_and_plans_from_an_https_network_mirror() {
    let root = scratch("net-mirror");
    let d = dist(&root);
    let mirror_dir = root.join("mirror");
    mirror("network", &d, &mirror_dir);
    let server = HttpsMirror::start(&mirror_dir, &root);
    let emu = Emulator::start();
    let mut ws =
        mirror_workspace("net-mirror", &emu, &format!("  network_mirror {{\n    url = \"{}\"\n  }}", server.url));
    ws.extra_env.push(("SSL_CERT_FILE".into(), server.cert.display().to_string()));
    init_lock_and_plan(&ws, &d, &format!("-net-mirror={}", server.url));

    // The mirror's zh: hash is checked against the zip: a wrong one must stop the install.
    let listing = mirror_dir.join(format!("{}/{VERSION}.json", mirrored_address()));
    let text = std::fs::read_to_string(&listing).unwrap();
    let zh = &d.sums[0].0;
    assert!(text.contains(&format!("zh:{zh}")), "{VERSION}.json does not carry the zip's zh: hash:\n{text}");
    std::fs::write(&listing, text.replace(zh.as_str(), &"0".repeat(64))).unwrap();
    let mut tampered =
        mirror_workspace("net-mirror-bad", &emu, &format!("  network_mirror {{\n    url = \"{}\"\n  }}", server.url));
    tampered.extra_env.push(("SSL_CERT_FILE".into(), server.cert.display().to_string()));
    let run = tampered.tf(&["init", "-no-color", "-input=false"]).failed();
    assert!(run.all().contains("checksum"), "a wrong zh: hash should fail on its checksum:\n{}", run.all());
    let _ = std::fs::remove_dir_all(&root);
}

#[test]
fn the_binary_run_by_hand_says_it_is_a_plugin_and_exits_1() {
    let started = Instant::now();
    let out = Command::new(PROVIDER_BIN)
        .env_remove("TF_PLUGIN_MAGIC_COOKIE")
        .stdin(Stdio::null())
        .output()
        .expect("run the provider binary");
    // A hang guard only: without the check the binary would serve forever.
    assert!(started.elapsed() < Duration::from_secs(30));
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("This binary is a plugin"), "{stderr}");
    assert!(stderr.contains("terraform init"), "the message should say how to use it: {stderr}");
    assert!(out.stdout.is_empty(), "nothing on stdout, which Terraform reads for the handshake");
}

#[test]
fn version_flag_prints_the_cargo_version() {
    let out = Command::new(PROVIDER_BIN).arg("--version").env_remove("TF_PLUGIN_MAGIC_COOKIE").output().unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8_lossy(&out.stdout), format!("{NAME} v{VERSION}\n"));
    let cargo_toml = std::fs::read_to_string(repo_root().join("Cargo.toml")).unwrap();
    assert!(cargo_toml.contains(&format!("\nversion = \"{VERSION}\"\n")), "Cargo.toml is the version's one source");
    let makefile = std::fs::read_to_string(repo_root().join("GNUmakefile")).unwrap();
    assert!(!makefile.contains(VERSION), "GNUmakefile must read the version from Cargo.toml, not repeat it");
}

fn relative_files(dir: &Path, under: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.is_dir() {
            relative_files(&path, under, out);
        } else {
            out.push(path.strip_prefix(under).unwrap().to_path_buf());
        }
    }
}

/// The registry pages tfplugindocs manages, relative to a docs directory.
fn generated_pages(docs: &Path) -> Vec<PathBuf> {
    let mut files = vec![PathBuf::from("index.md")];
    for sub in ["resources", "data-sources", "list-resources", "actions"] {
        if docs.join(sub).is_dir() {
            relative_files(&docs.join(sub), docs, &mut files);
        }
    }
    files.sort();
    files
}

#[test]
fn committed_docs_are_what_make_docs_generates() {
    // scripts/docs.sh asks Terraform for the schema under a registry.terraform.io dev_override.
    if skip_on_opentofu("the docs are generated with Terraform's schema; the Terraform run checks them") {
        return;
    }
    let mut available = Command::new("bash");
    available.arg(repo_root().join("scripts/go-tool.sh")).args(["--available", "tfplugindocs"]).stderr(Stdio::null());
    if !available.status().is_ok_and(|s| s.success()) {
        skip("the docs check needs tfplugindocs, built once with Go (scripts/go-tool.sh), and Go is absent");
        return;
    }
    let out = scratch("docs");
    run_ok(
        Command::new("bash")
            .arg(repo_root().join("scripts/docs.sh"))
            .arg(&out)
            .env("PROVIDER_BINARY", PROVIDER_BIN)
            // 1.14 or later: its schema JSON has the list resources' and actions' schemas.
            .env("TERRAFORM", terraform_1_15()),
    );
    let committed = repo_root().join("docs");
    let generated = generated_pages(&out);
    assert_eq!(generated_pages(&committed), generated, "docs/ pages differ from the generated set: run `make docs`");
    assert!(generated.len() >= 4, "expected the provider page and three resource/data source pages: {generated:?}");
    for page in &generated {
        let want = std::fs::read_to_string(out.join(page)).unwrap();
        let have = std::fs::read_to_string(committed.join(page)).unwrap();
        assert!(have == want, "docs/{} is stale: run `make docs` and commit the result", page.display());
    }
    let _ = std::fs::remove_dir_all(&out);
}
