//! The JSON control API under `/_emulator/` (no auth). Errors are `{"error": "..."}` with 400
//! (bad input) or 404 (unknown endpoint).

use serde_json::{json, Value};

use crate::config::AccountPatch;
use crate::evaluation::evaluate_inspector2;
use crate::findings::Control;
use crate::reply::Reply;
use crate::state::World;
use crate::util::{account_id_list, is_account_id, iso8601_ms, parse_form, percent_decode, unix_now_ms, unknown_key};

pub const PREFIX: &str = "/_emulator";
const FINDINGS_PREFIX: &str = "/_emulator/securityhub/findings/";

pub(crate) fn handle(w: &mut World, method: &str, path: &str, query: Option<&str>, body: &[u8]) -> Reply {
    match route(w, method, path, query, body) {
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

/// The `account_id` query parameter (a Security Hub home account), else the default account.
fn home_param(w: &World, params: &[(String, String)]) -> Result<String> {
    match params.iter().find(|(k, _)| k == "account_id") {
        Some((_, v)) => account_path_id(v).map(str::to_string),
        None => Ok(w.config.default_account.clone()),
    }
}

fn route(w: &mut World, method: &str, path: &str, query: Option<&str>, body: &[u8]) -> Result<Value> {
    let rest = path.strip_prefix(PREFIX).unwrap_or(path);
    let segs: Vec<&str> = rest.split('/').filter(|s| !s.is_empty()).collect();
    let params = query.map(parse_form).unwrap_or_default();
    let ok = || json!({"ok": true});
    // PUT /_emulator/securityhub/findings/{url-encoded Id}: the Id may contain '/'.
    if let Some(raw_id) = path.strip_prefix(FINDINGS_PREFIX) {
        if !raw_id.is_empty() {
            if !matches!(method, "PUT" | "PATCH") {
                return Err((404, format!("no control endpoint {method} {path}")));
            }
            let id = percent_decode(raw_id);
            let home = home_param(w, &params)?;
            let now = iso8601_ms(unix_now_ms());
            return match w.securityhub.patch_finding(&home, &id, &parse(body)?, &now).map_err(bad)? {
                Some(v) => Ok(v),
                None => Err((404, format!("no finding {id:?} in account {home}"))),
            };
        }
    }
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
            let list: Vec<Value> = w.accounts.keys().map(|id| w.account_view(id)).collect();
            Ok(json!({ "accounts": list }))
        }
        ("GET", ["accounts", id]) => {
            let id = account_path_id(id)?;
            Ok(w.account_view(id))
        }
        ("PUT" | "PATCH", ["accounts", id]) => {
            let id = account_path_id(id)?;
            let patch = AccountPatch::parse(&parse(body)?).map_err(bad)?;
            Ok(w.patch_account(id, &patch))
        }
        ("GET", ["faults"]) => Ok(json!({ "faults": w.faults.to_json() })),
        ("POST", ["faults"]) => match parse(body)? {
            Value::Array(list) => {
                // All or nothing.
                let mut faults = w.faults.clone();
                let added =
                    list.iter().map(|f| faults.add_json(f)).collect::<std::result::Result<Vec<_>, _>>().map_err(bad)?;
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
        ("GET", ["requests"]) => {
            let mut v = w.requests.to_json();
            v["held_open"] = json!(w.held_open);
            Ok(v)
        }
        ("DELETE", ["requests"]) => {
            w.requests.clear();
            Ok(ok())
        }
        ("GET", ["securityhub", "controls"]) => {
            let list: Vec<Value> = w.securityhub.controls.values().map(Control::to_json).collect();
            Ok(json!({ "controls": list }))
        }
        ("POST" | "PUT", ["securityhub", "controls"]) => {
            let list = match parse(body)? {
                Value::Array(a) => a,
                one => vec![one],
            };
            // All or nothing; later entries see earlier ones.
            let mut controls = w.securityhub.controls.clone();
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let id = v.get("SecurityControlId").and_then(Value::as_str).unwrap_or("");
                let c = Control::upsert(controls.get(id), v).map_err(|e| bad(format!("controls[{i}]: {e}")))?;
                out.push(c.to_json());
                controls.insert(c.id.clone(), c);
            }
            w.securityhub.controls = controls;
            Ok(json!({ "controls": out }))
        }
        ("GET", ["securityhub", "findings"]) => {
            let home = home_param(w, &params)?;
            let evaluate = params.iter().any(|(k, v)| k == "evaluate" && matches!(v.as_str(), "1" | "true"));
            if evaluate && w.config.evaluate_inspector2 {
                let region = params
                    .iter()
                    .find(|(k, _)| k == "region")
                    .map(|(_, v)| v.clone())
                    .unwrap_or_else(|| "us-east-1".into());
                evaluate_inspector2(w, &home, &region, &iso8601_ms(unix_now_ms()));
            }
            Ok(json!({ "account_id": home, "findings": w.securityhub.findings_json(&home) }))
        }
        ("POST", ["securityhub", "findings"]) => {
            let v = parse(body)?;
            let obj = v
                .as_object()
                .ok_or_else(|| bad("expected {\"account_id\": ..., \"findings\": [...], \"generate\": {...}}"))?;
            if let Some(k) = unknown_key(obj, &["account_id", "findings", "generate"]) {
                return Err(bad(format!("unknown field {k:?} (account_id|findings|generate)")));
            }
            let home = match obj.get("account_id") {
                None | Some(Value::Null) => w.config.default_account.clone(),
                Some(a) => account_path_id(a.as_str().unwrap_or_default())?.to_string(),
            };
            let now = iso8601_ms(unix_now_ms());
            let ids = w.securityhub.seed(&home, obj, &now).map_err(bad)?;
            Ok(json!({ "account_id": home, "added": ids.len(), "ids": ids }))
        }
        ("DELETE", ["securityhub", "findings"]) => {
            if params.iter().any(|(k, _)| k == "account_id") {
                let home = home_param(w, &params)?;
                w.securityhub.findings.remove(&home);
            } else {
                w.securityhub.findings.clear();
            }
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
        let (path, query) = match path.split_once('?') {
            Some((p, q)) => (p, Some(q)),
            None => (path, None),
        };
        let r = handle(w, method, path, query, &b);
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
        call(&mut w, "PUT", "/_emulator/accounts/111111111111", json!({"stuck": true}));
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts", Value::Null);
        let ids: Vec<&str> =
            v["accounts"].as_array().unwrap().iter().map(|a| a["account_id"].as_str().unwrap()).collect();
        assert_eq!(ids, vec!["111111111111", "222222222222"]);
        let (s, v) = call(&mut w, "GET", "/_emulator/accounts/333333333333", Value::Null);
        assert_eq!(s, 200);
        assert_eq!(v["status"], "DISABLED");
        let (s, _) = call(&mut w, "GET", "/_emulator/accounts/333", Value::Null);
        assert_eq!(s, 400);
        let (s, _) = call(&mut w, "PUT", "/_emulator/accounts/333333333333", json!({"resource_state": {"EC2": "ON"}}));
        assert_eq!(s, 400);
    }

    #[test]
    fn securityhub_account_switch() {
        let mut w = World::new(Initial::default());
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts/222222222222", Value::Null);
        assert_eq!(v["securityhub_enabled"], true);
        let (s, v) = call(&mut w, "PUT", "/_emulator/accounts/222222222222", json!({"securityhub_enabled": false}));
        assert_eq!(s, 200);
        assert_eq!(v["securityhub_enabled"], false);
        assert!(!w.securityhub_on("222222222222"));
        // Other fields are kept.
        let (_, v) =
            call(&mut w, "PUT", "/_emulator/accounts/222222222222", json!({"resource_state": {"ECR": "ENABLED"}}));
        assert_eq!(v["securityhub_enabled"], false);
        assert_eq!(v["resource_state"]["ECR"], "ENABLED");
        call(&mut w, "PUT", "/_emulator/config", json!({"securityhub_default_enabled": false}));
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts/444444444444", Value::Null);
        assert_eq!(v["securityhub_enabled"], false);
        call(&mut w, "POST", "/_emulator/reset", Value::Null);
        assert!(w.securityhub_on("222222222222"));
    }

    #[test]
    fn securityhub_controls_and_findings() {
        let mut w = World::new(Initial::default());
        let (s, v) = call(
            &mut w,
            "POST",
            "/_emulator/securityhub/controls",
            json!([{"SecurityControlId": "S3.1", "Title": "S3 thing", "SeverityRating": "MEDIUM"},
                   {"SecurityControlId": "S3.1", "SecurityControlStatus": "DISABLED"}]),
        );
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["controls"][1]["Title"], "S3 thing");
        assert_eq!(v["controls"][1]["SecurityControlStatus"], "DISABLED");
        let (s, _) = call(
            &mut w,
            "POST",
            "/_emulator/securityhub/controls",
            json!({"SecurityControlId": "S3.2", "SeverityRating": "LOW"}),
        );
        assert_eq!(s, 400);
        let (_, v) = call(&mut w, "GET", "/_emulator/securityhub/controls", Value::Null);
        assert_eq!(v["controls"].as_array().unwrap().len(), 4);

        let (s, v) = call(
            &mut w,
            "POST",
            "/_emulator/securityhub/findings",
            json!({"account_id": "111111111111",
                   "findings": [{"Id": "f/1", "AwsAccountId": "222222222222",
                                 "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"}],
                   "generate": {"control_id": "Inspector.2", "count": 4,
                                "account_ids": ["222222222222", "333333333333"]}}),
        );
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["added"], 5);
        let gen_id = v["ids"][1].as_str().unwrap().to_string();
        let (_, v) = call(&mut w, "GET", "/_emulator/securityhub/findings?account_id=111111111111", Value::Null);
        let list = v["findings"].as_array().unwrap();
        assert_eq!(list.len(), 5);
        let ids: Vec<&str> = list.iter().map(|f| f["Id"].as_str().unwrap()).collect();
        let mut sorted = ids.clone();
        sorted.sort();
        assert_eq!(ids, sorted);
        assert_eq!(list.iter().filter(|f| f["AwsAccountId"] == "333333333333").count(), 2);
        // Default account's store is empty.
        let (_, v) = call(&mut w, "GET", "/_emulator/securityhub/findings", Value::Null);
        assert_eq!(v["findings"], json!([]));
        // Change one finding by its URL-encoded Id.
        let enc = gen_id.replace(':', "%3A").replace('/', "%2F");
        let (s, v) = call(
            &mut w,
            "PUT",
            &format!("/_emulator/securityhub/findings/{enc}?account_id=111111111111"),
            json!({"ComplianceStatus": "PASSED"}),
        );
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["Id"], gen_id.as_str());
        assert_eq!(v["Workflow"]["Status"], "RESOLVED");
        let (s, _) = call(
            &mut w,
            "PUT",
            "/_emulator/securityhub/findings/f%2F2?account_id=111111111111",
            json!({"ComplianceStatus": "PASSED"}),
        );
        assert_eq!(s, 404);
        let (s, _) = call(
            &mut w,
            "POST",
            "/_emulator/securityhub/findings",
            json!({"account_id": "111111111111", "findings": [{"AwsAccountId": "1"}]}),
        );
        assert_eq!(s, 400);
        call(&mut w, "DELETE", "/_emulator/securityhub/findings?account_id=111111111111", Value::Null);
        let (_, v) = call(&mut w, "GET", "/_emulator/securityhub/findings?account_id=111111111111", Value::Null);
        assert_eq!(v["findings"], json!([]));
        // evaluate=1 runs the Inspector.2 evaluation for the admin.
        call(&mut w, "PUT", "/_emulator/config", json!({"delegated_admin": "111111111111"}));
        let (_, v) =
            call(&mut w, "GET", "/_emulator/securityhub/findings?account_id=111111111111&evaluate=1", Value::Null);
        assert_eq!(v["findings"][0]["Compliance"]["Status"], "FAILED");
        call(&mut w, "POST", "/_emulator/reset", Value::Null);
        assert!(w.securityhub.findings.is_empty());
        assert_eq!(w.securityhub.controls.len(), 3);
    }

    #[test]
    fn bulk_members() {
        let mut w = World::new(Initial::default());
        let ids: Vec<String> = (0..5000u64).map(|i| format!("{:012}", 300_000_000_000 + i)).collect();
        let (s, v) = call(&mut w, "PUT", "/_emulator/config", json!({"members": ids}));
        assert_eq!(s, 200);
        assert_eq!(v["members"].as_array().unwrap().len(), 5000);
        let (_, v) =
            call(&mut w, "POST", "/_emulator/members", json!({"account_ids": ["444444444444", "300000000000"]}));
        assert_eq!(v["members"], 5001);
    }

    #[test]
    fn faults_and_requests() {
        let mut w = World::new(Initial::default());
        let (s, v) =
            call(&mut w, "POST", "/_emulator/faults", json!({"kind": "throttle", "operation": "Enable", "times": 2}));
        assert_eq!(s, 200);
        assert_eq!(v["id"], 1);
        let (s, _) = call(&mut w, "POST", "/_emulator/faults", json!([{"kind": "throttle"}, {"kind": "bad"}]));
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
