//! Everything that touches AWS: the trait the resources use, its SDK implementation and the
//! construction of configured clients.

pub mod api;
pub mod call_log;
pub mod clients;
pub mod sdk;
pub mod securityhub;
pub mod wire;

pub use api::{
    AccountEcr, AccountStatus, AwsError, BatchOutcome, Control, EcrStatus, ErrorCode, FailedAccount, Finding,
    FindingQuery, FindingUpdate, FindingsPage, InspectorApi, SecurityHubApi, UpdateOutcome,
};
