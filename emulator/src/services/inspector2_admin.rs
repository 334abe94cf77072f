//! Amazon Inspector2 (restJson1) delegated administrator: EnableDelegatedAdminAccount,
//! DisableDelegatedAdminAccount, GetDelegatedAdminAccount and ListDelegatedAdminAccounts, in the
//! Region of the call, on the same per-Region organization state the member operations use.
//!
//! Only the AWS Organizations management account may call them (403 AccessDeniedException
//! otherwise; input is validated first). A change is asynchronous: it settles after the config's
//! `delegated_admin_polls` Get/List reads and `delegated_admin_delay_ms`. Until an Enable has
//! settled, Get answers the account with relationshipStatus `CREATED` and List leaves it out (AWS's
//! `DelegatedAdminStatus` has only ENABLED and DISABLE_IN_PROGRESS); during a Disable, List says
//! `DISABLE_IN_PROGRESS` and Get `DISABLED`. The same account must be the administrator in every
//! Region: another account, here or in another Region, is 409 ConflictException naming it.

use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::inspector_org::{AdminChange, Pending};
use crate::model::world::World;
use crate::reply::Reply;
use crate::util::{is_account_id, parse_object, unknown_key};

const SERVICE: &str = "inspector2";

const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (429, "ThrottlingException"),
    server_error: ("InternalServerException", "Injected internal server error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: ApiError::validation_fault,
};

/// ListDelegatedAdminAccounts `maxResults`: 1 to 5.
const MAX_RESULTS: u64 = 5;

fn operation(path: &str) -> Option<&'static str> {
    Some(match path.trim_end_matches('/') {
        "/delegatedadminaccounts/enable" => "EnableDelegatedAdminAccount",
        "/delegatedadminaccounts/disable" => "DisableDelegatedAdminAccount",
        "/delegatedadminaccounts/get" => "GetDelegatedAdminAccount",
        "/delegatedadminaccounts/list" => "ListDelegatedAdminAccounts",
        _ => return None,
    })
}

