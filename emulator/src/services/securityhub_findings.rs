//! AWS Security Hub (restJson1, PascalCase JSON): GetFindings, BatchGetSecurityControls,
//! BatchUpdateFindings, DescribeHub. Findings live in the store of the caller's account (its
//! Security Hub "home"); see [`crate::model::findings`] for the data model.
//!
//! Errors carry `x-amzn-ErrorType` and a `{"Message": ..., "Code": ...}` body.

use std::collections::{BTreeMap, HashSet};

use serde_json::{json, Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::evaluation::evaluate_inspector2;
use crate::model::findings::{
    decode_token, dedup, encode_token, query_digest, Filters, Finding, Note, Workflow, SEVERITY_LABELS,
};
use crate::model::world::World;
use crate::reply::Reply;
use crate::request_log::LogEntry;
use crate::util::{iso8601_ms, parse_form, parse_object, unix_now_ms};

pub const SERVICE: &str = "securityhub";

const MAX_RESULTS: u64 = 100;
const MAX_CONTROL_IDS: usize = 100;
const MAX_FINDING_IDENTIFIERS: usize = 100;
const VERIFICATION_STATES: &[&str] = &["UNKNOWN", "TRUE_POSITIVE", "FALSE_POSITIVE", "BENIGN_POSITIVE"];
/// BatchUpdateFindings members that count as "an update" besides Workflow and Note.
const OTHER_UPDATES: &[&str] =
    &["VerificationState", "Severity", "Confidence", "Criticality", "Types", "UserDefinedFields", "RelatedFindings"];

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Op {
    GetFindings,
    BatchGetSecurityControls,
    BatchUpdateFindings,
    DescribeHub,
}

impl Op {
    pub fn name(self) -> &'static str {
        match self {
            Op::GetFindings => "GetFindings",
            Op::BatchGetSecurityControls => "BatchGetSecurityControls",
            Op::BatchUpdateFindings => "BatchUpdateFindings",
            Op::DescribeHub => "DescribeHub",
        }
    }

    fn from_route(method: &str, path: &str) -> Option<Op> {
        match (method, path.trim_end_matches('/')) {
            ("POST", "/findings") => Some(Op::GetFindings),
            ("POST", "/securityControls/batchGet") => Some(Op::BatchGetSecurityControls),
            ("PATCH", "/findings/batchupdate") => Some(Op::BatchUpdateFindings),
            ("GET", "/accounts") => Some(Op::DescribeHub),
            _ => None,
        }
    }
}

/// Does this (unsigned) request path belong to Security Hub? Used only when there is no SigV4
/// credential scope to route on.
pub fn owns_path(path: &str) -> bool {
    matches!(
        path.trim_end_matches('/'),
        "/findings" | "/securityControls/batchGet" | "/findings/batchupdate" | "/accounts"
    )
}

fn invalid_input<M: Into<String>>(message: M) -> ApiError {
    ApiError::new(400, "InvalidInputException", message)
}

/// What every operation returns when Security Hub is off in the caller's account.
pub fn not_subscribed(account: &str) -> ApiError {
    ApiError::new(401, "InvalidAccessException", format!("Account {account} is not subscribed to AWS Security Hub"))
}

