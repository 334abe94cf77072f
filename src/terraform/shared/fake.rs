//! A shared handle whose clients are in-memory fakes, for unit tests of resources and data
//! sources: the Region's clients and the caller's account are set up front, so no SDK
//! configuration is loaded and no AWS call can be made.

use std::sync::Arc;

use async_trait::async_trait;

use super::Shared;
use crate::aws::clients::Clients;
use crate::aws::ecr::{EcrApi, ImageDates};
use crate::aws::inspector::api::InspectorApi;
use crate::aws::securityhub::api::SecurityHubApi;
use crate::aws::{AwsError, ErrorClass};

/// ECR for tests that do not read it: every call fails.
pub struct NoEcr;

#[async_trait]
impl EcrApi for NoEcr {
    async fn image_dates(&self) -> Result<Vec<ImageDates>, AwsError> {
        Err(AwsError::new("DescribeRepositories", ErrorClass::Final, None, "ECR is not faked in this test"))
    }
}

/// A handle whose only Region is `region`, served by `inspector` and `securityhub`, for `caller`.
pub fn shared_with(
    region: &str,
    caller: &str,
    inspector: Arc<dyn InspectorApi>,
    securityhub: Arc<dyn SecurityHubApi>,
) -> Shared {
    let shared = Shared::default();
    let clients = Clients { region: region.to_owned(), inspector, securityhub, ecr: Arc::new(NoEcr) };
    let cell = tokio::sync::OnceCell::new_with(Some(Arc::new(clients)));
    shared.clients.lock().unwrap_or_else(|e| e.into_inner()).insert(region.to_owned(), Arc::new(cell));
    shared.caller.set(caller.to_owned()).expect("a new handle has no caller yet");
    shared
}
