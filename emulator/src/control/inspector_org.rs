//! The control API's view and changes of one Region's organization (the selected Region of the
//! [`World`]): the delegated administrator, members and their relationship statuses, and the
//! organization configuration.

use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::model::account::{ResourceType, Status};
use crate::model::inspector_org::{AutoEnable, InspectorOrg, Member, ASSOCIATED, RELATIONSHIP_STATUSES};
use crate::model::world::World;
use crate::util::{account_id, is_account_id, unix_now_ms, unknown_key};

/// Most accounts one join call adds (an administrator manages at most 10,000 members).
pub const MAX_JOIN: u64 = 10_000;

fn member_view(id: &str, m: &Member) -> Value {
    json!({
        "account_id": id,
        "relationship_status": m.status,
        "updated_at_ms": m.updated_at_ms,
        "associating": m.pending.is_some(),
    })
}

/// `GET /_emulator/organization`: the selected Region's organization.
pub fn view(w: &World) -> Value {
    let org: &InspectorOrg = &w.here().org;
    let members: Vec<Value> = org.members.iter().map(|(id, m)| member_view(id, m)).collect();
    json!({
        "region": w.region(),
        "delegated_admin": org.delegated_admin,
        "auto_enable": org.auto_enable.to_wire(),
        "max_account_limit_reached": org.max_account_limit_reached,
        "admin_change": org.admin_change.as_ref().map(|c| json!({
            "account_id": c.account,
            "enabling": c.enabling,
            "polls": c.pending.polls,
        })),
        "members": members,
    })
}

/// `PUT /_emulator/organization`: any of `delegated_admin` (an account id or null),
/// `auto_enable` (any subset of the wire flags) and `max_account_limit_reached`, in the selected
/// Region only. All or nothing.
pub fn patch(w: &mut World, v: &Value) -> Result<Value, String> {
    let obj = v.as_object().ok_or("expected a JSON object")?;
    const FIELDS: &[&str] = &["delegated_admin", "auto_enable", "max_account_limit_reached"];
    if let Some(k) = unknown_key(obj, FIELDS) {
        return Err(format!("unknown field {k:?} (delegated_admin|auto_enable|max_account_limit_reached)"));
    }
    let mut org = w.here().org.clone();
    if let Some(a) = obj.get("delegated_admin") {
        org.delegated_admin = if a.is_null() { None } else { Some(account_id(a, "delegated_admin")?) };
    }
    if let Some(flags) = obj.get("auto_enable") {
        let flags = flags.as_object().ok_or("auto_enable: expected an object like {\"ecr\": true}")?;
        org.auto_enable = org.auto_enable.patched(flags)?;
        org.stale = None;
    }
    if let Some(b) = obj.get("max_account_limit_reached") {
        org.max_account_limit_reached =
            b.as_bool().ok_or_else(|| format!("max_account_limit_reached: expected true or false, got {b}"))?;
    }
    w.here_mut().org = org;
    Ok(view(w))
}

/// The `relationship_status` of a control-API body.
fn relationship_status(obj: &Map<String, Value>) -> Result<String, String> {
    let status = obj.get("relationship_status").ok_or("relationship_status is required")?;
    status
        .as_str()
        .filter(|s| RELATIONSHIP_STATUSES.contains(s))
        .map(str::to_string)
        .ok_or_else(|| format!("relationship_status: {status} is not one of {RELATIONSHIP_STATUSES:?}"))
}

/// `PUT /_emulator/organization/members/{id}` `{"relationship_status": S}`: the member's status in
/// the selected Region (an account that was not in the organization joins it). An association
/// under way is dropped.
pub fn set_member(w: &mut World, id: &str, v: &Value) -> Result<Value, String> {
    let obj = v.as_object().ok_or("expected {\"relationship_status\": ...}")?;
    if let Some(k) = unknown_key(obj, &["relationship_status"]) {
        return Err(format!("unknown field {k:?} (relationship_status)"));
    }
    if w.here().org.is_admin(id) {
        return Err(format!("{id} is the delegated administrator, not a member"));
    }
    let status = relationship_status(obj)?;
    let member = Member::new(&status, unix_now_ms());
    let out = member_view(id, &member);
    w.here_mut().org.members.insert(id.to_string(), member);
    Ok(out)
}