const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (429, "LimitExceededException"),
    server_error: ("InternalException", "Injected internal error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: invalid_input,
};

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let Some(op) = Op::from_route(req.method, req.path) else {
        return req.unknown_operation(w, SERVICE).to_securityhub_reply();
    };
    let mut entry = req.log_entry(SERVICE, op.name());
    let parsed = if op == Op::DescribeHub { Ok(Map::new()) } else { parse_object(req.body) };
    if let Ok(obj) = &parsed {
        log_request_fields(op, obj, &mut entry);
    }
    let reply = match w.injected_fault(op.name(), &FAULT_ERRORS, &mut entry) {
        Some(f) => f.into_reply(ApiError::to_securityhub_reply),
        None => match respond(w, req, op, parsed, &mut entry) {
            Ok(v) => Reply::json(200, &v),
            Err(e) => e.to_securityhub_reply(),
        },
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

fn log_request_fields(op: Op, obj: &Map<String, Value>, entry: &mut LogEntry) {
    let get = |k: &str| obj.get(k).cloned().unwrap_or(Value::Null);
    let f = &mut entry.fields;
    match op {
        Op::GetFindings => {
            f.insert("max_results".into(), get("MaxResults"));
            let has_token = matches!(obj.get("NextToken"), Some(Value::String(s)) if !s.is_empty());
            f.insert("has_next_token".into(), json!(has_token));
            f.insert("filters".into(), get("Filters"));
            f.insert("returned".into(), Value::Null);
        }
        Op::BatchUpdateFindings => {
            let ids = obj
                .get("FindingIdentifiers")
                .and_then(Value::as_array)
                .map(|a| a.iter().map(|i| i.get("Id").cloned().unwrap_or(Value::Null)).collect::<Vec<_>>());
            f.insert("finding_ids".into(), json!(ids));
            let status = obj.get("Workflow").and_then(|w| w.get("Status")).cloned();
            f.insert("workflow_status".into(), status.unwrap_or(Value::Null));
        }
        Op::BatchGetSecurityControls => {
            f.insert("security_control_ids".into(), get("SecurityControlIds"));
        }
        Op::DescribeHub => {}
    }
}

fn respond(
    w: &mut World,
    req: &AwsRequest,
    op: Op,
    parsed: Result<Map<String, Value>, String>,
    entry: &mut LogEntry,
) -> Result<Value, ApiError> {
    let caller = req.caller.account.clone();
    if !w.securityhub_on(&caller) {
        return Err(not_subscribed(&caller));
    }
    let obj = parsed.map_err(|e| invalid_input(format!("Could not parse request body: {e}")))?;
    match op {
        Op::DescribeHub => describe_hub(w, req, &caller),
        Op::BatchGetSecurityControls => batch_get_security_controls(w, req, &caller, &obj),
        Op::GetFindings => get_findings(w, req, &caller, &obj, entry),
        Op::BatchUpdateFindings => batch_update_findings(w, &caller, &obj, entry),
    }
}

fn describe_hub(w: &World, req: &AwsRequest, caller: &str) -> Result<Value, ApiError> {
    let hub_arn = format!("arn:aws:securityhub:{}:{caller}:hub/default", req.region);
    let asked = req.query.map(parse_form).unwrap_or_default();
    if let Some((_, arn)) = asked.iter().find(|(k, _)| k == "HubArn") {
        if !arn.is_empty() && *arn != hub_arn {
            return Err(ApiError::new(404, "ResourceNotFoundException", format!("Hub {arn} not found")));
        }
    }
    Ok(json!({
        "HubArn": hub_arn,
        "SubscribedAt": iso8601_ms(w.started_unix_ms),
        "AutoEnableControls": true,
        "ControlFindingGenerator": "SECURITY_CONTROL",
    }))
}

fn string_list(obj: &Map<String, Value>, name: &str, max: usize) -> Result<Vec<String>, ApiError> {
    let list = obj.get(name).and_then(Value::as_array).ok_or_else(|| invalid_input(format!("{name} is required")))?;
    if list.is_empty() || list.len() > max {
        return Err(invalid_input(format!("{name} must contain between 1 and {max} items; {} were given", list.len())));
    }
    list.iter()
        .map(|v| {
            v.as_str()
                .filter(|s| !s.is_empty())
                .map(str::to_string)
                .ok_or_else(|| invalid_input(format!("{name}: every item must be a non-empty string")))
        })
        .collect()
}

fn batch_get_security_controls(
    w: &World,
    req: &AwsRequest,
    caller: &str,
    obj: &Map<String, Value>,
) -> Result<Value, ApiError> {
    let ids = string_list(obj, "SecurityControlIds", MAX_CONTROL_IDS)?;
    let mut found = Vec::new();
    let mut unprocessed = Vec::new();
    for id in dedup(&ids) {
        match w.here().securityhub.controls.get(&id) {
            Some(c) => found.push(c.to_api_json(&req.region, caller)),
            None => unprocessed.push(json!({
                "SecurityControlId": id,
                "ErrorCode": "NOT_FOUND",
                "ErrorReason": format!("Security control {id} was not found"),
            })),
        }
    }
    Ok(json!({"SecurityControls": found, "UnprocessedIds": unprocessed}))
}

fn get_findings(
    w: &mut World,
    req: &AwsRequest,
    home: &str,
    obj: &Map<String, Value>,
    entry: &mut LogEntry,
) -> Result<Value, ApiError> {
    let raw_filters = obj.get("Filters");
    let filters = Filters::parse(raw_filters).map_err(invalid_input)?;
    let max = match obj.get("MaxResults") {
        None | Some(Value::Null) => MAX_RESULTS,
        Some(v) => v
            .as_u64()
            .filter(|n| (1..=MAX_RESULTS).contains(n))
            .ok_or_else(|| invalid_input(format!("MaxResults must be between 1 and {MAX_RESULTS}; got {v}")))?,
    };
    let digest = query_digest(home, raw_filters);
    let after = match obj.get("NextToken") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) if s.is_empty() => None,
        Some(Value::String(s)) => {
            Some(decode_token(s, digest).ok_or_else(|| invalid_input("The NextToken is not valid"))?)
        }
        Some(_) => return Err(invalid_input("The NextToken is not valid")),
    };
    if w.config.evaluate_inspector2 {
        let now = iso8601_ms(unix_now_ms());
        evaluate_inspector2(w, home, &req.region, &now);
        evaluate_linked(w, home, &now);
    }
    let aggregated = linked_findings(w, home);
    let hub = &w.here().securityhub;
    let page = match &aggregated {
        Some(all) => hub.page_of(all, &filters, after.as_deref(), max as usize),
        None => hub.page(home, &filters, after.as_deref(), max as usize),
    };
    let findings: Vec<Value> = page.findings.iter().map(|f| f.to_json(hub.controls.get(&f.control_id))).collect();
    entry.fields.insert("returned".into(), json!(findings.len()));
    let mut out = json!({ "Findings": findings });
    if let Some(last) = page.next_after {
        out["NextToken"] = json!(encode_token(digest, &last));
    }
    Ok(out)
}

