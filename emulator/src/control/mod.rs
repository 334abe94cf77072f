//! The JSON control API under `/_emulator/` (no auth). Errors are `{"error": "..."}` with 400
//! (bad input) or 404 (unknown endpoint). This module routes; its children hold the larger views
//! and changes: `inspector_org` (a Region's Inspector organization), `organizations` (AWS
//! Organizations) and `securityhub` (standards, control associations, Security Hub's organization
//! configuration).

pub mod inspector_org;
pub mod organizations;
pub mod securityhub;

use std::sync::OnceLock;

use matchit::Router;
use serde_json::{json, Map, Value};

use crate::emulator_config::AccountPatch;
use crate::model::evaluation::evaluate_inspector2;
use crate::model::findings::{Control, INSPECTOR2_CONTROL};
use crate::model::registry::Registry;
use crate::model::world::{World, DEFAULT_REGION};
use crate::reply::Reply;
use crate::util::{
    account_id_list, is_account_id, is_region, iso8601_ms, parse_form, percent_decode, unix_now_ms, unknown_key,
};

pub const PREFIX: &str = "/_emulator";

/// What a control path names; the method picks the action.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Endpoint {
    Health,
    Reset,
    Config,
    Members,
    Accounts,
    Account,
    Faults,
    Fault,
    Requests,
    Controls,
    Findings,
    Finding,
    ScanSettings,
    Registry,
    Aggregation,
    Organization,
    OrgMember,
    OrgAccounts,
    Organizations,
    OrganizationsAccounts,
    HubAssociations,
    HubStandards,
    HubOrganization,
}

impl Endpoint {
    /// Does this endpoint read or change one Region's state (and so take a `region`)?
    fn is_regional(self) -> bool {
        !matches!(
            self,
            Endpoint::Health
                | Endpoint::Reset
                | Endpoint::Config
                | Endpoint::Faults
                | Endpoint::Fault
                | Endpoint::Requests
                | Endpoint::Organizations
                | Endpoint::OrganizationsAccounts
        )
    }
}

/// Paths below [`PREFIX`]. A finding Id may contain `/`, hence the catch-all.
const ROUTES: &[(&str, Endpoint)] = &[
    ("/health", Endpoint::Health),
    ("/reset", Endpoint::Reset),
    ("/config", Endpoint::Config),
    ("/members", Endpoint::Members),
    ("/accounts", Endpoint::Accounts),
    ("/accounts/:id", Endpoint::Account),
    ("/faults", Endpoint::Faults),
    ("/faults/:id", Endpoint::Fault),
    ("/requests", Endpoint::Requests),
    ("/securityhub/controls", Endpoint::Controls),
    ("/securityhub/findings", Endpoint::Findings),
    ("/securityhub/findings/*id", Endpoint::Finding),
    ("/configuration/:id", Endpoint::ScanSettings),
    ("/ecr/:id", Endpoint::Registry),
    ("/securityhub/aggregation", Endpoint::Aggregation),
    ("/organization", Endpoint::Organization),
    ("/organization/members/:id", Endpoint::OrgMember),
    ("/organization/accounts", Endpoint::OrgAccounts),
    ("/organizations", Endpoint::Organizations),
    ("/organizations/accounts", Endpoint::OrganizationsAccounts),
    ("/securityhub/associations/:id", Endpoint::HubAssociations),
    ("/securityhub/standards/:id", Endpoint::HubStandards),
    ("/securityhub/organization", Endpoint::HubOrganization),
];

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

/// One control call: what it asks for.
struct Call<'a> {
    method: &'a str,
    path: &'a str,
    /// The `:id` or `*id` of the path, as sent.
    id: &'a str,
    params: Vec<(String, String)>,
    body: &'a [u8],
    /// A Regional endpoint: a top-level `region` of the body was already read (and is dropped).
    regional: bool,
}

impl Call<'_> {
    fn not_found(&self) -> (u16, String) {
        (404, format!("no control endpoint {} {}", self.method, self.path))
    }

    fn json(&self) -> Result<Value> {
        if self.body.iter().all(u8::is_ascii_whitespace) {
            return Ok(json!({}));
        }
        let mut v: Value = serde_json::from_slice(self.body).map_err(|e| bad(format!("invalid JSON body: {e}")))?;
        if let (true, Some(obj)) = (self.regional, v.as_object_mut()) {
            obj.remove("region");
        }
        Ok(v)
    }

    fn param(&self, name: &str) -> Option<&str> {
        self.params.iter().find(|(k, _)| k == name).map(|(_, v)| v.as_str())
    }
}

