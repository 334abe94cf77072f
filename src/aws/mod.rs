//! Everything that touches AWS: the trait the resources use, its SDK implementation and the
//! construction of configured clients.

pub mod api;
pub mod clients;
pub mod sdk;

pub use api::{AccountEcr, AwsError, BatchOutcome, FailedAccount, InspectorApi};