/// In an aggregation Region, evaluate Inspector.2 in each linked Region too, as their Security
/// Hubs would (then come back to the aggregation Region).
fn evaluate_linked(w: &mut World, home: &str, now: &str) {
    let here = w.region().to_string();
    for linked in w.here().linked_regions.clone() {
        w.select_region(&linked);
        evaluate_inspector2(w, home, &linked, now);
    }
    w.select_region(&here);
}

/// In an aggregation Region: `home`'s findings of this Region and of every linked Region, by Id.
/// None elsewhere (the Region's own store is paged directly).
fn linked_findings(w: &World, home: &str) -> Option<BTreeMap<String, Finding>> {
    if w.here().linked_regions.is_empty() {
        return None;
    }
    let mut all = w.here().securityhub.store(home).cloned().unwrap_or_default();
    for linked in &w.here().linked_regions {
        if let Some(store) = w.region_state(linked).and_then(|r| r.securityhub.store(home)) {
            all.extend(store.iter().map(|(id, f)| (id.clone(), f.clone())));
        }
    }
    Some(all)
}

/// Finding `id` of `home` in this Region or, in an aggregation Region, in a linked Region.
fn find_aggregated<'a>(w: &'a mut World, home: &str, id: &str) -> Option<&'a mut Finding> {
    if w.here_mut().securityhub.find_mut(home, id).is_some() {
        return w.here_mut().securityhub.find_mut(home, id);
    }
    let holds = |w: &World, r: &str| {
        w.region_state(r).and_then(|s| s.securityhub.store(home)).is_some_and(|s| s.contains_key(id))
    };
    let region = w.here().linked_regions.iter().find(|r| holds(w, r))?.clone();
    w.region_state_mut(&region)?.securityhub.find_mut(home, id)
}

/// A validated BatchUpdateFindings request.
struct Update {
    identifiers: Vec<(String, String)>,
    workflow: Option<Workflow>,
    note: Option<(String, String)>,
    verification_state: Option<String>,
    severity_label: Option<String>,
}

fn parse_update(obj: &Map<String, Value>) -> Result<Update, ApiError> {
    let list = obj
        .get("FindingIdentifiers")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid_input("FindingIdentifiers is required"))?;
    if list.is_empty() || list.len() > MAX_FINDING_IDENTIFIERS {
        return Err(invalid_input(format!(
            "FindingIdentifiers must contain between 1 and {MAX_FINDING_IDENTIFIERS} items; {} were given",
            list.len()
        )));
    }
    let mut identifiers = Vec::with_capacity(list.len());
    for i in list {
        let field = |k: &str| i.get(k).and_then(Value::as_str).filter(|s| !s.is_empty());
        match (field("Id"), field("ProductArn")) {
            (Some(id), Some(arn)) => identifiers.push((id.to_string(), arn.to_string())),
            _ => return Err(invalid_input("Every FindingIdentifier needs a non-empty Id and ProductArn")),
        }
    }
    let workflow =
        match obj.get("Workflow") {
            None | Some(Value::Null) => None,
            Some(Value::Object(wf)) => match wf.get("Status") {
                None | Some(Value::Null) => None,
                Some(s) => Some(s.as_str().and_then(Workflow::parse).ok_or_else(|| {
                    invalid_input(format!("Workflow.Status {s} is not one of {:?}", Workflow::NAMES))
                })?),
            },
            Some(_) => return Err(invalid_input("Workflow must be an object")),
        };
    let note = match obj.get("Note") {
        None | Some(Value::Null) => None,
        Some(n) => {
            let text = n.get("Text").and_then(Value::as_str).unwrap_or("");
            let by = n.get("UpdatedBy").and_then(Value::as_str).unwrap_or("");
            if !(1..=512).contains(&text.chars().count()) {
                return Err(invalid_input("Note.Text is required and must be 1 to 512 characters"));
            }
            if !(1..=128).contains(&by.chars().count()) {
                return Err(invalid_input("Note.UpdatedBy is required and must be 1 to 128 characters"));
            }
            Some((text.to_string(), by.to_string()))
        }
    };
    let verification_state = match obj.get("VerificationState") {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .filter(|s| VERIFICATION_STATES.contains(s))
                .map(str::to_string)
                .ok_or_else(|| invalid_input(format!("VerificationState {v} is not one of {VERIFICATION_STATES:?}")))?,
        ),
    };
    let severity_label = match obj.get("Severity").and_then(|s| s.get("Label")) {
        None | Some(Value::Null) => None,
        Some(v) => Some(
            v.as_str()
                .filter(|s| SEVERITY_LABELS.contains(s))
                .map(str::to_string)
                .ok_or_else(|| invalid_input(format!("Severity.Label {v} is not one of {SEVERITY_LABELS:?}")))?,
        ),
    };
    let has_other = OTHER_UPDATES.iter().any(|k| obj.get(*k).is_some_and(|v| !v.is_null()));
    if workflow.is_none() && note.is_none() && !has_other {
        return Err(invalid_input(
            "At least one of Workflow, Note, VerificationState, Severity, Confidence, Criticality, Types, UserDefinedFields or RelatedFindings must be provided",
        ));
    }
    Ok(Update { identifiers, workflow, note, verification_state, severity_label })
}

