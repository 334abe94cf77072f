//! An in-memory Inspector for unit tests of the converge logic.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;

use crate::aws::inspector::organization::{
    AutoEnable, Member, MembersPage, OrganizationConfiguration, RelationshipStatus,
};
use crate::aws::{
    AccountEcr, AwsError, BatchOutcome, CallerApi, EcrScanningApi, ErrorCode, FailedAccount, InspectorStatus,
    MembersApi, OrganizationConfigurationApi, RescanConfigurationApi,
};

#[derive(Default)]
pub struct FakeInspector {
    pub inner: Mutex<World>,
}

#[derive(Default)]
pub struct World {
    /// account -> (ECR status, status reads left before it settles)
    pub ecr: BTreeMap<String, (String, u32)>,
    pub suspended: Vec<String>,
    /// Reads an Enable/Disable stays in progress for.
    pub settle_after_reads: u32,
    /// account -> failedAccounts code, for the next N Enable/Disable calls naming it
    pub failing: BTreeMap<String, (String, u32)>,
    /// Errors returned by the next calls, whatever they are.
    pub call_errors: VecDeque<AwsError>,
    /// operation -> errors its next organization calls return, oldest first.
    pub op_errors: BTreeMap<&'static str, VecDeque<AwsError>>,
    /// Never settles.
    pub stuck: Vec<String>,
    /// account -> failedAccounts code BatchGetAccountStatus answers for it
    pub unreadable: BTreeMap<String, String>,
    /// (operation, account ids) per call.
    pub calls: Vec<(&'static str, Vec<String>)>,
    /// Answer accounts in reverse order, as AWS may.
    pub reverse: bool,
    /// ECR rescan settings (GetConfiguration / UpdateConfiguration).
    pub rescan: crate::aws::inspector::api::EcrRescanConfig,
    /// The organization, as its delegated administrator sees it.
    pub org: Org,
}

/// Members and auto-enable flags of the fake organization.
#[derive(Default)]
pub struct Org {
    /// Whether the caller is the delegated administrator; otherwise every organization call fails.
    pub caller_is_admin: bool,
    /// account -> (relationship status, status reads left before an association turns ENABLED)
    pub members: BTreeMap<String, (RelationshipStatus, u32)>,
    /// Reads an AssociateMember stays pending for.
    pub associate_after_reads: u32,
    pub config: OrganizationConfiguration,
    /// Stale auto-enable flags answered by the next Describe calls, oldest first.
    pub stale_reads: VecDeque<AutoEnable>,
    /// How many Describe calls answer the previous flags after each update.
    pub stale_after_update: u32,
    /// What GetMember answers a caller that is not the administrator about its own account
    /// (a member reading its membership); None refuses it like every other call.
    pub own_membership: Option<Member>,
    /// account -> errors the next AssociateMember calls for it answer, oldest first.
    pub association_errors: BTreeMap<String, VecDeque<AwsError>>,
}

impl FakeInspector {
    pub fn new(settle_after_reads: u32) -> Self {
        let f = FakeInspector::default();
        f.inner.lock().unwrap().settle_after_reads = settle_after_reads;
        f
    }

    pub fn set(&self, account: &str, ecr: &str) {
        self.inner.lock().unwrap().ecr.insert(account.into(), (ecr.into(), 0));
    }

    pub fn ecr(&self, account: &str) -> String {
        self.inner.lock().unwrap().ecr.get(account).map(|e| e.0.clone()).unwrap_or_else(|| "DISABLED".into())
    }

    pub fn count(&self, op: &str) -> usize {
        self.inner.lock().unwrap().calls.iter().filter(|(o, _)| *o == op).count()
    }

    /// Makes the caller the delegated administrator of `members`, all associated.
    pub fn with_members(&self, members: &[&str]) {
        let mut w = self.inner.lock().unwrap();
        w.org.caller_is_admin = true;
        for m in members {
            w.org.members.insert((*m).into(), (RelationshipStatus::Enabled, 0));
        }
    }

