//! AWS Security Hub CSPM at the boundary: the trait the domain uses and its typed values
//! ([`api`]), its implementation on the AWS SDK for Rust ([`sdk`]), and the decorator that cuts
//! every call off at Terraform's stop ([`stoppable`]).

pub mod api;
pub mod sdk;
pub mod stoppable;