fn batch_update_findings(
    w: &mut World,
    home: &str,
    obj: &Map<String, Value>,
    entry: &mut LogEntry,
) -> Result<Value, ApiError> {
    let u = parse_update(obj)?;
    let now = iso8601_ms(unix_now_ms());
    let mut processed = Vec::new();
    let mut unprocessed = Vec::new();
    let mut seen = HashSet::new();
    for (id, arn) in &u.identifiers {
        let ident = json!({"Id": id, "ProductArn": arn});
        let failure =
            |code: &str, message: &str| json!({"FindingIdentifier": ident, "ErrorCode": code, "ErrorMessage": message});
        if !seen.insert((id.as_str(), arn.as_str())) {
            unprocessed
                .push(failure("DuplicatedFindingIdentifier", "The request included the same finding more than once"));
            continue;
        }
        if let Some((code, message)) = w.faults.take_unprocessed_finding(Op::BatchUpdateFindings.name(), id) {
            unprocessed.push(failure(&code, &message));
            continue;
        }
        match find_aggregated(w, home, id).filter(|f| f.product_arn() == *arn) {
            Some(f) => {
                if let Some(s) = u.workflow {
                    f.workflow = s;
                }
                if let Some((text, by)) = &u.note {
                    f.note = Some(Note { text: text.clone(), updated_by: by.clone(), updated_at: now.clone() });
                }
                if let Some(v) = &u.verification_state {
                    f.verification_state = Some(v.clone());
                }
                if let Some(l) = &u.severity_label {
                    f.severity_label = Some(l.clone());
                }
                f.updated_at = now.clone();
                processed.push(ident);
            }
            None => unprocessed.push(failure("FindingNotFound", "Finding not found")),
        }
    }
    entry.fields.insert("processed".into(), json!(processed.len()));
    entry.fields.insert("unprocessed".into(), json!(unprocessed.len()));
    Ok(json!({"ProcessedFindings": processed, "UnprocessedFindings": unprocessed}))
}

#[cfg(test)]
mod tests {
    use std::time::Instant;

    use super::*;
    use crate::emulator_config::Initial;
    use crate::model::account::{ResourceType, Status};
    use crate::model::evaluation::evaluated_finding_id;

    const ME: &str = "123456789012";
    const ADMIN: &str = "111111111111";
    const M1: &str = "222222222222";
    const M2: &str = "333333333333";
    const REGION: &str = "us-east-1";

    fn world() -> World {
        World::new(Initial::default())
    }

    fn org() -> World {
        World::with_org(ADMIN, [M1.to_string(), M2.to_string()])
    }

    fn call(w: &mut World, caller: &str, method: &str, path: &str, body: Value) -> (u16, Value) {
        call_q(w, caller, method, path, None, body)
    }

