//! AWS Organizations (awsJson1_1: `POST /`, operation in `X-Amz-Target:
//! AWSOrganizationsV20161128.<Op>`, errors `{"__type", "Message"}`): the organization, its root,
//! policy types, policies, attachments and effective policies. Global: the Region of the call
//! does not matter (the SDK signs Organizations for us-east-1).
//!
//! Who may call: an account outside the organization (or any account while there is none) gets
//! AWSOrganizationsNotInUseException; a member account gets AccessDeniedException, except for
//! DescribeOrganization and DescribeEffectivePolicy of its own account. The management account
//! may call everything; the delegated policy administrator everything but Enable/DisablePolicyType.

use serde_json::{json, Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::inspector_policy::Document;
use crate::model::organizations::{Organizations, Policy, TargetKind, INSPECTOR_POLICY, POLICY_TYPES};
use crate::model::world::World;
use crate::reply::Reply;
use crate::util::{parse_object, unix_now_ms};

pub const SERVICE: &str = "organizations";
pub const TARGET_PREFIX: &str = "AWSOrganizationsV20161128.";
const CONTENT_TYPE: &str = "application/x-amz-json-1.1";
/// ListPolicies, ListTargetsForPolicy, ListPoliciesForTarget `MaxResults`: at most 20.
const MAX_RESULTS: u64 = 20;

/// The operations served, as AWS spells them.
pub const OPERATIONS: &[&str] = &[
    "DescribeOrganization",
    "ListRoots",
    "EnablePolicyType",
    "DisablePolicyType",
    "CreatePolicy",
    "UpdatePolicy",
    "DeletePolicy",
    "DescribePolicy",
    "ListPolicies",
    "AttachPolicy",
    "DetachPolicy",
    "ListTargetsForPolicy",
    "ListPoliciesForTarget",
    "DescribeEffectivePolicy",
    "TagResource",
    "UntagResource",
    "ListTagsForResource",
    "ListParents",
    "ListOrganizationalUnitsForParent",
    "ListAccountsForParent",
];

/// The operations that change the organization.
const CHANGES: &[&str] = &[
    "EnablePolicyType",
    "DisablePolicyType",
    "CreatePolicy",
    "UpdatePolicy",
    "DeletePolicy",
    "AttachPolicy",
    "DetachPolicy",
    "TagResource",
    "UntagResource",
];

fn invalid_input(message: String) -> ApiError {
    invalid("INVALID_PATTERN", message)
}

const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (400, "TooManyRequestsException"),
    server_error: ("ServiceException", "Injected service error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: invalid_input,
};

/// 400 InvalidInputException with its `Reason`.
fn invalid(reason: &str, message: String) -> ApiError {
    let mut e = ApiError::new(400, "InvalidInputException", message);
    e.extra.insert("Reason".into(), json!(reason));
    e
}

fn error(code: &str, message: impl Into<String>) -> ApiError {
    ApiError::new(400, code, message)
}

/// Is this unsigned request an Organizations call (by its `X-Amz-Target`)?
pub fn owns_target(target: Option<&str>) -> bool {
    target.is_some_and(|t| t.starts_with(TARGET_PREFIX))
}

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let op = req.target.and_then(|t| t.strip_prefix(TARGET_PREFIX)).filter(|op| OPERATIONS.contains(op));
    let Some(op) = op.filter(|_| req.method == "POST") else {
        return req.unknown_operation(w, SERVICE).to_aws_json_reply();
    };
    let mut entry = req.log_entry(SERVICE, op);
    let parsed = parse_object(req.body);
    if let Ok(obj) = &parsed {
        for (field, key) in [
            ("policy_id", "PolicyId"),
            ("target_id", "TargetId"),
            ("policy_type", "PolicyType"),
            ("filter", "Filter"),
            ("type", "Type"),
            ("name", "Name"),
        ] {
            if let Some(v) = obj.get(key) {
                entry.fields.insert(field.into(), v.clone());
            }
        }
    }
    let reply = match w.injected_fault(op, &FAULT_ERRORS, &mut entry) {
        Some(f) => f.into_reply(ApiError::to_aws_json_reply),
        None => match parsed {
            Err(e) => error("SerializationException", format!("Could not parse request body: {e}")).to_aws_json_reply(),
            Ok(obj) => match respond(w, req, op, &obj) {
                Ok(v) => {
                    if CHANGES.contains(&op) {
                        w.organizations_changed(unix_now_ms());
                    }
                    Reply::with_content_type(200, CONTENT_TYPE, &v)
                }
                Err(e) => e.to_aws_json_reply(),
            },
        },
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

/// The organization, if the caller belongs to it.
fn organization<'a>(w: &'a World, caller: &str) -> Result<&'a Organizations, ApiError> {
    w.organizations
        .as_ref()
        .filter(|o| o.accounts.contains_key(caller))
        .ok_or_else(|| error("AWSOrganizationsNotInUseException", "Your account is not a member of an organization."))
}

