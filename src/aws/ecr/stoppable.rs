//! A decorator that cuts the ECR listing off at Terraform's stop: a registry of many
//! repositories is many pages, and a page that never answers would otherwise run on for the
//! SDK's timeouts after one Ctrl-C.

use std::sync::Arc;

use async_trait::async_trait;

use super::{EcrApi, ImageDates};
use crate::aws::stop::{unless_stopped, StopWatch};
use crate::aws::AwsError;

/// An [`EcrApi`] whose listing ends at once when `stop` fires, failing `Final` naming the stop.
pub struct StoppableEcr {
    inner: Arc<dyn EcrApi>,
    stop: Arc<dyn StopWatch>,
}

impl StoppableEcr {
    pub fn new(inner: Arc<dyn EcrApi>, stop: Arc<dyn StopWatch>) -> Self {
        StoppableEcr { inner, stop }
    }
}

#[async_trait]
impl EcrApi for StoppableEcr {
    async fn image_dates(&self) -> Result<Vec<ImageDates>, AwsError> {
        unless_stopped(&*self.stop, "DescribeRepositories/DescribeImages", self.inner.image_dates()).await
    }
}

#[cfg(test)]
mod tests;