    fn call_q(w: &mut World, caller: &str, method: &str, path: &str, query: Option<&str>, body: Value) -> (u16, Value) {
        let body = serde_json::to_vec(&body).unwrap();
        let r = handle(w, &AwsRequest { query, ..AwsRequest::for_test(method, path, &body, caller) });
        if r.status != 200 {
            let b: Value = serde_json::from_slice(&r.body).unwrap();
            assert_eq!(r.get_header("x-amzn-ErrorType"), b["Code"].as_str());
        }
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    fn get_all(w: &mut World, caller: &str) -> Vec<Value> {
        let (s, v) = call(w, caller, "POST", "/findings", json!({}));
        assert_eq!(s, 200, "{v}");
        v["Findings"].as_array().unwrap().clone()
    }

    fn set_ecr(w: &mut World, id: &str, s: Status) {
        w.account_mut(id).set_resource(ResourceType::Ecr, s, Instant::now());
    }

    #[test]
    fn describe_hub_and_off_switch() {
        let mut w = world();
        let (s, v) = call(&mut w, ME, "GET", "/accounts", Value::Null);
        assert_eq!(s, 200);
        assert_eq!(v["HubArn"], "arn:aws:securityhub:us-east-1:123456789012:hub/default");
        assert_eq!(v["AutoEnableControls"], true);
        assert_eq!(v["ControlFindingGenerator"], "SECURITY_CONTROL");
        assert!(v["SubscribedAt"].as_str().unwrap().ends_with('Z'));
        let (s, _) = call_q(
            &mut w,
            ME,
            "GET",
            "/accounts",
            Some("HubArn=arn%3Aaws%3Asecurityhub%3Aus-east-1%3A999999999999%3Ahub%2Fdefault"),
            Value::Null,
        );
        assert_eq!(s, 404);
        w.account_mut(ME).securityhub_enabled = Some(false);
        for (m, p) in [
            ("GET", "/accounts"),
            ("POST", "/findings"),
            ("POST", "/securityControls/batchGet"),
            ("PATCH", "/findings/batchupdate"),
        ] {
            let (s, v) = call(&mut w, ME, m, p, json!({}));
            assert_eq!(s, 401, "{p}");
            assert_eq!(v["Code"], "InvalidAccessException");
            assert_eq!(v["Message"], "Account 123456789012 is not subscribed to AWS Security Hub");
        }
        // Off by default, on for one account.
        let mut w = world();
        w.config.securityhub_default_enabled = false;
        assert_eq!(call(&mut w, ME, "GET", "/accounts", Value::Null).0, 401);
        w.account_mut(ME).securityhub_enabled = Some(true);
        assert_eq!(call(&mut w, ME, "GET", "/accounts", Value::Null).0, 200);
    }

    #[test]
    fn security_controls() {
        let mut w = world();
        let (s, v) = call(
            &mut w,
            ME,
            "POST",
            "/securityControls/batchGet",
            json!({"SecurityControlIds": ["Inspector.2", "Nope.9", "Inspector.2"]}),
        );
        assert_eq!(s, 200);
        let c = &v["SecurityControls"][0];
        assert_eq!(v["SecurityControls"].as_array().unwrap().len(), 1);
        assert_eq!(c["SecurityControlId"], "Inspector.2");
        assert_eq!(c["SecurityControlArn"], "arn:aws:securityhub:us-east-1:123456789012:security-control/Inspector.2");
        assert_eq!(c["Title"], "Amazon Inspector ECR scanning should be enabled");
        assert_eq!(c["Description"], "This control checks whether Amazon Inspector ECR scanning is activated.");
        assert_eq!(c["RemediationUrl"], "https://docs.aws.amazon.com/console/securityhub/Inspector.2/remediation");
        assert_eq!(c["SeverityRating"], "HIGH");
        assert_eq!(c["SecurityControlStatus"], "ENABLED");
        assert_eq!(c["UpdateStatus"], "READY");
        assert_eq!(v["UnprocessedIds"][0]["SecurityControlId"], "Nope.9");
        assert_eq!(v["UnprocessedIds"][0]["ErrorCode"], "NOT_FOUND");
        assert!(v["UnprocessedIds"][0]["ErrorReason"].is_string());
        let (s, v) = call(&mut w, ME, "POST", "/securityControls/batchGet", json!({"SecurityControlIds": []}));
        assert_eq!((s, v["Code"].as_str()), (400, Some("InvalidInputException")));
        let many: Vec<String> = (0..101).map(|i| format!("X.{i}")).collect();
        let (s, _) = call(&mut w, ME, "POST", "/securityControls/batchGet", json!({"SecurityControlIds": many}));
        assert_eq!(s, 400);
    }

    #[test]
    fn get_findings_validation_and_paging() {
        let mut w = world();
        w.config.evaluate_inspector2 = false;
        let body = json!({"generate": {"control_id": "Inspector.2", "count": 7}});
        w.here_mut().securityhub.seed(ME, body.as_object().unwrap(), "2024-01-01T00:00:00.000Z").unwrap();
        for bad in [
            json!({"MaxResults": 0}),
            json!({"MaxResults": 101}),
            json!({"NextToken": "xyz"}),
            json!({"Filters": {"Id": [{"Value": "x", "Comparison": "BAD"}]}}),
        ] {
            let (s, v) = call(&mut w, ME, "POST", "/findings", bad);
            assert_eq!((s, v["Code"].as_str()), (400, Some("InvalidInputException")));
        }
        let mut ids = Vec::new();
        let mut token: Option<String> = None;
        let filters = json!({"ComplianceStatus": [{"Value": "FAILED", "Comparison": "EQUALS"}]});
        loop {
            let mut body = json!({"Filters": filters, "MaxResults": 3});
            if let Some(t) = &token {
                body["NextToken"] = json!(t);
            }
            let (s, v) = call(&mut w, ME, "POST", "/findings", body);
            assert_eq!(s, 200, "{v}");
            for f in v["Findings"].as_array().unwrap() {
                ids.push(f["Id"].as_str().unwrap().to_string());
            }
            match v.get("NextToken") {
                Some(t) => token = Some(t.as_str().unwrap().to_string()),
                None => break,
            }
        }
        assert_eq!(ids.len(), 7);
        // A token used with other filters is rejected.
        let (_, v) = call(&mut w, ME, "POST", "/findings", json!({"Filters": filters, "MaxResults": 3}));
        let t = v["NextToken"].as_str().unwrap();
        let (s, v) = call(&mut w, ME, "POST", "/findings", json!({"NextToken": t}));
        assert_eq!(s, 400);
        assert_eq!(v["Message"], "The NextToken is not valid");
        // Log fields.
        let log = w.requests.to_json();
        let last_ok = log["log"].as_array().unwrap().iter().rfind(|e| e["http_status"] == 200).unwrap().clone();
        assert_eq!(last_ok["operation"], "GetFindings");
        assert_eq!(last_ok["max_results"], 3);
        assert_eq!(last_ok["has_next_token"], false);
        assert_eq!(last_ok["filters"], filters);
        assert_eq!(last_ok["returned"], 3);
    }

    #[test]
    fn batch_update_findings_rules() {
        let mut w = world();
        w.config.evaluate_inspector2 = false;
        let body = json!({"generate": {"control_id": "Inspector.2", "count": 3}});
        let ids = w.here_mut().securityhub.seed(ME, body.as_object().unwrap(), "2024-01-01T00:00:00.000Z").unwrap();
        let arn = "arn:aws:securityhub:us-east-1::product/aws/securityhub";
        w.faults
            .add_json(&json!({"kind": "unprocessed_finding", "finding_id": ids[1],
                "code": "ConcurrentUpdateError", "message": "busy", "times": 1}))
            .unwrap();
        let (s, v) = call(
            &mut w,
            ME,
            "PATCH",
            "/findings/batchupdate",
            json!({"FindingIdentifiers": [
                {"Id": ids[0], "ProductArn": arn},
                {"Id": ids[1], "ProductArn": arn},
                {"Id": ids[2], "ProductArn": "arn:aws:securityhub:eu-west-1::product/aws/securityhub"},
                {"Id": "nope", "ProductArn": arn},
                {"Id": ids[0], "ProductArn": arn}],
              "Workflow": {"Status": "SUPPRESSED"},
              "Note": {"Text": "accepted risk", "UpdatedBy": "terraform"}}),
        );
        assert_eq!(s, 200, "{v}");
        assert_eq!(v["ProcessedFindings"], json!([{"Id": ids[0], "ProductArn": arn}]));
        let un = v["UnprocessedFindings"].as_array().unwrap();
        let codes: Vec<&str> = un.iter().map(|u| u["ErrorCode"].as_str().unwrap()).collect();
        assert_eq!(
            codes,
            vec!["ConcurrentUpdateError", "FindingNotFound", "FindingNotFound", "DuplicatedFindingIdentifier"]
        );
        assert_eq!(un[0]["FindingIdentifier"]["Id"], ids[1].as_str());
        assert_eq!(un[0]["ErrorMessage"], "busy");
        let all = get_all(&mut w, ME);
        let f0 = all.iter().find(|f| f["Id"] == ids[0].as_str()).unwrap();
        assert_eq!(f0["Workflow"]["Status"], "SUPPRESSED");
        assert_eq!(f0["WorkflowState"], "DEFERRED");
        assert_eq!(f0["Note"]["Text"], "accepted risk");
        assert_eq!(f0["Note"]["UpdatedBy"], "terraform");
        assert_eq!(f0["Note"]["UpdatedAt"], f0["UpdatedAt"]);
        assert_ne!(f0["UpdatedAt"], "2024-01-01T00:00:00.000Z");
        let f1 = all.iter().find(|f| f["Id"] == ids[1].as_str()).unwrap();
        assert_eq!(f1["Workflow"]["Status"], "NEW");
        // Note without Workflow is fine; nothing at all is not; bad sizes are not.
        let one = json!([{"Id": ids[1], "ProductArn": arn}]);
        let (s, _) = call(
            &mut w,
            ME,
            "PATCH",
            "/findings/batchupdate",
            json!({"FindingIdentifiers": one, "Note": {"Text": "x", "UpdatedBy": "y"}}),
        );
        assert_eq!(s, 200);
        for bad in [
            json!({"FindingIdentifiers": one}),
            json!({"FindingIdentifiers": [], "Workflow": {"Status": "NEW"}}),
            json!({"FindingIdentifiers": one, "Workflow": {"Status": "DONE"}}),
            json!({"FindingIdentifiers": one, "Note": {"Text": "", "UpdatedBy": "y"}}),
            json!({"FindingIdentifiers": one, "Note": {"Text": "x".repeat(513), "UpdatedBy": "y"}}),
            json!({"FindingIdentifiers": one, "Note": {"Text": "x", "UpdatedBy": "y".repeat(129)}}),
            json!({"FindingIdentifiers": vec![json!({"Id": "a", "ProductArn": arn}); 101], "Workflow": {"Status": "NEW"}}),
        ] {
            let (s, v) = call(&mut w, ME, "PATCH", "/findings/batchupdate", bad.clone());
            assert_eq!((s, v["Code"].as_str()), (400, Some("InvalidInputException")), "{bad}");
        }
        let log = w.requests.to_json();
        let e =
            log["log"].as_array().unwrap().iter().find(|e| e["operation"] == "BatchUpdateFindings").unwrap().clone();
        assert_eq!(e["workflow_status"], "SUPPRESSED");
        assert_eq!(e["finding_ids"].as_array().unwrap().len(), 5);
        assert_eq!(e["processed"], 1);
    }

    #[test]
    fn throttle_is_limit_exceeded() {
        let mut w = world();
        w.faults.add_json(&json!({"kind": "throttle", "operation": "GetFindings", "times": 1})).unwrap();
        let (s, v) = call(&mut w, ME, "POST", "/findings", json!({}));
        assert_eq!(s, 429);
        assert_eq!(v["Code"], "LimitExceededException");
        assert_eq!(call(&mut w, ME, "POST", "/findings", json!({})).0, 200);
        w.faults.add_json(&json!({"kind": "server_error", "operation": "*", "times": 1})).unwrap();
        let (s, v) = call(&mut w, ME, "GET", "/accounts", Value::Null);
        assert_eq!((s, v["Code"].as_str()), (500, Some("InternalException")));
        let (s, v) = call(&mut w, ME, "POST", "/nope", json!({}));
        assert_eq!((s, v["Code"].as_str()), (404, Some("UnknownOperationException")));
    }

    fn inspector2_findings(w: &mut World, caller: &str) -> Vec<Value> {
        get_all(w, caller).into_iter().filter(|f| f["Compliance"]["SecurityControlId"] == "Inspector.2").collect()
    }

    #[test]
    fn evaluation_standalone() {
        let mut w = world();
        // An account that never used Inspector fails it, without becoming "touched".
        let f = inspector2_findings(&mut w, ME);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
        assert!(w.here().accounts.is_empty());
        set_ecr(&mut w, ME, Status::Disabled);
        let f = inspector2_findings(&mut w, ME);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["Id"], evaluated_finding_id(ME, REGION).as_str());
        assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
        assert_eq!(f[0]["Workflow"]["Status"], "NEW");
        assert_eq!(f[0]["Resources"][0]["Id"], "AWS::::Account:123456789012");
        assert_eq!(f[0]["AwsAccountId"], ME);
        assert_eq!(f[0]["GeneratorId"], "security-control/Inspector.2");
        // ENABLING is not enough.
        set_ecr(&mut w, ME, Status::Enabling);
        assert_eq!(inspector2_findings(&mut w, ME)[0]["Compliance"]["Status"], "FAILED");
        set_ecr(&mut w, ME, Status::Enabled);
        let f = inspector2_findings(&mut w, ME);
        assert_eq!(f[0]["Compliance"]["Status"], "PASSED");
        assert_eq!(f[0]["Workflow"]["Status"], "RESOLVED");
        set_ecr(&mut w, ME, Status::Disabled);
        let f = inspector2_findings(&mut w, ME);
        assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
        assert_eq!(f[0]["Workflow"]["Status"], "NEW");
        // Switched off: no evaluation.
        w.config.evaluate_inspector2 = false;
        set_ecr(&mut w, ME, Status::Enabled);
        assert_eq!(inspector2_findings(&mut w, ME)[0]["Compliance"]["Status"], "FAILED");
        // The Inspector.2 control disabled: no evaluation either.
        w.config.evaluate_inspector2 = true;
        w.here_mut().securityhub.controls.get_mut("Inspector.2").unwrap().status = "DISABLED".into();
        assert_eq!(inspector2_findings(&mut w, ME)[0]["Compliance"]["Status"], "FAILED");
    }

