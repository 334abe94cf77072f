//! The release workflow's pieces that can be proven on this machine (issue 21): `scripts/dist.sh
//! merge` over per-platform folders as the release job gets them from the build runners, the key
//! checked before any build, `dist/` replaced whole or not at all, the tag check, and every action
//! of both workflows pinned by commit. The per-platform folders are made here (no release build):
//! each holds one zip laid out as `dist.sh build` writes it.

use std::path::{Path, PathBuf};
use std::process::Command;

use sha2::{Digest, Sha256};

use crate::harness::repo_root;

const NAME: &str = "terraform-provider-inspector2fix";
const VERSION: &str = env!("CARGO_PKG_VERSION");

fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("i2f-merge-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// Runs `cmd`; returns whether it succeeded and its stdout and stderr together.
fn run(cmd: &mut Command) -> (bool, String) {
    let out = cmd.output().unwrap_or_else(|e| panic!("{cmd:?}: {e}"));
    (out.status.success(), format!("{}{}", String::from_utf8_lossy(&out.stdout), String::from_utf8_lossy(&out.stderr)))
}

#[track_caller]
fn run_ok(cmd: &mut Command) -> String {
    let (ok, text) = run(cmd);
    assert!(ok, "{cmd:?} failed:\n{text}");
    text
}

fn sha256_hex(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A throwaway GPG keyring of its own (GNUPGHOME), with one signing key; its agent stops with it.
struct Keyring {
    home: PathBuf,
    fpr: String,
}

impl Keyring {
    fn new(home: PathBuf, passphrase: &str) -> Self {
        std::fs::create_dir_all(&home).unwrap();
        run_ok(
            Command::new("gpg")
                .env("GNUPGHOME", &home)
                .args(["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase])
                .args(["--quick-generate-key", "i2f merge test <test@invalid>", "ed25519", "sign", "1d"]),
        );
        let listing = run_ok(Command::new("gpg").env("GNUPGHOME", &home).args([
            "--batch",
            "--list-secret-keys",
            "--with-colons",
        ]));
        let fpr = listing.lines().find(|l| l.starts_with("fpr:")).and_then(|l| l.split(':').nth(9));
        Keyring { fpr: fpr.expect("fingerprint of the throwaway key").to_owned(), home }
    }

    fn armored_secret_key(&self, passphrase: &str) -> String {
        run_ok(
            Command::new("gpg")
                .env("GNUPGHOME", &self.home)
                .args(["--batch", "--pinentry-mode", "loopback", "--passphrase", passphrase])
                .args(["--armor", "--export-secret-keys", &self.fpr]),
        )
    }
}

impl Drop for Keyring {
    fn drop(&mut self) {
        let _ = Command::new("gpgconf").env("GNUPGHOME", &self.home).args(["--kill", "gpg-agent"]).status();
    }
}

/// The first bytes of an executable for `platform` (format and CPU in the header), all the merge
/// reads of a binary; the rest is filler.
fn fake_executable(platform: &str) -> Vec<u8> {
    let mut bytes = vec![0u8; 256];
    let mut put = |at: usize, b: &[u8]| bytes[at..at + b.len()].copy_from_slice(b);
    match platform {
        "linux_amd64" | "linux_arm64" => {
            put(0, b"\x7fELF\x02\x01\x01");
            put(18, &(if platform == "linux_amd64" { 0x3Eu16 } else { 0xB7 }).to_le_bytes());
        }
        "darwin_amd64" | "darwin_arm64" => {
            put(0, &0xFEED_FACFu32.to_le_bytes());
            put(4, &(if platform == "darwin_amd64" { 0x0100_0007u32 } else { 0x0100_000C }).to_le_bytes());
        }
        "windows_amd64" => {
            put(0, b"MZ");
            put(0x3C, &0x80u32.to_le_bytes());
            put(0x80, b"PE\0\0");
            put(0x84, &0x8664u16.to_le_bytes());
        }
        other => panic!("no fake executable for {other}"),
    }
    bytes
}

/// A per-platform folder as a build runner uploads it: `<dir>/<zip>` holding `member`, whose bytes
/// are an executable header for `built_for`.
fn platform_dir(root: &Path, platform: &str, member: &str, built_for: &str) -> PathBuf {
    let dir = root.join(format!("zip-{platform}"));
    std::fs::create_dir_all(&dir).unwrap();
    let binary = root.join(format!("binary-{platform}"));
    std::fs::write(&binary, fake_executable(built_for)).unwrap();
    let zip = dir.join(format!("{NAME}_{VERSION}_{platform}.zip"));
    let script = "import sys, zipfile\nwith zipfile.ZipFile(sys.argv[1], 'w') as z: z.write(sys.argv[2], sys.argv[3])";
    run_ok(Command::new("python3").args(["-c", script]).arg(&zip).arg(&binary).arg(member));
    dir
}

fn binary(platform: &str) -> String {
    format!("{NAME}_v{VERSION}{}", if platform.starts_with("windows") { ".exe" } else { "" })
}

/// `dist.sh merge` of `inputs` into `dist`, signing with `key` (by fingerprint) when given.
fn merge(dist: &Path, key: Option<&Keyring>, expect: &str, inputs: &[&Path]) -> (bool, String) {
    let mut cmd = Command::new("bash");
    cmd.arg(repo_root().join("scripts/dist.sh")).arg("merge").args(inputs).env("DIST_DIR", dist);
    for var in ["GPG_PRIVATE_KEY", "GPG_FINGERPRINT", "GPG_PASSPHRASE", "DIST_THROWAWAY_KEY", "DIST_TARGETS"] {
        cmd.env_remove(var);
    }
    if let Some(key) = key {
        cmd.env("GNUPGHOME", &key.home).env("GPG_FINGERPRINT", &key.fpr);
    }
    if !expect.is_empty() {
        cmd.env("DIST_EXPECT_PLATFORMS", expect);
    }
    run(&mut cmd)
}

fn listing(dir: &Path) -> Vec<String> {
    let mut files: Vec<String> = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}: {e}", dir.display()))
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    files.sort();
    files
}

/// The `hash  file` lines of SHA256SUMS, in order; a line of any other shape fails the test.
fn sums(dist: &Path) -> Vec<(String, String)> {
    let text = std::fs::read_to_string(dist.join(format!("{NAME}_{VERSION}_SHA256SUMS"))).unwrap();
    text.lines()
        .map(|l| l.split_once("  ").map(|(h, f)| (h.to_owned(), f.to_owned())))
        .map(|pair| pair.unwrap_or_else(|| panic!("SHA256SUMS has a line that is not `hash  file`:\n{text}")))
        .collect()
}

/// gpg's machine-readable verdict on a detached signature: VALIDSIG names the signing key.
fn verify(key: &Keyring, sig: &Path, data: &Path) -> (bool, String) {
    run(Command::new("gpg")
        .env("GNUPGHOME", &key.home)
        .args(["--batch", "--status-fd", "1", "--verify"])
        .args([sig, data]))
}

#[test]
fn merge_writes_one_signed_sha256sums_over_every_platform_zip_and_the_manifest() {
    let root = scratch("two");
    let key = Keyring::new(root.join("gnupg"), "");
    let linux = platform_dir(&root, "linux_amd64", &binary("linux_amd64"), "linux_amd64");
    let windows = platform_dir(&root, "windows_amd64", &binary("windows_amd64"), "windows_amd64");
    let dist = root.join("dist");
    let (ok, out) = merge(&dist, Some(&key), "windows_amd64 linux_amd64", &[linux.as_path(), windows.as_path()]);
    assert!(ok, "merge failed:\n{out}");

    let prefix = format!("{NAME}_{VERSION}");
    let [sums_file, sig, linux_zip, manifest, windows_zip] =
        ["SHA256SUMS", "SHA256SUMS.sig", "linux_amd64.zip", "manifest.json", "windows_amd64.zip"]
            .map(|s| format!("{prefix}_{s}"));
    assert_eq!(
        listing(&dist),
        [sums_file.as_str(), &sig, &linux_zip, &manifest, &windows_zip].map(str::to_owned),
        "dist/ after the merge"
    );

    // One SHA256SUMS naming both zips and the manifest, each with the SHA-256 of the zip as built.
    let listed = sums(&dist);
    let names: Vec<&str> = listed.iter().map(|(_, f)| f.as_str()).collect();
    assert_eq!(names, [linux_zip.as_str(), windows_zip.as_str(), manifest.as_str()], "SHA256SUMS lists");
    let built = [linux.join(&linux_zip), windows.join(&windows_zip), dist.join(&manifest)];
    for ((hash, file), source) in listed.iter().zip(&built) {
        assert_eq!(hash, &sha256_hex(&std::fs::read(source).unwrap()), "{file}: hash of {}", source.display());
        assert_eq!(hash, &sha256_hex(&std::fs::read(dist.join(file)).unwrap()), "{file}: hash of the merged copy");
    }
    let registry_manifest = std::fs::read(repo_root().join("terraform-registry-manifest.json")).unwrap();
    assert_eq!(std::fs::read(dist.join(&manifest)).unwrap(), registry_manifest, "the manifest is the repository's");

    // A valid detached signature by the key, over exactly these bytes.
    let (good, status) = verify(&key, &dist.join(&sig), &dist.join(&sums_file));
    assert!(good, "gpg --verify failed:\n{status}");
    assert!(status.contains(&format!("[GNUPG:] VALIDSIG {}", key.fpr)), "no VALIDSIG by {}:\n{status}", key.fpr);
    let tampered = root.join("tampered");
    let text = std::fs::read_to_string(dist.join(&sums_file)).unwrap();
    std::fs::write(&tampered, text.replacen(&listed[0].0, &"0".repeat(64), 1)).unwrap();
    let (still_good, status) = verify(&key, &dist.join(&sig), &tampered);
    assert!(!still_good, "the signature verified a changed SHA256SUMS:\n{status}");
    let _ = std::fs::remove_dir_all(&root);
}

/// A merge that must be refused, and what its error must say.
struct Refusal<'a> {
    case: &'a str,
    key: Option<&'a Keyring>,
    expect: &'a str,
    inputs: Vec<&'a Path>,
    message: String,
}

/// Every refused merge names its cause and leaves the previous dist/ exactly as it was, with no
/// staging directory beside it.
#[test]
fn a_refused_merge_names_its_cause_and_leaves_the_previous_dist_whole() {
    let root = scratch("refused");
    let key = Keyring::new(root.join("gnupg"), "");
    let dist = root.join("dist");
    let linux = platform_dir(&root, "linux_amd64", &binary("linux_amd64"), "linux_amd64");
    let (ok, out) = merge(&dist, Some(&key), "", &[linux.as_path()]);
    assert!(ok, "first merge failed:\n{out}");
    let before: Vec<(String, Vec<u8>)> =
        listing(&dist).into_iter().map(|f| (f.clone(), std::fs::read(dist.join(&f)).unwrap())).collect();

    let no_exe = platform_dir(&root.join("no-exe"), "windows_amd64", &binary("linux_amd64"), "windows_amd64");
    let other_version = root.join("old");
    std::fs::create_dir_all(&other_version).unwrap();
    std::fs::copy(
        linux.join(format!("{NAME}_{VERSION}_linux_amd64.zip")),
        other_version.join(format!("{NAME}_0.0.1_linux_amd64.zip")),
    )
    .unwrap();
    let empty = root.join("empty");
    std::fs::create_dir_all(&empty).unwrap();
    let darwin = platform_dir(&root, "darwin_arm64", &binary("darwin_arm64"), "darwin_arm64");
    let mislabelled = platform_dir(&root.join("mislabelled"), "linux_arm64", &binary("linux_arm64"), "linux_amd64");
    let refuse = |case, key, expect, inputs, message: String| Refusal { case, key, expect, inputs, message };
    let any_key = Some(&key);
    let cases = [
        refuse("no key", None, "", vec![linux.as_path()], "no signing key".into()),
        refuse(
            "windows zip without .exe",
            any_key,
            "",
            vec![no_exe.as_path()],
            format!("expected exactly ['{}']", binary("windows_amd64")),
        ),
        refuse(
            "a binary for another platform",
            any_key,
            "",
            vec![mislabelled.as_path()],
            "the binary inside is linux_amd64, not linux_arm64".into(),
        ),
        refuse(
            "another version",
            any_key,
            "",
            vec![other_version.as_path()],
            format!("is version 0.0.1, Cargo.toml says {VERSION}"),
        ),
        refuse("an empty folder", any_key, "", vec![linux.as_path(), empty.as_path()], "no zip in".into()),
        refuse(
            "one platform twice",
            any_key,
            "",
            vec![linux.as_path(), linux.as_path()],
            "two zips for linux_amd64".into(),
        ),
        refuse(
            "a platform missing",
            any_key,
            "linux_amd64 darwin_arm64 windows_amd64",
            vec![linux.as_path(), darwin.as_path()],
            "expected: darwin_arm64 linux_amd64 windows_amd64".into(),
        ),
    ];
    for Refusal { case, key, expect, inputs, message } in cases {
        let (ok, out) = merge(&dist, key, expect, &inputs);
        assert!(!ok, "{case}: merge succeeded:\n{out}");
        assert!(out.contains(&message), "{case}: the error should say {message:?}:\n{out}");
        let after: Vec<(String, Vec<u8>)> =
            listing(&dist).into_iter().map(|f| (f.clone(), std::fs::read(dist.join(&f)).unwrap())).collect();
        assert!(after == before, "{case}: dist/ changed after a refused merge");
        let leftovers: Vec<String> = listing(&root).into_iter().filter(|f| f.starts_with(".dist")).collect();
        assert!(leftovers.is_empty(), "{case}: staging left beside dist/: {leftovers:?}");
    }
    let _ = std::fs::remove_dir_all(&root);
}

/// `make dist` (dist.sh with no mode) must stop on a missing or unusable key before it builds: a
/// `cargo` and a `rustc` first on PATH record any call, and none may happen.
#[test]
fn make_dist_checks_the_signing_key_before_the_release_build() {
    let root = scratch("key-first");
    let fake_bin = root.join("bin");
    std::fs::create_dir_all(&fake_bin).unwrap();
    let calls = root.join("calls");
    for tool in ["cargo", "rustc"] {
        let path = fake_bin.join(tool);
        std::fs::write(&path, format!("#!/bin/sh\necho {tool} >> '{}'\nexit 1\n", calls.display())).unwrap();
        std::fs::set_permissions(&path, std::os::unix::fs::PermissionsExt::from_mode(0o755)).unwrap();
    }
    let key = Keyring::new(root.join("gnupg"), "right passphrase");
    let armored = key.armored_secret_key("right passphrase");
    let path = format!("{}:{}", fake_bin.display(), std::env::var("PATH").unwrap_or_default());
    let dist = root.join("dist");
    let cases = [
        ("no key", vec![], "no signing key"),
        ("a wrong passphrase", vec![("GPG_PRIVATE_KEY", armored.as_str()), ("GPG_PASSPHRASE", "wrong")], "cannot sign"),
        ("not a key", vec![("GPG_PRIVATE_KEY", "not a key")], "GPG_PRIVATE_KEY"),
        (
            "an unknown fingerprint",
            vec![("GPG_FINGERPRINT", "0123456789ABCDEF0123456789ABCDEF01234567")],
            "no secret key",
        ),
    ];
    for (case, env, message) in cases {
        let mut cmd = Command::new("bash");
        cmd.arg(repo_root().join("scripts/dist.sh"))
            .env("PATH", &path)
            .env("DIST_DIR", &dist)
            .env("GNUPGHOME", root.join("empty-keyring"));
        for var in [
            "GPG_PRIVATE_KEY",
            "GPG_FINGERPRINT",
            "GPG_PASSPHRASE",
            "DIST_THROWAWAY_KEY",
            "DIST_TARGETS",
            "DIST_BINARY",
        ] {
            cmd.env_remove(var);
        }
        cmd.envs(env);
        let (ok, out) = run(&mut cmd);
        assert!(!ok, "{case}: dist.sh succeeded:\n{out}");
        assert!(out.contains(message), "{case}: the error should say {message:?}:\n{out}");
        let called = std::fs::read_to_string(&calls).unwrap_or_default();
        assert!(called.is_empty(), "{case}: dist.sh ran {called:?} before it checked the key");
        assert!(!dist.exists(), "{case}: dist/ was created");
    }
    let _ = Command::new("gpgconf").env("GNUPGHOME", root.join("empty-keyring")).args(["--kill", "gpg-agent"]).status();
    let _ = std::fs::remove_dir_all(&root);
}

/// The release workflow's first job: the tag must be v<Cargo.toml version> and CHANGELOG.md must
/// have an entry for it. Run on a copy of the scripts with a changelog of our choosing.
#[test]
fn check_tag_refuses_another_version_and_a_version_without_changelog_entry() {
    let root = scratch("tag");
    std::fs::create_dir_all(root.join("scripts")).unwrap();
    for file in ["scripts/dist.sh", "scripts/version.sh", "Cargo.toml"] {
        std::fs::copy(repo_root().join(file), root.join(file)).unwrap();
    }
    let check = |tag: &str, changelog: &str| {
        std::fs::write(root.join("CHANGELOG.md"), changelog).unwrap();
        run(Command::new("bash").arg(root.join("scripts/dist.sh")).args(["check-tag", tag]))
    };
    let with_entry = format!(
        "## 9.9.9 (Unreleased)\n\n* later\n\n## {VERSION} (December 5, 2026)\n\n* a change\n\n## 0.1.0\n\n* first\n"
    );
    let (ok, out) = check(&format!("v{VERSION}"), &with_entry);
    assert!(ok, "the matching tag was refused:\n{out}");
    let (ok, out) = check("v9.9.9", &with_entry);
    assert!(!ok && out.contains(&format!("does not match Cargo.toml's version {VERSION}")), "another version:\n{out}");
    let (ok, out) = check(&format!("v{VERSION}"), "## 9.9.9\n\n* later\n\n## 0.1.0\n\n* first\n");
    assert!(!ok && out.contains(&format!("CHANGELOG.md has no entry \"## {VERSION}\"")), "no entry:\n{out}");
    let (ok, out) = check(&format!("v{VERSION}"), &format!("## {VERSION}\n\n## 0.1.0\n\n* first\n"));
    assert!(!ok && out.contains("no entry"), "an empty entry:\n{out}");

    // The release notes are this version's entry and nothing else.
    std::fs::write(root.join("CHANGELOG.md"), &with_entry).unwrap();
    let notes = run_ok(Command::new("bash").arg(root.join("scripts/dist.sh")).arg("changelog"));
    assert_eq!(notes.trim(), "* a change");
    let _ = std::fs::remove_dir_all(&root);
}

/// Every `uses:` in both workflows names an action by a full commit hash, never a movable tag.
#[test]
fn every_workflow_action_is_pinned_by_commit() {
    let mut seen = 0;
    for workflow in ["ci.yml", "release.yml"] {
        let text = std::fs::read_to_string(repo_root().join(".github/workflows").join(workflow)).unwrap();
        for line in text.lines().filter(|l| l.trim_start().trim_start_matches("- ").starts_with("uses:")) {
            let spec = line.split("uses:").nth(1).unwrap().split('#').next().unwrap().trim();
            let pin = spec.rsplit_once('@').map(|(_, p)| p).unwrap_or("");
            let is_commit = pin.len() == 40 && pin.bytes().all(|b| b.is_ascii_hexdigit() && !b.is_ascii_uppercase());
            assert!(is_commit, "{workflow}: {spec} is not pinned by a commit hash");
            seen += 1;
        }
    }
    assert!(seen >= 8, "found only {seen} `uses:` lines in the workflows");
}
