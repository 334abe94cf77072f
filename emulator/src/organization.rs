//! The control API's view and changes of one Region's organization (the selected Region of the
//! [`World`]): the delegated administrator, members and their relationship statuses, and the
//! organization configuration.

use serde_json::{json, Map, Value};

use crate::org::{Member, Org, RELATIONSHIP_STATUSES};
use crate::state::World;
use crate::util::{account_id, unix_now_ms, unknown_key};

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
    let org: &Org = &w.org;
    let members: Vec<Value> = org.members.iter().map(|(id, m)| member_view(id, m)).collect();
    json!({
        "region": w.region(),
        "delegated_admin": org.delegated_admin,
        "auto_enable": org.auto_enable.to_wire(),
        "max_account_limit_reached": org.max_account_limit_reached,
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
    let mut org = w.org.clone();
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
    w.org = org;
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
    if w.org.is_admin(id) {
        return Err(format!("{id} is the delegated administrator, not a member"));
    }
    let status = relationship_status(obj)?;
    let member = Member::new(&status, unix_now_ms());
    let out = member_view(id, &member);
    w.org.members.insert(id.to_string(), member);
    Ok(out)
}

/// `DELETE /_emulator/organization/members/{id}`: the account leaves the selected Region's
/// organization (as after a disassociation and removal). False if it was not in it.
pub fn remove_member(w: &mut World, id: &str) -> bool {
    w.org.members.remove(id).is_some()
}