    #[test]
    fn evaluation_org_and_suppressed_is_sticky() {
        let mut w = org();
        // Members get nothing, even when touched.
        set_ecr(&mut w, M1, Status::Enabled);
        assert!(inspector2_findings(&mut w, M1).is_empty());
        // The admin always gets one (without any Inspector2 activity of its own).
        let f = inspector2_findings(&mut w, ADMIN);
        assert_eq!(f.len(), 1);
        assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
        assert_eq!(f[0]["Resources"][0]["Id"], "AWS::::Account:111111111111");
        set_ecr(&mut w, ADMIN, Status::Enabled);
        set_ecr(&mut w, M2, Status::Enabled);
        let f = inspector2_findings(&mut w, ADMIN);
        assert_eq!(f[0]["Compliance"]["Status"], "PASSED");
        assert_eq!(f[0]["Workflow"]["Status"], "RESOLVED");
        // A suspended member without ECR fails it.
        w.account_mut(M2).suspended = true;
        set_ecr(&mut w, M2, Status::Disabled);
        let f = inspector2_findings(&mut w, ADMIN);
        assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
        assert_eq!(f[0]["Workflow"]["Status"], "NEW");
        // Suppress it: it stays suppressed through PASSED and back.
        let id = f[0]["Id"].as_str().unwrap().to_string();
        let arn = f[0]["ProductArn"].as_str().unwrap().to_string();
        let (s, v) = call(
            &mut w,
            ADMIN,
            "PATCH",
            "/findings/batchupdate",
            json!({"FindingIdentifiers": [{"Id": id, "ProductArn": arn}], "Workflow": {"Status": "SUPPRESSED"}}),
        );
        assert_eq!(s, 200);
        assert_eq!(v["ProcessedFindings"].as_array().unwrap().len(), 1);
        set_ecr(&mut w, M2, Status::Enabled);
        let f = inspector2_findings(&mut w, ADMIN);
        assert_eq!(f[0]["Compliance"]["Status"], "PASSED");
        assert_eq!(f[0]["Workflow"]["Status"], "SUPPRESSED");
        set_ecr(&mut w, M1, Status::Disabled);
        let f = inspector2_findings(&mut w, ADMIN);
        assert_eq!(f[0]["Compliance"]["Status"], "FAILED");
        assert_eq!(f[0]["Workflow"]["Status"], "SUPPRESSED");
        // Still exactly one evaluated finding.
        assert_eq!(inspector2_findings(&mut w, ADMIN).len(), 1);
        // A member cannot update the admin's finding.
        let (_, v) = call(
            &mut w,
            M1,
            "PATCH",
            "/findings/batchupdate",
            json!({"FindingIdentifiers": [{"Id": id, "ProductArn": arn}], "Workflow": {"Status": "NEW"}}),
        );
        assert_eq!(v["UnprocessedFindings"][0]["ErrorCode"], "FindingNotFound");
    }

