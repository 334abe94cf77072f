//! Everything that touches AWS: the trait the resources use, its SDK implementation and the
//! construction of configured clients.

pub mod api;
pub mod call_log;
pub mod clients;
pub mod ecr;
pub mod errors;
pub mod organization;
pub mod sdk;
pub mod securityhub;
pub mod securityhub_types;
pub mod wire;

pub use api::{
    AccountEcr, AccountStatus, AwsError, BatchOutcome, EcrStatus, ErrorClass, ErrorCode, FailedAccount, InspectorApi,
};
