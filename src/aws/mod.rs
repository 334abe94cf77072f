//! Everything that touches AWS: the trait the resources use, its SDK implementation and the
//! construction of configured clients.

pub mod api;
pub mod clients;
pub mod ecr;
pub mod sdk;
pub mod securityhub;

pub use api::{
    AccountEcr, AwsError, BatchOutcome, Control, FailedAccount, Finding, FindingQuery, FindingUpdate, FindingsPage,
    InspectorApi, SecurityHubApi, UpdateOutcome,
};
