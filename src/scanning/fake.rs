//! An in-memory Inspector for unit tests of the converge logic.

use std::collections::{BTreeMap, VecDeque};
use std::sync::Mutex;

use async_trait::async_trait;

use crate::aws::{
    AccountEcr, AccountStatus, AwsError, BatchOutcome, EcrStatus, ErrorCode, FailedAccount, InspectorApi,
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
    /// Never settles.
    pub stuck: Vec<String>,
    /// (operation, account ids) per call.
    pub calls: Vec<(&'static str, Vec<String>)>,
    /// Answer accounts in reverse order, as AWS may.
    pub reverse: bool,
    /// ECR rescan settings (GetConfiguration / UpdateConfiguration).
    pub rescan: crate::aws::api::EcrRescanConfig,
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
                    account_status: Some(AccountStatus::Suspended),
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
                account_status: Some(AccountStatus::Enabled),
                ecr_status: Some(EcrStatus::from_wire(&entry.0)),
            });
        }
        if w.reverse {
            out.accounts.reverse();
        }
        Ok(out)
    }
}

#[async_trait]
impl InspectorApi for FakeInspector {
    async fn caller_account(&self) -> Result<String, AwsError> {
        Ok("111111111111".into())
    }

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
                    AccountStatus::Suspended
                } else {
                    AccountStatus::Enabled
                }),
                ecr_status: Some(EcrStatus::from_wire(&entry.0)),
            });
        }
        if w.reverse {
            out.accounts.reverse();
        }
        Ok(out)
    }

    async fn ecr_rescan_configuration(&self) -> Result<crate::aws::api::EcrRescanConfig, AwsError> {
        let mut w = self.inner.lock().unwrap();
        w.calls.push(("GetConfiguration", vec![]));
        match w.call_errors.pop_front() {
            Some(e) => Err(e),
            None => Ok(w.rescan.clone()),
        }
    }

    async fn update_ecr_rescan_configuration(&self, config: &crate::aws::api::EcrRescanConfig) -> Result<(), AwsError> {
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
