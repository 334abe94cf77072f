//! Amazon Inspector at the boundary: the traits the domain uses ([`api`]), the organization's
//! shapes ([`organization`]) and their implementation on the AWS SDK for Rust ([`sdk`]).

pub mod api;
pub mod organization;
pub mod sdk;