fn router() -> Result<&'static Router<Endpoint>> {
    static ROUTER: OnceLock<std::result::Result<Router<Endpoint>, String>> = OnceLock::new();
    let built = ROUTER.get_or_init(|| {
        let mut r = Router::new();
        for &(path, endpoint) in ROUTES {
            r.insert(path, endpoint).map_err(|e| format!("control route {path}: {e}"))?;
        }
        Ok(r)
    });
    built.as_ref().map_err(|e| (500, e.clone()))
}

/// The endpoint of `path` and its id. Empty segments (`//`, a trailing `/`) are ignored, as
/// they always were, except inside a finding Id.
fn find(path: &str) -> Result<Option<(Endpoint, String)>> {
    let router = router()?;
    let rest = path.strip_prefix(PREFIX).unwrap_or(path);
    let normalized = format!("/{}", rest.split('/').filter(|s| !s.is_empty()).collect::<Vec<_>>().join("/"));
    let found = router.at(rest).or_else(|_| router.at(&normalized)).ok();
    Ok(found.map(|m| (*m.value, m.params.get("id").unwrap_or_default().to_string())))
}

fn route(w: &mut World, method: &str, path: &str, query: Option<&str>, body: &[u8]) -> Result<Value> {
    let params = query.map(parse_form).unwrap_or_default();
    let Some((endpoint, id)) = find(path)? else {
        return Err((404, format!("no control endpoint {method} {path}")));
    };
    let call = Call { method, path, id: &id, params, body, regional: endpoint.is_regional() };
    if endpoint.is_regional() {
        w.select_region(&region_param(&call)?);
    }
    match endpoint {
        Endpoint::Health | Endpoint::Reset | Endpoint::Config | Endpoint::Requests => world(w, endpoint, &call),
        Endpoint::Members => members(w, &call),
        Endpoint::Accounts | Endpoint::Account => accounts(w, endpoint, &call),
        Endpoint::Faults | Endpoint::Fault => faults(w, endpoint, &call),
        Endpoint::Controls => controls(w, &call),
        Endpoint::Findings | Endpoint::Finding => findings(w, endpoint, &call),
        Endpoint::ScanSettings | Endpoint::Registry => scan_data(w, endpoint, &call),
        Endpoint::Aggregation => aggregation(w, &call),
        Endpoint::Organization | Endpoint::OrgMember | Endpoint::OrgAccounts => org(w, endpoint, &call),
        Endpoint::Organizations | Endpoint::OrganizationsAccounts => organizations(w, endpoint, &call),
        Endpoint::HubAssociations | Endpoint::HubStandards | Endpoint::HubOrganization => {
            hub_governance(w, endpoint, &call)
        }
    }
}

/// Did the call name a Region (query or body)?
fn region_given(call: &Call) -> bool {
    let in_body = serde_json::from_slice::<Value>(call.body).ok().and_then(|v| v.get("region").cloned());
    call.param("region").is_some() || in_body.is_some_and(|r| !r.is_null())
}

/// The Region a call acts in: the `region` query parameter, else a `region` field of a JSON
/// object body, else us-east-1. Both given and different is an error.
fn region_param(call: &Call) -> Result<String> {
    let in_body =
        serde_json::from_slice::<Value>(call.body).ok().and_then(|v| v.get("region").cloned()).filter(|v| !v.is_null());
    let in_body = match in_body {
        None => None,
        Some(Value::String(r)) => Some(r),
        Some(other) => return Err(bad(format!("region: expected a Region name such as \"eu-west-1\", got {other}"))),
    };
    let region = match (call.param("region"), in_body) {
        (Some(q), Some(b)) if q != b => {
            return Err(bad(format!("region {q:?} in the query and {b:?} in the body disagree")))
        }
        (Some(q), _) => q.to_string(),
        (None, Some(b)) => b,
        (None, None) => DEFAULT_REGION.to_string(),
    };
    if is_region(&region) {
        Ok(region)
    } else {
        Err(bad(format!("region: {region:?} is not an AWS Region name such as \"eu-west-1\"")))
    }
}

fn ok() -> Value {
    json!({"ok": true})
}

/// Health, reset, configuration, members and the request log.
fn world(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    match (call.method, endpoint) {
        ("GET", Endpoint::Health) => Ok(ok()),
        ("POST", Endpoint::Reset) => {
            w.reset();
            Ok(ok())
        }
        ("GET", Endpoint::Config) => Ok(w.config.to_json()),
        ("PUT" | "PATCH", Endpoint::Config) => {
            let config = w.config.patched(&call.json()?).map_err(bad)?;
            w.set_config(config);
            Ok(w.config.to_json())
        }
        ("GET", Endpoint::Requests) => {
            let mut v = w.requests.to_json();
            v["held_open"] = json!(w.held_open);
            Ok(v)
        }
        ("DELETE", Endpoint::Requests) => {
            w.requests.clear();
            Ok(ok())
        }
        _ => Err(call.not_found()),
    }
}

