//! Amazon ECR, for the scan estimate: the push and last-pull dates of every image in the
//! caller's private registry (DescribeRepositories, DescribeImages). SDK types stay here, and
//! [`stoppable`] cuts the listing off at Terraform's stop.

use async_trait::async_trait;

use super::AwsError;

pub mod stoppable;

/// The dates of one image, in seconds since the Unix epoch.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImageDates {
    pub pushed_at: Option<i64>,
    /// ECR's `lastRecordedPullTime`; None when the image was never pulled (or not since ECR
    /// started recording pulls).
    pub last_pulled_at: Option<i64>,
}

#[async_trait]
pub trait EcrApi: Send + Sync {
    /// Every image of every repository in the caller's registry, every page.
    async fn image_dates(&self) -> Result<Vec<ImageDates>, AwsError>;
}

pub struct SdkEcr {
    pub client: aws_sdk_ecr::Client,
    pub context: super::errors::ErrorContext,
}

/// ECR's largest page for both operations: the fewest calls.
const PAGE_SIZE: i32 = 1000;

impl SdkEcr {
    async fn repository_names(&self) -> Result<Vec<String>, AwsError> {
        let mut pages = self.client.describe_repositories().into_paginator().page_size(PAGE_SIZE).send();
        let mut names = Vec::new();
        while let Some(page) = pages.next().await {
            let page = page.map_err(|e| self.context.error("DescribeRepositories", &e))?;
            names.extend(page.repositories().iter().filter_map(|r| r.repository_name().map(str::to_owned)));
        }
        Ok(names)
    }
}

#[async_trait]
impl EcrApi for SdkEcr {
    async fn image_dates(&self) -> Result<Vec<ImageDates>, AwsError> {
        let mut out = Vec::new();
        for name in self.repository_names().await? {
            let mut pages =
                self.client.describe_images().repository_name(&name).into_paginator().page_size(PAGE_SIZE).send();
            while let Some(page) = pages.next().await {
                let page = page.map_err(|e| self.context.error("DescribeImages", &e))?;
                out.extend(page.image_details().iter().map(|d| ImageDates {
                    pushed_at: d.image_pushed_at().map(|t| t.secs()),
                    last_pulled_at: d.last_recorded_pull_time().map(|t| t.secs()),
                }));
            }
        }
        Ok(out)
    }
}
