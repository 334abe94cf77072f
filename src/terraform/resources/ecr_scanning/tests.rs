use super::*;
use super::{adopt::*, state::*};
use crate::aws::clients::Settings;
use crate::terraform::values::*;
use std::collections::BTreeMap;
use tf_provider::value::Value;

fn shared() -> Arc<Shared> {
    Arc::new(Shared::configured(Settings { region: Some("us-east-1".into()), ..Settings::default() }))
}

#[test]
fn state_round_trips_with_missing_fields() {
    // Older or imported states may lack attributes: serde(default) fills them.
    let s: State = serde_json::from_str(r#"{"id": "111111111111"}"#).unwrap();
    assert_eq!(s.account_ids, Value::Null);
    let s: State = serde_json::from_str(
        r#"{"id":"1","account_ids":["111111111111"],"disable_on_destroy":null,"status":{"111111111111":"ENABLED"},"timeouts":[]}"#,
    )
    .unwrap();
    assert_eq!(known_set(&s.account_ids).unwrap().len(), 1);
    assert_eq!(status_of(&s)["111111111111"], "ENABLED");
}

#[test]
fn unknown_member_makes_the_set_unknown() {
    let v: StringSet = Value::Value([Value::Value("111111111111".to_string()), Value::Unknown].into_iter().collect());
    assert_eq!(known_set(&v), None);
}

fn accounts(members: Vec<Value<String>>) -> State {
    State { account_ids: Value::Value(members), ..Default::default() }
}

fn list(ids: &[&str]) -> StringSet {
    Value::Value(ids.iter().map(|a| Value::Value(a.to_string())).collect())
}

/// A state as an apply leaves it: the accounts in `status`, in order, with these statuses.
fn prior_of(status: &[(&str, &str)]) -> State {
    let ids: Vec<&str> = status.iter().map(|(a, _)| *a).collect();
    State {
        id: Value::Value(ids.iter().min().unwrap().to_string()),
        account_ids: list(&ids),
        accounts: Value::Null,
        disable_on_destroy: Value::Value(true),
        status: string_map(status.iter().map(|(a, s)| (a.to_string(), s.to_string()))),
        timeouts: Value::Value(vec![]),
        associate_members: Value::Value(false),
        region: Value::Value("us-east-1".into()),
    }
}

async fn plan_update(prior: &State, config: &State) -> State {
    let r = EcrScanning::new(shared());
    let mut diags = Diagnostics::default();
    let planned = r.plan_update(&mut diags, prior.clone(), config.clone(), config.clone(), None, Value::Null).await;
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    planned.unwrap().0
}

#[tokio::test]
async fn an_unchanged_organization_plans_exactly_its_prior_state() {
    let prior = prior_of(&[("333333333333", "ENABLED"), ("111111111111", "ENABLED"), ("222222222222", "ENABLED")]);
    let config = State { account_ids: prior.account_ids.clone(), ..Default::default() };
    assert_eq!(plan_update(&prior, &config).await, prior);
}

/// Drift is one map entry per account: the drifted account planned ENABLED, the others as they were.
#[tokio::test]
async fn a_drifted_account_plans_its_own_status_only() {
    let prior = prior_of(&[("111111111111", "ENABLED"), ("222222222222", "DISABLED"), ("333333333333", "ENABLED")]);
    let config = State { account_ids: prior.account_ids.clone(), ..Default::default() };
    let planned = plan_update(&prior, &config).await;
    let status = known_entries(&planned.status);
    assert_eq!(status.len(), 3);
    assert!(status.values().all(|s| s == "ENABLED"), "{status:?}");
    assert_eq!((planned.account_ids, planned.id), (prior.account_ids, prior.id));
}

/// Accounts added and removed: the list as configured, the id as it was.
#[tokio::test]
async fn the_id_stays_and_the_list_keeps_its_order_when_accounts_change() {
    let prior = prior_of(&[("111111111111", "ENABLED"), ("222222222222", "ENABLED")]);
    let config = State { account_ids: list(&["444444444444", "222222222222", "333333333333"]), ..Default::default() };
    let planned = plan_update(&prior, &config).await;
    assert_eq!(planned.account_ids, config.account_ids);
    assert_eq!(planned.id, Value::Value("111111111111".to_string()));
    let status: Vec<String> = known_entries(&planned.status).into_keys().collect();
    assert_eq!(status, ["222222222222", "333333333333", "444444444444"]);
}

#[tokio::test]
async fn a_new_resource_gets_its_smallest_account_as_id() {
    let r = EcrScanning::new(shared());
    let config = State { account_ids: list(&["222222222222", "111111111111"]), ..Default::default() };
    let mut diags = Diagnostics::default();
    let (planned, _) = r.plan_create(&mut diags, config.clone(), config.clone(), Value::Null).await.unwrap();
    assert_eq!(planned.id, Value::Value("111111111111".to_string()));
    assert_eq!(planned.account_ids, config.account_ids, "planned exactly as configured");
    assert_eq!(planned.status, Value::Unknown);
}

/// Read reports every wanted account as Inspector does, off included; a removed account only
/// while it is still on (DISABLING is on its way off, so it is released); an unreadable one as
/// last known.
#[test]
fn read_status_shows_what_inspector_says_per_account() {
    use crate::aws::inspector::api::InspectorStatus;
    let mut state = prior_of(&[("111111111111", "ENABLED"), ("222222222222", "ENABLED"), ("333333333333", "ENABLED")]);
    state.status = string_map(
        [
            ("111111111111", "ENABLED"),
            ("222222222222", "ENABLED"),
            ("333333333333", "ENABLED"),
            ("444444444444", "DISABLING"),
            ("555555555555", "DISABLING"),
        ]
        .map(|(a, s)| (a.to_string(), s.to_string())),
    );
    let failure = scanning::Failure { code: "INTERNAL_ERROR".into(), message: "later".into(), hint: None };
    let reading = scanning::Reading {
        ecr: BTreeMap::from([
            ("111111111111".to_string(), InspectorStatus::Enabled),
            ("222222222222".to_string(), InspectorStatus::Disabled),
            ("444444444444".to_string(), InspectorStatus::Disabling),
            ("555555555555".to_string(), InspectorStatus::Disabled),
        ]),
        unreadable: BTreeMap::from([("333333333333".to_string(), failure)]),
    };
    let status = read_status(&state, owned(&state), &reading);
    let expected: BTreeMap<String, String> =
        [("111111111111", "ENABLED"), ("222222222222", "DISABLED"), ("333333333333", "ENABLED")]
            .map(|(a, s)| (a.to_string(), s.to_string()))
            .into();
    assert_eq!(status, expected);
}

fn labelled(ids: &[&str]) -> StringMap {
    string_map(ids.iter().map(|a| (a.to_string(), format!("team-{a}"))))
}

/// The map form: its keys are the accounts, `account_ids` stays null (no 10,000-member list
/// in state), and drift shows in `status` exactly as with a list.
#[tokio::test]
async fn accounts_as_a_map_plan_their_keys_and_no_list() {
    let r = EcrScanning::new(shared());
    let config = State { accounts: labelled(&["222222222222", "111111111111"]), ..Default::default() };
    let mut diags = Diagnostics::default();
    let (planned, _) = r.plan_create(&mut diags, config.clone(), config.clone(), Value::Null).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!((planned.account_ids, planned.accounts), (Value::Null, config.accounts.clone()));
    assert_eq!(planned.id, Value::Value("111111111111".to_string()));

    let mut prior = prior_of(&[("111111111111", "ENABLED"), ("222222222222", "DISABLED")]);
    prior.account_ids = Value::Null;
    prior.accounts = config.accounts.clone();
    let planned = plan_update(&prior, &config).await;
    let status = known_entries(&planned.status);
    assert_eq!(status.keys().collect::<Vec<_>>(), ["111111111111", "222222222222"]);
    assert!(status.values().all(|s| s == "ENABLED"), "{status:?}");
    assert_eq!(owned(&prior).len(), 2);
}

#[tokio::test]
async fn a_bad_accounts_map_is_refused_naming_accounts() {
    let r = EcrScanning::new(shared());
    for (config, expected) in [
        (
            State { accounts: labelled(&["12345"]), ..Default::default() },
            "accounts: \"12345\" is not an AWS account id",
        ),
        (State { accounts: labelled(&[]), ..Default::default() }, "accounts: the map is empty"),
        (
            State { accounts: labelled(&["111111111111"]), account_ids: list(&["111111111111"]), ..Default::default() },
            "accounts: set either accounts or account_ids, not both",
        ),
    ] {
        let mut diags = Diagnostics::default();
        r.validate(&mut diags, config).await;
        assert_eq!(diags.errors.len(), 1, "{:?}", diags.errors);
        assert_eq!(diags.errors[0].attribute, AttributePath::new("accounts"));
        assert!(diags.errors[0].detail.starts_with(expected), "{}", diags.errors[0].detail);
    }
}

/// `account_ids = ["111111111111", null]` and a null label in `accounts` are refused at validate
/// and again at plan, naming the attribute: a null is no account, and it once reached apply as
/// "a bug in the provider".
#[tokio::test]
async fn a_null_account_or_label_is_refused_at_validate_and_plan_naming_the_attribute() {
    let r = EcrScanning::new(shared());
    let with_null = State {
        account_ids: Value::Value(vec![Value::Value("111111111111".into()), Value::Null]),
        ..Default::default()
    };
    let mut null_label = labelled(&["111111111111", "222222222222"]);
    if let Value::Value(map) = &mut null_label {
        map.insert("222222222222".into(), Value::Null);
    }
    let null_label = State { accounts: null_label, ..Default::default() };
    for (config, attribute, expected) in [
        (with_null, "account_ids", "account_ids: 1 element(s) are null ([1])"),
        (null_label, "accounts", "accounts: 1 account(s) have a null label"),
    ] {
        let mut diags = Diagnostics::default();
        r.validate(&mut diags, config.clone()).await;
        assert_eq!(diags.errors.len(), 1, "{:?}", diags.errors);
        assert_eq!(diags.errors[0].attribute, AttributePath::new(attribute));
        assert!(diags.errors[0].detail.starts_with(expected), "{}", diags.errors[0].detail);
        let mut diags = Diagnostics::default();
        let planned = r.plan_create(&mut diags, config.clone(), config, Value::Null).await;
        assert!(planned.is_none(), "a null account is never planned");
        assert!(diags.errors[0].detail.starts_with(expected), "{}", diags.errors[0].detail);
    }
}

#[tokio::test]
async fn duplicates_are_rejected_at_validate_naming_the_attribute_and_the_ids() {
    let r = EcrScanning::new(shared());
    let mut diags = Diagnostics::default();
    let config = State {
        account_ids: list(&["222222222222", "111111111111", "222222222222", "111111111111", "333333333333"]),
        ..Default::default()
    };
    r.validate(&mut diags, config).await;
    assert_eq!(diags.errors.len(), 1);
    assert_eq!(diags.errors[0].attribute, AttributePath::new("account_ids"));
    let detail = &diags.errors[0].detail;
    assert!(detail.starts_with("account_ids: 2 account id(s) are listed more than once"), "{detail}");
    assert!(detail.ends_with("\n  111111111111\n  222222222222"), "{detail}");
}

/// Terraform accepts a plan only when an optional attribute set in config is planned exactly
/// as configured, unknown members included, however many there are.
#[tokio::test]
async fn unknown_members_plan_exactly_as_configured() {
    let r = EcrScanning::new(shared());
    let known = || Value::Value("111111111111".to_string());
    for members in [vec![known(), Value::Unknown], vec![Value::Unknown, Value::Unknown, known()]] {
        let config = accounts(members);
        let mut diags = Diagnostics::default();
        let (planned, _) = r.plan_create(&mut diags, config.clone(), config.clone(), Value::Null).await.unwrap();
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(planned.account_ids, config.account_ids);
        assert_eq!(planned.id, Value::Unknown);
        assert_eq!(planned.status, Value::Unknown);
    }
}

#[tokio::test]
async fn a_member_that_becomes_known_is_checked_at_plan() {
    let r = EcrScanning::new(shared());
    let config = accounts(vec![Value::Value("111111111111".into()), Value::Value("not-an-id".into())]);
    let mut diags = Diagnostics::default();
    assert!(r.plan_create(&mut diags, config.clone(), config, Value::Null).await.is_none());
    assert_eq!(diags.errors.len(), 1);
    assert!(diags.errors[0].detail.starts_with("account_ids: \"not-an-id\" is not an AWS account id"));
}

/// With the role unknown, the caller (and so the default account, id and status) is unknown:
/// planned so, with no read of the caller through the base credentials.
#[tokio::test]
async fn unknown_provider_configuration_plans_caller_values_unknown() {
    let shared = shared();
    shared.mark_config_unknown();
    let r = EcrScanning::new(shared);
    let mut diags = Diagnostics::default();
    let (planned, _) = r.plan_create(&mut diags, State::default(), State::default(), Value::Null).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!((planned.account_ids, planned.id, planned.status), (Value::Unknown, Value::Unknown, Value::Unknown));
    assert_eq!(planned.region, Value::Value("us-east-1".into()), "an unknown role leaves the Region known");
    assert_eq!(planned.associate_members, Value::Value(false), "associate_members defaults to false");

    let prior = prior_of(&[("111111111111", "ENABLED")]);
    let config = State { account_ids: prior.account_ids.clone(), ..Default::default() };
    let (planned, _, _) =
        r.plan_update(&mut diags, prior.clone(), config.clone(), config, None, Value::Null).await.unwrap();
    assert_eq!(planned.account_ids, prior.account_ids, "configured accounts stay as configured");
    assert_eq!(planned.id, prior.id);
    assert_eq!(planned.status, Value::Unknown, "another role may see another status");
    let (read, _) = r.read(&mut diags, prior.clone(), None, Value::Null).await.unwrap();
    assert_eq!(read, prior, "read keeps state as it is until the role is known");
    assert!(diags.errors.is_empty() && diags.warnings.is_empty());
}

#[test]
fn unreadable_accounts_give_one_short_warning() {
    let failure = || scanning::Failure { code: "INTERNAL_ERROR".into(), message: "try later".into(), hint: None };
    let unreadable: BTreeMap<String, scanning::Failure> = (0..500).map(|i| (format!("{i:012}"), failure())).collect();
    let mut diags = Diagnostics::default();
    warn_unreadable(&mut diags, &BTreeMap::new());
    assert!(diags.warnings.is_empty());
    warn_unreadable(&mut diags, &unreadable);
    assert_eq!(diags.warnings.len(), 1);
    let detail = &diags.warnings[0].detail;
    assert!(detail.starts_with("500 account(s) are kept in state as last known:\n"), "{detail}");
    assert!(detail.contains("\n  000000000000: INTERNAL_ERROR: try later\n"), "{detail}");
    assert!(detail.ends_with("\n  and 480 more"), "{detail}");
    assert_eq!(detail.lines().count(), 1 + text::LIST_CAP + 1);
}

#[tokio::test]
async fn many_bad_accounts_give_one_short_error() {
    let r = EcrScanning::new(shared());
    let bad: Vec<Value<String>> = (0..10_000).map(|i| Value::Value(format!("bad-{i:05}"))).collect();
    let mut diags = Diagnostics::default();
    r.validate(&mut diags, accounts(bad)).await;
    assert_eq!(diags.errors.len(), 1);
    let detail = &diags.errors[0].detail;
    assert!(detail.starts_with("account_ids: 10000 values are not AWS account ids"), "{detail}");
    assert_eq!(detail.lines().count(), 1 + text::LIST_CAP + 1, "{detail}");
    assert!(detail.contains("\n  \"bad-00000\"\n") && detail.ends_with("\n  and 9980 more"), "{detail}");
}

#[tokio::test]
async fn validate_rejects_bad_accounts_naming_the_attribute() {
    let r = EcrScanning::new(shared());
    for (accounts, expected) in [
        (vec![], "the list is empty"),
        (vec!["12345"], "\"12345\" is not an AWS account id"),
        (vec!["111111111111", "abcdefghijkl"], "\"abcdefghijkl\" is not an AWS account id"),
    ] {
        let mut diags = Diagnostics::default();
        let config = State {
            account_ids: Value::Value(accounts.into_iter().map(|a| Value::Value(a.to_string())).collect()),
            ..Default::default()
        };
        r.validate(&mut diags, config).await;
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(diags.errors[0].attribute, AttributePath::new("account_ids"));
        assert!(diags.errors[0].detail.contains(expected), "{}", diags.errors[0].detail);
    }
}

fn source(provider: &str, type_name: &str, version: i64, state: &str) -> MoveSource {
    MoveSource {
        provider_address: provider.into(),
        type_name: type_name.into(),
        schema_version: version,
        state: tf_provider::RawValue::Json(state.as_bytes().to_vec()),
        private: vec![],
    }
}

const ENABLER: &str = r#"{"id":"222222222222:111111111111-EC2:ECR","account_ids":["222222222222","111111111111"],
    "resource_types":["EC2","ECR"],"timeouts":null,"region":"eu-west-1"}"#;

