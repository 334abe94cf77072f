//! Everything that touches AWS: the trait the resources use, its SDK implementation and the
//! construction of configured clients.

pub mod api;
pub mod clients;
pub mod sdk;
pub mod securityhub;
pub mod securityhub_bridge;
pub mod securityhub_types;

pub use api::{
    AccountEcr, AwsError, BatchOutcome, Control, FailedAccount, Finding, FindingQuery, FindingUpdate, FindingsPage,
    InspectorApi, SecurityHubApi, UpdateOutcome,
};
