//! Injected faults (control API `POST /_emulator/faults`).
//!
//! Request-level faults (throttle, server_error, access_denied) replace the whole response of
//! the next matching call, before the request is validated or processed (nothing changes).
//! `failed_account` faults make one account of an Inspector2 batch call appear in
//! `failedAccounts` instead of being processed; `unprocessed_finding` faults make one finding of
//! a Security Hub BatchUpdateFindings call land in `UnprocessedFindings`. Faults are consumed in the order they were added;
//! `times` absent or null means "until cleared".

use serde_json::{json, Value};

use crate::errors::ApiError;
use crate::operations::OPERATIONS;
use crate::util::{is_account_id, unknown_key};

/// Operations a `failed_account` fault may target.
const BATCH_OPERATIONS: &[&str] = &["Enable", "Disable", "BatchGetAccountStatus"];

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    Throttle,
    ServerError,
    AccessDenied,
    FailedAccount { account_id: String, code: String, message: String },
    UnprocessedFinding { finding_id: String, code: String, message: String },
}

impl FaultKind {
    fn is_request_level(&self) -> bool {
        matches!(self, FaultKind::Throttle | FaultKind::ServerError | FaultKind::AccessDenied)
    }
}

/// A request-level fault that fired.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum RequestFault {
    Throttle,
    ServerError,
    AccessDenied,
}

