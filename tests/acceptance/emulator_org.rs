//! The emulator's organization and Regions as the real AWS SDK for Rust sees them: the wire
//! shapes of ListMembers, GetMember, AssociateMember and the organization configuration, the
//! delegated-administrator check, the Region taken from the SigV4 scope, and the Inspector.2
//! rule in GetFindings. Set up through the control API only (no provider feature needed).

use aws_sdk_inspector2::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_inspector2::types::{AutoEnable, RelationshipStatus, ResourceScanType, Status};
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider as TlsProvider};
use serde_json::json;

use crate::harness::*;

const OUTSIDER: &str = "999999999999";
const EU: &str = "eu-west-1";
const US: &str = "us-east-1";

/// An emulator whose delegated administrator (key AKIAADMIN) is ADMIN in every Region; AKIAOUT is
/// an account outside the organization.
fn org_emulator() -> Emulator {
    let emu = Emulator::start();
    emu.put_config(json!({
        "delegated_admin": ADMIN,
        "credentials": {"AKIAADMIN": ADMIN, "AKIAOUT": OUTSIDER},
    }));
    emu
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread().enable_all().build().expect("a Tokio runtime")
}

fn http_client() -> impl aws_sdk_inspector2::config::HttpClient + Clone + 'static {
    aws_smithy_http_client::Builder::new().tls_provider(TlsProvider::Rustls(CryptoMode::Ring)).build_https()
}

/// An Inspector2 client of the account behind `key`, signing for `region`, against `emu`.
fn inspector(emu: &Emulator, key: &str, region: &str) -> aws_sdk_inspector2::Client {
    let config = aws_sdk_inspector2::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .endpoint_url(emu.url())
        .credentials_provider(Credentials::new(key, "secret", None, None, "emulator_org"))
        .http_client(http_client())
        .build();
    aws_sdk_inspector2::Client::from_conf(config)
}

fn securityhub(emu: &Emulator, key: &str, region: &str) -> aws_sdk_securityhub::Client {
    let config = aws_sdk_securityhub::Config::builder()
        .behavior_version(aws_sdk_securityhub::config::BehaviorVersion::latest())
        .region(aws_sdk_securityhub::config::Region::new(region.to_owned()))
        .endpoint_url(emu.url())
        .credentials_provider(aws_sdk_securityhub::config::Credentials::new(key, "secret", None, None, "emulator_org"))
        .http_client(http_client())
        .build();
    aws_sdk_securityhub::Client::from_conf(config)
}

/// Every member ListMembers reports (all pages of `page_size`), as (account, status) in order.
async fn all_members(client: &aws_sdk_inspector2::Client, page_size: i32) -> (Vec<(String, String)>, usize) {
    let mut out = Vec::new();
    let mut token: Option<String> = None;
    let mut pages = 0;
    loop {
        let call = client.list_members().only_associated(false).max_results(page_size).set_next_token(token);
        let page = call.send().await.unwrap_or_else(|e| panic!("ListMembers: {}", e.into_service_error()));
        pages += 1;
        for m in page.members() {
            assert_eq!(m.delegated_admin_account_id(), Some(ADMIN), "{m:?}");
            assert!(m.updated_at().is_some_and(|t| t.secs() > 1_600_000_000), "{m:?}");
            let status = m.relationship_status().expect("a relationship status");
            let known = RelationshipStatus::values().contains(&status.as_str());
            assert!(known, "{status:?} is not a status the SDK knows");
            out.push((m.account_id().expect("an account id").to_owned(), status.as_str().to_owned()));
        }
        match page.next_token() {
            Some(t) => token = Some(t.to_owned()),
            None => return (out, pages),
        }
    }
}

#[test]
fn list_members_pages_through_the_sdk_in_the_region_of_the_call() {
    let emu = org_emulator();
    let joined = emu.join_in(EU, json!({"count": 120, "first_account_id": "200000000000"}));
    emu.set_member_in(EU, &joined[7], "ACCOUNT_SUSPENDED");
    emu.clear_log();
    let (members, pages) = runtime().block_on(all_members(&inspector(&emu, "AKIAADMIN", EU), 50));
    assert_eq!(pages, 3);
    let ids: Vec<&str> = members.iter().map(|(id, _)| id.as_str()).collect();
    assert_eq!(ids, joined.iter().map(String::as_str).collect::<Vec<_>>(), "every member once, by account id");
    assert_eq!(members[7].1, "ACCOUNT_SUSPENDED");
    assert_eq!(members.iter().filter(|(_, s)| s == "CREATED").count(), 119, "auto-enable is off: not associated");
    assert_eq!((emu.count_in(EU, "ListMembers"), emu.count_in(US, "ListMembers")), (3, 0));
    // us-east-1 has an administrator but none of those members.
    let (members, _) = runtime().block_on(all_members(&inspector(&emu, "AKIAADMIN", US), 50));
    assert!(members.is_empty(), "{members:?}");
}

