//! Injected faults (control API `POST /_emulator/faults`).
//!
//! Request-level faults (throttle, server_error, access_denied, validation_error, html_404,
//! black_hole) replace the whole response of the next matching call, before the request is
//! validated or processed (nothing changes). `failed_account` faults make one account of an
//! Inspector2 batch call appear in `failedAccounts` instead of being processed;
//! `unprocessed_finding` faults make one finding of a Security Hub BatchUpdateFindings call land
//! in `UnprocessedFindings`; `assume_role_access_denied` faults deny a valid STS AssumeRole;
//! `stale_org_config` faults make the reads after an organization configuration update stale.
//! Faults are consumed in the order they were added; `times` absent or null means "until
//! cleared".

use serde_json::{json, Map, Value};

use crate::errors::ApiError;
use crate::operations::OPERATIONS;
use crate::reply::Reply;
use crate::util::{is_account_id, unknown_key};

/// Operations a `failed_account` fault may target.
const BATCH_OPERATIONS: &[&str] = &["Enable", "Disable", "BatchGetAccountStatus"];

const KINDS: &str = "throttle|server_error|access_denied|validation_error|html_404|black_hole|failed_account|\
                     unprocessed_finding|assume_role_access_denied|stale_org_config";

/// Fields a fault object may have.
const FIELDS: &[&str] =
    &["kind", "operation", "times", "account_id", "finding_id", "role_arn", "code", "message", "reads"];

/// The body of an `html_404` fault: what a wrong endpoint or a proxy answers.
const HTML_404: &str = "<!DOCTYPE html>\n<html>\n<head><title>404 Not Found</title></head>\n<body>\n<h1>Not Found</h1>\n\
                        <p>The requested URL was not found on this server.</p>\n<hr><address>emulator html_404 fault</address>\n\
                        </body>\n</html>\n";

#[derive(Clone, Debug, PartialEq)]
pub enum FaultKind {
    /// A request-level fault.
    Request(RequestFault),
    FailedAccount {
        account_id: String,
        code: String,
        message: String,
    },
    UnprocessedFinding {
        finding_id: String,
        code: String,
        message: String,
    },
    /// STS AssumeRole answers 403 AccessDenied (for `role_arn` only, when given).
    AssumeRoleAccessDenied {
        role_arn: Option<String>,
    },
    /// After an UpdateOrganizationConfiguration, the next `reads` DescribeOrganizationConfiguration
    /// calls answer the previous autoEnable.
    StaleOrgConfig {
        reads: u64,
    },
}

/// A request-level fault: it replaces the whole response.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum RequestFault {
    Throttle,
    ServerError,
    AccessDenied,
    /// The service's validation error, with this message (None: a default one).
    ValidationError(Option<String>),
    /// 404 with an HTML body.
    Html404,
    /// Never answered; the connection stays open until the client gives up.
    BlackHole,
}

impl RequestFault {
    fn name(&self) -> &'static str {
        match self {
            RequestFault::Throttle => "throttle",
            RequestFault::ServerError => "server_error",
            RequestFault::AccessDenied => "access_denied",
            RequestFault::ValidationError(_) => "validation_error",
            RequestFault::Html404 => "html_404",
            RequestFault::BlackHole => "black_hole",
        }
    }
}

/// How one protocol reports the request-level faults (the codes differ per service, as on AWS).
pub(crate) struct FaultErrors {
    /// HTTP status and code of a throttle.
    pub throttle: (u16, &'static str),
    /// Code and message of an injected server error.
    pub server_error: (&'static str, &'static str),
    /// Code of an injected access denial.
    pub access_denied: &'static str,
    /// The service's 400 validation error with a message.
    pub validation: fn(String) -> ApiError,
}

/// What an injected request-level fault answers: an error in the service's encoding, or a reply
/// that is the same for every service.
pub(crate) enum Injected {
    Error(ApiError),
    Reply(Reply),
}

impl Injected {
    /// The reply, encoding an error with `encode`.
    pub fn into_reply(self, encode: impl FnOnce(&ApiError) -> Reply) -> Reply {
        match self {
            Injected::Error(e) => encode(&e),
            Injected::Reply(r) => r,
        }
    }
}

impl FaultErrors {
    pub fn injected(&self, f: RequestFault, retry_after: u64) -> Injected {
        Injected::Error(match f {
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
            RequestFault::ValidationError(message) => (self.validation)(message.unwrap_or_else(|| {
                "1 validation error detected: the request was rejected by an emulator validation_error fault".into()
            })),
            RequestFault::Html404 => return Injected::Reply(Reply::html(404, HTML_404.into())),
            RequestFault::BlackHole => return Injected::Reply(Reply::black_hole()),
        })
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
            FaultKind::Request(RequestFault::ValidationError(message)) => {
                v["message"] = json!(message);
                "validation_error"
            }
            FaultKind::Request(f) => f.name(),
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
            FaultKind::AssumeRoleAccessDenied { role_arn } => {
                v["role_arn"] = json!(role_arn);
                "assume_role_access_denied"
            }
            FaultKind::StaleOrgConfig { reads } => {
                v["reads"] = json!(reads);
                "stale_org_config"
            }
        };
        v["kind"] = json!(kind);
        v
    }
}