#[tokio::test]
async fn moves_from_the_enabler_keep_its_accounts_at_any_schema_version() {
    let r = EcrScanning::new(shared());
    for version in [0, 1, 7] {
        let mut diags = Diagnostics::default();
        let (state, private) =
            r.move_state(&mut diags, source(ENABLER_PROVIDER, ENABLER_TYPE, version, ENABLER)).await.unwrap();
        assert!(diags.errors.is_empty(), "{:?}", diags.errors);
        assert_eq!(state.id, Value::Value("111111111111".to_string()));
        assert_eq!(
            known_set(&state.account_ids).unwrap().into_iter().collect::<Vec<_>>(),
            ["111111111111", "222222222222"]
        );
        assert_eq!(state.disable_on_destroy, Value::Value(true));
        let status = status_of(&state);
        assert_eq!(status.len(), 2);
        assert!(status.values().all(|s| s == "ENABLED"), "{status:?}");
        assert_eq!(state.timeouts, Value::Value(vec![]));
        assert_eq!(state.region, Value::Value("eu-west-1".to_string()), "the enabler's Region (AWS provider v6)");
        assert_eq!(private, Some(Private::default()), "no destroy is planned by a move");
    }
}

#[tokio::test]
async fn an_enabler_without_ecr_moves_with_no_status() {
    let r = EcrScanning::new(shared());
    let json = r#"{"id":"111111111111-EC2:LAMBDA","account_ids":["111111111111"],"resource_types":["EC2","LAMBDA"]}"#;
    let mut diags = Diagnostics::default();
    let (state, _) = r.move_state(&mut diags, source(ENABLER_PROVIDER, ENABLER_TYPE, 0, json)).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(known_set(&state.account_ids).unwrap().into_iter().collect::<Vec<_>>(), ["111111111111"]);
    assert_eq!(state.status, Value::Value(BTreeMap::new()));
    assert_eq!(state.region, Value::Null, "an AWS provider v5 enabler has no Region: the provider's, at refresh");
}

