//! Amazon Inspector2 (restJson1): Enable, Disable, BatchGetAccountStatus.
//!
//! Accounts in responses keep request order (duplicates in `accountIds` are reported once);
//! the caller must sort if it wants sorted output, as with real AWS.

use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::account::{Account, ResourceType, UNTOUCHED};
use crate::model::world::World;
use crate::reply::Reply;
use crate::request_log::LogEntry;
use crate::util::{is_account_id, parse_object};

pub const SERVICE: &str = "inspector2";

const MAX_ACCOUNT_IDS: usize = 100;
const MAX_RESOURCE_TYPES: usize = 6;
const RESOURCE_TYPE_ENUM: &str = "[EC2, ECR, LAMBDA, LAMBDA_CODE, CODE_REPOSITORY]";

const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (429, "ThrottlingException"),
    server_error: ("InternalServerException", "Injected internal server error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: ApiError::validation_fault,
};

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    Enable,
    Disable,
    BatchGetAccountStatus,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::Enable => "Enable",
            Op::Disable => "Disable",
            Op::BatchGetAccountStatus => "BatchGetAccountStatus",
        }
    }

    fn from_path(path: &str) -> Option<Op> {
        match path.trim_end_matches('/') {
            "/enable" => Some(Op::Enable),
            "/disable" => Some(Op::Disable),
            "/status/batch/get" => Some(Op::BatchGetAccountStatus),
            _ => None,
        }
    }
}

/// Does this (unsigned) request path belong to Inspector2? Used only when there is no SigV4
/// credential scope to route on.
pub fn owns_path(path: &str) -> bool {
    Op::from_path(path).is_some()
}

/// A validated request.
#[derive(Clone, Debug, PartialEq)]
struct Input {
    account_ids: Option<Vec<String>>,
    resource_types: Vec<ResourceType>,
    client_token: Option<String>,
}

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let op = match (req.method, Op::from_path(req.path)) {
        ("POST", Some(op)) => op,
        _ => return req.unknown_operation(w, SERVICE).to_json_reply(),
    };
    let mut entry = req.log_entry(SERVICE, op.name());
    let parsed = parse_object(req.body);
    if let Ok(obj) = &parsed {
        entry.fields.insert("account_ids".into(), obj.get("accountIds").cloned().unwrap_or(Value::Null));
        if op != Op::BatchGetAccountStatus {
            entry.fields.insert("resource_types".into(), obj.get("resourceTypes").cloned().unwrap_or(Value::Null));
        }
    }
    let reply = respond(w, req, op, parsed, &mut entry);
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

fn respond(
    w: &mut World,
    req: &AwsRequest,
    op: Op,
    parsed: Result<Map<String, Value>, String>,
    entry: &mut LogEntry,
) -> Reply {
    if let Some(f) = w.injected_fault(op.name(), &FAULT_ERRORS, entry) {
        return f.into_reply(ApiError::to_json_reply);
    }
    let obj = match parsed {
        Ok(o) => o,
        Err(e) => return ApiError::cannot_parse(&e).to_json_reply(),
    };
    let input = match validate(op, &obj) {
        Ok(i) => i,
        Err(e) => return e.to_json_reply(),
    };
    let caller = req.caller.account.clone();
    if let Some(token) = &input.client_token {
        if let Some(stored) = w.idempotent_response(&caller, token) {
            entry.replayed = true;
            return Reply::json_bytes(200, stored.to_vec());
        }
    }
    let ids = dedup(input.account_ids.clone().unwrap_or_else(|| vec![caller.clone()]));
    let bytes = match op {
        Op::Enable => change(w, &caller, op, &ids, &input.resource_types),
        Op::Disable => {
            let types =
                if input.resource_types.is_empty() { ResourceType::ALL.to_vec() } else { input.resource_types.clone() };
            change(w, &caller, op, &ids, &types)
        }
        Op::BatchGetAccountStatus => batch_get(w, &caller, &ids),
    };
    if let Some(token) = input.client_token {
        w.remember_response(&caller, &token, bytes.clone());
    }
    Reply::json_bytes(200, bytes)
}

/// Field validation errors `(field, message)`, collected so that all are reported at once.
type FieldErrors = Vec<(String, String)>;

