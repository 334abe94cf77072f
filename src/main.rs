//! The provider binary: a thin main that checks it was started by Terraform, limits malloc to one
//! arena, builds a small Tokio runtime and serves the library.

use std::process::ExitCode;

/// The value Terraform and OpenTofu put in TF_PLUGIN_MAGIC_COOKIE when they start a provider
/// (go-plugin's handshake config for providers). Without it the binary was started by hand.
const MAGIC_COOKIE: &str = "d602bf8f470bc67ca7faa0386276bbdd4330efaf76d1a219cb4d6991ca9872b2";

const NOT_BY_HAND: &str = "\
This binary is a plugin: terraform-provider-inspector2fix, a Terraform/OpenTofu provider.
It is not meant to be run directly. Declare it in a configuration's required_providers
and run `terraform init` (or `tofu init`); Terraform then starts it itself.
Run it with --version to print its version.";

fn main() -> ExitCode {
    if std::env::args().skip(1).any(|a| a == "--version" || a == "-version" || a == "version") {
        println!("terraform-provider-inspector2fix v{}", env!("CARGO_PKG_VERSION"));
        return ExitCode::SUCCESS;
    }
    // Checked before anything binds a port, so a hand-started binary exits at once instead of
    // waiting for a client that never comes (as Go providers do).
    if std::env::var("TF_PLUGIN_MAGIC_COOKIE").as_deref() != Ok(MAGIC_COOKIE) {
        eprintln!("{NOT_BY_HAND}");
        return ExitCode::FAILURE;
    }
    match serve() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("terraform-provider-inspector2fix: {e}");
            ExitCode::FAILURE
        }
    }
}

/// glibc gives every thread that allocates an arena of its own, and keeps freed pages in the arena
/// that first held them. Tokio moves a request between its threads, so a 10,000-account state
/// decoded on one thread and freed on another left pages resident in several arenas at once: one
/// arena took the provider's peak RSS at 10,000 accounts from 28.7 MB to 21.7 MB. The provider
/// mostly waits on the network, so sharing one arena's lock costs it nothing measurable.
#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn one_malloc_arena() {
    // SAFETY: mallopt only sets an allocator parameter; called before any other thread starts.
    unsafe {
        libc::mallopt(libc::M_ARENA_MAX, 1);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn one_malloc_arena() {}

fn serve() -> anyhow::Result<()> {
    one_malloc_arena();
    // tf-provider appends std::backtrace::Backtrace::capture() to some diagnostics; with
    // RUST_BACKTRACE=1 in the environment users would read stack frames. RUST_LIB_BACKTRACE
    // governs capture() only, so panics still honour RUST_BACKTRACE. Set before any thread starts.
    std::env::set_var("RUST_LIB_BACKTRACE", "0");
    inspector2fix::logging::init();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        // The SDK's futures are large (far larger in debug builds); 2 MiB overflowed. Only pages
        // actually touched count towards memory use.
        .thread_stack_size(16 * 1024 * 1024)
        .enable_all()
        .build()?
        .block_on(inspector2fix::serve())
}