fn access_denied() -> ApiError {
    error("AccessDeniedException", "You don't have permissions to access this resource.")
}

/// The management account, or (unless `management_only`) the delegated policy administrator.
fn authorize(o: &Organizations, caller: &str, management_only: bool) -> Result<(), ApiError> {
    let delegated = !management_only && o.policy_admin.as_deref() == Some(caller);
    if o.management == caller || delegated {
        Ok(())
    } else {
        Err(access_denied())
    }
}

fn respond(w: &mut World, req: &AwsRequest, op: &str, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let caller = req.caller.account.as_str();
    let o = organization(w, caller)?;
    match op {
        "DescribeOrganization" => return Ok(describe_organization(o)),
        "DescribeEffectivePolicy" => return describe_effective_policy(o, caller, obj),
        _ => {}
    }
    authorize(o, caller, matches!(op, "EnablePolicyType" | "DisablePolicyType"))?;
    match op {
        "ListRoots" => Ok(json!({"Roots": [root_json(o)]})),
        "DescribePolicy" => Ok(json!({"Policy": policy_json(o, known_policy(o, obj)?)})),
        "ListPolicies" => list_policies(o, obj),
        "ListTargetsForPolicy" => list_targets_for_policy(o, obj),
        "ListPoliciesForTarget" => list_policies_for_target(o, obj),
        "ListTagsForResource" => list_tags(o, obj),
        "ListParents" => list_parents(o, obj),
        "ListOrganizationalUnitsForParent" | "ListAccountsForParent" => list_children(o, op, obj),
        _ => change(w.organizations.as_mut().ok_or_else(access_denied)?, op, obj),
    }
}

fn change(o: &mut Organizations, op: &str, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    match op {
        "EnablePolicyType" | "DisablePolicyType" => policy_type_switch(o, op == "EnablePolicyType", obj),
        "CreatePolicy" => create_policy(o, obj),
        "UpdatePolicy" => update_policy(o, obj),
        "DeletePolicy" => delete_policy(o, obj),
        "AttachPolicy" => attach(o, obj, true),
        "TagResource" => tag_resource(o, obj),
        "UntagResource" => untag_resource(o, obj),
        _ => attach(o, obj, false),
    }
}

fn describe_organization(o: &Organizations) -> Value {
    json!({"Organization": {
        "Id": o.id,
        "Arn": format!("arn:aws:organizations::{}:organization/{}", o.management, o.id),
        "FeatureSet": "ALL",
        "MasterAccountArn": format!("arn:aws:organizations::{}:account/{}/{}", o.management, o.id, o.management),
        "MasterAccountId": o.management,
        "MasterAccountEmail": format!("management+{}@example.com", o.management),
        "AvailablePolicyTypes": [{"Type": "SERVICE_CONTROL_POLICY", "Status": "ENABLED"}],
    }})
}

fn root_json(o: &Organizations) -> Value {
    let types: Vec<Value> = o.enabled_types.iter().map(|t| json!({"Type": t, "Status": "ENABLED"})).collect();
    json!({"Id": o.root, "Arn": o.arn_of(&o.root), "Name": "Root", "PolicyTypes": types})
}

fn summary_json(o: &Organizations, p: &Policy) -> Value {
    json!({
        "Id": p.id,
        "Arn": o.policy_arn(p),
        "Name": p.name,
        "Description": p.description,
        "Type": p.policy_type,
        "AwsManaged": false,
    })
}

fn policy_json(o: &Organizations, p: &Policy) -> Value {
    json!({"PolicySummary": summary_json(o, p), "Content": p.content})
}

