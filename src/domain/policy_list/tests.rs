use std::collections::BTreeMap;

use super::*;
use crate::aws::organizations::fake::{FakeOrganizations, ROOT};
use crate::aws::{AwsError, ErrorClass};

/// What the listing sent, in order
#[derive(Default)]
struct Collected {
    objects: bool,
    /// Stop after this many
    stop_after: Option<usize>,
    policies: Vec<Listed>,
}

#[async_trait]
impl Policies for Collected {
    fn wants_objects(&self) -> bool {
        self.objects
    }
    async fn found(&mut self, policy: Listed) -> bool {
        self.policies.push(policy);
        self.stop_after.is_none_or(|n| self.policies.len() < n)
    }
}

fn ecr(regions: &[&str]) -> String {
    ecr_policy::document(&regions.iter().map(|r| r.to_string()).collect())
}

const WITH_EC2: &str = r#"{"inspector":{"enablement":{"ec2_scanning":{"enable_in_regions":{"@@assign":["us-east-1"]},"disable_in_regions":{"@@assign":[]}},"ecr_scanning":{"enable_in_regions":{"@@assign":["us-east-1"]},"disable_in_regions":{"@@assign":[]}}}}}"#;
const DISABLING: &str = r#"{"inspector":{"enablement":{"ecr_scanning":{"enable_in_regions":{"@@assign":["us-east-1"]},"disable_in_regions":{"@@assign":["eu-west-1"]}}}}}"#;
const EC2_ONLY: &str = r#"{"inspector":{"enablement":{"ec2_scanning":{"enable_in_regions":{"@@assign":["us-east-1"]},"disable_in_regions":{"@@assign":[]}}}}}"#;

/// Three policies: an ownable one over 3 Regions, one that also names EC2, one only in ALL_SUPPORTED
fn organization() -> (FakeOrganizations, [String; 3]) {
    let org = FakeOrganizations::new(true);
    let a = org.add_policy("ecr-three", &ecr(&["eu-west-1", "us-east-1", "us-west-2"]), &[ROOT]);
    let b = org.add_policy("mixed", WITH_EC2, &[ROOT]);
    let c = org.add_policy("everywhere", &ecr(&[ALL_SUPPORTED]), &[]);
    org.inner.lock().unwrap().tags.insert(a.clone(), BTreeMap::from([("team".to_owned(), "sec".to_owned())]));
    (org, [a, b, c])
}

#[test]
fn only_a_document_in_the_resources_form_is_ownable() {
    assert_eq!(ownership(&ecr(&["us-east-1"])), None);
    assert_eq!(ownership(WITH_EC2), Some(NotOwnable::OtherScanTypes(vec!["ec2_scanning".into()])));
    assert_eq!(ownership(EC2_ONLY), Some(NotOwnable::OtherScanTypes(vec!["ec2_scanning".into()])));
    assert_eq!(ownership(DISABLING), Some(NotOwnable::OtherForm));
    assert_eq!(ownership("{}"), Some(NotOwnable::NoEcrScanning));
    assert_eq!(ownership("not json"), Some(NotOwnable::NoEcrScanning));
}

#[tokio::test]
async fn every_policy_is_listed_sorted_by_id_with_one_describe_each_and_no_object_unless_asked() {
    let (org, ids) = organization();
    let mut out = Collected::default();
    list(&org, &mut out).await.expect("listed");
    let names: Vec<String> = out.policies.iter().map(Listed::display_name).collect();
    assert_eq!(
        names,
        vec![
            format!("{} (ecr-three, ECR in 3 Regions)", ids[0]),
            format!("{} (mixed, ECR in 1 Region; also ec2_scanning: not importable)", ids[1]),
            format!("{} (everywhere, ECR in every supported Region)", ids[2]),
        ]
    );
    assert!(out.policies.iter().all(|p| p.found.is_none()));
    assert_eq!((org.count("ListPolicies"), org.count("DescribePolicy")), (1, 3));
    assert_eq!(org.total_calls(), 4, "nothing but the list and one read per policy");
}

#[tokio::test]
async fn objects_are_read_only_for_ownable_policies_without_reading_the_document_twice() {
    let (org, ids) = organization();
    let mut out = Collected { objects: true, ..Collected::default() };
    list(&org, &mut out).await.expect("listed");
    let found = out.policies[0].found.as_ref().expect("the ownable policy's object");
    assert_eq!(found.target_ids, BTreeSet::from([ROOT.to_owned()]));
    assert_eq!(found.tags, BTreeMap::from([("team".to_owned(), "sec".to_owned())]));
    assert_eq!(found.summary.name, "ecr-three");
    assert!(out.policies[1].found.is_none(), "a policy naming EC2 too is not offered");
    assert!(out.policies[2].found.is_some());
    assert_eq!(org.count("DescribePolicy"), 3);
    assert_eq!((org.calls_of("ListTargetsForPolicy", &ids[1]), org.calls_of("ListTagsForResource", &ids[1])), (0, 0));
    assert_eq!((org.count("ListTargetsForPolicy"), org.count("ListTagsForResource")), (2, 2));
}

#[tokio::test]
async fn a_reader_that_has_enough_ends_the_reads() {
    let (org, ids) = organization();
    let mut out = Collected { stop_after: Some(2), ..Collected::default() };
    list(&org, &mut out).await.expect("listed");
    assert_eq!(out.policies.len(), 2);
    assert_eq!(org.calls_of("DescribePolicy", &ids[2]), 0, "the policy past the limit is not read");
    assert_eq!(org.count("DescribePolicy"), 2);
}

#[tokio::test]
async fn a_refused_read_is_an_error_never_a_shorter_list() {
    let (org, _) = organization();
    org.inner.lock().unwrap().access_denied = true;
    let error = list(&org, &mut Collected::default()).await.unwrap_err();
    assert!(error.contains("AccessDenied") && error.contains("management account"), "{error}");
    assert!(error.starts_with("listing the policies (organizations:ListPolicies): "), "{error}");

    // ListPolicies answers, then the first DescribePolicy is refused: an error, nothing more sent.
    let (org, ids) = organization();
    let policies = org.list_policies().await.expect("listed");
    let refused = AwsError::new("DescribePolicy", ErrorClass::Final, Some("AccessDeniedException"), "no");
    org.inner.lock().unwrap().call_errors.push_back(refused);
    let first = policies.into_iter().find(|p| p.id == ids[0]).expect("the first policy");
    let error = describe(&org, first, false).await.unwrap_err();
    assert!(error.starts_with(&format!("reading policy {} (organizations:DescribePolicy): ", ids[0])), "{error}");
    assert!(error.contains("AccessDenied"), "{error}");
}

#[tokio::test]
async fn a_policy_deleted_between_the_list_and_its_read_is_left_out() {
    let (org, ids) = organization();
    let gone = AwsError::new("DescribePolicy", ErrorClass::Final, Some("PolicyNotFoundException"), "gone");
    let policies = org.list_policies().await.expect("listed");
    org.inner.lock().unwrap().call_errors.push_back(gone);
    let first = policies.into_iter().find(|p| p.id == ids[0]).expect("a");
    assert_eq!(describe(&org, first, true).await, Ok(None));
}