fn validate(op: Op, obj: &Map<String, Value>) -> Result<Input, ApiError> {
    let mut errs = FieldErrors::new();
    let account_ids = account_ids(obj.get("accountIds"), &mut errs);
    let resource_types = resource_types(op, obj.get("resourceTypes"), &mut errs);
    let client_token = if op == Op::Enable { client_token(obj.get("clientToken"), &mut errs) } else { None };
    if errs.is_empty() {
        Ok(Input { account_ids, resource_types, client_token })
    } else {
        Err(ApiError::field_validation(errs))
    }
}

fn err(errs: &mut FieldErrors, field: &str, msg: String) {
    errs.push((field.to_string(), msg));
}

/// `accountIds`; None (absent, null or empty) means the caller's own account.
fn account_ids(v: Option<&Value>, errs: &mut FieldErrors) -> Option<Vec<String>> {
    let a = match v {
        None | Some(Value::Null) => return None,
        Some(Value::Array(a)) => a,
        Some(other) => {
            err(
                errs,
                "accountIds",
                format!(
                    "Value {other} at 'accountIds' failed to satisfy constraint: Member must be a list of account ids"
                ),
            );
            return None;
        }
    };
    if a.len() > MAX_ACCOUNT_IDS {
        err(errs, "accountIds", format!("Value at 'accountIds' failed to satisfy constraint: Member must have length less than or equal to {MAX_ACCOUNT_IDS}"));
    }
    let mut ids = Vec::with_capacity(a.len());
    for v in a {
        match v.as_str() {
            Some(s) if is_account_id(s) => ids.push(s.to_string()),
            _ => {
                err(errs, "accountIds", format!("Value {v} at 'accountIds' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{{12}}"));
                break;
            }
        }
    }
    (!ids.is_empty()).then_some(ids)
}

/// `resourceTypes`, duplicates dropped; required (non-empty) for Enable.
fn resource_types(op: Op, v: Option<&Value>, errs: &mut FieldErrors) -> Vec<ResourceType> {
    let mut types = Vec::new();
    let a = match v {
        None | Some(Value::Null) => {
            if op == Op::Enable {
                err(
                    errs,
                    "resourceTypes",
                    "Value null at 'resourceTypes' failed to satisfy constraint: Member must not be null".into(),
                );
            }
            return types;
        }
        Some(Value::Array(a)) => a,
        Some(other) => {
            err(errs, "resourceTypes", format!("Value {other} at 'resourceTypes' failed to satisfy constraint: Member must be a list of resource types"));
            return types;
        }
    };
    if a.is_empty() && op == Op::Enable {
        err(
            errs,
            "resourceTypes",
            "Value at 'resourceTypes' failed to satisfy constraint: Member must have length greater than or equal to 1"
                .into(),
        );
    }
    if a.len() > MAX_RESOURCE_TYPES {
        err(errs, "resourceTypes", format!("Value at 'resourceTypes' failed to satisfy constraint: Member must have length less than or equal to {MAX_RESOURCE_TYPES}"));
    }
    for v in a {
        match v.as_str().and_then(ResourceType::parse) {
            Some(t) if types.contains(&t) => {}
            Some(t) => types.push(t),
            None => {
                err(errs, "resourceTypes", format!("Value {v} at 'resourceTypes' failed to satisfy constraint: Member must satisfy enum value set: {RESOURCE_TYPE_ENUM}"));
                break;
            }
        }
    }
    types
}

fn client_token(v: Option<&Value>, errs: &mut FieldErrors) -> Option<String> {
    match v {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if (1..=64).contains(&s.chars().count()) => Some(s.clone()),
        Some(v) => {
            err(
                errs,
                "clientToken",
                format!(
                    "Value {v} at 'clientToken' failed to satisfy constraint: Member must have length between 1 and 64"
                ),
            );
            None
        }
    }
}

fn dedup(ids: Vec<String>) -> Vec<String> {
    if ids.len() < 2 {
        return ids;
    }
    let mut seen = std::collections::HashSet::with_capacity(ids.len());
    ids.into_iter().filter(|id| seen.insert(id.clone())).collect()
}

