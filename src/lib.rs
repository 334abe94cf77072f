//! inspector2fix: a Terraform/OpenTofu provider that fixes, and keeps fixed, AWS Security Hub
//! control Inspector.2 ("Amazon Inspector ECR scanning should be enabled").
//!
//! Layout (see DESIGN.md): `provider` (configuration, shared clients), `aws` (the async trait at
//! the AWS boundary and its SDK implementation), `scanning` (enable/disable/read logic),
//! `status` (reading Inspector's statuses), `wait` (polling cadence), `batch` (chunking),
//! `resources` and `data_sources` (one file each).

pub mod aws;
pub mod batch;
pub mod data_sources;
pub mod diag;
pub mod estimate;
pub mod findings;
pub mod provider;
pub mod ratelimit;
pub mod rescan;
pub mod resources;
pub mod scanning;
pub mod schema;
pub mod status;
pub mod timeouts;
pub mod validate;
pub mod wait;

pub use provider::Inspector2FixProvider;

/// Serves the provider over the Terraform plugin protocol 6 until Terraform stops it.
pub async fn serve() -> anyhow::Result<()> {
    tf_provider::serve("inspector2fix", Inspector2FixProvider::default()).await
}