/// A required string member.
fn required<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<&'a str, ApiError> {
    match obj.get(name) {
        Some(Value::String(s)) => Ok(s),
        None | Some(Value::Null) => Err(invalid("INPUT_REQUIRED", format!("You must specify a value for {name}."))),
        Some(v) => Err(invalid("INVALID_PATTERN", format!("{name} must be a string, got {v}"))),
    }
}

fn optional<'a>(obj: &'a Map<String, Value>, name: &str) -> Result<Option<&'a str>, ApiError> {
    match obj.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(_) => required(obj, name).map(Some),
    }
}

fn policy_type(obj: &Map<String, Value>, name: &str) -> Result<String, ApiError> {
    let t = required(obj, name)?;
    if POLICY_TYPES.contains(&t) {
        Ok(t.to_string())
    } else {
        Err(invalid("INVALID_ENUM_POLICY_TYPE", format!("{name} {t:?} is not one of {POLICY_TYPES:?}")))
    }
}

/// The policy `PolicyId` names: its syntax checked, then that it exists.
fn known_policy<'a>(o: &'a Organizations, obj: &Map<String, Value>) -> Result<&'a Policy, ApiError> {
    let id = policy_id(obj)?;
    o.policies.get(&id).ok_or_else(|| {
        error("PolicyNotFoundException", format!("We can't find a policy with the PolicyId that you specified: {id}."))
    })
}

fn policy_id(obj: &Map<String, Value>) -> Result<String, ApiError> {
    let id = required(obj, "PolicyId")?;
    let rest = id.strip_prefix("p-").unwrap_or_default();
    if (8..=128).contains(&rest.len()) && rest.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_') {
        Ok(id.to_string())
    } else {
        Err(invalid(
            "INVALID_SYNTAX_POLICY_ID",
            format!("PolicyId {id:?} does not match the pattern p-[0-9a-zA-Z_]{{8,128}}."),
        ))
    }
}

/// `TargetId`: its syntax checked, then that it is in the organization.
fn target(o: &Organizations, obj: &Map<String, Value>) -> Result<(String, TargetKind), ApiError> {
    let id = required(obj, "TargetId")?;
    if TargetKind::of_id(id).is_none() {
        return Err(invalid(
            "INVALID_PATTERN_TARGET_ID",
            format!("TargetId {id:?} is not a root (r-...), OU (ou-...-...) or 12-digit account id."),
        ));
    }
    let kind = o.kind(id).ok_or_else(|| {
        error(
            "TargetNotFoundException",
            format!("We can't find a root, OU, or account with the TargetId that you specified: {id}."),
        )
    })?;
    Ok((id.to_string(), kind))
}

/// Validate a policy's `Content` for its type (MalformedPolicyDocumentException).
fn parse_content(policy_type: &str, content: &str) -> Result<Option<Document>, ApiError> {
    let malformed = |why: String| {
        error(
            "MalformedPolicyDocumentException",
            format!("The provided policy document doesn't meet the requirements of the specified policy type: {why}"),
        )
    };
    if content.is_empty() || content.len() > 1_000_000 {
        return Err(malformed("Content must be 1 to 1,000,000 characters".into()));
    }
    if policy_type == INSPECTOR_POLICY {
        return Document::parse(content).map(Some).map_err(malformed);
    }
    serde_json::from_str::<Value>(content).map_err(|e| malformed(format!("not valid JSON: {e}")))?;
    Ok(None)
}

fn check_name(o: &Organizations, name: &str, policy_type: &str, except: Option<&str>) -> Result<(), ApiError> {
    if name.is_empty() || name.chars().count() > 128 {
        let reason = if name.is_empty() { "MIN_LENGTH_EXCEEDED" } else { "MAX_LENGTH_EXCEEDED" };
        return Err(invalid(reason, "Name must be 1 to 128 characters.".into()));
    }
    let taken =
        o.policies.values().any(|p| p.name == name && p.policy_type == policy_type && Some(p.id.as_str()) != except);
    if taken {
        return Err(error("DuplicatePolicyException", format!("A policy with the same name already exists: {name}.")));
    }
    Ok(())
}

fn check_description(description: &str) -> Result<(), ApiError> {
    if description.chars().count() > 512 {
        return Err(invalid("MAX_LENGTH_EXCEEDED", "Description must be at most 512 characters.".into()));
    }
    Ok(())
}