    /// Records an organization call and answers its queued error, or a refusal for a non-administrator.
    fn org_call(&self, op: &'static str, ids: Vec<String>) -> Result<std::sync::MutexGuard<'_, World>, AwsError> {
        let mut w = self.inner.lock().unwrap();
        w.calls.push((op, ids));
        if let Some(e) = w.call_errors.pop_front() {
            return Err(e);
        }
        if let Some(e) = w.op_errors.get_mut(op).and_then(VecDeque::pop_front) {
            return Err(e);
        }
        if !w.org.caller_is_admin {
            let msg = "Invoking account is not the delegated administrator";
            return Err(AwsError::new(op, crate::aws::ErrorClass::Final, Some("AccessDeniedException"), msg));
        }
        Ok(w)
    }

    fn member_of(id: &str, entry: &mut (RelationshipStatus, u32)) -> Member {
        if entry.1 > 0 {
            entry.1 -= 1;
            if entry.1 == 0 {
                entry.0 = RelationshipStatus::Enabled;
            }
        }
        Member {
            account_id: id.into(),
            relationship_status: Some(entry.0.clone()),
            delegated_admin_account_id: Some("111111111111".into()),
            updated_at: Some("2026-11-29T00:00:00Z".into()),
        }
    }

    fn change(&self, op: &'static str, ids: &[String], moving: &str) -> Result<BatchOutcome, AwsError> {
        let mut w = self.inner.lock().unwrap();
        w.calls.push((op, ids.to_vec()));
        if let Some(e) = w.call_errors.pop_front() {
            return Err(e);
        }
        let settle = w.settle_after_reads;
        let mut out = BatchOutcome::default();
        for id in ids {
            if let Some((code, left)) = w.failing.get_mut(id) {
                if *left > 0 {
                    *left -= 1;
                    out.failed.push(FailedAccount {
                        account_id: id.clone(),
                        account_status: None,
                        error_code: ErrorCode::from_wire(code),
                        error_message: format!("injected {code}"),
                    });
                    continue;
                }
            }
            if w.suspended.contains(id) {
                out.failed.push(FailedAccount {
                    account_id: id.clone(),
                    account_status: Some(InspectorStatus::Suspended),
                    error_code: ErrorCode::AccessDenied,
                    error_message: "suspended".into(),
                });
                continue;
            }
            let target = if moving == "ENABLING" { "ENABLED" } else { "DISABLED" };
            let entry = w.ecr.entry(id.clone()).or_insert(("DISABLED".into(), 0));
            if entry.0 != target {
                *entry = if settle == 0 { (target.into(), 0) } else { (moving.into(), settle) };
            }
            out.accounts.push(AccountEcr {
                account_id: id.clone(),
                account_status: Some(InspectorStatus::Enabled),
                ecr_status: Some(InspectorStatus::from_wire(&entry.0)),
            });
        }
        if w.reverse {
            out.accounts.reverse();
        }
        Ok(out)
    }
}

#[async_trait]
impl CallerApi for FakeInspector {
    async fn caller_account(&self) -> Result<String, AwsError> {
        Ok("111111111111".into())
    }
}

#[async_trait]
impl EcrScanningApi for FakeInspector {
    async fn enable_ecr(&self, ids: &[String], token: &str) -> Result<BatchOutcome, AwsError> {
        assert!(!token.is_empty() && token.len() <= 64, "client token {token:?}");
        assert!(ids.len() <= 100);
        self.change("Enable", ids, "ENABLING")
    }

    async fn disable_ecr(&self, ids: &[String]) -> Result<BatchOutcome, AwsError> {
        assert!(ids.len() <= 100);
        self.change("Disable", ids, "DISABLING")
    }

    async fn account_status(&self, ids: &[String]) -> Result<BatchOutcome, AwsError> {
        assert!(ids.len() <= 100);
        let mut w = self.inner.lock().unwrap();
        w.calls.push(("BatchGetAccountStatus", ids.to_vec()));
        if let Some(e) = w.call_errors.pop_front() {
            return Err(e);
        }
        let stuck = w.stuck.clone();
        let suspended = w.suspended.clone();
        let mut out = BatchOutcome::default();
        for id in ids {
            if let Some(code) = w.unreadable.get(id) {
                out.failed.push(FailedAccount {
                    account_id: id.clone(),
                    account_status: None,
                    error_code: ErrorCode::from_wire(code),
                    error_message: format!("{code} for {id}"),
                });
                continue;
            }
            let Some(entry) = w.ecr.get_mut(id) else { continue };
            if entry.1 > 0 && !stuck.contains(id) {
                entry.1 -= 1;
                if entry.1 == 0 {
                    entry.0 = if entry.0 == "ENABLING" { "ENABLED".into() } else { "DISABLED".into() };
                }
            }
            out.accounts.push(AccountEcr {
                account_id: id.clone(),
                account_status: Some(if suspended.contains(id) {
                    InspectorStatus::Suspended
                } else {
                    InspectorStatus::Enabled
                }),
                ecr_status: Some(InspectorStatus::from_wire(&entry.0)),
            });
        }
        if w.reverse {
            out.accounts.reverse();
        }
        Ok(out)
    }
}

#[async_trait]
impl RescanConfigurationApi for FakeInspector {
    async fn ecr_rescan_configuration(&self) -> Result<crate::aws::inspector::api::EcrRescanConfig, AwsError> {
        let mut w = self.inner.lock().unwrap();
        w.calls.push(("GetConfiguration", vec![]));
        match w.call_errors.pop_front() {
            Some(e) => Err(e),
            None => Ok(w.rescan.clone()),
        }
    }