fn failed(id: &str, account: Option<(&Account, bool)>, code: &str, message: &str) -> Value {
    let mut m = Map::new();
    m.insert("accountId".into(), json!(id));
    if let Some((a, leads)) = account {
        m.insert("status".into(), json!(a.status(leads).as_str()));
        m.insert("resourceStatus".into(), a.resource_status_json());
    }
    m.insert("errorCode".into(), json!(code));
    m.insert("errorMessage".into(), json!(message));
    Value::Object(m)
}

/// The failedAccounts entry for `id` when a call of `op` must skip it: an injected
/// `failed_account` fault, or the caller may not act on it.
fn rejected(w: &mut World, caller: &str, op: Op, id: &str, leads: bool) -> Option<Value> {
    if let Some((code, msg)) = w.faults.take_failed_account(op.name(), id) {
        return Some(failed(id, Some((w.account(id), leads)), &code, &msg));
    }
    let mutating = op != Op::BatchGetAccountStatus;
    w.authorize(caller, id, mutating).err().map(|msg| failed(id, None, "ACCESS_DENIED", &msg))
}

/// Response body writer. The JSON is written by hand for speed: account ids are validated
/// 12-digit strings and statuses are fixed enum names, so nothing in `accounts` needs escaping;
/// `failedAccounts` entries (rare, with free-text messages) go through serde_json.
struct Body {
    accounts: String,
    failed: Vec<Value>,
}

impl Body {
    fn new(n: usize) -> Self {
        Body { accounts: String::with_capacity(n * 256), failed: Vec::new() }
    }

    /// Start a new element of `accounts`.
    fn next_account(&mut self) -> &mut String {
        if !self.accounts.is_empty() {
            self.accounts.push(',');
        }
        &mut self.accounts
    }

    fn finish(self) -> Vec<u8> {
        let failed = serde_json::to_string(&self.failed).expect("serializable");
        format!("{{\"accounts\":[{}],\"failedAccounts\":{failed}}}", self.accounts).into_bytes()
    }
}

/// `{"ec2":...,"ecr":...,...}` (all five keys), each value written by `value`.
fn write_per_type(out: &mut String, mut value: impl FnMut(&mut String, ResourceType)) {
    out.push('{');
    for (i, t) in ResourceType::ALL.into_iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push('"');
        out.push_str(t.json_key());
        out.push_str("\":");
        value(out, t);
    }
    out.push('}');
}

/// `{"ec2":"ENABLED","ecr":"DISABLED",...}` (all five keys).
fn write_resource_status(out: &mut String, a: &Account) {
    write_per_type(out, |out, t| {
        out.push('"');
        out.push_str(a.resource(t).as_str());
        out.push('"');
    });
}

/// A State object. Real AWS sends only `status` when there is no error (the SDK then reads
/// errorCode as Unknown("no value was set") and errorMessage as ""); `state_error_fields`
/// adds empty errorCode/errorMessage instead.
fn write_state(out: &mut String, status: &str, error_fields: bool) {
    out.push_str("{\"status\":\"");
    out.push_str(status);
    if error_fields {
        out.push_str("\",\"errorCode\":\"\",\"errorMessage\":\"\"}");
    } else {
        out.push_str("\"}");
    }
}

/// Why an Inspector policy of AWS Organizations forbids this change of ECR scanning in `id`, if
/// it does: an Enable where the effective policy disables ECR in this Region, or a Disable where
/// it enables it. (AWS documents the error code, not its message: this one is the emulator's.)
fn blocked_by_policy(w: &World, op: Op, id: &str, types: &[ResourceType]) -> Option<String> {
    if !types.contains(&ResourceType::Ecr) {
        return None;
    }
    let policy_on = w.organizations.as_ref()?.ecr_decision(id, w.region())?;
    let (verb, state) = match (op, policy_on) {
        (Op::Enable, false) => ("enabled", "disables"),
        (Op::Disable, true) => ("disabled", "enables"),
        _ => return None,
    };
    Some(format!(
        "Amazon ECR scanning of account {id} in {} cannot be {verb} through the Amazon Inspector API: the account's effective AWS Organizations Inspector policy {state} it in this Region",
        w.region()
    ))
}

