//! `inspector2fix-emulator [--port N] [--config FILE.json] [--verbose] [--exit-on-stdin-close]`
//!
//! Prints exactly `listening on http://127.0.0.1:PORT` as the first line on stdout, then serves
//! until SIGTERM / SIGINT (or, with `--exit-on-stdin-close`, until stdin reaches EOF).

use std::io::{Read, Write};
use std::process::ExitCode;

use inspector2fix_emulator::{serve, Emulator, Initial};

const USAGE: &str = "usage: inspector2fix-emulator [--port N] [--config FILE.json] [--verbose] [--exit-on-stdin-close]";

struct Args {
    port: u16,
    config: Option<String>,
    verbose: bool,
    exit_on_stdin_close: bool,
}

fn parse_args() -> Result<Args, String> {
    let mut args = Args { port: 0, config: None, verbose: false, exit_on_stdin_close: false };
    let mut it = std::env::args().skip(1);
    while let Some(a) = it.next() {
        let (flag, inline) = match a.split_once('=') {
            Some((f, v)) if f.starts_with("--") => (f.to_string(), Some(v.to_string())),
            _ => (a.clone(), None),
        };
        let mut value =
            |name: &str| inline.clone().or_else(|| it.next()).ok_or_else(|| format!("{name} needs a value"));
        match flag.as_str() {
            "--port" => {
                let v = value("--port")?;
                args.port = v.parse().map_err(|_| format!("invalid port {v:?}"))?;
            }
            "--config" => args.config = Some(value("--config")?),
            "--verbose" | "-v" => args.verbose = true,
            "--exit-on-stdin-close" => args.exit_on_stdin_close = true,
            "--help" | "-h" => {
                println!("{USAGE}");
                std::process::exit(0);
            }
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    Ok(args)
}

fn load_initial(path: Option<&str>) -> Result<Initial, String> {
    let Some(path) = path else {
        return Ok(Initial::default());
    };
    let text = std::fs::read_to_string(path).map_err(|e| format!("cannot read {path}: {e}"))?;
    let v: serde_json::Value = serde_json::from_str(&text).map_err(|e| format!("{path}: invalid JSON: {e}"))?;
    Initial::from_json(&v).map_err(|e| format!("{path}: {e}"))
}

fn main() -> ExitCode {
    let args = match parse_args() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("inspector2fix-emulator: {e}\n{USAGE}");
            return ExitCode::from(2);
        }
    };
    let initial = match load_initial(args.config.as_deref()) {
        Ok(i) => i,
        Err(e) => {
            eprintln!("inspector2fix-emulator: {e}");
            return ExitCode::from(2);
        }
    };
    let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("inspector2fix-emulator: cannot start runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    let code = rt.block_on(run(args, initial));
    // Don't wait for the blocking stdin reader thread on the way out.
    std::process::exit(code);
}

async fn run(args: Args, initial: Initial) -> i32 {
    let listener = match tokio::net::TcpListener::bind(("127.0.0.1", args.port)).await {
        Ok(l) => l,
        Err(e) => {
            eprintln!("inspector2fix-emulator: cannot listen on 127.0.0.1:{}: {e}", args.port);
            return 1;
        }
    };
    let port = match listener.local_addr() {
        Ok(a) => a.port(),
        Err(e) => {
            eprintln!("inspector2fix-emulator: {e}");
            return 1;
        }
    };
    {
        let mut out = std::io::stdout().lock();
        let _ = writeln!(out, "listening on http://127.0.0.1:{port}");
        let _ = out.flush();
    }

    let stdin_closed = async {
        if !args.exit_on_stdin_close {
            return std::future::pending::<()>().await;
        }
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        std::thread::spawn(move || {
            let mut buf = [0u8; 4096];
            let mut stdin = std::io::stdin().lock();
            while matches!(stdin.read(&mut buf), Ok(n) if n > 0) {}
            let _ = tx.send(());
        });
        let _ = rx.await;
    };

    let emu = Emulator::with_options(initial, args.verbose);
    let verbose = args.verbose;
    tokio::select! {
        r = serve(listener, emu) => {
            if let Err(e) = r {
                eprintln!("inspector2fix-emulator: {e}");
                return 1;
            }
        }
        _ = shutdown_signal() => {
            if verbose { eprintln!("inspector2fix-emulator: signal received, exiting"); }
        }
        _ = stdin_closed => {
            if verbose { eprintln!("inspector2fix-emulator: stdin closed, exiting"); }
        }
    }
    0
}

#[cfg(unix)]
async fn shutdown_signal() {
    use tokio::signal::unix::{signal, SignalKind};
    let mut term = signal(SignalKind::terminate()).expect("SIGTERM handler");
    tokio::select! {
        _ = term.recv() => {}
        _ = tokio::signal::ctrl_c() => {}
    }
}

#[cfg(not(unix))]
async fn shutdown_signal() {
    let _ = tokio::signal::ctrl_c().await;
}
