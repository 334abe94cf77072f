//! [`InspectorApi`] and [`DelegatedAdminApi`] on the AWS SDK for Rust.

use async_trait::async_trait;
use aws_sdk_inspector2::types::{self as i2, ResourceScanType};

use super::api::{
    AccountEcr, BatchOutcome, CallerApi, DelegatedAdmin, DelegatedAdminAccount, DelegatedAdminApi, DelegatedAdminPage,
    DelegatedAdminStatus, EcrScanningApi, ErrorCode, FailedAccount, MembersApi, OrganizationConfigurationApi,
    RescanConfigurationApi,
};
use super::organization::{AutoEnable, Member, MembersPage, OrganizationConfiguration, RelationshipStatus};
use crate::aws::errors::ErrorContext;
use crate::aws::{AwsError, ErrorClass};

pub struct SdkInspector {
    pub inspector2: aws_sdk_inspector2::Client,
    pub sts: aws_sdk_sts::Client,
    pub context: ErrorContext,
}

/// AWS's text for an enum, decoded; an empty value counts as not reported.
fn decode<T: for<'a> From<&'a str>>(wire: &str) -> Option<T> {
    (!wire.is_empty()).then(|| T::from(wire))
}

fn failed_account(f: &i2::FailedAccount) -> FailedAccount {
    FailedAccount {
        account_id: f.account_id().to_owned(),
        account_status: f.status().and_then(|s| decode(s.as_str())),
        error_code: ErrorCode::from_wire(f.error_code().as_str()),
        error_message: f.error_message().to_owned(),
    }
}

fn account(a: &i2::Account) -> AccountEcr {
    AccountEcr {
        account_id: a.account_id().to_owned(),
        account_status: decode(a.status().as_str()),
        ecr_status: a.resource_status().and_then(|r| decode(r.ecr().as_str())),
    }
}

fn account_state(a: &i2::AccountState) -> AccountEcr {
    AccountEcr {
        account_id: a.account_id().to_owned(),
        account_status: a.state().and_then(|s| decode(s.status().as_str())),
        ecr_status: a.resource_state().and_then(|r| r.ecr()).and_then(|s| decode(s.status().as_str())),
    }
}

fn outcome(accounts: &[i2::Account], failed: &[i2::FailedAccount]) -> BatchOutcome {
    BatchOutcome {
        accounts: accounts.iter().map(account).collect(),
        failed: failed.iter().map(failed_account).collect(),
    }
}

fn member(m: &i2::Member) -> Member {
    Member {
        account_id: m.account_id().unwrap_or_default().to_owned(),
        relationship_status: m.relationship_status().and_then(|r| decode::<RelationshipStatus>(r.as_str())),
        delegated_admin_account_id: m.delegated_admin_account_id().map(str::to_owned),
        // Whole seconds, as documented on `Member`: moto and some answers carry fractions.
        updated_at: m.updated_at().and_then(|t| {
            let whole = aws_sdk_inspector2::primitives::DateTime::from_secs(t.secs());
            whole.fmt(aws_sdk_inspector2::primitives::DateTimeFormat::DateTime).ok()
        }),
    }
}

fn auto_enable(a: &i2::AutoEnable) -> AutoEnable {
    AutoEnable {
        ec2: a.ec2(),
        ecr: a.ecr(),
        lambda: a.lambda(),
        lambda_code: a.lambda_code(),
        code_repository: a.code_repository(),
        ami: a.ami(),
    }
}

fn to_sdk_auto_enable(a: &AutoEnable, operation: &'static str) -> Result<i2::AutoEnable, AwsError> {
    i2::AutoEnable::builder()
        .ec2(a.ec2)
        .ecr(a.ecr)
        .set_lambda(a.lambda)
        .set_lambda_code(a.lambda_code)
        .set_code_repository(a.code_repository)
        .set_ami(a.ami)
        .build()
        .map_err(|e| AwsError::new(operation, ErrorClass::Final, None, e.to_string()))
}

