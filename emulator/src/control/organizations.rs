//! The control API's view and building of the AWS Organizations tree (global): the management
//! account, the delegated policy administrator, policy types enabled on the root, OUs and where
//! each account sits. Policies are made through the Organizations API itself.

use serde_json::{json, Map, Value};

use crate::model::organizations::{Organizations, POLICY_TYPES};
use crate::model::world::World;
use crate::util::{account_id, is_account_id, unix_now_ms, unknown_key};

/// Most accounts one call places (AWS's default quota is far lower; Inspector policies reach 50,000).
pub const MAX_PLACE: u64 = 50_000;

/// `GET /_emulator/organizations`: the organization, or None when there is none.
pub fn view(w: &World) -> Option<Value> {
    let o = w.organizations.as_ref()?;
    let ous: Vec<Value> =
        o.ous.iter().map(|(id, ou)| json!({"id": id, "name": ou.name, "parent_id": ou.parent})).collect();
    let accounts: Vec<Value> =
        o.accounts.iter().map(|(id, parent)| json!({"account_id": id, "parent_id": parent})).collect();
    let policies: Vec<Value> = o
        .policies
        .values()
        .map(|p| {
            let targets: Vec<&String> = o.attachments.get(&p.id).into_iter().flatten().collect();
            json!({"id": p.id, "name": p.name, "type": p.policy_type, "targets": targets})
        })
        .collect();
    Some(json!({
        "id": o.id,
        "management_account": o.management,
        "policy_admin": o.policy_admin,
        "root_id": o.root,
        "enabled_policy_types": o.enabled_types,
        "ous": ous,
        "accounts": accounts,
        "policies": policies,
    }))
}

fn policy_types(v: &Value) -> Result<Vec<String>, String> {
    let list = v.as_array().ok_or("enabled_policy_types: expected a list of policy types")?;
    list.iter()
        .map(|t| match t.as_str() {
            Some(s) if POLICY_TYPES.contains(&s) => Ok(s.to_string()),
            _ => Err(format!("enabled_policy_types: {t} is not one of {POLICY_TYPES:?}")),
        })
        .collect()
}

fn add_ous(o: &mut Organizations, v: &Value) -> Result<(), String> {
    let list = v.as_array().ok_or("ous: expected a list of {\"name\", \"parent\"?}")?;
    for (i, ou) in list.iter().enumerate() {
        let obj = ou.as_object().ok_or_else(|| format!("ous[{i}]: expected {{\"name\", \"parent\"?}}"))?;
        if let Some(k) = unknown_key(obj, &["name", "parent"]) {
            return Err(format!("ous[{i}]: unknown field {k:?} (name|parent)"));
        }
        let name = obj.get("name").and_then(Value::as_str).ok_or_else(|| format!("ous[{i}].name is required"))?;
        let parent = obj.get("parent").and_then(Value::as_str).unwrap_or("Root");
        o.add_ou(name, parent).map_err(|e| format!("ous[{i}]: {e}"))?;
    }
    Ok(())
}

fn place_accounts(o: &mut Organizations, v: &Value) -> Result<(), String> {
    let map = v.as_object().ok_or("accounts: expected {account_id: parent (\"Root\", an OU name or id)}")?;
    for (id, parent) in map {
        if !is_account_id(id) {
            return Err(format!("accounts: {id:?} is not a 12-digit account id"));
        }
        let parent = parent.as_str().ok_or_else(|| format!("accounts.{id}: expected a parent name or id"))?;
        o.place_account(id, parent).map_err(|e| format!("accounts.{id}: {e}"))?;
    }
    Ok(())
}

/// `PUT /_emulator/organizations`: build the organization anew (its policies are dropped):
/// `{"management_account", "policy_admin"?, "enabled_policy_types"?: [...], "ous"?: [{"name",
/// "parent"?}], "accounts"?: {id: parent}}`. A parent is `"Root"`, the root id, or an OU's name or
/// id; OUs are made in list order, so a parent comes before its children. All or nothing.
pub fn replace(w: &mut World, v: &Value) -> Result<Value, String> {
    let obj = v.as_object().ok_or("expected a JSON object")?;
    const FIELDS: &[&str] = &["management_account", "policy_admin", "enabled_policy_types", "ous", "accounts"];
    if let Some(k) = unknown_key(obj, FIELDS) {
        return Err(format!("unknown field {k:?} ({})", FIELDS.join("|")));
    }
    let management =
        account_id(obj.get("management_account").ok_or("management_account is required")?, "management_account")?;
    let now_ms = unix_now_ms();
    let mut o = Organizations::new(&management, now_ms);
    if let Some(types) = obj.get("enabled_policy_types") {
        o.enabled_types = policy_types(types)?.into_iter().collect();
    }
    if let Some(ous) = obj.get("ous") {
        add_ous(&mut o, ous)?;
    }
    if let Some(accounts) = obj.get("accounts") {
        place_accounts(&mut o, accounts)?;
    }
    match obj.get("policy_admin") {
        None | Some(Value::Null) => {}
        Some(a) => {
            let a = account_id(a, "policy_admin")?;
            if !o.accounts.contains_key(&a) || a == management {
                return Err(format!("policy_admin: {a} must be a member account of the organization"));
            }
            o.policy_admin = Some(a);
        }
    }
    w.organizations = Some(o);
    w.organizations_changed(now_ms);
    view(w).ok_or_else(|| "the organization vanished".into())
}