fn create_policy(o: &mut Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let content = required(obj, "Content")?;
    let description = required(obj, "Description")?;
    let name = required(obj, "Name")?;
    let policy_type = policy_type(obj, "Type")?;
    check_description(description)?;
    check_name(o, name, &policy_type, None)?;
    let inspector = parse_content(&policy_type, content)?;
    let tags = match obj.get("Tags") {
        None | Some(Value::Null) => Vec::new(),
        Some(_) => tags_input(obj)?,
    };
    let id = o.new_policy_id();
    if !tags.is_empty() {
        o.tags.insert(id.clone(), tags.into_iter().collect());
    }
    let p = Policy {
        id: id.clone(),
        name: name.into(),
        description: description.into(),
        policy_type,
        content: content.into(),
        inspector,
    };
    let out = json!({"Policy": policy_json(o, &p)});
    o.policies.insert(id, p);
    Ok(out)
}

fn update_policy(o: &mut Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let mut p = known_policy(o, obj)?.clone();
    if let Some(name) = optional(obj, "Name")? {
        check_name(o, name, &p.policy_type, Some(&p.id))?;
        p.name = name.into();
    }
    if let Some(description) = optional(obj, "Description")? {
        check_description(description)?;
        p.description = description.into();
    }
    if let Some(content) = optional(obj, "Content")? {
        p.inspector = parse_content(&p.policy_type, content)?;
        p.content = content.into();
    }
    let out = json!({"Policy": policy_json(o, &p)});
    o.policies.insert(p.id.clone(), p);
    Ok(out)
}

fn delete_policy(o: &mut Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let id = known_policy(o, obj)?.id.clone();
    if o.attachments.get(&id).is_some_and(|t| !t.is_empty()) {
        return Err(error("PolicyInUseException", format!("The policy {id} is attached to one or more entities. You must detach it from all roots, OUs, and accounts before performing this operation.")));
    }
    o.policies.remove(&id);
    o.attachments.remove(&id);
    o.tags.remove(&id);
    Ok(json!({}))
}

fn attach(o: &mut Organizations, obj: &Map<String, Value>, attach: bool) -> Result<Value, ApiError> {
    let p = known_policy(o, obj)?;
    let (id, policy_type) = (p.id.clone(), p.policy_type.clone());
    let (target, _) = target(o, obj)?;
    if attach && !o.enabled_types.contains(&policy_type) {
        return Err(error("PolicyTypeNotEnabledException", format!("This operation can be performed only for enabled policy types. {policy_type} is not enabled on root {}.", o.root)));
    }
    let targets = o.attachments.entry(id.clone()).or_default();
    if attach && !targets.insert(target.clone()) {
        return Err(error(
            "DuplicatePolicyAttachmentException",
            format!("The selected policy {id} is already attached to the specified target {target}."),
        ));
    }
    if !attach && !targets.remove(&target) {
        return Err(error(
            "PolicyNotAttachedException",
            format!("The policy {id} isn't attached to the specified target {target}."),
        ));
    }
    Ok(json!({}))
}

fn policy_type_switch(o: &mut Organizations, enable: bool, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let root = required(obj, "RootId")?;
    let policy_type = policy_type(obj, "PolicyType")?;
    if root != o.root {
        return Err(error(
            "RootNotFoundException",
            format!("We can't find a root with the RootId that you specified: {root}."),
        ));
    }
    if enable && !o.enabled_types.insert(policy_type.clone()) {
        return Err(error(
            "PolicyTypeAlreadyEnabledException",
            format!("The specified policy type {policy_type} is already enabled."),
        ));
    }
    if !enable {
        if !o.enabled_types.remove(&policy_type) {
            return Err(error(
                "PolicyTypeNotEnabledException",
                format!("The specified policy type {policy_type} isn't enabled on root {root}."),
            ));
        }
        // Disabling a type detaches every policy of that type.
        let of_type: Vec<String> =
            o.policies.values().filter(|p| p.policy_type == policy_type).map(|p| p.id.clone()).collect();
        for id in of_type {
            o.attachments.remove(&id);
        }
    }
    Ok(json!({"Root": root_json(o)}))
}

