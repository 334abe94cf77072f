//! Amazon Inspector2 (restJson1) organization operations: ListMembers, GetMember, AssociateMember,
//! DescribeOrganizationConfiguration and UpdateOrganizationConfiguration, in the Region of the call.
//!
//! Only the Region's delegated administrator may call them; any other account gets 403
//! AccessDeniedException saying it is not the delegated administrator. Input is validated first
//! (400 ValidationException naming the field), as AWS's front door does.

use std::ops::Bound;

use base64::engine::general_purpose::STANDARD;
use base64::Engine;
use serde_json::{json, Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::inspector_org::{AutoEnable, Member, ASSOCIATED};
use crate::model::world::World;
use crate::reply::Reply;
use crate::request_log::LogEntry;
use crate::util::{is_account_id, parse_object, unknown_key};

const SERVICE: &str = "inspector2";

const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (429, "ThrottlingException"),
    server_error: ("InternalServerException", "Injected internal server error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: ApiError::validation_fault,
};

/// ListMembers `maxResults`: allowed range and default.
const MAX_RESULTS: u64 = 50;

fn operation(path: &str) -> Option<&'static str> {
    Some(match path.trim_end_matches('/') {
        "/members/list" => "ListMembers",
        "/members/get" => "GetMember",
        "/members/associate" => "AssociateMember",
        "/organizationconfiguration/describe" => "DescribeOrganizationConfiguration",
        "/organizationconfiguration/update" => "UpdateOrganizationConfiguration",
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
    if let Ok(obj) = &parsed {
        log_fields(op, obj, &mut entry);
    }
    let reply = match w.injected_fault(op, &FAULT_ERRORS, &mut entry) {
        Some(f) => f.into_reply(ApiError::to_json_reply),
        None => match parsed {
            Err(e) => ApiError::cannot_parse(&e).to_json_reply(),
            Ok(obj) => match respond(w, req, op, &obj, &mut entry) {
                Ok(v) => Reply::json(200, &v),
                Err(e) => e.to_json_reply(),
            },
        },
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

/// What the request log keeps of each call, as sent.
fn log_fields(op: &str, obj: &Map<String, Value>, entry: &mut LogEntry) {
    let get = |k: &str| obj.get(k).cloned().unwrap_or(Value::Null);
    match op {
        "ListMembers" => {
            entry.fields.insert("only_associated".into(), get("onlyAssociated"));
            entry.fields.insert("max_results".into(), get("maxResults"));
            entry.fields.insert("has_next_token".into(), json!(obj.get("nextToken").is_some_and(|t| !t.is_null())));
        }
        "GetMember" | "AssociateMember" => {
            entry.fields.insert("account_id".into(), get("accountId"));
        }
        "UpdateOrganizationConfiguration" => {
            entry.fields.insert("auto_enable".into(), get("autoEnable"));
        }
        _ => {}
    }
}

fn respond(
    w: &mut World,
    req: &AwsRequest,
    op: &str,
    obj: &Map<String, Value>,
    entry: &mut LogEntry,
) -> Result<Value, ApiError> {
    match op {
        "ListMembers" => list_members(w, req, obj, entry),
        "GetMember" => get_member(w, req, obj),
        "AssociateMember" => associate_member(w, req, obj),
        "DescribeOrganizationConfiguration" => {
            no_fields(obj)?;
            administrator_only(w, req)?;
            let flags = w.here_mut().org.read_auto_enable();
            Ok(json!({"autoEnable": flags.to_wire(), "maxAccountLimitReached": w.here().org.max_account_limit_reached}))
        }
        _ => {
            if let Some(k) = unknown_key(obj, &["autoEnable"]) {
                return Err(unknown_field(k));
            }
            let flags = AutoEnable::from_wire(obj.get("autoEnable")).map_err(ApiError::field_validation)?;
            administrator_only(w, req)?;
            let stale_reads = w.faults.take_stale_org_config();
            w.here_mut().org.update_auto_enable(flags, stale_reads);
            Ok(json!({"autoEnable": flags.to_wire()}))
        }
    }
}

fn unknown_field(k: &str) -> ApiError {
    ApiError::field_validation(vec![(k.into(), format!("Unknown field {k}"))])
}

fn no_fields(obj: &Map<String, Value>) -> Result<(), ApiError> {
    match obj.keys().next() {
        Some(k) => Err(unknown_field(k)),
        None => Ok(()),
    }
}

/// 403 unless the caller is the Region's delegated administrator.
fn administrator_only(w: &World, req: &AwsRequest) -> Result<(), ApiError> {
    let caller = &req.caller.account;
    if w.here().org.is_admin(caller) {
        return Ok(());
    }
    Err(ApiError::new(
        403,
        "AccessDeniedException",
        format!(
            "Account {caller} is not the delegated administrator for Amazon Inspector in {}; only the delegated administrator can manage members and the organization configuration",
            req.region
        ),
    ))
}

/// The required `accountId` of GetMember and AssociateMember.
fn account_id_field(obj: &Map<String, Value>) -> Result<String, ApiError> {
    if let Some(k) = unknown_key(obj, &["accountId"]) {
        return Err(unknown_field(k));
    }
    match obj.get("accountId") {
        Some(Value::String(id)) if is_account_id(id) => Ok(id.clone()),
        None | Some(Value::Null) => {
            Err(ApiError::field_validation(vec![("accountId".into(), "Member must not be null".into())]))
        }
        Some(other) => Err(ApiError::field_validation(vec![(
            "accountId".into(),
            format!("Value {other} at 'accountId' failed to satisfy constraint: Member must be a 12-digit account id"),
        )])),
    }
}

fn member_json(admin: &str, id: &str, m: &Member) -> Value {
    json!({
        "accountId": id,
        "relationshipStatus": m.status,
        "delegatedAdminAccountId": admin,
        "updatedAt": m.updated_at_ms as f64 / 1000.0,
    })
}

/// A ListMembers request, validated.
struct ListInput {
    only_associated: bool,
    max: usize,
    after: Option<String>,
}

fn list_input(obj: &Map<String, Value>) -> Result<ListInput, ApiError> {
    if let Some(k) = unknown_key(obj, &["onlyAssociated", "maxResults", "nextToken"]) {
        return Err(unknown_field(k));
    }
    let one = |name: &str, msg: String| ApiError::field_validation(vec![(name.into(), msg)]);
    let only_associated = match obj.get("onlyAssociated") {
        None | Some(Value::Null) => true,
        Some(Value::Bool(b)) => *b,
        Some(v) => return Err(one("onlyAssociated", format!("Value {v} at 'onlyAssociated' must be a boolean"))),
    };
    let max = match obj.get("maxResults") {
        None | Some(Value::Null) => MAX_RESULTS,
        Some(v) => v.as_u64().filter(|n| (1..=MAX_RESULTS).contains(n)).ok_or_else(|| {
            one("maxResults", format!("Value {v} at 'maxResults' failed to satisfy constraint: Member must have value between 1 and {MAX_RESULTS}"))
        })?,
    };
    let after = match obj.get("nextToken") {
        None | Some(Value::Null) => None,
        Some(Value::String(t)) if t.is_empty() => None,
        Some(Value::String(t)) => Some(
            decode_token(t, only_associated)
                .ok_or_else(|| one("nextToken", "The nextToken is not valid for this request".into()))?,
        ),
        Some(v) => return Err(one("nextToken", format!("Value {v} at 'nextToken' must be a string"))),
    };
    Ok(ListInput { only_associated, max: max as usize, after })
}

/// A nextToken: the last account returned, bound to the `onlyAssociated` it was issued for.
fn encode_token(only_associated: bool, last: &str) -> String {
    STANDARD.encode(format!("members\n{only_associated}\n{last}"))
}

fn decode_token(token: &str, only_associated: bool) -> Option<String> {
    let raw = String::from_utf8(STANDARD.decode(token).ok()?).ok()?;
    let mut parts = raw.splitn(3, '\n');
    let ok = parts.next()? == "members" && parts.next()? == only_associated.to_string();
    let last = parts.next().filter(|l| is_account_id(l))?;
    ok.then(|| last.to_string())
}

fn list_members(
    w: &mut World,
    req: &AwsRequest,
    obj: &Map<String, Value>,
    entry: &mut LogEntry,
) -> Result<Value, ApiError> {
    let input = list_input(obj)?;
    administrator_only(w, req)?;
    let admin = req.caller.account.clone();
    w.here_mut().org.poll_associations();
    w.settle_associations();
    let lower = match &input.after {
        Some(a) => Bound::Excluded(a.clone()),
        None => Bound::Unbounded,
    };
    let listed = w.here().org.members.range((lower, Bound::Unbounded));
    let mut page: Vec<(&String, &Member)> =
        listed.filter(|(_, m)| !input.only_associated || m.status == ASSOCIATED).take(input.max + 1).collect();
    let more = page.len() > input.max;
    page.truncate(input.max);
    let members: Vec<Value> = page.iter().map(|(id, m)| member_json(&admin, id, m)).collect();
    entry.fields.insert("returned".into(), json!(members.len()));
    let mut out = json!({ "members": members });
    if let Some((last, _)) = page.last().filter(|_| more) {
        out["nextToken"] = json!(encode_token(input.only_associated, last));
    }
    Ok(out)
}

fn get_member(w: &mut World, req: &AwsRequest, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let id = account_id_field(obj)?;
    // A member may read its own membership: inspector2fix_ecr_scanning_compliance asks it to tell
    // a member (NOT_APPLICABLE) from a standalone account once the organization calls are refused.
    let own = id == req.caller.account && w.here().org.members.contains_key(&id);
    let admin = match (&w.here().org.delegated_admin, own) {
        (Some(admin), true) => admin.clone(),
        _ => {
            administrator_only(w, req)?;
            req.caller.account.clone()
        }
    };
    w.here_mut().org.poll_associations();
    w.settle_associations();
    match w.here().org.members.get(&id) {
        Some(m) => Ok(json!({"member": member_json(&admin, &id, m)})),
        None => Err(ApiError::new(
            404,
            "ResourceNotFoundException",
            format!("Account {id} is not a member of the organization in {}", req.region),
        )),
    }
}

/// Start associating an account of the organization; it turns ENABLED once settled (see the
/// `associate_polls` and `associate_delay_ms` config fields).
fn associate_member(w: &mut World, req: &AwsRequest, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let id = account_id_field(obj)?;
    administrator_only(w, req)?;
    let invalid = |msg: String| ApiError::field_validation(vec![("accountId".into(), msg)]);
    if w.here().org.is_admin(&id) {
        return Err(invalid(format!("Account {id} is the delegated administrator and cannot be its own member")));
    }
    let Some(status) = w.here().org.status(&id).map(str::to_owned) else {
        return Err(invalid(format!("Account {id} is not an account of the organization")));
    };
    if status == ASSOCIATED {
        return Ok(json!({ "accountId": id }));
    }
    if w.here().org.max_account_limit_reached {
        let mut e = ApiError::new(
            402,
            "ServiceQuotaExceededException",
            "The delegated administrator has reached the maximum number of member accounts",
        );
        e.extra.insert("resourceId".into(), json!(id));
        return Err(e);
    }
    w.here_mut().org.start_association(&id, std::time::Instant::now());
    w.settle_associations();
    Ok(json!({ "accountId": id }))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator_config::Initial;
    use crate::model::inspector_org::Member;

    const ADMIN: &str = "111111111111";
    const JOINED: &str = "333333333333";

    fn call(w: &mut World, caller: &str, path: &str, body: Value) -> (u16, Value) {
        let bytes = serde_json::to_vec(&body).unwrap();
        let r = handle(w, &AwsRequest::for_test("POST", path, &bytes, caller));
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    fn org_of(n: u64) -> World {
        let mut init = Initial::default();
        init.config.delegated_admin = Some(ADMIN.into());
        init.config.members = (0..n).map(|i| format!("{:012}", 200_000_000_000 + i)).collect();
        World::new(init)
    }

    fn error_code(w: &mut World, caller: &str, path: &str, body: Value) -> (u16, String, Value) {
        let bytes = serde_json::to_vec(&body).unwrap();
        let r = handle(w, &AwsRequest::for_test("POST", path, &bytes, caller));
        let code = r.get_header("x-amzn-ErrorType").unwrap_or_default().to_string();
        (r.status, code, serde_json::from_slice(&r.body).unwrap())
    }

    #[test]
    fn list_members_pages_in_account_order() {
        let mut w = org_of(120);
        w.here_mut().org.members.insert(JOINED.into(), Member::new("CREATED", crate::util::unix_now_ms()));
        let mut seen = Vec::new();
        let mut token = Value::Null;
        let mut pages = 0;
        loop {
            let body = json!({"onlyAssociated": false, "maxResults": 50, "nextToken": token});
            let (s, v) = call(&mut w, ADMIN, "/members/list", body);
            assert_eq!(s, 200, "{v}");
            pages += 1;
            for m in v["members"].as_array().unwrap() {
                assert_eq!(m["delegatedAdminAccountId"], ADMIN);
                assert!(m["updatedAt"].as_f64().is_some_and(|t| t > 1.0e9), "{m}");
                seen.push((
                    m["accountId"].as_str().unwrap().to_owned(),
                    m["relationshipStatus"].as_str().unwrap().to_owned(),
                ));
            }
            match v.get("nextToken") {
                Some(t) => token = t.clone(),
                None => break,
            }
        }
        assert_eq!((pages, seen.len()), (3, 121));
        let mut sorted = seen.clone();
        sorted.sort();
        assert_eq!(seen, sorted);
        assert!(seen.contains(&(JOINED.to_string(), "CREATED".to_string())));
        // onlyAssociated (the default) leaves the CREATED one out.
        let token = token_after(&mut w);
        let (_, v) = call(&mut w, ADMIN, "/members/list", json!({"maxResults": 50, "nextToken": token}));
        assert!(v["members"].as_array().unwrap().iter().all(|m| m["relationshipStatus"] == "ENABLED"));
        let log = w.requests.to_json();
        assert_eq!(log["counts"]["ListMembers"], 5);
        assert_eq!(log["log"][0]["only_associated"], false);
        assert_eq!(log["log"][0]["returned"], 50);
        assert_eq!(log["log"][1]["has_next_token"], true);
    }

    /// The nextToken after the first page of associated members.
    fn token_after(w: &mut World) -> Value {
        let (_, v) = call(w, ADMIN, "/members/list", json!({"maxResults": 50}));
        v["nextToken"].clone()
    }

    #[test]
    fn list_members_validation() {
        let mut w = org_of(3);
        for (body, field) in [
            (json!({"maxResults": 0}), "maxResults"),
            (json!({"maxResults": 51}), "maxResults"),
            (json!({"maxResults": "5"}), "maxResults"),
            (json!({"onlyAssociated": "no"}), "onlyAssociated"),
            (json!({"nextToken": "garbage"}), "nextToken"),
            (json!({"filter": 1}), "filter"),
        ] {
            let (s, code, v) = error_code(&mut w, ADMIN, "/members/list", body.clone());
            assert_eq!((s, code.as_str()), (400, "ValidationException"), "{body}");
            assert_eq!(v["fields"][0]["name"], field, "{body}: {v}");
        }
        // A token issued for onlyAssociated=false is refused with onlyAssociated=true.
        let (_, v) = call(&mut w, ADMIN, "/members/list", json!({"onlyAssociated": false, "maxResults": 1}));
        let token = v["nextToken"].clone();
        assert!(token.is_string());
        let (s, _, _) = error_code(&mut w, ADMIN, "/members/list", json!({"nextToken": token}));
        assert_eq!(s, 400);
    }

    #[test]
    fn only_the_delegated_administrator() {
        let mut w = org_of(1);
        let member = "200000000000";
        for (path, body) in [
            ("/members/list", json!({})),
            ("/members/get", json!({"accountId": member})),
            ("/members/associate", json!({"accountId": member})),
            ("/organizationconfiguration/describe", json!({})),
            ("/organizationconfiguration/update", json!({"autoEnable": {"ec2": false, "ecr": true}})),
        ] {
            for caller in [member, "999999999999"] {
                if (path, caller) == ("/members/get", member) {
                    continue; // a member reads its own membership: see the next test
                }
                let (s, code, v) = error_code(&mut w, caller, path, body.clone());
                assert_eq!((s, code.as_str()), (403, "AccessDeniedException"), "{path} by {caller}");
                let msg = v["message"].as_str().unwrap();
                assert!(msg.contains(caller) && msg.contains("not the delegated administrator"), "{msg}");
                assert!(msg.contains("us-east-1"), "{msg}");
            }
        }
        assert!(!w.here().org.auto_enable.ecr, "nothing changed");
    }

    #[test]
    fn a_member_reads_its_own_membership_only() {
        let mut w = org_of(2);
        let (member, other) = ("200000000000", "200000000001");
        let (s, v) = call(&mut w, member, "/members/get", json!({"accountId": member}));
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["member"]["accountId"], member);
        assert_eq!(v["member"]["relationshipStatus"], "ENABLED");
        assert_eq!(v["member"]["delegatedAdminAccountId"], ADMIN, "names the administrator, not the caller");
        let (s, code, _) = error_code(&mut w, member, "/members/get", json!({"accountId": other}));
        assert_eq!((s, code.as_str()), (403, "AccessDeniedException"), "another member's stays refused");
        let (s, code, _) = error_code(&mut w, "999999999999", "/members/get", json!({"accountId": "999999999999"}));
        assert_eq!((s, code.as_str()), (403, "AccessDeniedException"), "an account outside the organization");
    }

    #[test]
    fn associate_member_settles_after_reads() {
        let mut w = org_of(0);
        w.config.associate_polls = 2;
        w.here_mut().org.members.insert(JOINED.into(), Member::new("CREATED", 0));
        let (s, v) = call(&mut w, ADMIN, "/members/associate", json!({"accountId": JOINED}));
        assert_eq!((s, v), (200, json!({"accountId": JOINED})));
        assert!(w.authorize(ADMIN, JOINED, true).is_err(), "not associated yet");
        let (_, v) = call(&mut w, ADMIN, "/members/get", json!({"accountId": JOINED}));
        assert_eq!(v["member"]["relationshipStatus"], "CREATED", "one read of two");
        let (_, v) = call(&mut w, ADMIN, "/members/get", json!({"accountId": JOINED}));
        assert_eq!(v["member"]["relationshipStatus"], "ENABLED");
        assert!(w.authorize(ADMIN, JOINED, true).is_ok(), "the admin may now enable it");
        // Again: already associated, nothing changes.
        assert_eq!(call(&mut w, ADMIN, "/members/associate", json!({"accountId": JOINED})).0, 200);
        // Bad input and accounts that cannot be associated.
        for (body, status, code) in [
            (json!({}), 400, "ValidationException"),
            (json!({"accountId": "12"}), 400, "ValidationException"),
            (json!({"accountId": ADMIN}), 400, "ValidationException"),
            (json!({"accountId": "999999999999"}), 400, "ValidationException"),
        ] {
            let (s, c, v) = error_code(&mut w, ADMIN, "/members/associate", body.clone());
            assert_eq!((s, c.as_str()), (status, code), "{body}: {v}");
            assert_eq!(v["fields"][0]["name"], "accountId");
        }
        let (s, c, _) = error_code(&mut w, ADMIN, "/members/get", json!({"accountId": "999999999999"}));
        assert_eq!((s, c.as_str()), (404, "ResourceNotFoundException"));
        // The quota.
        w.here_mut().org.members.insert("444444444444".into(), Member::new("CREATED", 0));
        w.here_mut().org.max_account_limit_reached = true;
        let (s, c, v) = error_code(&mut w, ADMIN, "/members/associate", json!({"accountId": "444444444444"}));
        assert_eq!((s, c.as_str(), &v["resourceId"]), (402, "ServiceQuotaExceededException", &json!("444444444444")));
    }

    #[test]
    fn associate_member_settles_after_a_delay() {
        let mut w = org_of(0);
        w.config.associate_polls = 0;
        w.config.associate_delay_ms = 60_000;
        w.here_mut().org.members.insert(JOINED.into(), Member::new("INVITED", 0));
        call(&mut w, ADMIN, "/members/associate", json!({"accountId": JOINED}));
        let (_, v) = call(&mut w, ADMIN, "/members/get", json!({"accountId": JOINED}));
        assert_eq!(v["member"]["relationshipStatus"], "INVITED");
        w.config.associate_delay_ms = 0;
        w.settle_associations();
        assert!(w.here().org.is_associated(JOINED));
    }

    #[test]
    fn organization_configuration_round_trip_and_stale_reads() {
        let mut w = org_of(0);
        let (s, v) = call(&mut w, ADMIN, "/organizationconfiguration/describe", json!({}));
        assert_eq!(s, 200);
        assert_eq!(
            v["autoEnable"],
            json!({"ec2": false, "ecr": false, "lambda": false, "lambdaCode": false, "codeRepository": false, "ami": false})
        );
        assert_eq!(v["maxAccountLimitReached"], false);
        w.faults.add_json(&json!({"kind": "stale_org_config", "reads": 2, "times": 1})).unwrap();
        let update = json!({"autoEnable": {"ec2": true, "ecr": true, "lambda": true}});
        let (s, v) = call(&mut w, ADMIN, "/organizationconfiguration/update", update.clone());
        assert_eq!(s, 200);
        assert_eq!(
            (v["autoEnable"]["ecr"].as_bool(), v["autoEnable"]["lambdaCode"].as_bool()),
            (Some(true), Some(false))
        );
        let read = |w: &mut World| {
            call(w, ADMIN, "/organizationconfiguration/describe", json!({})).1["autoEnable"]["ecr"].clone()
        };
        assert_eq!([read(&mut w), read(&mut w), read(&mut w)], [json!(false), json!(false), json!(true)]);
        // The fault was for one update only.
        call(&mut w, ADMIN, "/organizationconfiguration/update", json!({"autoEnable": {"ec2": true, "ecr": false}}));
        assert_eq!(read(&mut w), false);
        assert!(!w.here().org.auto_enable.lambda, "an omitted optional flag is false");
        // Validation names the field; nothing changes.
        for (body, field) in [
            (json!({"autoEnable": {"ec2": true}}), "autoEnable.ecr"),
            (json!({"autoEnable": {"ecr": true}}), "autoEnable.ec2"),
            (json!({}), "autoEnable"),
            (json!({"autoEnable": {"ec2": true, "ecr": true}, "x": 1}), "x"),
        ] {
            let (s, code, v) = error_code(&mut w, ADMIN, "/organizationconfiguration/update", body.clone());
            assert_eq!((s, code.as_str()), (400, "ValidationException"), "{body}");
            assert_eq!(v["fields"][0]["name"], field, "{body}: {v}");
        }
        assert!(w.here().org.auto_enable.ec2 && !w.here().org.auto_enable.ecr);
        let log = w.requests.to_json();
        assert_eq!(log["log"][1]["auto_enable"], update["autoEnable"]);
    }
}