    /// GetFindings by `caller` in `region` (selected first, as the server does); the findings.
    fn findings_in(w: &mut World, caller: &str, region: &str, filters: Value) -> Vec<Value> {
        w.select_region(region);
        let body = serde_json::to_vec(&json!({ "Filters": filters })).unwrap();
        let req = AwsRequest { region: region.into(), ..AwsRequest::for_test("POST", "/findings", &body, caller) };
        let r = handle(w, &req);
        let v: Value = serde_json::from_slice(&r.body).unwrap();
        assert_eq!(r.status, 200, "{v}");
        v["Findings"].as_array().unwrap().clone()
    }

    fn compliance_by_region(findings: &[Value]) -> Vec<(String, String)> {
        let mut out: Vec<(String, String)> = findings
            .iter()
            .map(|f| (f["Region"].as_str().unwrap().to_string(), f["Compliance"]["Status"].as_str().unwrap().into()))
            .collect();
        out.sort();
        out
    }

    #[test]
    fn drift_in_one_region_shows_only_there() {
        let mut w = org();
        for region in ["us-east-1", "eu-west-1"] {
            w.select_region(region);
            for id in [ADMIN, M1, M2] {
                set_ecr(&mut w, id, Status::Enabled);
            }
        }
        let all_passed = vec![("eu-west-1".to_string(), "PASSED".to_string())];
        assert_eq!(compliance_by_region(&findings_in(&mut w, ADMIN, "eu-west-1", json!({}))), all_passed);
        w.select_region("eu-west-1");
        set_ecr(&mut w, M2, Status::Disabled);
        let eu = findings_in(&mut w, ADMIN, "eu-west-1", json!({}));
        assert_eq!(compliance_by_region(&eu), [("eu-west-1".to_string(), "FAILED".to_string())]);
        let us = findings_in(&mut w, ADMIN, "us-east-1", json!({}));
        assert_eq!(compliance_by_region(&us), [("us-east-1".to_string(), "PASSED".to_string())]);
        assert_ne!(eu[0]["Id"], us[0]["Id"]);
        // A Region nobody configured starts from the config: organization yes, ECR not enabled.
        let ap = findings_in(&mut w, ADMIN, "ap-south-1", json!({}));
        assert_eq!(compliance_by_region(&ap), [("ap-south-1".to_string(), "FAILED".to_string())]);
        let log = w.requests.to_json();
        let regions: Vec<&str> = log["log"].as_array().unwrap().iter().map(|e| e["region"].as_str().unwrap()).collect();
        assert_eq!(regions, ["eu-west-1", "eu-west-1", "us-east-1", "ap-south-1"]);
    }

