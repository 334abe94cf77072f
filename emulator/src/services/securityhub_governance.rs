//! AWS Security Hub (restJson1, PascalCase): what governs a control, in the Region of the call.
//! ListStandardsControlAssociations (`GET /associations?SecurityControlId=`),
//! BatchGetStandardsControlAssociations (`POST /associations/batchGet`) and
//! DescribeOrganizationConfiguration (`GET /organization/configuration`).
//!
//! Associations are the caller's own, one per standard it has enabled. Only the Security Hub
//! administrator (the Region's configured one, else its Inspector delegated administrator) may
//! describe the organization configuration; anyone else gets 401 InvalidAccessException.

use serde_json::{json, Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::findings::{standard_of_arn, standards_arn, Control};
use crate::model::world::World;
use crate::reply::Reply;
use crate::util::{iso8601_ms, parse_form, parse_object};

const SERVICE: &str = "securityhub";
const MAX_RESULTS: u64 = 100;
const MAX_IDS: usize = 100;

fn invalid_input<M: Into<String>>(message: M) -> ApiError {
    ApiError::new(400, "InvalidInputException", message)
}

const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (429, "LimitExceededException"),
    server_error: ("InternalException", "Injected internal error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: invalid_input,
};

fn operation(method: &str, path: &str) -> Option<&'static str> {
    Some(match (method, path.trim_end_matches('/')) {
        ("GET", "/associations") => "ListStandardsControlAssociations",
        ("POST", "/associations/batchGet") => "BatchGetStandardsControlAssociations",
        ("GET", "/organization/configuration") => "DescribeOrganizationConfiguration",
        _ => return None,
    })
}

/// Does this request belong here (rather than to the findings operations)?
pub fn owns_route(method: &str, path: &str) -> bool {
    operation(method, path).is_some()
}