pub fn owns_path(path: &str) -> bool {
    operation(path).is_some()
}

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let Some(op) = operation(req.path).filter(|_| req.method == "POST") else {
        return req.unknown_operation(w, SERVICE).to_json_reply();
    };
    let mut entry = req.log_entry(SERVICE, op);
    let parsed = parse_object(req.body);
    if let Some(id) = parsed.as_ref().ok().and_then(|o| o.get("delegatedAdminAccountId")) {
        entry.fields.insert("account_id".into(), id.clone());
    }
    let reply = match w.injected_fault(op, &FAULT_ERRORS, &mut entry) {
        Some(f) => f.into_reply(ApiError::to_json_reply),
        None => match parsed {
            Err(e) => ApiError::cannot_parse(&e).to_json_reply(),
            Ok(obj) => match respond(w, req, op, &obj) {
                Ok(v) => Reply::json(200, &v),
                Err(e) => e.to_json_reply(),
            },
        },
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

fn respond(w: &mut World, req: &AwsRequest, op: &str, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    match op {
        "EnableDelegatedAdminAccount" => {
            let id = admin_id(obj, &["delegatedAdminAccountId", "clientToken"])?;
            client_token(obj)?;
            management_only(w, req)?;
            enable(w, req, &id)
        }
        "DisableDelegatedAdminAccount" => {
            let id = admin_id(obj, &["delegatedAdminAccountId"])?;
            management_only(w, req)?;
            disable(w, req, &id)
        }
        "GetDelegatedAdminAccount" => {
            if let Some(k) = obj.keys().next() {
                return Err(field_error(k, format!("Unknown field {k}")));
            }
            management_only(w, req)?;
            Ok(get(w))
        }
        _ => {
            list_input(obj)?;
            management_only(w, req)?;
            Ok(list(w))
        }
    }
}

fn field_error(field: &str, message: String) -> ApiError {
    ApiError::field_validation(vec![(field.into(), message)])
}

/// The required `delegatedAdminAccountId`.
fn admin_id(obj: &Map<String, Value>, allowed: &[&str]) -> Result<String, ApiError> {
    if let Some(k) = unknown_key(obj, allowed) {
        return Err(field_error(k, format!("Unknown field {k}")));
    }
    match obj.get("delegatedAdminAccountId") {
        Some(Value::String(id)) if is_account_id(id) => Ok(id.clone()),
        None | Some(Value::Null) => Err(field_error("delegatedAdminAccountId", "Member must not be null".into())),
        Some(v) => Err(field_error(
            "delegatedAdminAccountId",
            format!("Value {v} at 'delegatedAdminAccountId' failed to satisfy constraint: Member must satisfy regular expression pattern: \\d{{12}}"),
        )),
    }
}

fn client_token(obj: &Map<String, Value>) -> Result<(), ApiError> {
    match obj.get("clientToken") {
        None | Some(Value::Null) => Ok(()),
        Some(Value::String(s)) if (1..=64).contains(&s.chars().count()) => Ok(()),
        Some(v) => Err(field_error(
            "clientToken",
            format!(
                "Value {v} at 'clientToken' failed to satisfy constraint: Member must have length between 1 and 64"
            ),
        )),
    }
}

fn list_input(obj: &Map<String, Value>) -> Result<(), ApiError> {
    if let Some(k) = unknown_key(obj, &["maxResults", "nextToken"]) {
        return Err(field_error(k, format!("Unknown field {k}")));
    }
    match obj.get("maxResults") {
        None | Some(Value::Null) => Ok(()),
        Some(v) if v.as_u64().is_some_and(|n| (1..=MAX_RESULTS).contains(&n)) => Ok(()),
        Some(v) => Err(field_error("maxResults", format!("Value {v} at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {MAX_RESULTS}"))),
    }
}

/// 403 unless the caller is the AWS Organizations management account.
fn management_only(w: &World, req: &AwsRequest) -> Result<(), ApiError> {
    let caller = &req.caller.account;
    if w.organizations.as_ref().is_some_and(|o| o.management == *caller) {
        return Ok(());
    }
    Err(not_management(caller))
}

fn not_management(caller: &str) -> ApiError {
    ApiError::new(
        403,
        "AccessDeniedException",
        format!("Account {caller} is not the management account of an AWS organization; only the management account can manage the Amazon Inspector delegated administrator"),
    )
}

/// The account that is, or is becoming, the administrator in the selected Region.
fn current_admin(w: &World) -> Option<String> {
    match &w.here().org.admin_change {
        Some(c) if c.enabling => Some(c.account.clone()),
        _ => w.here().org.delegated_admin.clone(),
    }
}

/// The administrator of another Region that is not `id`, if any: AWS's rule is one administrator
/// account for every Region.
fn admin_elsewhere(w: &World, id: &str) -> Option<(String, String)> {
    w.regions().into_iter().filter(|r| r != w.region()).find_map(|r| {
        let org = &w.region_state(&r)?.org;
        let admin = match &org.admin_change {
            Some(c) if c.enabling => Some(c.account.clone()),
            _ => org.delegated_admin.clone(),
        };
        admin.filter(|a| a != id).map(|a| (a, r))
    })
}

fn conflict(message: String) -> ApiError {
    ApiError::new(409, "ConflictException", message)
}

fn enable(w: &mut World, req: &AwsRequest, id: &str) -> Result<Value, ApiError> {
    let Some(orgs) = w.organizations.as_ref() else { return Err(not_management(&req.caller.account)) };
    if !orgs.accounts.contains_key(id) {
        return Err(field_error(
            "delegatedAdminAccountId",
            format!("Account {id} is not an account of the organization {}", orgs.id),
        ));
    }
    if orgs.management == id {
        return Err(field_error(
            "delegatedAdminAccountId",
            format!("The management account {id} cannot be the delegated administrator"),
        ));
    }
    let region = req.region.as_str();
    match current_admin(w) {
        Some(a) if a == id => return Ok(json!({ "delegatedAdminAccountId": id })),
        Some(a) => {
            return Err(conflict(format!(
                "Account {a} is already the Amazon Inspector delegated administrator in {region}; disable it first"
            )))
        }
        None => {}
    }
    if let Some((a, r)) = admin_elsewhere(w, id) {
        return Err(conflict(format!("Account {a} is the Amazon Inspector delegated administrator in {r}; the same account must be the delegated administrator in every Region")));
    }
    let pending = Pending { since: Instant::now(), polls: 0 };
    w.here_mut().org.admin_change = Some(AdminChange { account: id.into(), enabling: true, pending });
    w.settle_associations();
    Ok(json!({ "delegatedAdminAccountId": id }))
}

fn disable(w: &mut World, req: &AwsRequest, id: &str) -> Result<Value, ApiError> {
    if current_admin(w).as_deref() != Some(id) {
        if w.here().org.admin_change.as_ref().is_some_and(|c| !c.enabling && c.account == id) {
            return Ok(json!({ "delegatedAdminAccountId": id })); // already being disabled
        }
        return Err(ApiError::new(
            404,
            "ResourceNotFoundException",
            format!("Account {id} is not the Amazon Inspector delegated administrator in {}", req.region),
        ));
    }
    let pending = Pending { since: Instant::now(), polls: 0 };
    w.here_mut().org.admin_change = Some(AdminChange { account: id.into(), enabling: false, pending });
    w.settle_associations();
    Ok(json!({ "delegatedAdminAccountId": id }))
}

/// Count a read of the change under way and settle it if due.
fn read(w: &mut World) {
    w.here_mut().org.poll_admin_change();
    w.settle_associations();
}

fn get(w: &mut World) -> Value {
    read(w);
    let status = match (&w.here().org.admin_change, &w.here().org.delegated_admin) {
        (Some(c), _) if c.enabling => Some((c.account.clone(), "CREATED")),
        (Some(c), _) => Some((c.account.clone(), "DISABLED")),
        (None, Some(a)) => Some((a.clone(), "ENABLED")),
        (None, None) => None,
    };
    match status {
        Some((account, status)) => json!({"delegatedAdmin": {"accountId": account, "relationshipStatus": status}}),
        None => json!({}),
    }
}

fn list(w: &mut World) -> Value {
    read(w);
    let listed = match (&w.here().org.admin_change, &w.here().org.delegated_admin) {
        (Some(c), _) if !c.enabling => vec![json!({"accountId": c.account, "status": "DISABLE_IN_PROGRESS"})],
        (_, Some(a)) => vec![json!({"accountId": a, "status": "ENABLED"})],
        _ => vec![],
    };
    json!({ "delegatedAdminAccounts": listed })
}