/// `POST /members {"account_ids": [...], "region"?}`: associated members of the Region named,
/// else of every Region (and of the config, so Regions used later have them too).
fn members(w: &mut World, call: &Call) -> Result<Value> {
    if call.method != "POST" {
        return Err(call.not_found());
    }
    let v = call.json()?;
    if let Some(k) = v.as_object().and_then(|o| unknown_key(o, &["account_ids"])) {
        return Err(bad(format!("unknown field {k:?} (account_ids|region)")));
    }
    let ids = v
        .get("account_ids")
        .ok_or_else(|| bad("expected {\"account_ids\": [...]}"))
        .and_then(|ids| account_id_list(ids, "account_ids").map_err(bad))?;
    let one_region = region_given(call);
    if one_region {
        w.here_mut().org.associate_all(ids, unix_now_ms());
    } else {
        w.add_members_everywhere(&ids);
    }
    Ok(json!({"members": w.here().org.associated().count()}))
}

fn account_id(id: &str) -> Result<&str> {
    if is_account_id(id) {
        Ok(id)
    } else {
        Err(bad(format!("{id:?} is not a 12-digit account id")))
    }
}

fn accounts(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    match (call.method, endpoint) {
        ("GET", Endpoint::Accounts) => {
            let list: Vec<Value> = w.here().accounts.keys().map(|id| w.account_view(id)).collect();
            Ok(json!({ "accounts": list }))
        }
        ("GET", Endpoint::Account) => Ok(w.account_view(account_id(call.id)?)),
        ("PUT" | "PATCH", Endpoint::Account) => {
            let id = account_id(call.id)?;
            let patch = AccountPatch::parse(&call.json()?).map_err(bad)?;
            Ok(w.patch_account(id, &patch))
        }
        _ => Err(call.not_found()),
    }
}

