use std::time::Duration;

use super::*;
use crate::aws::organizations::fake::FakeOrganizations;
use crate::aws::stop::TestStop;

/// Organizations that never answers DescribeEffectivePolicy, like a black-holed endpoint.
struct Silent(FakeOrganizations);

#[async_trait]
impl OrganizationsApi for Silent {
    async fn describe_organization(&self) -> Result<Option<Organization>, AwsError> {
        self.0.describe_organization().await
    }
    async fn list_roots(&self) -> Result<Vec<Root>, AwsError> {
        self.0.list_roots().await
    }
    async fn create_policy(&self, i: &PolicyInput, t: &BTreeMap<String, String>) -> Result<PolicySummary, AwsError> {
        self.0.create_policy(i, t).await
    }
    async fn update_policy(&self, id: &str, i: &PolicyInput) -> Result<PolicySummary, AwsError> {
        self.0.update_policy(id, i).await
    }
    async fn delete_policy(&self, id: &str) -> Result<(), AwsError> {
        self.0.delete_policy(id).await
    }
    async fn describe_policy(&self, id: &str) -> Result<Policy, AwsError> {
        self.0.describe_policy(id).await
    }
    async fn attach_policy(&self, id: &str, t: &str) -> Result<(), AwsError> {
        self.0.attach_policy(id, t).await
    }
    async fn detach_policy(&self, id: &str, t: &str) -> Result<(), AwsError> {
        self.0.detach_policy(id, t).await
    }
    async fn list_targets_for_policy(&self, id: &str) -> Result<Vec<PolicyTarget>, AwsError> {
        self.0.list_targets_for_policy(id).await
    }
    async fn list_policies(&self) -> Result<Vec<PolicySummary>, AwsError> {
        self.0.list_policies().await
    }
    async fn list_policies_for_target(&self, t: &str) -> Result<Vec<PolicySummary>, AwsError> {
        self.0.list_policies_for_target(t).await
    }
    async fn effective_inspector_policy(&self, _: &str) -> Result<Option<String>, AwsError> {
        std::future::pending().await
    }
    async fn tag_policy(&self, id: &str, t: &BTreeMap<String, String>) -> Result<(), AwsError> {
        self.0.tag_policy(id, t).await
    }
    async fn untag_policy(&self, id: &str, k: &[String]) -> Result<(), AwsError> {
        self.0.untag_policy(id, k).await
    }
    async fn policy_tags(&self, id: &str) -> Result<BTreeMap<String, String>, AwsError> {
        self.0.policy_tags(id).await
    }
    async fn parents(&self, c: &str) -> Result<Vec<String>, AwsError> {
        self.0.parents(c).await
    }
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_the_call_in_flight_and_every_later_one() {
    let stop = Arc::new(TestStop::default());
    let org = StoppableOrganizations::new(Arc::new(Silent(FakeOrganizations::new(true))), stop.clone());
    assert_eq!(org.list_roots().await.map(|r| r.len()), Ok(1), "calls pass through before the stop");
    let described = org.describe_organization().await.expect("passes through");
    assert_eq!(described.map(|o| o.id), Some(crate::aws::organizations::fake::ORGANIZATION.to_owned()));
    let stopper = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        stopper.stop();
    });
    let started = tokio::time::Instant::now();
    let err = org.effective_inspector_policy("222222222222").await.expect_err("a stopped call fails");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert!(err.is_final() && err.operation == "DescribeEffectivePolicy", "{err}");
    assert!(err.to_string().contains("stopped by Terraform (interrupt)"), "{err}");
    let later = org.list_roots().await.expect_err("a later call fails at once");
    assert_eq!(later.operation, "ListRoots");
    let described = org.describe_organization().await.expect_err("DescribeOrganization ends at the stop too");
    assert!(described.is_final() && described.operation == "DescribeOrganization", "{described}");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}
