//! The inspector2fix library: a Terraform/OpenTofu provider that fixes, and keeps fixed, AWS Security Hub
//! control Inspector.2 ("Amazon Inspector ECR scanning should be enabled").
//!
//! Three folders are the layers, and every `use crate::` points down them (checked by
//! `scripts/check-imports.py`, which also holds that only [`terraform`] names `tf_provider`):
//!
//! 1. [`terraform`]: the provider, its resources and data sources, and the helpers that speak
//!    Terraform's types. It translates; it does not decide.
//! 2. [`domain`]: what to do with accounts, members, settings, findings and money, free of
//!    Terraform types; it returns reports the Terraform layer translates.
//! 3. [`aws`]: the boundary, one `api`/`sdk` pair per service; SDK types stop there.
//!
//! Beside them, usable from any layer: [`validate`] (what a value means, as plain `Result`s),
//! [`ids`] (resource ids), [`text`] (short per-account lists) and [`logging`] (hclog lines).
//! DESIGN.md says why.

pub mod aws;
pub mod domain;
pub mod ids;
pub mod logging;
pub mod terraform;
pub mod text;
pub mod validate;

pub use terraform::provider::Inspector2FixProvider;
pub use terraform::serve;