    async fn update_ecr_rescan_configuration(
        &self,
        config: &crate::aws::inspector::api::EcrRescanConfig,
    ) -> Result<(), AwsError> {
        let mut w = self.inner.lock().unwrap();
        w.calls.push(("UpdateConfiguration", vec![]));
        if let Some(e) = w.call_errors.pop_front() {
            return Err(e);
        }
        assert!(config.rescan_duration.is_some(), "UpdateConfiguration requires rescanDuration");
        w.rescan = config.clone();
        Ok(())
    }
}

#[async_trait]
impl MembersApi for FakeInspector {
    async fn list_members(&self, only_associated: bool, next_token: Option<String>) -> Result<MembersPage, AwsError> {
        let mut w = self.org_call("ListMembers", vec![])?;
        let start: usize = next_token.as_deref().map(|t| t.parse().expect("a token this fake gave")).unwrap_or(0);
        let mut members: Vec<Member> = w.org.members.iter_mut().map(|(id, e)| Self::member_of(id, e)).collect();
        if only_associated {
            members.retain(|m| m.relationship_status == Some(RelationshipStatus::Enabled));
        }
        let end = (start + 50).min(members.len());
        let next_token = (end < members.len()).then(|| end.to_string());
        Ok(MembersPage { members: members[start..end].to_vec(), next_token })
    }

    async fn get_member(&self, account_id: &str) -> Result<Member, AwsError> {
        {
            let mut w = self.inner.lock().unwrap();
            if let Some(own) = w.org.own_membership.clone().filter(|m| m.account_id == account_id) {
                if !w.org.caller_is_admin && w.call_errors.is_empty() {
                    w.calls.push(("GetMember", vec![account_id.into()]));
                    return Ok(own);
                }
            }
        }
        let mut w = self.org_call("GetMember", vec![account_id.into()])?;
        match w.org.members.get_mut(account_id) {
            Some(e) => Ok(Self::member_of(account_id, e)),
            None => Err(AwsError::new(
                "GetMember",
                crate::aws::ErrorClass::Final,
                Some("ResourceNotFoundException"),
                format!("{account_id} is not a member"),
            )),
        }
    }

    async fn associate_member(&self, account_id: &str) -> Result<(), AwsError> {
        let mut w = self.org_call("AssociateMember", vec![account_id.into()])?;
        if let Some(e) = w.org.association_errors.get_mut(account_id).and_then(VecDeque::pop_front) {
            return Err(e);
        }
        let delay = w.org.associate_after_reads;
        let entry = w.org.members.entry(account_id.into()).or_insert((RelationshipStatus::Created, 0));
        if entry.0 != RelationshipStatus::Enabled {
            *entry = if delay == 0 { (RelationshipStatus::Enabled, 0) } else { (RelationshipStatus::Created, delay) };
        }
        Ok(())
    }
}

#[async_trait]
impl OrganizationConfigurationApi for FakeInspector {
    async fn organization_configuration(&self) -> Result<OrganizationConfiguration, AwsError> {
        let mut w = self.org_call("DescribeOrganizationConfiguration", vec![])?;
        let mut answer = w.org.config.clone();
        if let Some(stale) = w.org.stale_reads.pop_front() {
            answer.auto_enable = stale;
        }
        Ok(answer)
    }

    async fn update_organization_configuration(&self, auto_enable: &AutoEnable) -> Result<AutoEnable, AwsError> {
        let mut w = self.org_call("UpdateOrganizationConfiguration", vec![])?;
        let previous = std::mem::replace(&mut w.org.config.auto_enable, auto_enable.clone());
        let stale = w.org.stale_after_update;
        w.org.stale_reads = std::iter::repeat_n(previous, stale as usize).collect();
        Ok(auto_enable.clone())
    }
}
