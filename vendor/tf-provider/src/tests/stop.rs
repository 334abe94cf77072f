// Patch 1: StopProvider fires the StopSignal, answers at once and leaves calls in flight alone.

use super::*;

#[tokio::test]
async fn stop_provider_fires_the_signal_and_keeps_the_server_serving() {
    let Fixture { server, stop, .. } = fixture();
    assert!(!stop.is_stopped());

    let response = server
        .stop_provider(tonic::Request::new(tf::stop_provider::Request {}))
        .await
        .expect("StopProvider failed")
        .into_inner();

    assert_eq!(response.error, "");
    assert!(stop.is_stopped(), "StopProvider did not fire the stop signal");
    assert!(!server.cancellation_token.is_cancelled(), "StopProvider shut the gRPC server down");
    // Later calls are still answered.
    let schema = server
        .get_provider_schema(tonic::Request::new(tf::get_provider_schema::Request {}))
        .await
        .expect("GetProviderSchema after StopProvider failed")
        .into_inner();
    assert!(schema.resource_schemas.contains_key("test_thing"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_apply_waiting_when_stop_arrives_returns_its_partial_state() {
    let Fixture { server, create_started, .. } = fixture();
    let request = apply_request("test_thing", null(), msgpack(&thing("", "wait")));
    let apply_server = server.clone();
    let apply = tokio::spawn(async move { apply_server.apply_resource_change(tonic::Request::new(request)).await });

    tokio::time::timeout(HANG_GUARD, create_started.notified()).await.expect("create never started");
    let stopped =
        tokio::time::timeout(HANG_GUARD, server.stop_provider(tonic::Request::new(tf::stop_provider::Request {})))
            .await
            .expect("StopProvider did not answer while an apply was in flight");
    assert_eq!(stopped.expect("StopProvider failed").into_inner().error, "");

    let response = tokio::time::timeout(HANG_GUARD, apply)
        .await
        .expect("the apply did not return after StopProvider")
        .expect("apply task failed")
        .expect("ApplyResourceChange failed")
        .into_inner();
    assert_eq!(decode::<ThingState>(&response.new_state), thing("partial-id", "wait"));
    assert_eq!(only_error(&response.diagnostics).summary, "Stopped: partial state kept");
}

#[tokio::test]
async fn serve_survives_an_interrupt_signal_and_fires_the_stop() {
    let before = crate::server::interrupts_received();
    let stop = crate::StopSignal::new();
    crate::server::stop_on_interrupt(stop.clone()).expect("install the interrupt handler");
    assert!(!stop.is_stopped());
    // Without the handler, SIGINT would end this test process and fail the run.
    let status =
        std::process::Command::new("kill").args(["-INT", &std::process::id().to_string()]).status().expect("run kill");
    assert!(status.success());
    tokio::time::timeout(HANG_GUARD, async {
        while crate::server::interrupts_received() == before {
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
    })
    .await
    .expect("the interrupt never reached the handler");
    tokio::time::timeout(HANG_GUARD, stop.stopped()).await.expect("the interrupt fires the stop signal");
}
