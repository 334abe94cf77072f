//! Amazon Inspector2 (restJson1) scan settings: GetConfiguration and UpdateConfiguration.
//!
//! A member of an organization reads its delegated administrator's settings and may not change
//! them (AccessDeniedException), as on AWS; the administrator's change applies to every member.

use serde_json::{Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::world::World;
use crate::reply::Reply;
use crate::util::{parse_object, unix_now, unknown_key};

const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (429, "ThrottlingException"),
    server_error: ("InternalServerException", "Injected internal server error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: ApiError::validation_fault,
};

pub fn owns_path(path: &str) -> bool {
    operation(path).is_some()
}

fn operation(path: &str) -> Option<&'static str> {
    match path.trim_end_matches('/') {
        "/configuration/get" => Some("GetConfiguration"),
        "/configuration/update" => Some("UpdateConfiguration"),
        _ => None,
    }
}

/// Whose settings `caller` reads: a member reads its administrator's.
fn owner(w: &World, caller: &str) -> String {
    match &w.here().org.delegated_admin {
        Some(admin) if w.here().org.is_associated(caller) && caller != admin => admin.clone(),
        _ => caller.to_owned(),
    }
}

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let Some(op) = operation(req.path).filter(|_| req.method == "POST") else {
        return req.unknown_operation(w, "inspector2").to_json_reply();
    };
    let mut entry = req.log_entry("inspector2", op);
    let parsed = parse_object(req.body);
    if let Ok(obj) = &parsed {
        // Which top-level settings a request carried: tests check EC2 is never sent.
        let sent: Vec<Value> = obj.keys().cloned().map(Value::String).collect();
        entry.fields.insert("sent".into(), Value::Array(sent));
        entry.fields.insert("ecr_configuration".into(), obj.get("ecrConfiguration").cloned().unwrap_or(Value::Null));
    }
    let reply = match w.injected_fault(op, &FAULT_ERRORS, &mut entry) {
        Some(f) => f.into_reply(ApiError::to_json_reply),
        None => match parsed {
            Err(e) => ApiError::cannot_parse(&e).to_json_reply(),
            Ok(obj) if op == "GetConfiguration" => get(w, req, &obj),
            Ok(obj) => update(w, req, &obj).unwrap_or_else(|e| e.to_json_reply()),
        },
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

fn get(w: &World, req: &AwsRequest, obj: &Map<String, Value>) -> Reply {
    if let Some(k) = unknown_key(obj, &["accountId"]) {
        return ApiError::field_validation(vec![(k.into(), format!("Unknown field {k}"))]).to_json_reply();
    }
    let owner = owner(w, &req.caller.account);
    Reply::json(200, &w.here().scan_settings.get(&owner).cloned().unwrap_or_default().to_wire())
}

fn update(w: &mut World, req: &AwsRequest, obj: &Map<String, Value>) -> Result<Reply, ApiError> {
    let caller = req.caller.account.as_str();
    if let Some(admin) =
        w.here().org.delegated_admin.as_deref().filter(|a| *a != caller && w.here().org.is_associated(caller))
    {
        return Err(ApiError::new(
            403,
            "AccessDeniedException",
            format!("Member accounts in an organization cannot update this setting; use the delegated administrator account {admin}"),
        ));
    }
    if let Some(k) = unknown_key(obj, &["ecrConfiguration", "ec2Configuration"]) {
        return Err(ApiError::field_validation(vec![(k.into(), format!("The emulator does not support field {k}"))]));
    }
    let mut config = w.here().scan_settings.get(caller).cloned().unwrap_or_default();
    let mut errs = Vec::new();
    if let Some(ecr) = obj.get("ecrConfiguration") {
        if ecr.get("rescanDuration").is_none() {
            errs.push(("ecrConfiguration.rescanDuration".into(), "Member must not be null".into()));
        }
        apply(&mut config, ecr, &["rescanDuration", "pullDateRescanDuration", "pullDateRescanMode"], &mut errs);
    }
    if let Some(ec2) = obj.get("ec2Configuration") {
        apply(&mut config, ec2, &["scanMode"], &mut errs);
    }
    if obj.get("ecrConfiguration").or(obj.get("ec2Configuration")).is_none() {
        errs.push(("ecrConfiguration".into(), "one of ecrConfiguration or ec2Configuration is required".into()));
    }
    if !errs.is_empty() {
        return Err(ApiError::field_validation(errs));
    }
    config.updated_at = unix_now();
    w.here_mut().scan_settings.insert(caller.to_owned(), config);
    Ok(Reply::json(200, &Value::Object(Map::new())))
}

fn apply(
    config: &mut crate::model::scan_settings::ScanSettings,
    v: &Value,
    fields: &[&str],
    errs: &mut Vec<(String, String)>,
) {
    for f in fields {
        match v.get(*f) {
            None | Some(Value::Null) => {}
            Some(Value::String(s)) => {
                if let Err(e) = config.set_wire(f, s) {
                    errs.push(((*f).into(), e));
                }
            }
            Some(other) => errs.push(((*f).into(), format!("Value {other} at '{f}' must be a string"))),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator_config::Initial;
    use serde_json::json;

    const ADMIN: &str = "111111111111";
    const MEMBER: &str = "222222222222";

    fn call(w: &mut World, caller: &str, path: &str, body: Value) -> (u16, Value) {
        let bytes = serde_json::to_vec(&body).unwrap();
        let r = handle(w, &AwsRequest::for_test("POST", path, &bytes, caller));
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    fn org() -> World {
        let mut init = Initial::default();
        init.config.delegated_admin = Some(ADMIN.into());
        init.config.members = [MEMBER.to_string()].into_iter().collect();
        World::new(init)
    }

    #[test]
    fn admin_updates_apply_to_members_and_members_are_refused() {
        let mut w = org();
        let (s, v) = call(&mut w, MEMBER, "/configuration/get", json!({}));
        assert_eq!(s, 200);
        assert_eq!(v["ecrConfiguration"]["rescanDurationState"]["rescanDuration"], "DAYS_14");
        let body = json!({"ecrConfiguration": {"rescanDuration": "DAYS_30", "pullDateRescanMode": "LAST_PULL_DATE"}});
        assert_eq!(call(&mut w, ADMIN, "/configuration/update", body.clone()).0, 200);
        let (_, v) = call(&mut w, MEMBER, "/configuration/get", json!({}));
        let state = &v["ecrConfiguration"]["rescanDurationState"];
        assert_eq!(
            (state["rescanDuration"].as_str(), state["pullDateRescanMode"].as_str()),
            (Some("DAYS_30"), Some("LAST_PULL_DATE"))
        );
        assert_eq!(state["pullDateRescanDuration"], "DAYS_14", "fields not sent stay");
        let (s, v) = call(&mut w, MEMBER, "/configuration/update", body);
        assert_eq!(s, 403);
        assert!(v["message"].as_str().unwrap().contains(ADMIN));
        let log = w.requests.to_json();
        assert_eq!(log["counts"]["UpdateConfiguration"], 2);
        assert_eq!(log["log"][1]["sent"], json!(["ecrConfiguration"]));
    }

    #[test]
    fn validation() {
        let mut w = org();
        let (s, v) = call(
            &mut w,
            ADMIN,
            "/configuration/update",
            json!({"ecrConfiguration": {"pullDateRescanDuration": "DAYS_7"}}),
        );
        assert_eq!(s, 400);
        assert_eq!(v["fields"][0]["name"], "ecrConfiguration.rescanDuration");
        let (s, _) =
            call(&mut w, ADMIN, "/configuration/update", json!({"ecrConfiguration": {"rescanDuration": "DAYS_1"}}));
        assert_eq!(s, 400);
        assert_eq!(call(&mut w, ADMIN, "/configuration/update", json!({})).0, 400);
        assert!(w.here().scan_settings.is_empty(), "nothing changed");
        assert_eq!(
            call(&mut w, ADMIN, "/configuration/update", json!({"ec2Configuration": {"scanMode": "EC2_HYBRID"}})).0,
            200
        );
        assert_eq!(w.here().scan_settings[ADMIN].ec2_scan_mode, "EC2_HYBRID");
    }
}