/// The optional string field `name` of a fault object.
fn str_field(obj: &Map<String, Value>, name: &str) -> Result<Option<String>, String> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s.clone())),
        Some(other) => Err(format!("{name}: expected a string, got {other}")),
    }
}

/// The operation a fault of `kind` targets when none is given, and the ones it may target
/// (None: any operation).
fn operations_for(kind: &str) -> (&'static str, Option<&'static [&'static str]>) {
    match kind {
        "failed_account" => ("*", Some(BATCH_OPERATIONS)),
        "unprocessed_finding" => ("BatchUpdateFindings", Some(&["BatchUpdateFindings"])),
        "assume_role_access_denied" => ("AssumeRole", Some(&["AssumeRole"])),
        "stale_org_config" => ("UpdateOrganizationConfiguration", Some(&["UpdateOrganizationConfiguration"])),
        _ => ("*", None),
    }
}

/// The kind-specific part of a fault object.
fn parse_kind(kind: &str, obj: &Map<String, Value>) -> Result<FaultKind, String> {
    let code_message = |default_code: &str| -> Result<(String, String), String> {
        let code = str_field(obj, "code")?.unwrap_or_else(|| default_code.into());
        Ok((code, str_field(obj, "message")?.unwrap_or_else(|| "Injected failure".into())))
    };
    Ok(match kind {
        "throttle" => FaultKind::Request(RequestFault::Throttle),
        "server_error" => FaultKind::Request(RequestFault::ServerError),
        "access_denied" => FaultKind::Request(RequestFault::AccessDenied),
        "validation_error" => FaultKind::Request(RequestFault::ValidationError(str_field(obj, "message")?)),
        "html_404" => FaultKind::Request(RequestFault::Html404),
        "black_hole" => FaultKind::Request(RequestFault::BlackHole),
        "failed_account" => {
            let account_id = str_field(obj, "account_id")?
                .filter(|a| is_account_id(a))
                .ok_or("failed_account needs account_id (12 digits)")?;
            let (code, message) = code_message("INTERNAL_ERROR")?;
            FaultKind::FailedAccount { account_id, code, message }
        }
        "unprocessed_finding" => {
            let finding_id = str_field(obj, "finding_id")?
                .filter(|f| !f.is_empty())
                .ok_or("unprocessed_finding needs finding_id (a finding Id)")?;
            let (code, message) = code_message("InternalFailure")?;
            FaultKind::UnprocessedFinding { finding_id, code, message }
        }
        "assume_role_access_denied" => {
            let role_arn = str_field(obj, "role_arn")?;
            if role_arn.as_deref() == Some("") {
                return Err("role_arn must not be empty (omit it to deny every role)".into());
            }
            FaultKind::AssumeRoleAccessDenied { role_arn }
        }
        "stale_org_config" => {
            let reads = match obj.get("reads") {
                None | Some(Value::Null) => 1,
                Some(r) => r
                    .as_u64()
                    .filter(|n| *n > 0)
                    .ok_or_else(|| format!("reads: expected a positive integer, got {r}"))?,
            };
            FaultKind::StaleOrgConfig { reads }
        }
        other => return Err(format!("unknown fault kind {other:?} ({KINDS})")),
    })
}

/// `times`: a positive integer, or absent / null for "until cleared".
fn parse_times(obj: &Map<String, Value>) -> Result<Option<u64>, String> {
    match obj.get("times") {
        None | Some(Value::Null) => Ok(None),
        Some(t) => t
            .as_u64()
            .filter(|&n| n > 0)
            .map(Some)
            .ok_or_else(|| format!("times: expected a positive integer or null, got {t}")),
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
        if let Some(k) = unknown_key(obj, FIELDS) {
            return Err(format!("unknown fault field {k:?}"));
        }
        let kind_name = str_field(obj, "kind")?.ok_or("kind is required")?;
        let kind = parse_kind(&kind_name, obj)?;
        let (default_op, allowed) = operations_for(&kind_name);
        let operation = str_field(obj, "operation")?.unwrap_or_else(|| default_op.to_string());
        if let Some(allowed) = allowed.filter(|a| operation != "*" && !a.contains(&operation.as_str())) {
            return Err(format!("{kind_name} faults apply to {} or *, not {operation:?}", allowed.join(", ")));
        }
        if operation != "*" && !OPERATIONS.contains(&operation.as_str()) {
            return Err(format!("unknown operation {operation:?}; expected * or one of {OPERATIONS:?}"));
        }
        let remaining = parse_times(obj)?;
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
        let idx = self.list.iter().position(|f| f.matches(op) && matches!(f.kind, FaultKind::Request(_)))?;
        let FaultKind::Request(rf) = self.list[idx].kind.clone() else {
            return None;
        };
        self.consume(idx);
        Some(rf)
    }

    /// Should this AssumeRole of `role_arn` be denied? (Consumes the fault that says so.)
    pub fn take_assume_role_denial(&mut self, role_arn: &str) -> bool {
        let hit = |f: &Fault| match &f.kind {
            FaultKind::AssumeRoleAccessDenied { role_arn: only } => {
                f.matches("AssumeRole") && only.as_deref().is_none_or(|r| r == role_arn)
            }
            _ => false,
        };
        let Some(idx) = self.list.iter().position(hit) else {
            return false;
        };
        self.consume(idx);
        true
    }
    /// Stale reads to answer after this UpdateOrganizationConfiguration, if a fault says so
    /// (consumed).
    pub fn take_stale_org_config(&mut self) -> Option<u64> {
        let op = "UpdateOrganizationConfiguration";
        let idx = self.list.iter().position(|f| f.matches(op) && matches!(f.kind, FaultKind::StaleOrgConfig { .. }))?;
        let FaultKind::StaleOrgConfig { reads } = self.list[idx].kind else {
            return None;
        };
        self.consume(idx);
        Some(reads)
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
    fn response_faults() {
        let mut f = Faults::default();
        for kind in ["html_404", "black_hole", "validation_error"] {
            let v = f.add_json(&json!({"kind": kind, "operation": "AssumeRole", "times": 1})).unwrap();
            assert_eq!(v["kind"], kind);
        }
        f.add_json(&json!({"kind": "validation_error", "message": "bad thing", "times": 1})).unwrap();
        assert_eq!(f.take_request_fault("Enable"), Some(RequestFault::ValidationError(Some("bad thing".into()))));
        assert_eq!(f.take_request_fault("AssumeRole"), Some(RequestFault::Html404));
        assert_eq!(f.take_request_fault("AssumeRole"), Some(RequestFault::BlackHole));
        assert_eq!(f.take_request_fault("AssumeRole"), Some(RequestFault::ValidationError(None)));
        assert_eq!(f.take_request_fault("AssumeRole"), None);
        assert!(f.add_json(&json!({"kind": "validation_error", "message": 5})).is_err());
    }

    #[test]
    fn fault_replies() {
        let errors = FaultErrors {
            throttle: (429, "ThrottlingException"),
            server_error: ("InternalServerException", "boom"),
            access_denied: "AccessDeniedException",
            validation: ApiError::validation_fault,
        };
        let Injected::Reply(r) = errors.injected(RequestFault::Html404, 0) else { panic!("html_404 is a reply") };
        assert_eq!((r.status, r.get_header("content-type")), (404, Some("text/html")));
        assert!(String::from_utf8(r.body).unwrap().contains("<h1>Not Found</h1>"));
        let Injected::Reply(r) = errors.injected(RequestFault::BlackHole, 0) else { panic!("black_hole is a reply") };
        assert!(r.black_hole);
        let Injected::Error(e) = errors.injected(RequestFault::ValidationError(None), 0) else {
            panic!("validation_error is an error")
        };
        assert_eq!((e.status, e.code.as_str()), (400, "ValidationException"));
        assert!(e.message.contains("validation_error fault"), "{}", e.message);
    }

    #[test]
    fn assume_role_denials() {
        let mut f = Faults::default();
        let v = f
            .add_json(&json!({"kind": "assume_role_access_denied", "role_arn": "arn:aws:iam::222222222222:role/a"}))
            .unwrap();
        assert_eq!(
            (v["operation"].as_str(), v["role_arn"].as_str(), &v["times"]),
            (Some("AssumeRole"), Some("arn:aws:iam::222222222222:role/a"), &Value::Null)
        );
        assert_eq!(f.take_request_fault("AssumeRole"), None);
        assert!(!f.take_assume_role_denial("arn:aws:iam::222222222222:role/b"));
        assert!(f.take_assume_role_denial("arn:aws:iam::222222222222:role/a"));
        assert!(f.take_assume_role_denial("arn:aws:iam::222222222222:role/a"));
        f.clear();
        f.add_json(&json!({"kind": "assume_role_access_denied", "operation": "*", "times": 1})).unwrap();
        assert!(f.take_assume_role_denial("arn:aws:iam::333333333333:role/any"));
        assert!(!f.take_assume_role_denial("arn:aws:iam::333333333333:role/any"));
        assert!(f.add_json(&json!({"kind": "assume_role_access_denied", "operation": "Enable"})).is_err());
        assert!(f.add_json(&json!({"kind": "assume_role_access_denied", "role_arn": ""})).is_err());
    }

    #[test]
    fn remove_by_id() {
        let mut f = Faults::default();
        let v = f.add_json(&json!({"kind": "throttle"})).unwrap();
        assert!(f.remove(v["id"].as_u64().unwrap()));
        assert!(!f.remove(99));
    }
}