/// `DELETE /_emulator/organization/members/{id}`: the account leaves the selected Region's
/// organization (as after a disassociation and removal). False if it was not in it.
pub fn remove_member(w: &mut World, id: &str) -> bool {
    w.here_mut().org.members.remove(id).is_some()
}

/// A validated join request.
struct Join {
    ids: Vec<String>,
    status: Option<String>,
    ecr: Option<Status>,
}

fn parse_join(w: &World, obj: &Map<String, Value>) -> Result<Join, String> {
    const FIELDS: &[&str] = &["account_id", "count", "first_account_id", "relationship_status", "ecr"];
    if let Some(k) = unknown_key(obj, FIELDS) {
        return Err(format!("unknown field {k:?} (account_id|count|first_account_id|relationship_status|ecr)"));
    }
    let ids = match (obj.get("account_id"), obj.get("count"), obj.get("first_account_id")) {
        (Some(id), None, None) => vec![account_id(id, "account_id")?],
        (None, Some(n), Some(first)) => {
            let n = n.as_u64().filter(|n| (1..=MAX_JOIN).contains(n));
            let n = n.ok_or_else(|| format!("count: expected 1 to {MAX_JOIN}, got {}", obj["count"]))?;
            let first: u64 = account_id(first, "first_account_id")?.parse().map_err(|_| "first_account_id")?;
            let ids: Vec<String> = (first..first + n).map(|i| format!("{i:012}")).collect();
            if ids.last().is_some_and(|l| !is_account_id(l)) {
                return Err("first_account_id + count runs past 999999999999".into());
            }
            ids
        }
        _ => return Err("expected {\"account_id\"} or {\"count\", \"first_account_id\"}".into()),
    };
    if let Some(taken) = ids.iter().find(|id| w.here().org.is_admin(id) || w.here().org.members.contains_key(*id)) {
        return Err(format!("account_id: {taken} is already in the organization in {}", w.region()));
    }
    let status = match obj.get("relationship_status") {
        None | Some(Value::Null) => None,
        Some(_) => Some(relationship_status(obj)?),
    };
    let ecr = match obj.get("ecr") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .and_then(Status::parse_resource)
                .ok_or_else(|| format!("ecr: expected DISABLED|ENABLING|ENABLED|DISABLING, got {v}"))?,
        ),
    };
    Ok(Join { ids, status, ecr })
}

/// The scan types the organization's auto-enable turns on in a new member.
fn auto_enabled_types(flags: AutoEnable) -> Vec<ResourceType> {
    let on = [
        (flags.ec2, ResourceType::Ec2),
        (flags.ecr, ResourceType::Ecr),
        (flags.lambda, ResourceType::Lambda),
        (flags.lambda_code, ResourceType::LambdaCode),
        (flags.code_repository, ResourceType::CodeRepository),
    ];
    on.into_iter().filter(|(flag, _)| *flag).map(|(_, t)| t).collect()
}

/// `POST /_emulator/organization/accounts`: new accounts join the selected Region's organization,
/// one (`account_id`) or `count` consecutive ids from `first_account_id`. As on AWS, with any
/// auto-enable flag on they are associated (ENABLED) and start the flagged scan types (ENABLING,
/// settling as usual); with every flag off they are CREATED and scan nothing. `relationship_status`
/// and `ecr` (a scan status) override that. All or nothing.
pub fn join(w: &mut World, v: &Value) -> Result<Value, String> {
    let obj = v.as_object().ok_or("expected a JSON object")?;
    let join = parse_join(w, obj)?;
    let flags = w.here().org.auto_enable;
    let types = auto_enabled_types(flags);
    let status = join.status.clone().unwrap_or_else(|| if types.is_empty() { "CREATED" } else { ASSOCIATED }.into());
    let (now, now_ms) = (Instant::now(), unix_now_ms());
    for id in &join.ids {
        w.here_mut().org.members.insert(id.clone(), Member::new(&status, now_ms));
        if status == ASSOCIATED && join.status.is_none() {
            let account = w.account_mut(id);
            types.iter().for_each(|t| account.enable(*t, now));
        }
        if let Some(ecr) = join.ecr {
            w.account_mut(id).set_resource(ResourceType::Ecr, ecr, now);
        }
    }
    Ok(json!({
        "region": w.region(),
        "joined": join.ids.len(),
        "relationship_status": status,
        "account_ids": join.ids,
    }))
}
