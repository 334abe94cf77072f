//! Amazon Inspector at the boundary: the traits the domain uses ([`api`]), the organization's
//! shapes ([`organization`]), their implementation on the AWS SDK for Rust ([`sdk`]), and the
//! decorator that cuts every call off at Terraform's stop ([`stoppable`]).

pub mod api;
pub mod organization;
pub mod sdk;
pub mod stoppable;