#[async_trait]
impl CallerApi for SdkInspector {
    async fn caller_account(&self) -> Result<String, AwsError> {
        let out =
            self.sts.get_caller_identity().send().await.map_err(|e| self.context.error("GetCallerIdentity", &e))?;
        out.account
            .ok_or_else(|| AwsError::new("GetCallerIdentity", ErrorClass::Final, None, "the response named no account"))
    }
}

#[async_trait]
impl EcrScanningApi for SdkInspector {
    async fn enable_ecr(&self, account_ids: &[String], client_token: &str) -> Result<BatchOutcome, AwsError> {
        let out = self
            .inspector2
            .enable()
            .set_account_ids(Some(account_ids.to_vec()))
            .resource_types(ResourceScanType::Ecr)
            .client_token(client_token)
            .send()
            .await
            .map_err(|e| self.context.error("Enable", &e))?;
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
            .map_err(|e| self.context.error("Disable", &e))?;
        Ok(outcome(out.accounts(), out.failed_accounts()))
    }

    async fn account_status(&self, account_ids: &[String]) -> Result<BatchOutcome, AwsError> {
        let out = self
            .inspector2
            .batch_get_account_status()
            .set_account_ids(Some(account_ids.to_vec()))
            .send()
            .await
            .map_err(|e| self.context.error("BatchGetAccountStatus", &e))?;
        Ok(BatchOutcome {
            accounts: out.accounts().iter().map(account_state).collect(),
            failed: out.failed_accounts().iter().map(failed_account).collect(),
        })
    }
}

#[async_trait]
impl RescanConfigurationApi for SdkInspector {
    async fn ecr_rescan_configuration(&self) -> Result<super::api::EcrRescanConfig, AwsError> {
        let out =
            self.inspector2.get_configuration().send().await.map_err(|e| self.context.error("GetConfiguration", &e))?;
        let state = out.ecr_configuration().and_then(|c| c.rescan_duration_state());
        Ok(super::api::EcrRescanConfig {
            rescan_duration: state.and_then(|s| s.rescan_duration()).map(|v| v.as_str().to_owned()),
            pull_date_rescan_duration: state.and_then(|s| s.pull_date_rescan_duration()).map(|v| v.as_str().to_owned()),
            pull_date_rescan_mode: state.and_then(|s| s.pull_date_rescan_mode()).map(|v| v.as_str().to_owned()),
        })
    }

    async fn update_ecr_rescan_configuration(&self, config: &super::api::EcrRescanConfig) -> Result<(), AwsError> {
        let ecr = i2::EcrConfiguration::builder()
            .set_rescan_duration(config.rescan_duration.as_deref().map(i2::EcrRescanDuration::from))
            .set_pull_date_rescan_duration(
                config.pull_date_rescan_duration.as_deref().map(i2::EcrPullDateRescanDuration::from),
            )
            .set_pull_date_rescan_mode(config.pull_date_rescan_mode.as_deref().map(i2::EcrPullDateRescanMode::from))
            .build()
            .map_err(|e| AwsError::new("UpdateConfiguration", ErrorClass::Final, None, e.to_string()))?;
        // ecrConfiguration only: EC2 and AMI settings are never sent, so never changed.
        self.inspector2
            .update_configuration()
            .ecr_configuration(ecr)
            .send()
            .await
            .map_err(|e| self.context.error("UpdateConfiguration", &e))?;
        Ok(())
    }
}

#[async_trait]
impl MembersApi for SdkInspector {
    async fn list_members(&self, only_associated: bool, next_token: Option<String>) -> Result<MembersPage, AwsError> {
        let out = self
            .inspector2
            .list_members()
            .only_associated(only_associated)
            .max_results(50)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| self.context.error("ListMembers", &e))?;
        Ok(MembersPage {
            members: out.members().iter().map(member).collect(),
            next_token: out.next_token().filter(|t| !t.is_empty()).map(str::to_owned),
        })
    }

    async fn get_member(&self, account_id: &str) -> Result<Member, AwsError> {
        let out = self
            .inspector2
            .get_member()
            .account_id(account_id)
            .send()
            .await
            .map_err(|e| self.context.error("GetMember", &e))?;
        out.member()
            .map(member)
            .ok_or_else(|| AwsError::new("GetMember", ErrorClass::Final, None, "the response named no member"))
    }

    async fn associate_member(&self, account_id: &str) -> Result<(), AwsError> {
        self.inspector2
            .associate_member()
            .account_id(account_id)
            .send()
            .await
            .map_err(|e| self.context.error("AssociateMember", &e))?;
        Ok(())
    }
}

