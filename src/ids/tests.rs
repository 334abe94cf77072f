use super::*;

#[test]
fn account_ids_are_sorted_and_joined() {
    let set: BTreeSet<String> = ["222222222222", "111111111111"].iter().map(|s| s.to_string()).collect();
    assert_eq!(join_accounts(&set), "111111111111,222222222222");
    assert_eq!(parse_accounts("222222222222, 111111111111").unwrap(), set);
    assert_eq!(parse_accounts("123456789012").unwrap().len(), 1);
    assert!(parse_accounts("12345").unwrap_err().contains("12 digits"));
    assert!(parse_accounts("111111111111,,222222222222").is_err());
    assert_eq!(short_account_id(&set).as_deref(), Some("111111111111"));
    assert_eq!(short_account_id(&BTreeSet::new()), None);
}

#[test]
fn enabler_ids_parse_into_accounts_and_types() {
    let (accounts, types) = parse_enabler_id("222222222222:111111111111-EC2:ECR").unwrap();
    assert_eq!(accounts.into_iter().collect::<Vec<_>>(), ["111111111111", "222222222222"]);
    assert_eq!(types.into_iter().collect::<Vec<_>>(), ["EC2", "ECR"]);
    let (accounts, types) = parse_enabler_id("123456789012-LAMBDA").unwrap();
    assert_eq!(accounts.into_iter().collect::<Vec<_>>(), ["123456789012"]);
    assert_eq!(types.into_iter().collect::<Vec<_>>(), ["LAMBDA"]);
    assert!(parse_enabler_id("123456789012").unwrap_err().contains("\"-\""));
    assert!(parse_enabler_id("123456789012-").unwrap_err().contains("at least one scan type"));
    assert!(parse_enabler_id("12345:123456789012-ECR").unwrap_err().contains("12 digits"));
    assert!(parse_enabler_id("111111111111::222222222222-ECR").is_err());
}

#[test]
fn region_suffixes_round_trip() {
    assert_eq!(with_region("111111111111", "eu-west-1"), "111111111111@eu-west-1");
    assert_eq!(split_region("111111111111@eu-west-1"), ("111111111111", Some("eu-west-1")));
    assert_eq!(
        split_region("Inspector.2/123456789012@us-gov-west-1"),
        ("Inspector.2/123456789012", Some("us-gov-west-1"))
    );
    assert_eq!(split_region("111111111111,222222222222"), ("111111111111,222222222222", None));
    assert_eq!(split_region("111111111111@"), ("111111111111", Some("")));
    let id = "111111111111:222222222222-EC2:ECR";
    assert_eq!(split_region(&with_region(id, "cn-north-1")), (id, Some("cn-north-1")));
}

#[test]
fn scoped_ids_round_trip() {
    assert_eq!(scoped("Inspector.2", None), "Inspector.2");
    assert_eq!(scoped("Inspector.2", Some("123456789012")), "Inspector.2/123456789012");
    assert_eq!(split_scoped("Inspector.2/123456789012"), ("Inspector.2", Some("123456789012")));
    assert_eq!(split_scoped("Inspector.2"), ("Inspector.2", None));
}
