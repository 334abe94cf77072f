use std::time::Duration;

use super::*;
use crate::aws::stop::TestStop;

/// A registry listing that never answers, like a black-holed endpoint.
struct Silent;

#[async_trait]
impl EcrApi for Silent {
    async fn image_dates(&self) -> Result<Vec<ImageDates>, AwsError> {
        std::future::pending().await
    }
}

#[tokio::test(start_paused = true)]
async fn a_stop_ends_the_ecr_listing_in_flight_and_every_later_one() {
    let stop = Arc::new(TestStop::default());
    let ecr = StoppableEcr::new(Arc::new(Silent), stop.clone());
    let stopper = stop.clone();
    tokio::spawn(async move {
        tokio::time::sleep(Duration::from_secs(5)).await;
        stopper.stop();
    });
    let started = tokio::time::Instant::now();
    let err = ecr.image_dates().await.expect_err("a stopped listing fails");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
    assert!(err.is_final(), "{err}");
    assert_eq!(err.operation, "DescribeRepositories/DescribeImages");
    assert!(err.to_string().contains("stopped by Terraform (interrupt)"), "{err}");
    ecr.image_dates().await.expect_err("a later listing fails at once");
    assert_eq!(started.elapsed(), Duration::from_secs(5));
}
