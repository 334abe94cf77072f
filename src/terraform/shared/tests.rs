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

/// Every client the handle gives out ends its calls at Terraform's stop, whoever asks for it:
/// after the stop, the caller lookup, an Inspector read, a Security Hub read and the ECR listing
/// all fail naming the stop (the endpoint listens nowhere: without the stop they would fail, after
/// their retries, as unreachable).
#[tokio::test]
async fn every_client_handed_out_ends_its_calls_at_the_stop() {
    let stop = StopSignal::new();
    let shared = Shared::with_stop(stop.clone());
    let nowhere = Some("http://127.0.0.1:9".to_owned());
    shared.configure(Settings {
        region: Some("us-east-1".into()),
        endpoints: clients::Endpoints {
            inspector2: nowhere.clone(),
            securityhub: nowhere.clone(),
            sts: nowhere.clone(),
            organizations: nowhere,
        },
        ..Settings::default()
    });
    stop.stop();
    let clients = shared.clients_in(Some("eu-west-1")).await.expect("clients");
    let errors = [
        shared.caller_account().await.expect_err("stopped"),
        clients.inspector.account_status(&["111111111111".to_owned()]).await.expect_err("stopped"),
        clients.securityhub.control("Inspector.2").await.expect_err("stopped"),
        clients.ecr.image_dates().await.expect_err("stopped"),
        clients.organizations.list_roots().await.expect_err("stopped"),
    ];
    for e in errors {
        assert!(e.is_final(), "{e}");
        assert!(e.to_string().contains("stopped by Terraform (interrupt)"), "{e}");
    }
}
