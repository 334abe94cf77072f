use std::time::Duration;

use futures::future::BoxFuture;
use futures::FutureExt;

use super::*;
use crate::aws::stop::TestStop;

/// An Inspector that never answers, like a black-holed endpoint; but for the caller's account
/// when it is given one.
struct Silent(Option<&'static str>);

#[async_trait]
impl CallerApi for Silent {
    async fn caller_account(&self) -> Result<String, AwsError> {
        match self.0 {
            Some(account) => Ok(account.to_owned()),
            None => std::future::pending().await,
        }
    }
}

#[async_trait]
impl EcrScanningApi for Silent {
    async fn enable_ecr(&self, _: &[String], _: &str) -> Result<BatchOutcome, AwsError> {
        std::future::pending().await
    }
    async fn disable_ecr(&self, _: &[String]) -> Result<BatchOutcome, AwsError> {
        std::future::pending().await
    }
    async fn account_status(&self, _: &[String]) -> Result<BatchOutcome, AwsError> {
        std::future::pending().await
    }
}

#[async_trait]
impl RescanConfigurationApi for Silent {
    async fn ecr_rescan_configuration(&self) -> Result<EcrRescanConfig, AwsError> {
        std::future::pending().await
    }
    async fn update_ecr_rescan_configuration(&self, _: &EcrRescanConfig) -> Result<(), AwsError> {
        std::future::pending().await
    }
}

#[async_trait]
impl MembersApi for Silent {
    async fn list_members(&self, _: bool, _: Option<String>) -> Result<MembersPage, AwsError> {
        std::future::pending().await
    }
    async fn get_member(&self, _: &str) -> Result<Member, AwsError> {
        std::future::pending().await
    }
    async fn associate_member(&self, _: &str) -> Result<(), AwsError> {
        std::future::pending().await
    }
}

#[async_trait]
impl OrganizationConfigurationApi for Silent {
    async fn organization_configuration(&self) -> Result<OrganizationConfiguration, AwsError> {
        std::future::pending().await
    }
    async fn update_organization_configuration(&self, _: &AutoEnable) -> Result<AutoEnable, AwsError> {
        std::future::pending().await
    }
}

/// Every method of every narrow trait, each as the error it ends with (Ok: it answered).
fn every_call(api: &StoppableInspector) -> Vec<BoxFuture<'_, Result<(), AwsError>>> {
    let ids = vec!["222222222222".to_owned()];
    let ids2 = ids.clone();
    let ids3 = ids.clone();
    vec![
        async { api.caller_account().await.map(drop) }.boxed(),
        async move { api.enable_ecr(&ids, "token").await.map(drop) }.boxed(),
        async move { api.disable_ecr(&ids2).await.map(drop) }.boxed(),
        async move { api.account_status(&ids3).await.map(drop) }.boxed(),
        async { api.ecr_rescan_configuration().await.map(drop) }.boxed(),
        async { api.update_ecr_rescan_configuration(&EcrRescanConfig::default()).await }.boxed(),
        async { api.list_members(false, None).await.map(drop) }.boxed(),
        async { api.get_member("222222222222").await.map(drop) }.boxed(),
        async { api.associate_member("222222222222").await }.boxed(),
        async { api.organization_configuration().await.map(drop) }.boxed(),
        async { api.update_organization_configuration(&AutoEnable::default()).await.map(drop) }.boxed(),
    ]
}

const OPERATIONS: [&str; 11] = [
    "GetCallerIdentity",
    "Enable",
    "Disable",
    "BatchGetAccountStatus",
    "GetConfiguration",
    "UpdateConfiguration",
    "ListMembers",
    "GetMember",
    "AssociateMember",
    "DescribeOrganizationConfiguration",
    "UpdateOrganizationConfiguration",
];

#[tokio::test(start_paused = true)]
async fn a_stop_ends_every_inspector_call_in_flight() {
    let stop = Arc::new(TestStop::default());
    let api = StoppableInspector::new(Arc::new(Silent(None)), stop.clone());
    let stopper = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        stopper.stop();
    });
    let started = tokio::time::Instant::now();
    let ended = futures::future::join_all(every_call(&api)).await;
    assert_eq!(started.elapsed(), Duration::from_secs(5), "every call ended at the stop, none before");
    assert_eq!(ended.len(), OPERATIONS.len());
    for (result, operation) in ended.into_iter().zip(OPERATIONS) {
        let err = result.expect_err("a call that never answers ends only by the stop");
        assert_eq!(err.operation, operation);
        assert!(err.is_final(), "{err}");
        assert!(err.to_string().contains("stopped by Terraform (interrupt)"), "{err}");
    }
}

#[tokio::test(start_paused = true)]
async fn after_a_stop_every_inspector_call_fails_at_once() {
    let stop = Arc::new(TestStop::default());
    stop.stop();
    let api = StoppableInspector::new(Arc::new(Silent(None)), stop);
    let started = tokio::time::Instant::now();
    for (future, operation) in every_call(&api).into_iter().zip(OPERATIONS) {
        let err = future.await.expect_err("no call goes out after the stop");
        assert_eq!(err.operation, operation);
        assert!(err.is_final(), "{err}");
    }
    assert_eq!(started.elapsed(), Duration::ZERO);
}

#[tokio::test(start_paused = true)]
async fn without_a_stop_answers_pass_through() {
    let api = StoppableInspector::new(Arc::new(Silent(Some("111111111111"))), Arc::new(TestStop::default()));
    assert_eq!(api.caller_account().await.expect("the inner answer"), "111111111111");
}

/// A delegated-administrator service that never answers.
struct SilentAdmin;

#[async_trait]
impl DelegatedAdminApi for SilentAdmin {
    async fn enable_delegated_admin(&self, _: &str, _: &str) -> Result<(), AwsError> {
        std::future::pending().await
    }
    async fn disable_delegated_admin(&self, _: &str) -> Result<(), AwsError> {
        std::future::pending().await
    }
    async fn delegated_admin(&self) -> Result<Option<DelegatedAdmin>, AwsError> {
        std::future::pending().await
    }
    async fn delegated_admins_page(&self, _: Option<String>) -> Result<DelegatedAdminPage, AwsError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_every_delegated_administrator_call_in_flight() {
    let stop = Arc::new(TestStop::default());
    let api = StoppableDelegatedAdmin::new(Arc::new(SilentAdmin), stop.clone());
    let stopper = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        stopper.stop();
    });
    let started = tokio::time::Instant::now();
    let calls: Vec<BoxFuture<'_, Result<(), AwsError>>> = vec![
        async { api.enable_delegated_admin("222222222222", "token").await }.boxed(),
        async { api.disable_delegated_admin("222222222222").await }.boxed(),
        async { api.delegated_admin().await.map(drop) }.boxed(),
        async { api.delegated_admins_page(None).await.map(drop) }.boxed(),
    ];
    let ended = futures::future::join_all(calls).await;
    assert_eq!(started.elapsed(), Duration::from_secs(5), "every call ended at the stop, none before");
    let operations = [
        "EnableDelegatedAdminAccount",
        "DisableDelegatedAdminAccount",
        "GetDelegatedAdminAccount",
        "ListDelegatedAdminAccounts",
    ];
    for (result, operation) in ended.into_iter().zip(operations) {
        let err = result.expect_err("a call that never answers ends only by the stop");
        assert_eq!(err.operation, operation);
        assert!(err.is_final() && err.to_string().contains("stopped by Terraform (interrupt)"), "{err}");
    }
}