/// One page of `items` under `key` (`MaxResults` 1 to 20, default 20; an opaque `NextToken`).
fn page(items: Vec<Value>, key: &str, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let max = match obj.get("MaxResults") {
        None | Some(Value::Null) => MAX_RESULTS,
        Some(v) => v.as_u64().filter(|n| (1..=MAX_RESULTS).contains(n)).ok_or_else(|| {
            invalid("MAX_VALUE_EXCEEDED", format!("MaxResults must be between 1 and {MAX_RESULTS}, got {v}."))
        })?,
    } as usize;
    let start = match optional(obj, "NextToken")? {
        None => 0,
        Some(t) => t
            .strip_prefix("orgs-page-")
            .and_then(|n| n.parse::<usize>().ok())
            .filter(|n| *n <= items.len())
            .ok_or_else(|| invalid("INVALID_NEXT_TOKEN", "The specified NextToken is not valid.".into()))?,
    };
    let more = start + max < items.len();
    let page: Vec<Value> = items.into_iter().skip(start).take(max).collect();
    let mut out = json!({ key: page });
    if more {
        out["NextToken"] = json!(format!("orgs-page-{}", start + max));
    }
    Ok(out)
}

fn list_policies(o: &Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let filter = policy_type(obj, "Filter")?;
    let items = o.policies.values().filter(|p| p.policy_type == filter).map(|p| summary_json(o, p)).collect();
    page(items, "Policies", obj)
}

fn list_targets_for_policy(o: &Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let p = known_policy(o, obj)?;
    let targets = o.attachments.get(&p.id).into_iter().flatten();
    let items = targets
        .filter_map(|t| {
            let kind = o.kind(t)?;
            Some(json!({"TargetId": t, "Arn": o.arn_of(t), "Name": o.name_of(t), "Type": kind.wire_name()}))
        })
        .collect();
    page(items, "Targets", obj)
}

fn list_policies_for_target(o: &Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let (target, _) = target(o, obj)?;
    let filter = policy_type(obj, "Filter")?;
    let items = o.attached_to(&target, &filter).map(|p| summary_json(o, p)).collect();
    page(items, "Policies", obj)
}

/// Organizations' `EffectivePolicyType`: the management policy types (not SCPs or RCPs).
fn effective_type(obj: &Map<String, Value>) -> Result<String, ApiError> {
    let t = policy_type(obj, "PolicyType")?;
    if matches!(t.as_str(), "SERVICE_CONTROL_POLICY" | "RESOURCE_CONTROL_POLICY") {
        return Err(invalid("INVALID_ENUM_POLICY_TYPE", format!("PolicyType {t} has no effective policy.")));
    }
    Ok(t)
}

/// The effective policy of an account (the caller's own when `TargetId` is absent). Only the
/// management account and the delegated policy administrator may ask about another account.
fn describe_effective_policy(o: &Organizations, caller: &str, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let policy_type = effective_type(obj)?;
    let account = match optional(obj, "TargetId")? {
        None => caller.to_string(),
        Some(_) => match target(o, obj)? {
            (id, TargetKind::Account) => id,
            (id, _) => {
                return Err(invalid(
                    "TARGET_NOT_SUPPORTED",
                    format!("TargetId {id} is not an account; an effective policy is that of one account."),
                ))
            }
        },
    };
    if account != caller {
        authorize(o, caller, false)?;
    }
    let not_found = || {
        error(
            "EffectivePolicyNotFoundException",
            format!("We can't find an effective policy of type {policy_type} for account {account}."),
        )
    };
    if policy_type != INSPECTOR_POLICY {
        return Err(not_found());
    }
    let (effective, _) = o.effective_inspector(&account).ok_or_else(not_found)?;
    Ok(json!({"EffectivePolicy": {
        "PolicyContent": effective.to_json().to_string(),
        "LastUpdatedTimestamp": o.changed_ms as f64 / 1000.0,
        "TargetId": account,
        "PolicyType": policy_type,
    }}))
}

/// `Tags`: at most 50 `{Key (1 to 128 characters), Value (0 to 256)}`.
fn tags_input(obj: &Map<String, Value>) -> Result<Vec<(String, String)>, ApiError> {
    let required = || invalid("INPUT_REQUIRED", "You must specify a value for Tags.".into());
    let list = obj.get("Tags").and_then(Value::as_array).ok_or_else(required)?;
    if list.len() > 50 {
        return Err(invalid("MAX_LENGTH_EXCEEDED", "At most 50 tags may be given.".into()));
    }
    list.iter()
        .map(|t| {
            let key = t.get("Key").and_then(Value::as_str).filter(|k| (1..=128).contains(&k.chars().count()));
            let value = t.get("Value").and_then(Value::as_str).filter(|v| v.chars().count() <= 256);
            match (key, value) {
                (Some(k), Some(v)) => Ok((k.to_string(), v.to_string())),
                _ => Err(invalid(
                    "INVALID_LIST_MEMBER",
                    format!("Every tag needs a Key of 1 to 128 characters and a Value of at most 256: {t}"),
                )),
            }
        })
        .collect()
}

