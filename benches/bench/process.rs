//! The provider process started as Terraform starts it: its handshake and its memory.

use std::io::{BufRead, BufReader};
use std::process::{Child, ChildStdout, Command, Stdio};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::Arc;
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use crate::measure::PROVIDER_BIN;

pub const PROVIDER_NAME: &str = "terraform-provider-inspector2fix";
/// go-plugin's handshake cookie for Terraform providers (Terraform sets it; tf-provider does not check it).
const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";
/// A client certificate in PEM, as Terraform passes one in PLUGIN_CLIENT_CERT (go-plugin AutoMTLS).
/// Its presence makes the provider generate its own P-384 server certificate before it answers,
/// exactly as it does under Terraform. Self-signed, EC P-256, valid until 2126; it secures nothing.
const CLIENT_CERT_PEM: &str = "-----BEGIN CERTIFICATE-----
MIIBpzCCAU2gAwIBAgIUQFHic4sU31MIQVHcbgqUM5MQmmswCgYIKoZIzj0EAwIw
KDESMBAGA1UECgwJSGFzaGlDb3JwMRIwEAYDVQQDDAlsb2NhbGhvc3QwIBcNMjYx
MTI4MTc0NzE2WhgPMjEyNjExMDQxNzQ3MTZaMCgxEjAQBgNVBAoMCUhhc2hpQ29y
cDESMBAGA1UEAwwJbG9jYWxob3N0MFkwEwYHKoZIzj0CAQYIKoZIzj0DAQcDQgAE
w9V4jRlMMxSsHdUknPzIhMUIykiWljYFgmf9/F5lKfVduRC3pK7AAKB+3WmkzIIV
03EZgcIyeDeTXYhJHoQUwaNTMFEwHQYDVR0OBBYEFJJ8w6uXAM3YK1P9Df6Kcf8/
1exAMB8GA1UdIwQYMBaAFJJ8w6uXAM3YK1P9Df6Kcf8/1exAMA8GA1UdEwEB/wQF
MAMBAf8wCgYIKoZIzj0EAwIDSAAwRQIgPERk/JZN+424vD0hbm/0Qhi5/kVxKL1p
FZeQBmuU0GYCIQC13c3YvD23fM5Z6im+eiLCjeU+bMkUTgRHZltR/1cP+A==
-----END CERTIFICATE-----
";

fn vm_hwm_kb(pid: u32) -> Option<u64> {
    let status = std::fs::read_to_string(format!("/proc/{pid}/status")).ok()?;
    status.lines().find(|l| l.starts_with("VmHWM:"))?.split_whitespace().nth(1)?.parse().ok()
}

/// A provider process started as Terraform starts it, up to its handshake line.
pub struct Provider {
    child: Child,
    _stdout: BufReader<ChildStdout>,
    pub handshake: Duration,
    line: String,
}

impl Provider {
    pub fn start(mtls: bool) -> Provider {
        let started = Instant::now();
        let mut cmd = Command::new(PROVIDER_BIN);
        for var in ["PLUGIN_CLIENT_CERT", "PLUGIN_LOG_FILE", "PLUGIN_MIN_PORT", "PLUGIN_MAX_PORT"] {
            cmd.env_remove(var);
        }
        cmd.env("PLUGIN_PROTOCOL_VERSIONS", "6").env("TF_PLUGIN_MAGIC_COOKIE", MAGIC_COOKIE);
        if mtls {
            cmd.env("PLUGIN_CLIENT_CERT", CLIENT_CERT_PEM);
        }
        let mut child =
            cmd.stdin(Stdio::null()).stdout(Stdio::piped()).stderr(Stdio::null()).spawn().expect("start the provider");
        let mut stdout = BufReader::new(child.stdout.take().unwrap());
        let mut line = String::new();
        stdout.read_line(&mut line).expect("read the handshake line");
        let handshake = started.elapsed();
        assert!(line.starts_with("1|6|tcp|"), "unexpected handshake line {line:?}");
        Provider { child, _stdout: stdout, handshake, line: line.trim().to_owned() }
    }

    pub fn addr(&self) -> String {
        self.line.split('|').nth(3).unwrap().to_owned()
    }

    pub fn hwm_kb(&self) -> u64 {
        vm_hwm_kb(self.child.id()).expect("VmHWM of the running provider")
    }
}

impl Drop for Provider {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Time from spawn to the first stdout line of a trivial program printing a line: what starting
/// any process and reading its handshake costs on this machine.
pub fn echo_floor() -> Duration {
    let started = Instant::now();
    let mut child = Command::new("echo")
        .arg("1|6|tcp|127.0.0.1:1|grpc|")
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("run echo");
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap()).read_line(&mut line).unwrap();
    let elapsed = started.elapsed();
    let _ = child.wait();
    elapsed
}

/// Samples the peak RSS (VmHWM, a high-water mark) of every provider process Terraform starts
/// below this process, every few milliseconds, until stopped.
pub struct RssSampler {
    stop: Arc<AtomicBool>,
    handle: Option<JoinHandle<(u64, usize)>>,
}

fn children_of(pid: u32, out: &mut Vec<u32>) {
    let Ok(tasks) = std::fs::read_dir(format!("/proc/{pid}/task")) else {
        return;
    };
    for task in tasks.flatten() {
        if let Ok(list) = std::fs::read_to_string(task.path().join("children")) {
            for child in list.split_whitespace().filter_map(|p| p.parse::<u32>().ok()) {
                if !out.contains(&child) {
                    out.push(child);
                    children_of(child, out);
                }
            }
        }
    }
}

/// Whether the executable of `pid` has a file name for which `wanted` holds.
fn runs(pid: u32, wanted: fn(&str) -> bool) -> bool {
    std::fs::read_link(format!("/proc/{pid}/exe"))
        .ok()
        .and_then(|p| p.file_name().map(|n| wanted(&n.to_string_lossy())))
        .unwrap_or(false)
}

impl RssSampler {
    /// Samples our provider's processes.
    pub fn start() -> Self {
        Self::start_for(|name| name.starts_with(PROVIDER_NAME))
    }

    /// Samples the processes whose executable's file name satisfies `wanted` (e.g. Terraform itself).
    pub fn start_for(wanted: fn(&str) -> bool) -> Self {
        let stop = Arc::new(AtomicBool::new(false));
        let flag = stop.clone();
        let handle = std::thread::spawn(move || {
            let me = std::process::id();
            let mut peak = 0u64;
            let mut seen: Vec<u32> = Vec::new();
            loop {
                let last = flag.load(Ordering::SeqCst);
                let mut pids = Vec::new();
                children_of(me, &mut pids);
                for pid in pids {
                    if runs(pid, wanted) {
                        if let Some(kb) = vm_hwm_kb(pid) {
                            peak = peak.max(kb);
                            if !seen.contains(&pid) {
                                seen.push(pid);
                            }
                        }
                    }
                }
                if last {
                    return (peak, seen.len());
                }
                std::thread::sleep(Duration::from_millis(3));
            }
        });
        RssSampler { stop, handle: Some(handle) }
    }

    /// (peak VmHWM in kB over all provider processes, how many provider processes were seen)
    pub fn finish(mut self) -> (u64, usize) {
        self.stop.store(true, Ordering::SeqCst);
        self.handle.take().unwrap().join().unwrap()
    }
}
