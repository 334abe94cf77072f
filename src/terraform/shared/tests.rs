use super::*;

fn in_region(region: &str) -> Shared {
    Shared::configured(Settings { region: Some(region.into()), ..Settings::default() })
}

#[tokio::test]
async fn clients_are_built_once_per_region_and_reused() {
    let shared = in_region("us-east-1");
    assert_eq!(shared.provider_region().await.as_deref(), Ok("us-east-1"));
    let first_uses = futures::future::join_all((0..8).map(|_| shared.clients_in(Some("eu-west-1")))).await;
    let eu = first_uses[0].clone().unwrap();
    assert_eq!(eu.region, "eu-west-1");
    assert!(first_uses.iter().all(|c| Arc::ptr_eq(c.as_ref().unwrap(), &eu)), "one build for one Region");
    assert_eq!(shared.regions_built(), 1);
    let provider = shared.clients().await.unwrap();
    assert_eq!(provider.region, "us-east-1");
    assert!(Arc::ptr_eq(&provider, &shared.clients_in(Some("us-east-1")).await.unwrap()));
    assert!(Arc::ptr_eq(&eu, &shared.clients_in(Some("eu-west-1")).await.unwrap()));
    assert_eq!(shared.regions_built(), 2);
    let mut diags = Diagnostics::default();
    let gov = shared.clients_in_or_error(&mut diags, Some("us-gov-west-1")).await.unwrap();
    assert_eq!((gov.region.as_str(), diags.errors.len()), ("us-gov-west-1", 0));
}