/// Enable or Disable `types` in each of `ids`.
fn change(w: &mut World, caller: &str, op: Op, ids: &[String], types: &[ResourceType]) -> Vec<u8> {
    let now = Instant::now();
    let leads = w.config.account_status_leads;
    let mut body = Body::new(ids.len());
    for id in ids {
        if let Some(f) = rejected(w, caller, op, id, leads) {
            body.failed.push(f);
            continue;
        }
        if let Some(msg) = blocked_by_policy(w, op, id, types) {
            body.failed.push(failed(id, Some((w.account(id), leads)), "BLOCKED_BY_ORGANIZATION_POLICY", &msg));
            continue;
        }
        // A suspended account blocks enablement. (Disable goes ahead: resources move to
        // DISABLING while the account keeps reading SUSPENDED.)
        if op == Op::Enable && w.account(id).suspended {
            let msg = format!("Account {id} is suspended");
            body.failed.push(failed(id, Some((w.account(id), leads)), "ACCESS_DENIED", &msg));
            continue;
        }
        let mut account = w.account(id).clone();
        for &t in types {
            if op == Op::Enable {
                account.enable(t, now);
            } else {
                account.disable(t, now);
            }
        }
        // Only accounts that actually changed become "touched".
        if account != *w.account(id) {
            *w.account_mut(id) = account.clone();
        }
        let out = body.next_account();
        out.push_str("{\"accountId\":\"");
        out.push_str(id);
        out.push_str("\",\"status\":\"");
        out.push_str(account.status(leads).as_str());
        out.push_str("\",\"resourceStatus\":");
        write_resource_status(out, &account);
        out.push('}');
    }
    body.finish()
}