#[test]
fn association_is_asynchronous_and_then_the_admin_may_enable_the_account() {
    let emu = org_emulator();
    emu.put_config(json!({"associate_polls": 2}));
    let joined = emu.join_in(EU, json!({"account_id": "200000000000"}));
    let client = inspector(&emu, "AKIAADMIN", EU);
    runtime().block_on(async {
        let done = client.associate_member().account_id(&joined[0]).send().await.expect("AssociateMember");
        assert_eq!(done.account_id(), joined[0].as_str());
        let read = || async {
            let member = client.get_member().account_id(&joined[0]).send().await.expect("GetMember");
            member.member().and_then(|m| m.relationship_status()).expect("a relationship status").clone()
        };
        assert_eq!(read().await, RelationshipStatus::Created, "one read of two");
        assert_eq!(read().await, RelationshipStatus::Enabled);
        let enabled =
            client.enable().account_ids(&joined[0]).resource_types(ResourceScanType::Ecr).send().await.expect("Enable");
        assert!(enabled.failed_accounts().is_empty(), "{enabled:?}");
        assert_eq!(enabled.accounts()[0].status(), &Status::Enabling);
    });
    assert_eq!(emu.resource_state_in(EU, &joined[0], "ECR"), "ENABLING");
    assert_eq!(emu.resource_state_in(US, &joined[0], "ECR"), "DISABLED");
}

#[test]
fn the_organization_configuration_round_trips_and_reads_can_be_stale() {
    let emu = org_emulator();
    let client = inspector(&emu, "AKIAADMIN", EU);
    emu.fault(json!({"kind": "stale_org_config", "reads": 1, "times": 1}));
    runtime().block_on(async {
        let flags = AutoEnable::builder().ec2(false).ecr(true).lambda(true).build().expect("ec2 and ecr are set");
        let updated = client.update_organization_configuration().auto_enable(flags).send().await.expect("Update");
        assert_eq!(updated.auto_enable().map(|a| (a.ecr(), a.lambda())), Some((true, Some(true))));
        let read = || async {
            let d = client.describe_organization_configuration().send().await.expect("Describe");
            assert_eq!(d.max_account_limit_reached(), Some(false));
            d.auto_enable().map(AutoEnable::ecr).expect("autoEnable")
        };
        assert!(!read().await, "the first read after the update is stale");
        assert!(read().await);
    });
    assert_eq!(field(field(&emu.organization_in(EU), "auto_enable"), "lambdaCode"), &json!(false));
    assert_eq!(field(field(&emu.organization_in(US), "auto_enable"), "ecr"), &json!(false), "only eu-west-1");
}

#[test]
fn an_account_that_is_not_the_delegated_administrator_is_refused() {
    let emu = org_emulator();
    let client = inspector(&emu, "AKIAOUT", EU);
    let errors = runtime().block_on(async {
        let flags = AutoEnable::builder().ec2(false).ecr(true).build().expect("ec2 and ecr are set");
        [
            client.list_members().send().await.map(|_| ()).map_err(|e| e.into_service_error().meta().clone()),
            client
                .get_member()
                .account_id(ADMIN)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.into_service_error().meta().clone()),
            client
                .describe_organization_configuration()
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.into_service_error().meta().clone()),
            client
                .update_organization_configuration()
                .auto_enable(flags)
                .send()
                .await
                .map(|_| ())
                .map_err(|e| e.into_service_error().meta().clone()),
        ]
    });
    for e in errors {
        let e = e.expect_err("refused");
        assert_eq!(e.code(), Some("AccessDeniedException"));
        let message = e.message().expect("a message");
        assert!(message.contains(OUTSIDER) && message.contains("not the delegated administrator"), "{message}");
    }
    assert_eq!(emu.count_in(EU, "UpdateOrganizationConfiguration"), 1);
    assert_eq!(field(field(&emu.organization_in(EU), "auto_enable"), "ecr"), &json!(false), "nothing changed");
}

/// The evaluated Inspector.2 compliance GetFindings reports to ADMIN in `region`.
fn inspector2_compliance(emu: &Emulator, region: &str) -> String {
    let client = securityhub(emu, "AKIAADMIN", region);
    let found = runtime().block_on(client.get_findings().send()).expect("GetFindings");
    let findings = found.findings();
    assert_eq!(findings.len(), 1, "one evaluated finding: {findings:?}");
    assert_eq!(findings[0].region(), Some(region));
    let compliance = findings[0].compliance().and_then(|c| c.status()).expect("a compliance status");
    compliance.as_str().to_owned()
}

