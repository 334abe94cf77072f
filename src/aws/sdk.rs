//! [`InspectorApi`] on the AWS SDK for Rust.

use async_trait::async_trait;
use aws_sdk_inspector2::error::{DisplayErrorContext, ProvideErrorMetadata, SdkError};
use aws_sdk_inspector2::types::{self as i2, ResourceScanType};

use super::api::{AccountEcr, AwsError, BatchOutcome, FailedAccount, InspectorApi};

pub struct SdkInspector {
    pub inspector2: aws_sdk_inspector2::Client,
    pub sts: aws_sdk_sts::Client,
}

/// Turns an SDK error into the service's code and message, without the SDK's debug dump.
pub(crate) fn aws_error<E, R>(operation: &'static str, err: SdkError<E, R>) -> AwsError
where
    E: ProvideErrorMetadata + std::error::Error + 'static,
    R: std::fmt::Debug,
{
    match &err {
        SdkError::ServiceError(service) => {
            let e = service.err();
            AwsError {
                operation,
                code: e.code().map(str::to_owned),
                message: e.message().map(str::to_owned).unwrap_or_else(|| DisplayErrorContext(&err).to_string()),
            }
        }
        _ => AwsError { operation, code: None, message: DisplayErrorContext(&err).to_string() },
    }
}

fn failed_account(f: &i2::FailedAccount) -> FailedAccount {
    FailedAccount {
        account_id: f.account_id().to_owned(),
        account_status: f.status().map(|s| s.as_str().to_owned()),
        error_code: f.error_code().as_str().to_owned(),
        error_message: f.error_message().to_owned(),
    }
}

fn account(a: &i2::Account) -> AccountEcr {
    AccountEcr {
        account_id: a.account_id().to_owned(),
        account_status: a.status().as_str().to_owned(),
        // resourceStatus is always sent by the service; a missing one means nothing is known yet.
        ecr_status: a.resource_status().map(|r| r.ecr().as_str().to_owned()).unwrap_or_default(),
    }
}

fn account_state(a: &i2::AccountState) -> AccountEcr {
    AccountEcr {
        account_id: a.account_id().to_owned(),
        account_status: a.state().map(|s| s.status().as_str().to_owned()).unwrap_or_default(),
        ecr_status: a
            .resource_state()
            .and_then(|r| r.ecr())
            .map(|s| s.status().as_str().to_owned())
            .unwrap_or_default(),
    }
}

fn outcome(accounts: &[i2::Account], failed: &[i2::FailedAccount]) -> BatchOutcome {
    BatchOutcome {
        accounts: accounts.iter().map(account).collect(),
        failed: failed.iter().map(failed_account).collect(),
    }
}

#[async_trait]
impl InspectorApi for SdkInspector {
    async fn caller_account(&self) -> Result<String, AwsError> {
        let out = self.sts.get_caller_identity().send().await.map_err(|e| aws_error("GetCallerIdentity", e))?;
        out.account.ok_or_else(|| AwsError {
            operation: "GetCallerIdentity",
            code: None,
            message: "the response named no account".into(),
        })
    }

    async fn enable_ecr(&self, account_ids: &[String], client_token: &str) -> Result<BatchOutcome, AwsError> {
        let out = self
            .inspector2
            .enable()
            .set_account_ids(Some(account_ids.to_vec()))
            .resource_types(ResourceScanType::Ecr)
            .client_token(client_token)
            .send()
            .await
            .map_err(|e| aws_error("Enable", e))?;
        Ok(outcome(out.accounts(), out.failed_accounts()))
    }

    async fn disable_ecr(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError> {
        let out = self
            .inspector2
            .disable()
            .set_account_ids(Some(account_ids.to_vec()))
            .resource_types(ResourceScanType::Ecr)
            .send()
            .await
            .map_err(|e| aws_error("Disable", e))?;
        Ok(outcome(out.accounts(), out.failed_accounts()))
    }

    async fn account_status(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError> {
        let out = self
            .inspector2
            .batch_get_account_status()
            .set_account_ids(Some(account_ids.to_vec()))
            .send()
            .await
            .map_err(|e| aws_error("BatchGetAccountStatus", e))?;
        Ok(BatchOutcome {
            accounts: out.accounts().iter().map(account_state).collect(),
            failed: out.failed_accounts().iter().map(failed_account).collect(),
        })
    }

    async fn ecr_rescan_configuration(&self) -> Result<crate::rescan::EcrRescanConfig, AwsError> {
        let out = self.inspector2.get_configuration().send().await.map_err(|e| aws_error("GetConfiguration", e))?;
        let state = out.ecr_configuration().and_then(|c| c.rescan_duration_state());
        Ok(crate::rescan::EcrRescanConfig {
            rescan_duration: state.and_then(|s| s.rescan_duration()).map(|v| v.as_str().to_owned()),
            pull_date_rescan_duration: state.and_then(|s| s.pull_date_rescan_duration()).map(|v| v.as_str().to_owned()),
            pull_date_rescan_mode: state.and_then(|s| s.pull_date_rescan_mode()).map(|v| v.as_str().to_owned()),
        })
    }

    async fn update_ecr_rescan_configuration(&self, config: &crate::rescan::EcrRescanConfig) -> Result<(), AwsError> {
        let ecr = i2::EcrConfiguration::builder()
            .set_rescan_duration(config.rescan_duration.as_deref().map(i2::EcrRescanDuration::from))
            .set_pull_date_rescan_duration(
                config.pull_date_rescan_duration.as_deref().map(i2::EcrPullDateRescanDuration::from),
            )
            .set_pull_date_rescan_mode(config.pull_date_rescan_mode.as_deref().map(i2::EcrPullDateRescanMode::from))
            .build()
            .map_err(|e| AwsError { operation: "UpdateConfiguration", code: None, message: e.to_string() })?;
        // ecrConfiguration only: EC2 and AMI settings are never sent, so never changed.
        self.inspector2
            .update_configuration()
            .ecr_configuration(ecr)
            .send()
            .await
            .map_err(|e| aws_error("UpdateConfiguration", e))?;
        Ok(())
    }
}
