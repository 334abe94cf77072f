//! inspector2fix: a Terraform/OpenTofu provider that fixes, and keeps fixed, AWS Security Hub
//! control Inspector.2 ("Amazon Inspector ECR scanning should be enabled").
//!
//! The modules form layers; every `use crate::` points down (checked by
//! `scripts/check-imports.py`), and see DESIGN.md for why:
//!
//! 1. [`provider`]: the provider block's schema, reading its configuration, and registering the
//!    resources and data sources.
//! 2. [`resources`] and [`data_sources`], one file each: they translate between Terraform values
//!    and the domain modules' reports, and hold a [`shared::Shared`] handle, never the provider.
//! 3. [`shared`]: the handle with the settings, the AWS clients built lazily per Region, the
//!    caller's account and Security Hub's rate limiters; beside it [`region`], which resolves
//!    every resource's and data source's `region` the same way.
//! 4. Domain modules, free of Terraform types: [`scanning`] (enable, disable and read ECR
//!    scanning for many accounts: send, wait, judge, report), [`findings`] (a control's
//!    findings and compliance), [`organization`] (the members an administrator sees) and
//!    [`compliance`] (Inspector.2 by AWS's rule).
//! 5. Their parts: [`status`] (what Inspector's statuses and error codes mean), [`wait`] (polling
//!    cadence), [`batch`] (chunks of 100, 10 in flight), [`ratelimit`].
//! 6. [`aws`], the boundary: the traits `InspectorApi` and `SecurityHubApi`, their SDK
//!    implementations, client construction, and the AWS enums decoded once ([`aws::wire`]).
//!    Nothing in it reaches up into the layers above.
//!
//! Helpers any layer above `aws` may use: [`timeouts`] (the `timeouts` block), [`schema`] (schema
//! builders), [`diag`] (diagnostics without backtraces), [`validate`] (user input), [`values`]
//! (Terraform sets and maps), [`ids`] (resource ids) and [`text`] (per-account error lists).

pub mod association;
pub mod auto_enable;
pub mod aws;
pub mod batch;
pub mod compliance;
pub mod data_sources;
pub mod diag;
pub mod estimate;
pub mod findings;
pub mod ids;
pub mod logging;
pub mod organization;
pub mod provider;
pub mod ratelimit;
pub mod region;
pub mod rescan;
pub mod resources;
pub mod scanning;
pub mod schema;
pub mod shared;
pub mod status;
pub mod suppression;
pub mod text;
pub mod timeouts;
pub mod validate;
pub mod values;
pub mod wait;

pub use provider::Inspector2FixProvider;

/// Serves the provider over the Terraform plugin protocol 6 until Terraform stops it. The stop
/// signal Terraform fires on Ctrl-C (StopProvider) reaches every wait through the shared handle.
pub async fn serve() -> anyhow::Result<()> {
    let stop = tf_provider::StopSignal::new();
    tf_provider::serve_with_stop("inspector2fix", Inspector2FixProvider::with_stop(stop.clone()), stop).await
}