#[test]
fn a_new_account_is_covered_by_auto_enable_and_a_suspended_one_fails_until_it_leaves() {
    let emu = org_emulator();
    emu.set_account_in(EU, ADMIN, json!({"resource_state": {"ECR": "ENABLED"}}));
    assert_eq!(inspector2_compliance(&emu, EU), "PASSED");
    // Auto-enable on: the new account is associated and starts scanning ECR by itself.
    emu.set_organization_in(EU, json!({"auto_enable": {"ecr": true}}));
    let joined = emu.join_in(EU, json!({"account_id": "200000000000"}));
    assert_eq!(emu.relationship_in(EU, &joined[0]), "ENABLED");
    assert_eq!(inspector2_compliance(&emu, EU), "FAILED", "ECR is still ENABLING");
    let client = inspector(&emu, "AKIAADMIN", EU);
    let status = runtime().block_on(client.batch_get_account_status().account_ids(&joined[0]).send()).expect("read");
    let ecr = status.accounts()[0].resource_state().and_then(|r| r.ecr()).map(|s| s.status().clone());
    assert_eq!(ecr, Some(Status::Enabled));
    assert_eq!(inspector2_compliance(&emu, EU), "PASSED");
    // A suspended member without ECR keeps it FAILED until it leaves the organization.
    emu.join_in(EU, json!({"account_id": "300000000000", "relationship_status": "ACCOUNT_SUSPENDED"}));
    assert_eq!(inspector2_compliance(&emu, EU), "FAILED");
    emu.control("DELETE", &format!("/_emulator/organization/members/300000000000?region={EU}"), None);
    assert_eq!(inspector2_compliance(&emu, EU), "PASSED");
    // Auto-enable off: the account joins unassociated and does not count for the administrator.
    emu.set_organization_in(EU, json!({"auto_enable": {"ecr": false}}));
    let created = emu.join_in(EU, json!({"account_id": "400000000000"}));
    assert_eq!(emu.relationship_in(EU, &created[0]), "CREATED");
    assert_eq!(emu.resource_state_in(EU, &created[0], "ECR"), "DISABLED");
    assert_eq!(inspector2_compliance(&emu, EU), "PASSED");
    // Drift in us-east-1 is there only.
    assert_eq!(inspector2_compliance(&emu, US), "FAILED");
    assert_eq!(inspector2_compliance(&emu, EU), "PASSED");
}

#[test]
fn an_aggregation_region_returns_the_linked_regions_findings_filtered_by_region() {
    let emu = org_emulator();
    emu.set_account_in(EU, ADMIN, json!({"resource_state": {"ECR": "ENABLED"}}));
    let linked = json!({"region": US, "linked_regions": [EU, "ap-south-1"]});
    emu.control("POST", "/_emulator/securityhub/aggregation", Some(linked));
    let client = securityhub(&emu, "AKIAADMIN", US);
    let by_region = |filter: Option<aws_sdk_securityhub::types::StringFilter>| {
        let filters =
            aws_sdk_securityhub::types::AwsSecurityFindingFilters::builder().set_region(filter.map(|f| vec![f]));
        let found = runtime().block_on(client.get_findings().filters(filters.build()).send()).expect("GetFindings");
        let mut out: Vec<(String, String)> = found
            .findings()
            .iter()
            .map(|f| {
                let compliance = f.compliance().and_then(|c| c.status()).map(|s| s.as_str().to_owned());
                (f.region().expect("a Region").to_owned(), compliance.expect("a compliance status"))
            })
            .collect();
        out.sort();
        out
    };
    let pairs = |list: &[(&str, &str)]| -> Vec<(String, String)> {
        list.iter().map(|(r, c)| (r.to_string(), c.to_string())).collect()
    };
    assert_eq!(by_region(None), pairs(&[("ap-south-1", "FAILED"), (EU, "PASSED"), (US, "FAILED")]));
    let only =
        |comparison| aws_sdk_securityhub::types::StringFilter::builder().value(EU).comparison(comparison).build();
    use aws_sdk_securityhub::types::StringFilterComparison::{Equals, NotEquals};
    assert_eq!(by_region(Some(only(Equals))), pairs(&[(EU, "PASSED")]));
    assert_eq!(by_region(Some(only(NotEquals))), pairs(&[("ap-south-1", "FAILED"), (US, "FAILED")]));
    assert_eq!(emu.count_in(US, "GetFindings"), 3);
}