fn batch_get(w: &mut World, caller: &str, ids: &[String]) -> Vec<u8> {
    let now = Instant::now();
    let leads = w.config.account_status_leads;
    let error_fields = w.config.state_error_fields;
    let settle = w.settle();
    let mut body = Body::new(ids.len());
    for id in ids {
        if let Some(f) = rejected(w, caller, Op::BatchGetAccountStatus, id, leads) {
            body.failed.push(f);
            continue;
        }
        // Untouched accounts have nothing pending; don't materialize them.
        let a = match w.here_mut().accounts.get_mut(id.as_str()) {
            Some(a) => {
                a.poll(now, settle);
                &*a
            }
            None => &UNTOUCHED,
        };
        let out = body.next_account();
        out.push_str("{\"accountId\":\"");
        out.push_str(id);
        out.push_str("\",\"state\":");
        write_state(out, a.status(leads).as_str(), error_fields);
        out.push_str(",\"resourceState\":");
        write_per_type(out, |out, t| write_state(out, a.resource(t).as_str(), error_fields));
        out.push('}');
    }
    body.finish()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator_config::Initial;
    use crate::model::account::Status;

    const ME: &str = "123456789012";
    const ADMIN: &str = "111111111111";
    const MEMBER: &str = "222222222222";

    fn world() -> World {
        World::new(Initial::default())
    }

    fn org() -> World {
        World::with_org(ADMIN, (0..5000u64).map(|n| format!("{:012}", 222_222_222_222 + n)))
    }

    fn call(w: &mut World, caller: &str, path: &str, body: Value) -> (u16, Value) {
        let body = serde_json::to_vec(&body).unwrap();
        call_raw(w, caller, path, &body)
    }

    fn call_raw(w: &mut World, caller: &str, path: &str, body: &[u8]) -> (u16, Value) {
        let r = handle(w, &AwsRequest::for_test("POST", path, body, caller));
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    fn status_of(w: &mut World, caller: &str, id: &str) -> Value {
        let (s, v) = call(w, caller, "/status/batch/get", json!({"accountIds": [id]}));
        assert_eq!(s, 200);
        v["accounts"][0].clone()
    }

    #[test]
    fn enable_then_poll_settle_polls_2() {
        let mut w = world();
        w.config.settle_polls = 2;
        let (s, v) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["ECR"]}));
        assert_eq!(s, 200);
        assert_eq!(v["accounts"][0]["accountId"], ME);
        assert_eq!(v["accounts"][0]["status"], "ENABLING");
        assert_eq!(v["accounts"][0]["resourceStatus"]["ecr"], "ENABLING");
        assert_eq!(v["accounts"][0]["resourceStatus"]["ec2"], "DISABLED");
        assert_eq!(v["failedAccounts"], json!([]));
        let a = status_of(&mut w, ME, ME);
        assert_eq!(a["state"]["status"], "ENABLING");
        assert_eq!(a["resourceState"]["ecr"]["status"], "ENABLING");
        let a = status_of(&mut w, ME, ME);
        assert_eq!(a["state"]["status"], "ENABLED");
        assert_eq!(a["resourceState"]["ecr"]["status"], "ENABLED");
        assert_eq!(a["resourceState"]["ec2"]["status"], "DISABLED");
        for k in ["ec2", "ecr", "lambda", "lambdaCode", "codeRepository"] {
            assert!(a["resourceState"][k]["status"].is_string(), "{k}");
        }
        assert_eq!(w.requests.count("BatchGetAccountStatus"), 2);
    }

    #[test]
    fn untouched_account_reads_disabled() {
        let mut w = world();
        let a = status_of(&mut w, ME, ME);
        assert_eq!(a["state"]["status"], "DISABLED");
        assert_eq!(a["resourceState"]["ecr"]["status"], "DISABLED");
        assert!(a["state"].get("errorCode").is_none());
        w.config.state_error_fields = true;
        let a = status_of(&mut w, ME, ME);
        assert_eq!(a["state"]["errorCode"], "");
        assert_eq!(a["resourceState"]["ec2"]["errorMessage"], "");
        assert!(w.here().accounts.is_empty());
    }

    #[test]
    fn disable_defaults_to_all_types() {
        let mut w = world();
        call(&mut w, ME, "/enable", json!({"resourceTypes": ["EC2", "ECR", "LAMBDA"]}));
        status_of(&mut w, ME, ME);
        let (s, v) = call(&mut w, ME, "/disable", json!({}));
        assert_eq!(s, 200);
        let rs = &v["accounts"][0]["resourceStatus"];
        assert_eq!(rs["ec2"], "DISABLING");
        assert_eq!(rs["lambda"], "DISABLING");
        assert_eq!(rs["lambdaCode"], "DISABLED");
        assert_eq!(v["accounts"][0]["status"], "DISABLING");
        let a = status_of(&mut w, ME, ME);
        assert_eq!(a["state"]["status"], "DISABLED");
    }

    #[test]
    fn validation_errors() {
        let mut w = world();
        let (s, v) = call(&mut w, ME, "/enable", json!({}));
        assert_eq!(s, 400);
        assert_eq!(v["reason"], "FIELD_VALIDATION_FAILED");
        assert_eq!(v["fields"][0]["name"], "resourceTypes");
        let (s, v) = call(&mut w, ME, "/enable", json!({"resourceTypes": []}));
        assert_eq!((s, v["fields"][0]["name"].as_str()), (400, Some("resourceTypes")));
        let (s, _) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["AMI"]}));
        assert_eq!(s, 400);
        let (s, _) = call(&mut w, ME, "/enable", json!({"resourceTypes": vec!["EC2"; 7]}));
        assert_eq!(s, 400);
        let ids: Vec<String> = (0..101).map(|i| format!("{:012}", i)).collect();
        let (s, v) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["EC2"], "accountIds": ids}));
        assert_eq!(s, 400);
        assert_eq!(v["fields"][0]["name"], "accountIds");
        let (s, v) = call(&mut w, ME, "/status/batch/get", json!({"accountIds": ["12345"]}));
        assert_eq!(s, 400);
        assert_eq!(v["fields"][0]["name"], "accountIds");
        let (s, v) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["EC2"], "clientToken": ""}));
        assert_eq!((s, v["fields"][0]["name"].as_str()), (400, Some("clientToken")));
        let long = "x".repeat(65);
        let (s, _) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["EC2"], "clientToken": long}));
        assert_eq!(s, 400);
        let (s, v) = call_raw(&mut w, ME, "/enable", b"{not json");
        assert_eq!(s, 400);
        assert_eq!(v["reason"], "CANNOT_PARSE");
        // Disable accepts no resourceTypes; BatchGet accepts an empty body.
        assert_eq!(call(&mut w, ME, "/disable", json!({})).0, 200);
        assert_eq!(call_raw(&mut w, ME, "/status/batch/get", b"").0, 200);
        // Nothing changed.
        assert!(w.here().accounts.is_empty());
        // Two field errors at once.
        let (_, v) = call(&mut w, ME, "/enable", json!({"accountIds": ["x"]}));
        assert_eq!(v["fields"].as_array().unwrap().len(), 2);
    }

    #[test]
    fn idempotent_enable_replays() {
        let mut w = world();
        w.config.settle_polls = 5;
        let body = json!({"resourceTypes": ["EC2"], "clientToken": "tok-1"});
        let (_, first) = call(&mut w, ME, "/enable", body.clone());
        // Change the world behind its back; the replay must not see it nor change it.
        w.account_mut(ME).set_resource(ResourceType::Ec2, Status::Disabled, Instant::now());
        let (s, second) = call(&mut w, ME, "/enable", body.clone());
        assert_eq!(s, 200);
        assert_eq!(first, second);
        assert_eq!(w.account(ME).resource(ResourceType::Ec2), Status::Disabled);
        let log = w.requests.to_json();
        assert_eq!(log["counts"]["Enable"], 2);
        assert_eq!(log["log"][0]["replayed"], false);
        assert_eq!(log["log"][1]["replayed"], true);
        // Another caller with the same token is not a replay.
        let (_, v) = call(&mut w, ADMIN, "/enable", body);
        assert_eq!(v["accounts"][0]["accountId"], ADMIN);
    }

    #[test]
    fn org_permissions() {
        let mut w = org();
        let (_, v) = call(
            &mut w,
            ADMIN,
            "/enable",
            json!({"accountIds": [MEMBER, ADMIN, "999999999999"], "resourceTypes": ["ECR"]}),
        );
        assert_eq!(v["accounts"].as_array().unwrap().len(), 2);
        assert_eq!(v["accounts"][0]["accountId"], MEMBER);
        assert_eq!(v["accounts"][1]["accountId"], ADMIN);
        assert_eq!(v["failedAccounts"][0]["accountId"], "999999999999");
        assert_eq!(v["failedAccounts"][0]["errorCode"], "ACCESS_DENIED");
        assert!(v["failedAccounts"][0]["errorMessage"].as_str().unwrap().contains("999999999999"));
        // Member: cannot change itself, can read itself.
        let (_, v) = call(&mut w, MEMBER, "/disable", json!({}));
        assert_eq!(v["failedAccounts"][0]["errorCode"], "ACCESS_DENIED");
        assert!(v["failedAccounts"][0]["errorMessage"].as_str().unwrap().contains(ADMIN));
        let a = status_of(&mut w, MEMBER, MEMBER);
        assert_eq!(a["state"]["status"], "ENABLED");
        let (_, v) = call(&mut w, MEMBER, "/status/batch/get", json!({"accountIds": [ADMIN]}));
        assert_eq!(v["accounts"], json!([]));
        assert_eq!(v["failedAccounts"][0]["errorCode"], "ACCESS_DENIED");
    }

    #[test]
    fn suspended_blocks_enable() {
        let mut w = org();
        w.account_mut(MEMBER).suspended = true;
        let (_, v) = call(&mut w, ADMIN, "/enable", json!({"accountIds": [MEMBER], "resourceTypes": ["ECR"]}));
        let f = &v["failedAccounts"][0];
        assert_eq!(f["status"], "SUSPENDED");
        assert_eq!(f["errorCode"], "ACCESS_DENIED");
        assert_eq!(f["errorMessage"], format!("Account {MEMBER} is suspended"));
        assert_eq!(f["resourceStatus"]["ecr"], "DISABLED");
        let a = status_of(&mut w, ADMIN, MEMBER);
        assert_eq!(a["state"]["status"], "SUSPENDED");
    }

    #[test]
    fn failed_account_injection_and_request_faults() {
        let mut w = world();
        w.faults
            .add_json(&json!({"kind": "failed_account", "operation": "Enable", "account_id": ME,
                "code": "SSM_UNAVAILABLE", "message": "ssm down", "times": 1}))
            .unwrap();
        let (_, v) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["EC2"]}));
        assert_eq!(v["accounts"], json!([]));
        assert_eq!(v["failedAccounts"][0]["errorCode"], "SSM_UNAVAILABLE");
        assert_eq!(v["failedAccounts"][0]["status"], "DISABLED");
        assert_eq!(w.account(ME).resource(ResourceType::Ec2), Status::Disabled);
        let (_, v) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["EC2"]}));
        assert_eq!(v["accounts"][0]["status"], "ENABLING");

        w.config.retry_after_seconds = 2;
        w.faults.add_json(&json!({"kind": "throttle", "operation": "BatchGetAccountStatus", "times": 1})).unwrap();
        let req_body = serde_json::to_vec(&json!({})).unwrap();
        let req = AwsRequest::for_test("POST", "/status/batch/get", &req_body, ME);
        let r = handle(&mut w, &req);
        assert_eq!(r.status, 429);
        assert_eq!(r.get_header("Retry-After"), Some("2"));
        // The throttled read did not count as a poll.
        assert_eq!(w.account(ME).resource(ResourceType::Ec2), Status::Enabling);
        let r = handle(&mut w, &req);
        assert_eq!(r.status, 200);
        let log = w.requests.to_json();
        assert_eq!(log["counts"]["BatchGetAccountStatus"], 2);
        assert_eq!(log["log"][2]["http_status"], 429);
    }

    #[test]
    fn leads_flag() {
        let mut w = world();
        w.config.settle_polls = 3;
        w.config.account_status_leads = true;
        let (_, v) = call(&mut w, ME, "/enable", json!({"resourceTypes": ["ECR"]}));
        assert_eq!(v["accounts"][0]["status"], "ENABLED");
        let a = status_of(&mut w, ME, ME);
        assert_eq!(a["state"]["status"], "ENABLED");
        assert_eq!(a["resourceState"]["ecr"]["status"], "ENABLING");
    }

    #[test]
    fn order_and_dedup() {
        let mut w = org();
        let ids = ["222222222230", "222222222225", "222222222230", "222222222222"];
        let (_, v) = call(&mut w, ADMIN, "/status/batch/get", json!({"accountIds": ids}));
        let got: Vec<&str> =
            v["accounts"].as_array().unwrap().iter().map(|a| a["accountId"].as_str().unwrap()).collect();
        assert_eq!(got, vec!["222222222230", "222222222225", "222222222222"]);
    }

    #[test]
    fn unknown_route() {
        let mut w = world();
        let (s, v) = call(&mut w, ME, "/members/list", json!({}));
        assert_eq!(s, 404);
        assert!(v["message"].is_string());
    }

    #[test]
    fn hundred_accounts_is_fast() {
        let mut w = org();
        let ids: Vec<String> = (0..100).map(|n| format!("{:012}", 222_222_222_222u64 + n)).collect();
        let enable = serde_json::to_vec(&json!({"accountIds": ids, "resourceTypes": ["EC2", "ECR"]})).unwrap();
        let get = serde_json::to_vec(&json!({"accountIds": ids})).unwrap();
        let (s, _) = call_raw(&mut w, ADMIN, "/enable", &enable);
        assert_eq!(s, 200);
        let (s, v) = call_raw(&mut w, ADMIN, "/status/batch/get", &get);
        assert_eq!(s, 200);
        assert_eq!(v["accounts"].as_array().unwrap().len(), 100);
        assert_eq!(v["accounts"][99]["state"]["status"], "ENABLED");

        let time = |w: &mut World, path: &'static str, body: &[u8]| {
            let req = AwsRequest::for_test("POST", path, body, ADMIN);
            let rounds = 50;
            let t = std::time::Instant::now();
            for _ in 0..rounds {
                assert_eq!(handle(w, &req).status, 200);
            }
            t.elapsed() / rounds
        };
        let en = time(&mut w, "/enable", &enable);
        let get = time(&mut w, "/status/batch/get", &get);
        // Release builds measure ~60 us / ~35 us; this bound is generous for debug builds on a
        // busy machine.
        eprintln!("Enable(100 accounts): {en:?}, BatchGetAccountStatus(100 accounts): {get:?}");
        let bound = std::time::Duration::from_millis(if cfg!(debug_assertions) { 20 } else { 1 });
        assert!(en < bound && get < bound, "{en:?} {get:?}");
    }
}