#[async_trait]
impl OrganizationConfigurationApi for SdkInspector {
    async fn organization_configuration(&self) -> Result<OrganizationConfiguration, AwsError> {
        let out = self
            .inspector2
            .describe_organization_configuration()
            .send()
            .await
            .map_err(|e| self.context.error("DescribeOrganizationConfiguration", &e))?;
        let flags = out.auto_enable().ok_or_else(|| {
            AwsError::new(
                "DescribeOrganizationConfiguration",
                ErrorClass::Final,
                None,
                "the response carried no autoEnable",
            )
        })?;
        Ok(OrganizationConfiguration {
            auto_enable: auto_enable(flags),
            max_account_limit_reached: out.max_account_limit_reached().unwrap_or(false),
        })
    }

    async fn update_organization_configuration(&self, wanted: &AutoEnable) -> Result<AutoEnable, AwsError> {
        const OP: &str = "UpdateOrganizationConfiguration";
        let out = self
            .inspector2
            .update_organization_configuration()
            .auto_enable(to_sdk_auto_enable(wanted, OP)?)
            .send()
            .await
            .map_err(|e| self.context.error(OP, &e))?;
        // An answer without autoEnable says nothing new: the caller reads the flags back anyway.
        Ok(out.auto_enable().map(auto_enable).unwrap_or_else(|| wanted.clone()))
    }
}

fn admin_account(a: &i2::DelegatedAdminAccount) -> DelegatedAdminAccount {
    DelegatedAdminAccount {
        account_id: a.account_id().unwrap_or_default().to_owned(),
        status: a.status().and_then(|s| decode::<DelegatedAdminStatus>(s.as_str())),
    }
}

#[async_trait]
impl DelegatedAdminApi for SdkInspector {
    async fn enable_delegated_admin(&self, account_id: &str, client_token: &str) -> Result<(), AwsError> {
        self.inspector2
            .enable_delegated_admin_account()
            .delegated_admin_account_id(account_id)
            .client_token(client_token)
            .send()
            .await
            .map_err(|e| self.context.error("EnableDelegatedAdminAccount", &e))?;
        Ok(())
    }

    async fn disable_delegated_admin(&self, account_id: &str) -> Result<(), AwsError> {
        self.inspector2
            .disable_delegated_admin_account()
            .delegated_admin_account_id(account_id)
            .send()
            .await
            .map_err(|e| self.context.error("DisableDelegatedAdminAccount", &e))?;
        Ok(())
    }

    async fn delegated_admin(&self) -> Result<Option<DelegatedAdmin>, AwsError> {
        let out = self
            .inspector2
            .get_delegated_admin_account()
            .send()
            .await
            .map_err(|e| self.context.error("GetDelegatedAdminAccount", &e))?;
        // An answer without an account names no administrator.
        Ok(out.delegated_admin().and_then(|d| {
            let account_id = d.account_id().filter(|a| !a.is_empty())?.to_owned();
            let relationship_status = d.relationship_status().and_then(|r| decode::<RelationshipStatus>(r.as_str()));
            Some(DelegatedAdmin { account_id, relationship_status })
        }))
    }

    async fn delegated_admins_page(&self, next_token: Option<String>) -> Result<DelegatedAdminPage, AwsError> {
        let out = self
            .inspector2
            .list_delegated_admin_accounts()
            .max_results(5)
            .set_next_token(next_token)
            .send()
            .await
            .map_err(|e| self.context.error("ListDelegatedAdminAccounts", &e))?;
        Ok(DelegatedAdminPage {
            accounts: out.delegated_admin_accounts().iter().map(admin_account).collect(),
            next_token: out.next_token().filter(|t| !t.is_empty()).map(str::to_owned),
        })
    }
}