    #[test]
    fn aggregation_region_sees_linked_regions_and_filters_by_region() {
        let mut w = org();
        w.select_region("eu-west-1");
        for id in [ADMIN, M1, M2] {
            set_ecr(&mut w, id, Status::Enabled);
        }
        w.select_region("us-east-1");
        w.here_mut().linked_regions = ["eu-west-1".to_string(), "ap-south-1".to_string()].into_iter().collect();
        let all = findings_in(&mut w, ADMIN, "us-east-1", json!({}));
        let expected: Vec<(String, String)> =
            [("ap-south-1", "FAILED"), ("eu-west-1", "PASSED"), ("us-east-1", "FAILED")]
                .iter()
                .map(|(r, c)| (r.to_string(), c.to_string()))
                .collect();
        assert_eq!(compliance_by_region(&all), expected);
        let only = json!({"Region": [{"Value": "eu-west-1", "Comparison": "EQUALS"}]});
        let eu = findings_in(&mut w, ADMIN, "us-east-1", only);
        assert_eq!(compliance_by_region(&eu), [("eu-west-1".to_string(), "PASSED".to_string())]);
        let not = json!({"Region": [{"Value": "eu-west-1", "Comparison": "NOT_EQUALS"}]});
        let rest = findings_in(&mut w, ADMIN, "us-east-1", not);
        assert_eq!(compliance_by_region(&rest).iter().filter(|(r, _)| r == "eu-west-1").count(), 0);
        assert_eq!(rest.len(), 2);
        // A linked Region itself sees only its own findings.
        let eu_only = findings_in(&mut w, ADMIN, "eu-west-1", json!({}));
        assert_eq!(compliance_by_region(&eu_only), [("eu-west-1".to_string(), "PASSED".to_string())]);
        // BatchUpdateFindings in the aggregation Region updates a linked Region's finding.
        let target = &eu[0];
        let ident = json!([{"Id": target["Id"], "ProductArn": target["ProductArn"]}]);
        w.select_region("us-east-1");
        let body = json!({"FindingIdentifiers": ident, "Note": {"Text": "seen", "UpdatedBy": "test"}});
        let (s, v) = call(&mut w, ADMIN, "PATCH", "/findings/batchupdate", body.clone());
        assert_eq!((s, v["ProcessedFindings"].as_array().map(Vec::len)), (200, Some(1)), "{v}");
        let eu_only = findings_in(&mut w, ADMIN, "eu-west-1", json!({}));
        assert_eq!(eu_only[0]["Note"]["Text"], "seen");
        // Not from another linked Region, which aggregates nothing.
        w.select_region("ap-south-1");
        let (_, v) = call(&mut w, ADMIN, "PATCH", "/findings/batchupdate", body);
        assert_eq!(v["UnprocessedFindings"][0]["ErrorCode"], "FindingNotFound");
    }
}