/// `ResourceId`: a policy, the root, an OU or an account of the organization.
fn tagged_resource(o: &Organizations, obj: &Map<String, Value>) -> Result<String, ApiError> {
    let id = required(obj, "ResourceId")?;
    if o.policies.contains_key(id) || o.kind(id).is_some() {
        return Ok(id.to_string());
    }
    if id.starts_with("p-") || TargetKind::of_id(id).is_some() {
        let msg = format!("We can't find a resource with the ResourceId that you specified: {id}.");
        return Err(error("TargetNotFoundException", msg));
    }
    Err(invalid("INVALID_PATTERN", format!("ResourceId {id:?} is not a policy, root, OU or account id.")))
}

fn tag_resource(o: &mut Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let id = tagged_resource(o, obj)?;
    let tags = tags_input(obj)?;
    o.tags.entry(id).or_default().extend(tags);
    Ok(json!({}))
}

fn untag_resource(o: &mut Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let id = tagged_resource(o, obj)?;
    let required = || invalid("INPUT_REQUIRED", "You must specify a value for TagKeys.".into());
    let keys = obj.get("TagKeys").and_then(Value::as_array).ok_or_else(required)?;
    if let Some(tags) = o.tags.get_mut(&id) {
        for k in keys.iter().filter_map(Value::as_str) {
            tags.remove(k);
        }
    }
    Ok(json!({}))
}

fn list_tags(o: &Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let id = tagged_resource(o, obj)?;
    let tags = o.tags.get(&id).into_iter().flatten();
    let items = tags.map(|(k, v)| json!({"Key": k, "Value": v})).collect();
    page(items, "Tags", obj)
}

/// ListParents (`ChildId`: an OU or an account): `{Parents: [{Id, Type}]}`, its one parent.
fn list_parents(o: &Organizations, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let child = required(obj, "ChildId")?;
    let not_found = || {
        error("ChildNotFoundException", format!("We can't find an organizational unit (OU) or AWS account with the ChildId that you specified: {child}."))
    };
    let parent = match TargetKind::of_id(child) {
        Some(TargetKind::Account) => o.accounts.get(child).ok_or_else(not_found)?,
        Some(TargetKind::Ou) => &o.ous.get(child).ok_or_else(not_found)?.parent,
        _ => {
            return Err(invalid(
                "INVALID_PATTERN",
                format!("ChildId {child:?} is not an OU (ou-...-...) or 12-digit account id."),
            ))
        }
    };
    let kind = if *parent == o.root { TargetKind::Root } else { TargetKind::Ou };
    page(vec![json!({"Id": parent, "Type": kind.wire_name()})], "Parents", obj)
}

/// ListOrganizationalUnitsForParent / ListAccountsForParent (`ParentId`: the root or an OU):
/// the OUs `{Id, Arn, Name}` or accounts `{Id, Arn, Name, Email, Status}` directly in it.
fn list_children(o: &Organizations, op: &str, obj: &Map<String, Value>) -> Result<Value, ApiError> {
    let parent = required(obj, "ParentId")?;
    if !matches!(o.kind(parent), Some(TargetKind::Root | TargetKind::Ou)) {
        let msg = format!("We can't find a root or OU with the ParentId that you specified: {parent}.");
        return Err(error("ParentNotFoundException", msg));
    }
    if op == "ListOrganizationalUnitsForParent" {
        let ous = o.ous.iter().filter(|(_, ou)| ou.parent == parent);
        let items = ous.map(|(id, ou)| json!({"Id": id, "Arn": o.arn_of(id), "Name": ou.name})).collect();
        return page(items, "OrganizationalUnits", obj);
    }
    let accounts = o.accounts.iter().filter(|(_, p)| *p == parent);
    let items = accounts
        .map(|(id, _)| {
            json!({"Id": id, "Arn": o.arn_of(id), "Name": o.name_of(id), "Email": format!("{id}@example.com"),
                "Status": "ACTIVE", "State": "ACTIVE"})
        })
        .collect();
    page(items, "Accounts", obj)
}
