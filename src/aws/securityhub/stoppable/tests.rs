use super::*;
use crate::aws::stop::TestStop;

/// A Security Hub that never answers, like a black-holed endpoint.
struct Silent;

#[async_trait::async_trait]
impl SecurityHubApi for Silent {
    async fn control(&self, _: &str) -> Result<Option<Control>, AwsError> {
        std::future::pending().await
    }
    async fn findings_page(&self, _: &FindingQuery, _: Option<String>) -> Result<FindingsPage, AwsError> {
        std::future::pending().await
    }
    async fn update_findings(&self, _: &[FindingRef], _: &FindingUpdate) -> Result<UpdateOutcome, AwsError> {
        std::future::pending().await
    }
    async fn control_associations_page(&self, _: &str, _: Option<String>) -> Result<AssociationsPage, AwsError> {
        std::future::pending().await
    }
    async fn organization_configuration(&self) -> Result<HubOrganizationConfiguration, AwsError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_a_security_hub_call_in_flight_and_every_later_one() {
    let stop = Arc::new(TestStop::default());
    let hub = StoppableSecurityHub::new(Arc::new(Silent), stop.clone());
    let query = FindingQuery { control_id: "Inspector.2".into(), account_id: None, region: None };
    let stopper = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(std::time::Duration::from_secs(5)).await;
        stopper.stop();
    });
    let started = tokio::time::Instant::now();
    let err = hub.findings_page(&query, None).await.expect_err("a stopped call fails");
    assert_eq!(started.elapsed(), std::time::Duration::from_secs(5));
    assert!(err.is_final(), "{err}");
    assert!(err.to_string().contains("stopped by Terraform"), "{err}");
    let err = hub.control("Inspector.2").await.expect_err("later calls fail at once");
    assert_eq!(err.operation, "BatchGetSecurityControls");
    let err = hub.control_associations_page("Inspector.2", None).await.expect_err("later calls fail at once");
    assert_eq!(err.operation, "ListStandardsControlAssociations");
    let err = hub.organization_configuration().await.expect_err("later calls fail at once");
    assert_eq!(err.operation, "DescribeOrganizationConfiguration");
    assert_eq!(started.elapsed(), std::time::Duration::from_secs(5));
}
