//! The JSON control API under `/_emulator/` (no auth). Errors are `{"error": "..."}` with 400
//! (bad input) or 404 (unknown endpoint).

use std::time::Instant;

use serde_json::{json, Value};

use crate::config::{account_id_list, AccountPatch};
use crate::state::World;
use crate::util::is_account_id;
use crate::Reply;

pub const PREFIX: &str = "/_emulator";

pub(crate) fn handle(w: &mut World, method: &str, path: &str, body: &[u8]) -> Reply {
    match route(w, method, path, body) {
        Ok(v) => Reply::json(200, &v),
        Err((status, msg)) => Reply::json(status, &json!({ "error": msg })),
    }
}

type Result<T> = std::result::Result<T, (u16, String)>;

fn bad(msg: impl Into<String>) -> (u16, String) {
    (400, msg.into())
}

fn parse(body: &[u8]) -> Result<Value> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(json!({}));
    }
    serde_json::from_slice(body).map_err(|e| bad(format!("invalid JSON body: {e}")))
}

fn account_path_id(id: &str) -> Result<&str> {
    if is_account_id(id) {
        Ok(id)
    } else {
        Err(bad(format!("{id:?} is not a 12-digit account id")))
    }
}

fn route(w: &mut World, method: &str, path: &str, body: &[u8]) -> Result<Value> {
    let rest = path.strip_prefix(PREFIX).unwrap_or(path);
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let ok = || json!({"ok": true});
    match (method, segs.as_slice()) {
        ("GET", ["health"]) => Ok(ok()),
        ("POST", ["reset"]) => {
            w.reset();
            Ok(ok())
        }
        ("GET", ["config"]) => Ok(w.config.to_json()),
        ("PUT" | "PATCH", ["config"]) => {
            let patch = parse(body)?;
            w.config = w.config.patched(&patch).map_err(bad)?;
            Ok(w.config.to_json())
        }
        ("POST", ["members"]) => {
            let v = parse(body)?;
            let ids = v
                .get("account_ids")
                .ok_or_else(|| bad("expected {\"account_ids\": [...]}"))
                .and_then(|ids| account_id_list(ids, "account_ids").map_err(bad))?;
            w.config.members.extend(ids);
            Ok(json!({"members": w.config.members.len()}))
        }
        ("GET", ["accounts"]) => {
            let leads = w.config.account_status_leads;
            let list: Vec<Value> = w
                .accounts
                .iter()
                .map(|(id, a)| a.view_json(id, leads))
                .collect();
            Ok(json!({ "accounts": list }))
        }
        ("GET", ["accounts", id]) => {
            let id = account_path_id(id)?;
            Ok(w.account(id).view_json(id, w.config.account_status_leads))
        }
        ("PUT" | "PATCH", ["accounts", id]) => {
            let id = account_path_id(id)?;
            let patch = AccountPatch::parse(&parse(body)?).map_err(bad)?;
            let leads = w.config.account_status_leads;
            let a = w.account_mut(id);
            a.apply_patch(&patch, Instant::now());
            Ok(a.view_json(id, leads))
        }
        ("GET", ["faults"]) => Ok(json!({ "faults": w.faults.to_json() })),
        ("POST", ["faults"]) => match parse(body)? {
            Value::Array(list) => {
                // All or nothing.
                let mut faults = w.faults.clone();
                let added = list
                    .iter()
                    .map(|f| faults.add_json(f))
                    .collect::<std::result::Result<Vec<_>, _>>()
                    .map_err(bad)?;
                w.faults = faults;
                Ok(json!({ "faults": added }))
            }
            one => w.faults.add_json(&one).map_err(bad),
        },
        ("DELETE", ["faults"]) => {
            w.faults.clear();
            Ok(ok())
        }
        ("DELETE", ["faults", id]) => {
            let id: u64 = id.parse().map_err(|_| bad("fault id must be an integer"))?;
            if w.faults.remove(id) {
                Ok(ok())
            } else {
                Err((404, format!("no fault with id {id}")))
            }
        }
        ("GET", ["requests"]) => Ok(w.requests.to_json()),
        ("DELETE", ["requests"]) => {
            w.requests = Default::default();
            Ok(ok())
        }
        _ => Err((404, format!("no control endpoint {method} {path}"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Initial;

    fn call(w: &mut World, method: &str, path: &str, body: Value) -> (u16, Value) {
        let b = serde_json::to_vec(&body).unwrap();
        let r = handle(w, method, path, &b);
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    #[test]
    fn config_roundtrip_and_reset() {
        let mut w = World::new(Initial::default());
        let (s, v) = call(
            &mut w,
            "PUT",
            "/_emulator/config",
            json!({"settle_polls": 4, "credentials": {"AKIA1": "111111111111"}}),
        );
        assert_eq!(s, 200);
        assert_eq!(v["settle_polls"], 4);
        assert_eq!(v["credentials"]["AKIA1"], "111111111111");
        let (s, v) = call(&mut w, "PUT", "/_emulator/config", json!({"nope": 1}));
        assert_eq!(s, 400);
        assert!(v["error"].as_str().unwrap().contains("nope"));
        let (_, v) = call(&mut w, "GET", "/_emulator/config", Value::Null);
        assert_eq!(v["settle_polls"], 4);
        call(&mut w, "POST", "/_emulator/reset", json!({}));
        let (_, v) = call(&mut w, "GET", "/_emulator/config", Value::Null);
        assert_eq!(v["settle_polls"], 1);
        assert_eq!(v["credentials"], json!({}));
    }

    #[test]
    fn accounts_endpoints() {
        let mut w = World::new(Initial::default());
        let (s, v) = call(
            &mut w,
            "PUT",
            "/_emulator/accounts/222222222222",
            json!({"suspended": true, "resource_state": {"EC2": "ENABLED"}}),
        );
        assert_eq!(s, 200);
        assert_eq!(v["status"], "SUSPENDED");
        assert_eq!(v["resource_state"]["EC2"], "ENABLED");
        assert_eq!(v["resource_state"]["ECR"], "DISABLED");
        call(
            &mut w,
            "PUT",
            "/_emulator/accounts/111111111111",
            json!({"stuck": true}),
        );
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts", Value::Null);
        let ids: Vec<&str> = v["accounts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|a| a["account_id"].as_str().unwrap())
            .collect();
        assert_eq!(ids, vec!["111111111111", "222222222222"]);
        let (s, v) = call(
            &mut w,
            "GET",
            "/_emulator/accounts/333333333333",
            Value::Null,
        );
        assert_eq!(s, 200);
        assert_eq!(v["status"], "DISABLED");
        let (s, _) = call(&mut w, "GET", "/_emulator/accounts/333", Value::Null);
        assert_eq!(s, 400);
        let (s, _) = call(
            &mut w,
            "PUT",
            "/_emulator/accounts/333333333333",
            json!({"resource_state": {"EC2": "ON"}}),
        );
        assert_eq!(s, 400);
    }

    #[test]
    fn bulk_members() {
        let mut w = World::new(Initial::default());
        let ids: Vec<String> = (0..5000u64)
            .map(|i| format!("{:012}", 300_000_000_000 + i))
            .collect();
        let (s, v) = call(&mut w, "PUT", "/_emulator/config", json!({"members": ids}));
        assert_eq!(s, 200);
        assert_eq!(v["members"].as_array().unwrap().len(), 5000);
        let (_, v) = call(
            &mut w,
            "POST",
            "/_emulator/members",
            json!({"account_ids": ["444444444444", "300000000000"]}),
        );
        assert_eq!(v["members"], 5001);
    }

    #[test]
    fn faults_and_requests() {
        let mut w = World::new(Initial::default());
        let (s, v) = call(
            &mut w,
            "POST",
            "/_emulator/faults",
            json!({"kind": "throttle", "operation": "Enable", "times": 2}),
        );
        assert_eq!(s, 200);
        assert_eq!(v["id"], 1);
        let (s, _) = call(
            &mut w,
            "POST",
            "/_emulator/faults",
            json!([{"kind": "throttle"}, {"kind": "bad"}]),
        );
        assert_eq!(s, 400);
        let (_, v) = call(&mut w, "GET", "/_emulator/faults", Value::Null);
        assert_eq!(v["faults"].as_array().unwrap().len(), 1);
        call(&mut w, "DELETE", "/_emulator/faults", Value::Null);
        let (_, v) = call(&mut w, "GET", "/_emulator/faults", Value::Null);
        assert_eq!(v["faults"], json!([]));
        let (_, v) = call(&mut w, "GET", "/_emulator/requests", Value::Null);
        assert_eq!(v["counts"]["Enable"], 0);
        assert_eq!(v["log"], json!([]));
        let (s, _) = call(&mut w, "GET", "/_emulator/nope", Value::Null);
        assert_eq!(s, 404);
    }
}