fn faults(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    match (call.method, endpoint) {
        ("GET", Endpoint::Faults) => Ok(json!({ "faults": w.faults.to_json() })),
        ("POST", Endpoint::Faults) => match call.json()? {
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
        ("DELETE", Endpoint::Faults) => {
            w.faults.clear();
            Ok(ok())
        }
        ("DELETE", Endpoint::Fault) => {
            let id: u64 = call.id.parse().map_err(|_| bad("fault id must be an integer"))?;
            if w.faults.remove(id) {
                Ok(ok())
            } else {
                Err((404, format!("no fault with id {id}")))
            }
        }
        _ => Err(call.not_found()),
    }
}

fn controls(w: &mut World, call: &Call) -> Result<Value> {
    match call.method {
        "GET" => {
            let list: Vec<Value> = w.here().securityhub.controls.values().map(Control::to_json).collect();
            Ok(json!({ "controls": list }))
        }
        "POST" | "PUT" => {
            let list = match call.json()? {
                Value::Array(a) => a,
                one => vec![one],
            };
            // All or nothing; later entries see earlier ones.
            let mut controls = w.here().securityhub.controls.clone();
            let mut out = Vec::with_capacity(list.len());
            for (i, v) in list.iter().enumerate() {
                let id = v.get("SecurityControlId").and_then(Value::as_str).unwrap_or("");
                let c = Control::upsert(controls.get(id), v).map_err(|e| bad(format!("controls[{i}]: {e}")))?;
                out.push(c.to_json());
                controls.insert(c.id.clone(), c);
            }
            w.here_mut().securityhub.controls = controls;
            Ok(json!({ "controls": out }))
        }
        _ => Err(call.not_found()),
    }
}

/// The `account_id` query parameter (a Security Hub home account), else the default account.
fn home_param(w: &World, call: &Call) -> Result<String> {
    match call.param("account_id") {
        Some(v) => account_id(v).map(str::to_string),
        None => Ok(w.config.default_account.clone()),
    }
}

fn findings(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    match (call.method, endpoint) {
        ("GET", Endpoint::Findings) => list_findings(w, call),
        ("POST", Endpoint::Findings) => seed_findings(w, call),
        ("DELETE", Endpoint::Findings) => {
            if call.param("account_id").is_some() {
                let home = home_param(w, call)?;
                w.here_mut().securityhub.findings.remove(&home);
            } else {
                w.here_mut().securityhub.findings.clear();
            }
            Ok(ok())
        }
        ("PUT" | "PATCH", Endpoint::Finding) => {
            let id = percent_decode(call.id);
            let home = home_param(w, call)?;
            let now = iso8601_ms(unix_now_ms());
            match w.here_mut().securityhub.patch_finding(&home, &id, &call.json()?, &now).map_err(bad)? {
                Some(v) => Ok(v),
                None => Err((404, format!("no finding {id:?} in account {home}"))),
            }
        }
        _ => Err(call.not_found()),
    }
}

fn list_findings(w: &mut World, call: &Call) -> Result<Value> {
    let home = home_param(w, call)?;
    let evaluate = matches!(call.param("evaluate"), Some("1" | "true"));
    if evaluate && w.config.evaluate_inspector2 {
        let region = w.region().to_string();
        evaluate_inspector2(w, &home, &region, &iso8601_ms(unix_now_ms()));
    }
    Ok(json!({ "account_id": home, "findings": w.here().securityhub.findings_json(&home) }))
}

fn seed_findings(w: &mut World, call: &Call) -> Result<Value> {
    let v = call.json()?;
    let obj: &Map<String, Value> =
        v.as_object().ok_or_else(|| bad("expected {\"account_id\": ..., \"findings\": [...], \"generate\": {...}}"))?;
    if let Some(k) = unknown_key(obj, &["account_id", "findings", "generate"]) {
        return Err(bad(format!("unknown field {k:?} (account_id|findings|generate)")));
    }
    let home = match obj.get("account_id") {
        None | Some(Value::Null) => w.config.default_account.clone(),
        Some(a) => account_id(a.as_str().unwrap_or_default())?.to_string(),
    };
    let now = iso8601_ms(unix_now_ms());
    let ids = w.here_mut().securityhub.seed(&home, obj, &now).map_err(bad)?;
    Ok(json!({ "account_id": home, "added": ids.len(), "ids": ids }))
}

/// The selected Region's organization: `/organization` (GET, PUT), `/organization/members/{id}`
/// (PUT a relationship status, DELETE) and `/organization/accounts` (POST: accounts join).
fn org(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    match (call.method, endpoint) {
        ("GET", Endpoint::Organization) => Ok(inspector_org::view(w)),
        ("PUT" | "PATCH", Endpoint::Organization) => inspector_org::patch(w, &call.json()?).map_err(bad),
        ("POST", Endpoint::OrgAccounts) => inspector_org::join(w, &call.json()?).map_err(bad),
        ("PUT", Endpoint::OrgMember) => {
            let id = account_id(call.id)?.to_owned();
            inspector_org::set_member(w, &id, &call.json()?).map_err(bad)
        }
        ("DELETE", Endpoint::OrgMember) => {
            let id = account_id(call.id)?;
            if inspector_org::remove_member(w, id) {
                Ok(ok())
            } else {
                Err((404, format!("{id} is not a member of the organization in {}", w.region())))
            }
        }
        _ => Err(call.not_found()),
    }
}

/// AWS Organizations (global): `/organizations` (GET, PUT to build it anew, DELETE) and
/// `/organizations/accounts` (POST: accounts join or move).
fn organizations(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    match (call.method, endpoint) {
        ("GET", Endpoint::Organizations) => {
            organizations::view(w).ok_or_else(|| (404, "there is no organization".to_string()))
        }
        ("PUT", Endpoint::Organizations) => organizations::replace(w, &call.json()?).map_err(bad),
        ("DELETE", Endpoint::Organizations) => match organizations::remove(w) {
            true => Ok(ok()),
            false => Err((404, "there is no organization".to_string())),
        },
        ("POST", Endpoint::OrganizationsAccounts) => organizations::place(w, &call.json()?).map_err(bad),
        _ => Err(call.not_found()),
    }
}

/// What governs Security Hub controls in the selected Region: `/securityhub/associations/{id}`
/// (GET `?control_id=`, default Inspector.2; PUT), `/securityhub/standards/{id}` (GET, PUT) and
/// `/securityhub/organization` (GET, PUT).
fn hub_governance(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    match (call.method, endpoint) {
        ("GET", Endpoint::HubAssociations) => {
            let control = call.param("control_id").unwrap_or(INSPECTOR2_CONTROL).to_string();
            Ok(securityhub::view(w, account_id(call.id)?, &control))
        }
        ("GET", Endpoint::HubStandards) => Ok(securityhub::view(w, account_id(call.id)?, INSPECTOR2_CONTROL)),
        ("PUT", Endpoint::HubAssociations) => {
            let id = account_id(call.id)?.to_owned();
            securityhub::set_association(w, &id, &call.json()?).map_err(bad)
        }
        ("PUT", Endpoint::HubStandards) => {
            let id = account_id(call.id)?.to_owned();
            securityhub::set_standards(w, &id, &call.json()?).map_err(bad)
        }
        ("GET", Endpoint::HubOrganization) => Ok(securityhub::organization_view(w)),
        ("PUT", Endpoint::HubOrganization) => securityhub::set_organization(w, &call.json()?).map_err(bad),
        _ => Err(call.not_found()),
    }
}

/// The selected Region as a Security Hub aggregation Region: GET, or POST/PUT
/// `{"region", "linked_regions": [...]}` (an empty list ends the aggregation).
fn aggregation(w: &mut World, call: &Call) -> Result<Value> {
    match call.method {
        "GET" => {}
        "POST" | "PUT" => {
            let v = call.json()?;
            let obj = v.as_object().ok_or_else(|| bad("expected {\"region\": ..., \"linked_regions\": [...]}"))?;
            if let Some(k) = unknown_key(obj, &["linked_regions"]) {
                return Err(bad(format!("unknown field {k:?} (region|linked_regions)")));
            }
            let list = obj
                .get("linked_regions")
                .and_then(Value::as_array)
                .ok_or_else(|| bad("linked_regions: expected a list of Region names"))?;
            let mut linked = std::collections::BTreeSet::new();
            for r in list {
                let name = r.as_str().filter(|s| is_region(s));
                let name = name.ok_or_else(|| bad(format!("linked_regions: {r} is not an AWS Region name")))?;
                if name == w.region() {
                    return Err(bad(format!("linked_regions: {name} is the aggregation Region itself")));
                }
                linked.insert(name.to_string());
            }
            w.here_mut().linked_regions = linked;
        }
        _ => return Err(call.not_found()),
    }
    Ok(json!({"region": w.region(), "linked_regions": w.here().linked_regions}))
}

/// An account's Inspector2 scan settings (`/configuration/{id}`: GET, PUT with any of
/// rescan_duration, pull_date_rescan_duration, pull_date_rescan_mode, ec2_scan_mode) and its ECR
/// registry (`/ecr/{id}`: GET, PUT `{"repositories": {name: [{pushed_at, last_pulled_at}]}}`).
fn scan_data(w: &mut World, endpoint: Endpoint, call: &Call) -> Result<Value> {
    let id = account_id(call.id)?.to_owned();
    match (call.method, endpoint) {
        ("GET", Endpoint::ScanSettings) => Ok(w.here().scan_settings.get(&id).cloned().unwrap_or_default().to_json()),
        ("PUT" | "PATCH", Endpoint::ScanSettings) => {
            let patch = call.json()?;
            let obj = patch.as_object().ok_or_else(|| bad("expected a JSON object"))?;
            let config = w.here().scan_settings.get(&id).cloned().unwrap_or_default().patched(obj).map_err(bad)?;
            w.here_mut().scan_settings.insert(id, config.clone());
            Ok(config.to_json())
        }
        ("GET", Endpoint::Registry) => Ok(w.here().registries.get(&id).cloned().unwrap_or_default().to_json()),
        ("PUT", Endpoint::Registry) => {
            let registry = Registry::parse(&call.json()?).map_err(bad)?;
            let view = registry.to_json();
            w.here_mut().registries.insert(id, registry);
            Ok(view)
        }
        _ => Err(call.not_found()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator_config::Initial;

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
    fn securityhub_controls() {
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
        call(&mut w, "POST", "/_emulator/reset", Value::Null);
        assert_eq!(w.here().securityhub.controls.len(), 3);
    }

    #[test]
    fn securityhub_findings() {
        let mut w = World::new(Initial::default());
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
        assert!(w.here().securityhub.findings.is_empty());
        assert_eq!(w.here().securityhub.controls.len(), 3);
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

    #[test]
    fn routing_tolerates_extra_slashes_and_slashes_in_finding_ids() {
        let mut w = World::new(Initial::default());
        assert_eq!(call(&mut w, "GET", "/_emulator/health/", Value::Null), (200, json!({"ok": true})));
        assert_eq!(call(&mut w, "GET", "/_emulator//health", Value::Null), (200, json!({"ok": true})));
        let (s, v) = call(&mut w, "GET", "/_emulator/accounts/222222222222/", Value::Null);
        assert_eq!((s, v["account_id"].as_str()), (200, Some("222222222222")));
        let seed = json!({"findings": [{"Id": "f/1", "AwsAccountId": "222222222222",
            "SecurityControlId": "Inspector.2", "ComplianceStatus": "FAILED"}]});
        assert_eq!(call(&mut w, "POST", "/_emulator/securityhub/findings/", seed).0, 200);
        // Raw or URL-encoded, the Id keeps its '/'.
        for path in ["/_emulator/securityhub/findings/f/1", "/_emulator/securityhub/findings/f%2F1"] {
            let (s, v) = call(&mut w, "PUT", path, json!({"WorkflowStatus": "NOTIFIED"}));
            assert_eq!((s, v["Id"].as_str()), (200, Some("f/1")), "{path}: {v}");
        }
        let (s, v) = call(&mut w, "GET", "/_emulator/securityhub/findings/f%2F1", Value::Null);
        assert_eq!(s, 404);
        assert_eq!(v["error"], "no control endpoint GET /_emulator/securityhub/findings/f%2F1");
        assert_eq!(call(&mut w, "DELETE", "/_emulator/health", Value::Null).0, 404);
        assert_eq!(call(&mut w, "GET", "/_emulator", Value::Null).0, 404);
        assert_eq!(call(&mut w, "DELETE", "/_emulator/faults/x", Value::Null).0, 400);
    }

    #[test]
    fn regional_endpoints_take_a_region() {
        let mut w = World::new(Initial::default());
        let body = json!({"resource_state": {"ECR": "ENABLED"}});
        assert_eq!(call(&mut w, "PUT", "/_emulator/accounts/222222222222?region=eu-west-1", body).0, 200);
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts/222222222222?region=eu-west-1", Value::Null);
        assert_eq!(v["resource_state"]["ECR"], "ENABLED");
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts/222222222222", Value::Null);
        assert_eq!(v["resource_state"]["ECR"], "DISABLED", "us-east-1 by default, untouched");
        // A region field of a JSON body works as the query parameter does.
        let body = json!({"region": "ap-south-1", "suspended": true});
        assert_eq!(call(&mut w, "PUT", "/_emulator/accounts/222222222222", body).0, 200);
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts?region=ap-south-1", Value::Null);
        assert_eq!(v["accounts"][0]["suspended"], true);
        assert_eq!(v["accounts"].as_array().map(Vec::len), Some(1));
        let (_, v) = call(&mut w, "GET", "/_emulator/accounts?region=us-east-1", Value::Null);
        assert_eq!(v["accounts"], json!([]));
    }

    #[test]
    fn bad_regions_are_refused_by_name() {
        let mut w = World::new(Initial::default());
        for (path, name) in [
            ("/_emulator/accounts?region=moon-1", "moon-1"),
            ("/_emulator/securityhub/findings?region=us-east", "us-east"),
        ] {
            let (s, v) = call(&mut w, "GET", path, Value::Null);
            assert_eq!(s, 400, "{path}");
            let e = v["error"].as_str().unwrap();
            assert!(e.starts_with("region:") && e.contains(&format!("{name:?}")), "{e}");
        }
        let (s, v) =
            call(&mut w, "PUT", "/_emulator/accounts/222222222222?region=eu-west-1", json!({"region": "eu-west-2"}));
        assert_eq!(s, 400);
        assert!(v["error"].as_str().unwrap().contains("disagree"), "{v}");
        let (s, v) = call(&mut w, "PUT", "/_emulator/accounts/222222222222", json!({"region": 5}));
        assert_eq!(s, 400);
        assert!(v["error"].as_str().unwrap().starts_with("region:"), "{v}");
        assert_eq!(w.regions(), ["us-east-1"], "no Region was created by a refused call");
        // Global endpoints ignore the Region: the config has no region field.
        assert_eq!(call(&mut w, "PUT", "/_emulator/config", json!({"region": "eu-west-1"})).0, 400);
    }

    #[test]
    fn members_of_one_region_or_all() {
        let mut w = World::new(Initial::default());
        call(&mut w, "PUT", "/_emulator/config", json!({"delegated_admin": "111111111111"}));
        let (s, v) =
            call(&mut w, "POST", "/_emulator/members", json!({"account_ids": ["222222222222"], "region": "eu-west-1"}));
        assert_eq!((s, &v["members"]), (200, &json!(1)));
        assert!(w.here().org.is_associated("222222222222") && w.region() == "eu-west-1");
        w.select_region("us-east-1");
        assert!(!w.here().org.is_associated("222222222222"));
        let (_, v) = call(&mut w, "POST", "/_emulator/members", json!({"account_ids": ["333333333333"]}));
        assert_eq!(v["members"], 1);
        w.select_region("eu-west-1");
        assert!(w.here().org.is_associated("333333333333") && w.here().org.is_associated("222222222222"));
        assert_eq!(call(&mut w, "POST", "/_emulator/members", json!({"account_ids": [], "x": 1})).0, 400);
    }

    #[test]
    fn aggregation_endpoint() {
        let mut w = World::new(Initial::default());
        let body = json!({"region": "eu-west-1", "linked_regions": ["us-east-1", "ap-south-1"]});
        let (s, v) = call(&mut w, "POST", "/_emulator/securityhub/aggregation", body);
        assert_eq!(s, 200, "{v}");
        assert_eq!(v, json!({"region": "eu-west-1", "linked_regions": ["ap-south-1", "us-east-1"]}));
        let (_, v) = call(&mut w, "GET", "/_emulator/securityhub/aggregation?region=eu-west-1", Value::Null);
        assert_eq!(v["linked_regions"], json!(["ap-south-1", "us-east-1"]));
        let (_, v) = call(&mut w, "GET", "/_emulator/securityhub/aggregation", Value::Null);
        assert_eq!(v["linked_regions"], json!([]), "us-east-1 aggregates nothing");
        for bad in [json!({"linked_regions": ["nowhere"]}), json!({"linked_regions": ["us-east-1"]}), json!({})] {
            let (s, v) = call(&mut w, "POST", "/_emulator/securityhub/aggregation", bad.clone());
            assert_eq!(s, 400, "{bad}");
            assert!(v["error"].as_str().unwrap().contains("linked_regions"), "{v}");
        }
    }

    #[test]
    fn organization_endpoints() {
        let mut w = World::new(Initial::default());
        let body = json!({"delegated_admin": "111111111111", "auto_enable": {"ecr": true}, "region": "eu-west-1"});
        let (s, v) = call(&mut w, "PUT", "/_emulator/organization", body);
        assert_eq!(s, 200, "{v}");
        assert_eq!((v["region"].as_str(), v["delegated_admin"].as_str()), (Some("eu-west-1"), Some("111111111111")));
        assert_eq!((v["auto_enable"]["ecr"].as_bool(), v["auto_enable"]["ec2"].as_bool()), (Some(true), Some(false)));
        let (_, v) = call(&mut w, "GET", "/_emulator/organization", Value::Null);
        assert_eq!(v["delegated_admin"], Value::Null, "us-east-1 is untouched");
        let path = "/_emulator/organization/members/222222222222?region=eu-west-1";
        let (s, v) = call(&mut w, "PUT", path, json!({"relationship_status": "ACCOUNT_SUSPENDED"}));
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["relationship_status"], "ACCOUNT_SUSPENDED");
        let (_, v) = call(&mut w, "GET", "/_emulator/organization?region=eu-west-1", Value::Null);
        assert_eq!(v["members"][0]["account_id"], "222222222222");
        assert_eq!(v["members"][0]["associating"], false);
        let (_, v) =
            call(&mut w, "PUT", "/_emulator/organization?region=eu-west-1", json!({"max_account_limit_reached": true}));
        assert_eq!(v["max_account_limit_reached"], true);
        assert_eq!(call(&mut w, "DELETE", path, Value::Null).0, 200);
        assert_eq!(call(&mut w, "DELETE", path, Value::Null).0, 404);
        for (path, body, says) in [
            (
                "/_emulator/organization/members/222222222222",
                json!({"relationship_status": "FRIENDS"}),
                "relationship_status",
            ),
            ("/_emulator/organization/members/222222222222", json!({}), "relationship_status"),
            (
                "/_emulator/organization/members/111111111111?region=eu-west-1",
                json!({"relationship_status": "ENABLED"}),
                "delegated administrator",
            ),
            ("/_emulator/organization", json!({"auto_enable": {"eks": true}}), "auto_enable.eks"),
            ("/_emulator/organization", json!({"delegated_admin": "1"}), "delegated_admin"),
            ("/_emulator/organization", json!({"max_account_limit_reached": 1}), "max_account_limit_reached"),
            ("/_emulator/organization", json!({"admin": "111111111111"}), "admin"),
        ] {
            let (s, v) = call(&mut w, "PUT", path, body.clone());
            assert_eq!(s, 400, "{path} {body}");
            assert!(v["error"].as_str().unwrap().contains(says), "{v}");
        }
        let (_, v) = call(&mut w, "GET", "/_emulator/organization?region=eu-west-1", Value::Null);
        assert_eq!((v["auto_enable"]["ecr"].as_bool(), v["members"].as_array().map(Vec::len)), (Some(true), Some(0)));
    }

    #[test]
    fn stale_org_config_fault() {
        let mut w = World::new(Initial::default());
        let (s, v) = call(&mut w, "POST", "/_emulator/faults", json!({"kind": "stale_org_config", "reads": 3}));
        assert_eq!(s, 200, "{v}");
        assert_eq!((v["reads"].as_u64(), v["operation"].as_str()), (Some(3), Some("UpdateOrganizationConfiguration")));
        for bad in [
            json!({"kind": "stale_org_config", "reads": 0}),
            json!({"kind": "stale_org_config", "operation": "Enable"}),
        ] {
            assert_eq!(call(&mut w, "POST", "/_emulator/faults", bad.clone()).0, 400, "{bad}");
        }
        let (_, v) = call(&mut w, "POST", "/_emulator/faults", json!({"kind": "stale_org_config"}));
        assert_eq!(v["reads"], 1, "one stale read by default");
    }

    #[test]
    fn accounts_join_as_auto_enable_says() {
        let mut w = World::new(Initial::default());
        call(&mut w, "PUT", "/_emulator/config", json!({"delegated_admin": "111111111111"}));
        let join = json!({"account_id": "222222222222", "region": "eu-west-1"});
        let (s, v) = call(&mut w, "POST", "/_emulator/organization/accounts", join);
        assert_eq!(s, 200, "{v}");
        assert_eq!((v["joined"].as_u64(), v["relationship_status"].as_str()), (Some(1), Some("CREATED")));
        let (_, a) = call(&mut w, "GET", "/_emulator/accounts/222222222222?region=eu-west-1", Value::Null);
        assert_eq!(a["resource_state"]["ECR"], "DISABLED", "auto-enable off: it does not scan");
        call(&mut w, "PUT", "/_emulator/organization?region=eu-west-1", json!({"auto_enable": {"ecr": true}}));
        let bulk = json!({"count": 1000, "first_account_id": "300000000000", "region": "eu-west-1"});
        let (s, v) = call(&mut w, "POST", "/_emulator/organization/accounts", bulk.clone());
        assert_eq!(s, 200, "{v}");
        assert_eq!((v["joined"].as_u64(), v["relationship_status"].as_str()), (Some(1000), Some("ENABLED")));
        assert_eq!(v["account_ids"][999], "300000000999");
        let (_, a) = call(&mut w, "GET", "/_emulator/accounts/300000000999?region=eu-west-1", Value::Null);
        assert_eq!(a["resource_state"]["ECR"], "ENABLING", "it starts scanning by itself");
        assert_eq!(a["resource_state"]["EC2"], "DISABLED", "only the flagged scan types");
        assert!(w.here().org.is_associated("300000000999"));
        // Joining twice, the administrator, bad counts and bad overrides are refused, all or nothing.
        for (body, says) in [
            (bulk, "already in the organization"),
            (json!({"account_id": "111111111111"}), "already in the organization"),
            (json!({"count": 0, "first_account_id": "400000000000"}), "count"),
            (json!({"count": 10001, "first_account_id": "400000000000"}), "count"),
            (json!({"count": 2, "first_account_id": "999999999999"}), "past 999999999999"),
            (json!({"count": 2}), "first_account_id"),
            (json!({"account_id": "400000000000", "relationship_status": "JOINED"}), "relationship_status"),
            (json!({"account_id": "400000000000", "ecr": "ON"}), "ecr"),
            (json!({"account_id": "400000000000", "scan": true}), "scan"),
        ] {
            let (s, v) = call(&mut w, "POST", "/_emulator/organization/accounts?region=eu-west-1", body.clone());
            assert_eq!(s, 400, "{body}");
            assert!(v["error"].as_str().unwrap().contains(says), "{body}: {v}");
        }
        assert_eq!(w.here().org.members.len(), 1001);
        // Overrides: a suspended member without ECR.
        let body = json!({"account_id": "400000000000", "relationship_status": "ACCOUNT_SUSPENDED", "ecr": "DISABLED"});
        let (_, v) = call(&mut w, "POST", "/_emulator/organization/accounts?region=eu-west-1", body);
        assert_eq!(v["relationship_status"], "ACCOUNT_SUSPENDED");
        assert_eq!(
            w.account("400000000000").resource(crate::model::account::ResourceType::Ecr),
            crate::model::account::Status::Disabled
        );
        // us-east-1 has none of them.
        w.select_region("us-east-1");
        assert!(w.here().org.members.is_empty());
    }
}
