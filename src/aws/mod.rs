//! The AWS boundary: one pair of modules per service, the trait the domain uses (`api`) and its
//! implementation on the AWS SDK for Rust (`sdk`), so SDK types never leak past them and tests
//! swap in fakes. Beside them: errors classified once ([`errors`]), the AWS enums decoded once
//! ([`wire`]), client construction per Region ([`clients`]), the per-call log ([`call_log`]) and
//! Terraform's stop as the boundary sees it ([`stop`]). Nothing here reaches up into the layers
//! above, and nothing here names Terraform.

pub mod call_log;
pub mod clients;
pub mod ecr;
pub mod errors;
pub mod inspector;
pub mod securityhub;
pub mod stop;
pub mod wire;

pub use errors::{AwsError, ErrorClass};
pub use inspector::api::{
    AccountEcr, BatchOutcome, CallerApi, EcrScanningApi, ErrorCode, FailedAccount, InspectorApi, InspectorStatus,
    MembersApi, OrganizationConfigurationApi, RescanConfigurationApi,
};
