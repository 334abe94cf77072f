fn main() -> anyhow::Result<()> {
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
