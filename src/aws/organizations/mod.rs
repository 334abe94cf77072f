//! AWS Organizations at the boundary, for Inspector policies (`INSPECTOR_POLICY`) only: the trait
//! the domain uses ([`api`]), its implementation on the AWS SDK for Rust ([`sdk`]) and the
//! decorator that ends its calls at Terraform's stop ([`stoppable`]).
//! Organizations is a global service: one endpoint per partition (us-east-1 in `aws`), which the
//! SDK's endpoint rules choose from any Region of the partition.

pub mod api;
pub mod sdk;
pub mod stoppable;

#[cfg(test)]
pub(crate) mod fake;
