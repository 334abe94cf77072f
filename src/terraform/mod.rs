//! The Terraform layer: the only place that names `tf_provider`. It registers the provider, its
//! resources and data sources, and translates between Terraform values and the reports of the
//! Terraform-free [`crate::domain`]; it never decides what to do with an account itself.
//!
//! - [`provider`]: the provider block and registration; [`shared`]: the handle every resource
//!   holds (settings, per-Region clients built lazily, the caller, the stop signal);
//!   [`region`]: every `region` resolved the same way.
//! - [`resources`], [`data_sources`], [`list_resources`] (`terraform query`) and [`actions`]: one
//!   module each;
//!   [`identity`]: what names each resource's object (Terraform 1.12 and later).
//! - Helpers: [`schema`] (schema builders), [`diag`] (diagnostics without backtraces), [`values`]
//!   (Terraform numbers, sets and maps), [`timeouts`] (the `timeouts` block), [`checks`] (input
//!   checks that write diagnostics on attribute paths).

pub mod actions;
pub mod checks;
pub mod data_sources;
pub mod diag;
pub mod identity;
pub mod list_resources;
pub mod provider;
pub mod region;
pub mod resources;
pub mod schema;
pub mod shared;
pub mod timeouts;
pub mod values;

use provider::Inspector2FixProvider;

/// Serves the provider over the Terraform plugin protocol 6 until Terraform stops it. The stop
/// signal Terraform fires on Ctrl-C (StopProvider) reaches every wait through the shared handle.
pub async fn serve() -> anyhow::Result<()> {
    let stop = tf_provider::StopSignal::new();
    tf_provider::serve_with_stop("inspector2fix", Inspector2FixProvider::with_stop(stop.clone()), stop).await
}