#[tokio::test]
async fn moves_from_other_sources_are_refused_naming_type_and_provider() {
    let r = EcrScanning::new(shared());
    for (provider, type_name) in [
        (ENABLER_PROVIDER, "aws_inspector2_delegated_admin_account"),
        ("registry.terraform.io/example/aws", ENABLER_TYPE),
    ] {
        let mut diags = Diagnostics::default();
        assert!(r.move_state(&mut diags, source(provider, type_name, 0, ENABLER)).await.is_none());
        assert_eq!(diags.errors.len(), 1);
        let detail = &diags.errors[0].detail;
        assert!(detail.contains(&format!("cannot take over {type_name} of provider {provider}")), "{detail}");
    }
}

#[tokio::test]
async fn a_moved_enabler_with_bad_accounts_names_account_ids() {
    let r = EcrScanning::new(shared());
    for json in
        [r#"{"account_ids":["12345"],"resource_types":["ECR"]}"#, r#"{"account_ids":[],"resource_types":["ECR"]}"#]
    {
        let mut diags = Diagnostics::default();
        assert!(r.move_state(&mut diags, source(ENABLER_PROVIDER, ENABLER_TYPE, 0, json)).await.is_none());
        assert_eq!(diags.errors.len(), 1);
        assert_eq!(diags.errors[0].attribute, AttributePath::new("account_ids"));
        assert!(diags.errors[0].detail.starts_with("account_ids: "), "{}", diags.errors[0].detail);
    }
}

#[tokio::test]
async fn import_accepts_the_enabler_id() {
    let r = EcrScanning::new(shared());
    let mut diags = Diagnostics::default();
    let (state, _) = r.import(&mut diags, "222222222222:111111111111-EC2:ECR".into()).await.unwrap();
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    assert_eq!(state.id, Value::Value("111111111111".to_string()));
    assert_eq!(known_set(&state.account_ids).unwrap().len(), 2);
    assert_eq!(state.region, Value::Value("us-east-1".to_string()), "the provider's Region");
    let (state, _) = r.import(&mut diags, "222222222222,111111111111".into()).await.unwrap();
    assert_eq!(state.id, Value::Value("111111111111".to_string()));
    assert_eq!(state.account_ids, string_set(&["111111111111".to_string(), "222222222222".to_string()]));
    let (state, _) = r.import(&mut diags, "111111111111@eu-west-1".into()).await.unwrap();
    assert_eq!((state.id, state.region), (Value::Value("111111111111".into()), Value::Value("eu-west-1".into())));
    let (state, _) = r.import(&mut diags, "111111111111:222222222222-ECR@ap-south-1".into()).await.unwrap();
    assert_eq!(state.region, Value::Value("ap-south-1".to_string()));
    assert!(r.import(&mut diags, "111111111111:2-ECR".into()).await.is_none());
    assert!(diags.errors[0].detail.contains("aws_inspector2_enabler id"), "{}", diags.errors[0].detail);
}

/// Destroy turns off only what may be on: an account absent from `status` (never known to be on,
/// like one that could not be associated) and one read as DISABLED are released without a call.
#[test]
fn destroy_turns_off_only_accounts_that_may_be_on() {
    let mut prior = prior_of(&[
        ("111111111111", "ENABLED"),
        ("222222222222", "ENABLING"),
        ("333333333333", "DISABLED"),
        ("444444444444", "SUSPENDED"),
    ]);
    prior.account_ids = list(&["111111111111", "222222222222", "333333333333", "444444444444", "555555555555"]);
    let off: Vec<String> = may_be_on(&prior).into_iter().collect();
    assert_eq!(off, ["111111111111", "222222222222", "444444444444"]);
    assert_eq!(owned(&prior).len(), 5, "all five are still the resource's to read");
    prior.status = Value::Value(BTreeMap::new());
    assert!(may_be_on(&prior).is_empty());
}

#[tokio::test]
async fn an_enabler_from_opentofus_registry_moves_too() {
    let r = EcrScanning::new(shared());
    let mut diags = Diagnostics::default();
    let moved = r.move_state(&mut diags, source(ENABLER_PROVIDER_OPENTOFU, ENABLER_TYPE, 0, ENABLER)).await;
    assert!(diags.errors.is_empty(), "{:?}", diags.errors);
    let (state, _) = moved.expect("OpenTofu's hashicorp/aws is the same enabler");
    assert!(!known_set(&state.account_ids).unwrap().is_empty());
}