/// `DELETE /_emulator/organizations`: no organization any more. False if there was none.
pub fn remove(w: &mut World) -> bool {
    let had = w.organizations.take().is_some();
    w.organizations_changed(unix_now_ms());
    had
}

/// `POST /_emulator/organizations/accounts`: accounts join the organization or move, one
/// (`account_id`) or `count` consecutive ids from `first_account_id`, into `parent` (default the
/// root). An Inspector policy of their new place applies to them at once.
pub fn place(w: &mut World, v: &Value) -> Result<Value, String> {
    let obj: &Map<String, Value> = v.as_object().ok_or("expected a JSON object")?;
    if let Some(k) = unknown_key(obj, &["account_id", "count", "first_account_id", "parent"]) {
        return Err(format!("unknown field {k:?} (account_id|count|first_account_id|parent)"));
    }
    let ids = match (obj.get("account_id"), obj.get("count"), obj.get("first_account_id")) {
        (Some(id), None, None) => vec![account_id(id, "account_id")?],
        (None, Some(n), Some(first)) => {
            let n = n.as_u64().filter(|n| (1..=MAX_PLACE).contains(n));
            let n = n.ok_or_else(|| format!("count: expected 1 to {MAX_PLACE}, got {}", obj["count"]))?;
            let first: u64 = account_id(first, "first_account_id")?.parse().map_err(|_| "first_account_id")?;
            let ids: Vec<String> = (first..first + n).map(|i| format!("{i:012}")).collect();
            if ids.last().is_some_and(|l| !is_account_id(l)) {
                return Err("first_account_id + count runs past 999999999999".into());
            }
            ids
        }
        _ => return Err("expected {\"account_id\"} or {\"count\", \"first_account_id\"}".into()),
    };
    let parent = obj.get("parent").map(|p| p.as_str().ok_or("parent: expected a name or id")).transpose()?;
    let o = w.organizations.as_mut().ok_or("there is no organization: PUT /_emulator/organizations first")?;
    let parent = o
        .container(parent.unwrap_or("Root"))
        .ok_or_else(|| format!("parent {parent:?} is neither the root nor an OU"))?;
    for id in &ids {
        o.place_account(id, &parent)?;
    }
    w.organizations_changed(unix_now_ms());
    Ok(json!({"placed": ids.len(), "parent_id": parent, "account_ids": ids}))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator_config::Initial;

    #[test]
    fn build_place_and_refuse() {
        let mut w = World::new(Initial::default());
        assert!(view(&w).is_none());
        let body = json!({"management_account": "111111111111", "enabled_policy_types": ["INSPECTOR_POLICY"],
            "ous": [{"name": "Prod"}, {"name": "Web", "parent": "Prod"}],
            "accounts": {"222222222222": "Web", "333333333333": "Root"}, "policy_admin": "333333333333"});
        let v = replace(&mut w, &body).unwrap();
        assert_eq!(v["management_account"], "111111111111");
        assert_eq!(v["accounts"].as_array().unwrap().len(), 3, "the management account is placed in the root");
        let web = v["ous"].as_array().unwrap().iter().find(|o| o["name"] == "Web").unwrap()["id"].clone();
        assert_eq!(v["accounts"][1], json!({"account_id": "222222222222", "parent_id": web}));
        let moved = place(&mut w, &json!({"count": 3, "first_account_id": "400000000000", "parent": "Prod"})).unwrap();
        assert_eq!((moved["placed"].as_u64(), moved["account_ids"][2].as_str()), (Some(3), Some("400000000002")));
        for (body, says) in [
            (json!({}), "management_account"),
            (json!({"management_account": "1"}), "management_account"),
            (json!({"management_account": "111111111111", "enabled_policy_types": ["X"]}), "enabled_policy_types"),
            (json!({"management_account": "111111111111", "ous": [{"name": "A", "parent": "B"}]}), "ous[0]"),
            (json!({"management_account": "111111111111", "accounts": {"2": "Root"}}), "accounts"),
            (json!({"management_account": "111111111111", "policy_admin": "999999999999"}), "policy_admin"),
            (json!({"management_account": "111111111111", "x": 1}), "\"x\""),
        ] {
            let e = replace(&mut w, &body).unwrap_err();
            assert!(e.contains(says), "{body}: {e}");
        }
        assert_eq!(view(&w).unwrap()["accounts"].as_array().unwrap().len(), 6, "refused calls changed nothing");
        assert!(place(&mut w, &json!({"account_id": "500000000000", "parent": "Nowhere"})).is_err());
        assert!(remove(&mut w) && !remove(&mut w));
        assert!(place(&mut w, &json!({"account_id": "500000000000"})).unwrap_err().contains("no organization"));
    }
}
