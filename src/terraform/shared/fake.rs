//! A shared handle whose clients are in-memory fakes, for unit tests of resources and data
//! sources: the Region's clients and the caller's account are set up front, so no SDK
//! configuration is loaded and no AWS call can be made.

use std::sync::Arc;

use async_trait::async_trait;

use super::Shared;
use crate::aws::clients::{Clients, Settings};
use crate::aws::ecr::{EcrApi, ImageDates};
use crate::aws::inspector::api::{DelegatedAdmin, DelegatedAdminApi, DelegatedAdminPage, InspectorApi};
use crate::aws::organizations::api::OrganizationsApi;
use crate::aws::organizations::fake::FakeOrganizations;
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

/// Inspector's delegated-administrator calls for tests that do not make them: every call fails.
pub struct NoDelegatedAdmin;

fn not_faked(operation: &'static str) -> AwsError {
    AwsError::new(operation, ErrorClass::Final, None, "the delegated administrator is not faked in this test")
}

#[async_trait]
impl DelegatedAdminApi for NoDelegatedAdmin {
    async fn enable_delegated_admin(&self, _: &str, _: &str) -> Result<(), AwsError> {
        Err(not_faked("EnableDelegatedAdminAccount"))
    }
    async fn disable_delegated_admin(&self, _: &str) -> Result<(), AwsError> {
        Err(not_faked("DisableDelegatedAdminAccount"))
    }
    async fn delegated_admin(&self) -> Result<Option<DelegatedAdmin>, AwsError> {
        Err(not_faked("GetDelegatedAdminAccount"))
    }
    async fn delegated_admins_page(&self, _: Option<String>) -> Result<DelegatedAdminPage, AwsError> {
        Err(not_faked("ListDelegatedAdminAccounts"))
    }
}

/// A handle whose only Region is `region`, served by `inspector` and `securityhub`, for `caller`.
pub fn shared_with(
    region: &str,
    caller: &str,
    inspector: Arc<dyn InspectorApi>,
    securityhub: Arc<dyn SecurityHubApi>,
) -> Shared {
    shared_with_admin(region, caller, inspector, securityhub, Arc::new(NoDelegatedAdmin))
}

/// [`shared_with`], with `delegated_admin` serving Inspector's delegated-administrator calls.
pub fn shared_with_admin(
    region: &str,
    caller: &str,
    inspector: Arc<dyn InspectorApi>,
    securityhub: Arc<dyn SecurityHubApi>,
    delegated_admin: Arc<dyn DelegatedAdminApi>,
) -> Shared {
    let none = Arc::new(FakeOrganizations::new(true));
    shared_with_all(region, caller, inspector, securityhub, delegated_admin, none)
}

/// [`shared_with_admin`], with `organizations` serving AWS Organizations.
pub fn shared_with_all(
    region: &str,
    caller: &str,
    inspector: Arc<dyn InspectorApi>,
    securityhub: Arc<dyn SecurityHubApi>,
    delegated_admin: Arc<dyn DelegatedAdminApi>,
    organizations: Arc<dyn OrganizationsApi>,
) -> Shared {
    // The provider's Region is `region`, as a provider block with `region` set would make it.
    let shared = Shared::configured(Settings { region: Some(region.to_owned()), ..Settings::default() });
    let clients = Clients {
        region: region.to_owned(),
        inspector,
        securityhub,
        delegated_admin,
        ecr: Arc::new(NoEcr),
        organizations,
    };
    // Wrapped as `clients_in` wraps what it builds, so unit tests go through the same decorators.
    let cell = tokio::sync::OnceCell::new_with(Some(Arc::new(clients.stoppable(Arc::new(shared.stop.clone())))));
    shared.clients.lock().unwrap_or_else(|e| e.into_inner()).insert(region.to_owned(), Arc::new(cell));
    shared.caller.set(caller.to_owned()).expect("a new handle has no caller yet");
    shared
}