/// Is this unsigned request path a Security Hub path of this module?
pub fn owns_path(path: &str) -> bool {
    matches!(path.trim_end_matches('/'), "/associations" | "/associations/batchGet" | "/organization/configuration")
}

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let Some(op) = operation(req.method, req.path) else {
        return req.unknown_operation(w, SERVICE).to_securityhub_reply();
    };
    let mut entry = req.log_entry(SERVICE, op);
    let query = req.query.map(parse_form).unwrap_or_default();
    if let Some((_, id)) = query.iter().find(|(k, _)| k == "SecurityControlId") {
        entry.fields.insert("security_control_id".into(), json!(id));
    }
    let reply = match w.injected_fault(op, &FAULT_ERRORS, &mut entry) {
        Some(f) => f.into_reply(ApiError::to_securityhub_reply),
        None => match respond(w, req, op, &query) {
            Ok(v) => Reply::json(200, &v),
            Err(e) => e.to_securityhub_reply(),
        },
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

fn respond(w: &World, req: &AwsRequest, op: &str, query: &[(String, String)]) -> Result<Value, ApiError> {
    let caller = req.caller.account.as_str();
    if !w.securityhub_on(caller) {
        return Err(ApiError::new(
            401,
            "InvalidAccessException",
            format!("Account {caller} is not subscribed to AWS Security Hub"),
        ));
    }
    match op {
        "ListStandardsControlAssociations" => list(w, req, query),
        "BatchGetStandardsControlAssociations" => {
            let obj =
                parse_object(req.body).map_err(|e| invalid_input(format!("Could not parse request body: {e}")))?;
            batch_get(w, req, &obj)
        }
        _ => describe_organization_configuration(w, req),
    }
}

/// One association of `control` in `standard` for the caller, in the shape both operations share.
fn association(w: &World, req: &AwsRequest, control: &Control, standard: &str) -> Value {
    let account = req.caller.account.as_str();
    let a = w.here().securityhub.associations.get(account, &control.id, standard);
    let mut v = json!({
        "StandardsArn": standards_arn(&req.region, standard),
        "SecurityControlId": control.id,
        "SecurityControlArn": format!("arn:aws:securityhub:{}:{account}:security-control/{}", req.region, control.id),
        "AssociationStatus": if a.is_none_or(|a| a.enabled) { "ENABLED" } else { "DISABLED" },
        "RelatedRequirements": [],
        "UpdatedAt": a.map(|a| a.updated_at.clone()).unwrap_or_else(|| iso8601_ms(w.started_unix_ms)),
        "StandardsControlTitle": control.title,
        "StandardsControlDescription": control.description,
    });
    if let Some(reason) = a.and_then(|a| a.reason.clone()) {
        v["UpdatedReason"] = json!(reason);
    }
    v
}

fn list(w: &World, req: &AwsRequest, query: &[(String, String)]) -> Result<Value, ApiError> {
    let param = |k: &str| query.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let id = param("SecurityControlId")
        .filter(|s| !s.is_empty())
        .ok_or_else(|| invalid_input("SecurityControlId is required"))?;
    let max = match param("MaxResults") {
        None => MAX_RESULTS,
        Some(v) => v
            .parse::<u64>()
            .ok()
            .filter(|n| (1..=MAX_RESULTS).contains(n))
            .ok_or_else(|| invalid_input(format!("MaxResults must be between 1 and {MAX_RESULTS}; got {v}")))?,
    } as usize;
    let start = match param("NextToken").filter(|t| !t.is_empty()) {
        None => 0,
        Some(t) => t
            .strip_prefix("assoc-")
            .and_then(|n| n.parse::<usize>().ok())
            .ok_or_else(|| invalid_input("The NextToken is not valid"))?,
    };
    let control = w
        .here()
        .securityhub
        .controls
        .get(id)
        .ok_or_else(|| invalid_input(format!("Security control {id} was not found")))?;
    let standards = w.here().securityhub.associations.standards_of(&req.caller.account);
    let all: Vec<Value> = standards.iter().map(|s| association(w, req, control, s)).collect();
    let more = start + max < all.len();
    let page: Vec<Value> = all.into_iter().skip(start).take(max).collect();
    let mut out = json!({ "StandardsControlAssociationSummaries": page });
    if more {
        out["NextToken"] = json!(format!("assoc-{}", start + max));
    }
    Ok(out)
}

fn batch_get(w: &World, req: &AwsRequest, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let ids = obj
        .get("StandardsControlAssociationIds")
        .and_then(Value::as_array)
        .ok_or_else(|| invalid_input("StandardsControlAssociationIds is required"))?;
    if ids.is_empty() || ids.len() > MAX_IDS {
        return Err(invalid_input(format!(
            "StandardsControlAssociationIds must contain between 1 and {MAX_IDS} items; {} were given",
            ids.len()
        )));
    }
    let enabled = w.here().securityhub.associations.standards_of(&req.caller.account);
    let mut details = Vec::new();
    let mut unprocessed = Vec::new();
    for id in ids {
        let control = id.get("SecurityControlId").and_then(Value::as_str).unwrap_or_default();
        let arn = id.get("StandardsArn").and_then(Value::as_str).unwrap_or_default();
        if control.is_empty() || arn.is_empty() {
            return Err(invalid_input(
                "Every StandardsControlAssociationId needs a SecurityControlId and a StandardsArn",
            ));
        }
        let found = w
            .here()
            .securityhub
            .controls
            .get(control)
            .zip(standard_of_arn(&req.region, arn).filter(|s| enabled.iter().any(|e| e == s)));
        match found {
            Some((c, standard)) => {
                let mut d = association(w, req, c, standard);
                d["StandardsControlArns"] = json!([format!(
                    "arn:aws:securityhub:{}:{}:control/{standard}/{control}",
                    req.region, req.caller.account
                )]);
                details.push(d);
            }
            None => unprocessed.push(json!({
                "StandardsControlAssociationId": {"SecurityControlId": control, "StandardsArn": arn},
                "ErrorCode": "RESOURCE_NOT_FOUND",
                "ErrorReason": format!("No association of {control} with {arn} in account {}", req.caller.account),
            })),
        }
    }
    Ok(json!({"StandardsControlAssociationDetails": details, "UnprocessedAssociations": unprocessed}))
}

fn describe_organization_configuration(w: &World, req: &AwsRequest) -> Result<Value, ApiError> {
    let caller = req.caller.account.as_str();
    let hub = &w.here().securityhub.organization;
    let admin = hub.admin.as_deref().or(w.here().org.delegated_admin.as_deref());
    if admin != Some(caller) {
        return Err(ApiError::new(
            401,
            "InvalidAccessException",
            format!("Account {caller} is not an administrator for this organization"),
        ));
    }
    let central = hub.configuration_type == "CENTRAL";
    Ok(json!({
        "AutoEnable": !central,
        "MemberAccountLimitReached": false,
        "AutoEnableStandards": if central { "NONE" } else { "DEFAULT" },
        "OrganizationConfiguration": {"ConfigurationType": hub.configuration_type, "Status": "ENABLED"},
    }))
}