/// How one protocol reports the request-level faults (the codes differ per service, as on AWS).
pub(crate) struct FaultErrors {
    /// HTTP status and code of a throttle.
    pub throttle: (u16, &'static str),
    /// Code and message of an injected server error.
    pub server_error: (&'static str, &'static str),
    /// Code of an injected access denial.
    pub access_denied: &'static str,
}

impl FaultErrors {
    pub fn error(&self, f: RequestFault, retry_after: u64) -> ApiError {
        match f {
            RequestFault::Throttle => {
                let (status, code) = self.throttle;
                let mut e = ApiError::new(status, code, "Rate exceeded");
                e.retry_after = Some(retry_after);
                e
            }
            RequestFault::ServerError => ApiError::new(500, self.server_error.0, self.server_error.1),
            RequestFault::AccessDenied => {
                ApiError::new(403, self.access_denied, "User is not authorized to perform this action (emulator fault)")
            }
        }
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Fault {
    pub id: u64,
    pub kind: FaultKind,
    pub operation: String,
    /// None = until cleared.
    pub remaining: Option<u64>,
}

impl Fault {
    fn matches(&self, op: &str) -> bool {
        self.operation == "*" || self.operation == op
    }

    pub fn to_json(&self) -> Value {
        let mut v = json!({
            "id": self.id,
            "operation": self.operation,
            "times": self.remaining,
        });
        let kind = match &self.kind {
            FaultKind::Throttle => "throttle",
            FaultKind::ServerError => "server_error",
            FaultKind::AccessDenied => "access_denied",
            FaultKind::FailedAccount { account_id, code, message } => {
                v["account_id"] = json!(account_id);
                v["code"] = json!(code);
                v["message"] = json!(message);
                "failed_account"
            }
            FaultKind::UnprocessedFinding { finding_id, code, message } => {
                v["finding_id"] = json!(finding_id);
                v["code"] = json!(code);
                v["message"] = json!(message);
                "unprocessed_finding"
            }
        };
        v["kind"] = json!(kind);
        v
    }
}

#[derive(Clone, Debug, Default)]
pub struct Faults {
    next_id: u64,
    list: Vec<Fault>,
}

impl Faults {
    /// Add a fault from its control-API JSON; returns the stored fault.
    pub fn add_json(&mut self, v: &Value) -> Result<Value, String> {
        let obj = v.as_object().ok_or("fault must be a JSON object")?;
        let fields = ["kind", "operation", "times", "account_id", "finding_id", "code", "message"];
        if let Some(k) = unknown_key(obj, &fields) {
            return Err(format!("unknown fault field {k:?}"));
        }
        let str_field = |name: &str| -> Result<Option<String>, String> {
            match obj.get(name) {
                None | Some(Value::Null) => Ok(None),
                Some(Value::String(s)) => Ok(Some(s.clone())),
                Some(other) => Err(format!("{name}: expected a string, got {other}")),
            }
        };
        let kind_name = str_field("kind")?.ok_or("kind is required")?;
        let default_op = if kind_name == "unprocessed_finding" { "BatchUpdateFindings" } else { "*" };
        let operation = str_field("operation")?.unwrap_or_else(|| default_op.to_string());
        let remaining = match obj.get("times") {
            None | Some(Value::Null) => None,
            Some(t) => Some(
                t.as_u64()
                    .filter(|&n| n > 0)
                    .ok_or_else(|| format!("times: expected a positive integer or null, got {t}"))?,
            ),
        };
        let kind = match kind_name.as_str() {
            "throttle" => FaultKind::Throttle,
            "server_error" => FaultKind::ServerError,
            "access_denied" => FaultKind::AccessDenied,
            "failed_account" => {
                if operation != "*" && !BATCH_OPERATIONS.contains(&operation.as_str()) {
                    return Err(format!(
                        "failed_account faults apply to Enable, Disable, BatchGetAccountStatus or *, not {operation:?}"
                    ));
                }
                let account_id = str_field("account_id")?
                    .filter(|a| is_account_id(a))
                    .ok_or("failed_account needs account_id (12 digits)")?;
                FaultKind::FailedAccount {
                    account_id,
                    code: str_field("code")?.unwrap_or_else(|| "INTERNAL_ERROR".into()),
                    message: str_field("message")?.unwrap_or_else(|| "Injected failure".into()),
                }
            }
            "unprocessed_finding" => {
                if operation != "*" && operation != "BatchUpdateFindings" {
                    return Err(format!(
                        "unprocessed_finding faults apply to BatchUpdateFindings or *, not {operation:?}"
                    ));
                }
                let finding_id = str_field("finding_id")?
                    .filter(|f| !f.is_empty())
                    .ok_or("unprocessed_finding needs finding_id (a finding Id)")?;
                FaultKind::UnprocessedFinding {
                    finding_id,
                    code: str_field("code")?.unwrap_or_else(|| "InternalFailure".into()),
                    message: str_field("message")?.unwrap_or_else(|| "Injected failure".into()),
                }
            }
            other => {
                return Err(format!(
                "unknown fault kind {other:?} (throttle|server_error|access_denied|failed_account|unprocessed_finding)"
            ))
            }
        };
        if operation != "*" && !OPERATIONS.contains(&operation.as_str()) {
            return Err(format!("unknown operation {operation:?}; expected * or one of {OPERATIONS:?}"));
        }
        self.next_id += 1;
        let fault = Fault { id: self.next_id, kind, operation, remaining };
        let out = fault.to_json();
        self.list.push(fault);
        Ok(out)
    }

    pub fn clear(&mut self) {
        self.list.clear();
    }

    pub fn remove(&mut self, id: u64) -> bool {
        let before = self.list.len();
        self.list.retain(|f| f.id != id);
        self.list.len() != before
    }

    pub fn to_json(&self) -> Value {
        Value::Array(self.list.iter().map(Fault::to_json).collect())
    }

    /// Consume one use of the fault at `idx`.
    fn consume(&mut self, idx: usize) {
        if let Some(n) = self.list[idx].remaining.as_mut() {
            *n -= 1;
            if *n == 0 {
                self.list.remove(idx);
            }
        }
    }

    /// The request-level fault for a call of `op`, if one is armed (and consume it).
    pub fn take_request_fault(&mut self, op: &str) -> Option<RequestFault> {
        let idx = self.list.iter().position(|f| f.matches(op) && f.kind.is_request_level())?;
        let rf = match self.list[idx].kind {
            FaultKind::Throttle => RequestFault::Throttle,
            FaultKind::ServerError => RequestFault::ServerError,
            _ => RequestFault::AccessDenied,
        };
        self.consume(idx);
        Some(rf)
    }

    /// An injected failedAccounts entry `(code, message)` for `account` in a call of `op`.
    pub fn take_failed_account(&mut self, op: &str, account: &str) -> Option<(String, String)> {
        self.take_entry_fault(op, |kind| match kind {
            FaultKind::FailedAccount { account_id, code, message } if account_id == account => Some((code, message)),
            _ => None,
        })
    }

    /// An injected UnprocessedFindings entry `(code, message)` for finding `id` in a call of `op`.
    pub fn take_unprocessed_finding(&mut self, op: &str, id: &str) -> Option<(String, String)> {
        self.take_entry_fault(op, |kind| match kind {
            FaultKind::UnprocessedFinding { finding_id, code, message } if finding_id == id => Some((code, message)),
            _ => None,
        })
    }

    /// The `(code, message)` of the first fault on `op` that `entry` picks out (and consume it).
    fn take_entry_fault(
        &mut self,
        op: &str,
        entry: impl Fn(&FaultKind) -> Option<(&String, &String)>,
    ) -> Option<(String, String)> {
        let idx = self.list.iter().position(|f| f.matches(op) && entry(&f.kind).is_some())?;
        let out = entry(&self.list[idx].kind).map(|(code, message)| (code.clone(), message.clone()));
        self.consume(idx);
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counted_faults_expire() {
        let mut f = Faults::default();
        f.add_json(&json!({"kind": "throttle", "operation": "Enable", "times": 2})).unwrap();
        assert_eq!(f.take_request_fault("Disable"), None);
        assert_eq!(f.take_request_fault("Enable"), Some(RequestFault::Throttle));
        assert_eq!(f.take_request_fault("Enable"), Some(RequestFault::Throttle));
        assert_eq!(f.take_request_fault("Enable"), None);
        assert_eq!(f.to_json(), json!([]));
    }

    #[test]
    fn wildcard_and_order() {
        let mut f = Faults::default();
        f.add_json(&json!({"kind": "server_error", "operation": "*", "times": 1})).unwrap();
        f.add_json(&json!({"kind": "throttle", "operation": "AssumeRole", "times": 1})).unwrap();
        assert_eq!(f.take_request_fault("AssumeRole"), Some(RequestFault::ServerError));
        assert_eq!(f.take_request_fault("AssumeRole"), Some(RequestFault::Throttle));
        assert_eq!(f.take_request_fault("AssumeRole"), None);
    }

    #[test]
    fn unlimited_until_cleared() {
        let mut f = Faults::default();
        let v = f.add_json(&json!({"kind": "throttle", "operation": "Enable", "times": null})).unwrap();
        assert_eq!(v["times"], Value::Null);
        for _ in 0..10 {
            assert!(f.take_request_fault("Enable").is_some());
        }
        f.clear();
        assert!(f.take_request_fault("Enable").is_none());
    }

    #[test]
    fn failed_account_faults() {
        let mut f = Faults::default();
        f.add_json(&json!({"kind": "failed_account", "operation": "Enable",
            "account_id": "222222222222", "code": "SSM_THROTTLED", "message": "slow down", "times": 1}))
            .unwrap();
        // Does not fire as a request fault.
        assert_eq!(f.take_request_fault("Enable"), None);
        assert_eq!(f.take_failed_account("Enable", "333333333333"), None);
        assert_eq!(f.take_failed_account("Disable", "222222222222"), None);
        assert_eq!(f.take_failed_account("Enable", "222222222222"), Some(("SSM_THROTTLED".into(), "slow down".into())));
        assert_eq!(f.take_failed_account("Enable", "222222222222"), None);
    }

    #[test]
    fn rejects_bad_faults() {
        let mut f = Faults::default();
        assert!(f.add_json(&json!({"kind": "explode"})).is_err());
        assert!(f.add_json(&json!({"kind": "throttle", "operation": "Enabel"})).is_err());
        assert!(f.add_json(&json!({"kind": "throttle", "times": 0})).is_err());
        assert!(f.add_json(&json!({"kind": "failed_account", "operation": "Enable"})).is_err());
        assert!(f
            .add_json(&json!({"kind": "failed_account", "operation": "AssumeRole", "account_id": "222222222222"}))
            .is_err());
        assert!(f.add_json(&json!({"kind": "throttle", "bogus": 1})).is_err());
    }

    #[test]
    fn unprocessed_finding_faults() {
        let mut f = Faults::default();
        let v = f.add_json(&json!({"kind": "unprocessed_finding", "finding_id": "arn:x/1", "times": 1})).unwrap();
        assert_eq!(v["operation"], "BatchUpdateFindings");
        assert_eq!(v["code"], "InternalFailure");
        assert_eq!(f.take_request_fault("BatchUpdateFindings"), None);
        assert_eq!(f.take_unprocessed_finding("BatchUpdateFindings", "arn:x/2"), None);
        assert_eq!(
            f.take_unprocessed_finding("BatchUpdateFindings", "arn:x/1"),
            Some(("InternalFailure".into(), "Injected failure".into()))
        );
        assert_eq!(f.take_unprocessed_finding("BatchUpdateFindings", "arn:x/1"), None);
        assert!(f
            .add_json(&json!({"kind": "unprocessed_finding", "finding_id": "x", "operation": "GetFindings"}))
            .is_err());
        assert!(f.add_json(&json!({"kind": "unprocessed_finding"})).is_err());
        // Security Hub operations are valid targets for request faults.
        f.add_json(&json!({"kind": "throttle", "operation": "GetFindings", "times": 1})).unwrap();
        assert_eq!(f.take_request_fault("GetFindings"), Some(RequestFault::Throttle));
    }

    #[test]
    fn remove_by_id() {
        let mut f = Faults::default();
        let v = f.add_json(&json!({"kind": "throttle"})).unwrap();
        assert!(f.remove(v["id"].as_u64().unwrap()));
        assert!(!f.remove(99));
    }
}
