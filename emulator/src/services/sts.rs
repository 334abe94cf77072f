//! AWS STS (awsQuery: form-encoded POST to `/`, XML responses): GetCallerIdentity, AssumeRole.

use serde_json::{json, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::{FaultErrors, Injected};
use crate::model::world::{Caller, Session, World};
use crate::reply::Reply;
use crate::request_log::LogEntry;
use crate::util::{is_account_id, iso8601, parse_form, stable_id, unix_now, xml_escape, BASE64ISH, UPPER_ALNUM};

pub const SERVICE: &str = "sts";
const NS: &str = "https://sts.amazonaws.com/doc/2011-06-15/";
const DEFAULT_DURATION: u64 = 3600;

/// STS throttles with 400 `Throttling`, as the real service does (the SDK retries it as a
/// throttling error).
const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (400, "Throttling"),
    server_error: ("InternalFailure", "Injected internal failure (emulator fault)"),
    access_denied: "AccessDenied",
    validation,
};

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let mut params = req.query.map(parse_form).unwrap_or_default();
    params.extend(parse_form(String::from_utf8_lossy(req.body).trim()));
    let get = |k: &str| params.iter().find(|(n, _)| n == k).map(|(_, v)| v.as_str());
    let action = get("Action").filter(|a| !a.is_empty()).unwrap_or("Unknown");
    let mut entry = req.log_entry(SERVICE, action);
    if action == "AssumeRole" {
        for (field, param) in [
            ("role_arn", "RoleArn"),
            ("role_session_name", "RoleSessionName"),
            ("external_id", "ExternalId"),
            ("duration_seconds", "DurationSeconds"),
        ] {
            entry.fields.insert(field.into(), json!(get(param)));
        }
    }
    let result = match w.injected_fault(action, &FAULT_ERRORS, &mut entry) {
        Some(f) => Err(f),
        None => match action {
            "GetCallerIdentity" => Ok(get_caller_identity(&req.caller, &req.request_id)),
            "AssumeRole" => assume_role(w, &get, req, &mut entry).map_err(Injected::Error),
            other => Err(Injected::Error(ApiError::new(
                400,
                "InvalidAction",
                format!("Could not find operation {other} for version 2011-06-15"),
            ))),
        },
    };
    let reply = match result {
        Ok(xml) => Reply::xml(200, xml),
        Err(f) => f.into_reply(|e| e.to_query_reply(&req.request_id)),
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

fn envelope(action: &str, result: &str, request_id: &str) -> String {
    format!(
        "<{action}Response xmlns=\"{NS}\">\n  <{action}Result>\n{result}  </{action}Result>\n  <ResponseMetadata>\n    <RequestId>{}</RequestId>\n  </ResponseMetadata>\n</{action}Response>\n",
        xml_escape(request_id)
    )
}

/// The caller's ARN, as GetCallerIdentity reports it.
fn caller_arn(caller: &Caller) -> String {
    match &caller.session {
        Some(s) => format!("arn:aws:sts::{}:assumed-role/{}/{}", s.account, s.role_name, s.session_name),
        None => format!("arn:aws:iam::{}:user/emulator", caller.account),
    }
}

fn get_caller_identity(caller: &Caller, request_id: &str) -> String {
    let arn = caller_arn(caller);
    let user_id = match &caller.session {
        Some(s) => format!("{}:{}", s.role_id, s.session_name),
        None => "AIDAEMULATOR".to_string(),
    };
    let result = format!(
        "    <Arn>{}</Arn>\n    <UserId>{}</UserId>\n    <Account>{}</Account>\n",
        xml_escape(&arn),
        xml_escape(&user_id),
        xml_escape(&caller.account)
    );
    envelope("GetCallerIdentity", &result, request_id)
}

/// `arn:PARTITION:iam::ACCOUNT:role/[PATH/]NAME` -> (account, role name).
fn parse_role_arn(arn: &str) -> Option<(String, String)> {
    let parts: Vec<&str> = arn.splitn(6, ':').collect();
    let [prefix, partition, service, region, account, resource] = parts.as_slice() else {
        return None;
    };
    if *prefix != "arn"
        || !partition.starts_with("aws")
        || *service != "iam"
        || !region.is_empty()
        || !is_account_id(account)
    {
        return None;
    }
    let path = resource.strip_prefix("role/")?;
    let name = path.rsplit('/').next()?;
    let name_ok =
        (1..=64).contains(&name.len()) && name.chars().all(|c| c.is_ascii_alphanumeric() || "+=,.@_-".contains(c));
    name_ok.then(|| (account.to_string(), name.to_string()))
}

fn validation(message: String) -> ApiError {
    ApiError::new(400, "ValidationError", message)
}

/// A validated AssumeRole request.
struct AssumeRole<'p> {
    role_arn: &'p str,
    account: String,
    role_name: String,
    session_name: &'p str,
    duration: u64,
}

/// Check the parameters as real STS does; Err is its `ValidationError`.
fn validate_assume_role<'p>(get: &impl Fn(&str) -> Option<&'p str>) -> Result<AssumeRole<'p>, ApiError> {
    let role_arn = get("RoleArn").ok_or_else(|| {
        validation("1 validation error detected: Value null at 'roleArn' failed to satisfy constraint: Member must not be null".into())
    })?;
    let session_name = get("RoleSessionName").ok_or_else(|| {
        validation("1 validation error detected: Value null at 'roleSessionName' failed to satisfy constraint: Member must not be null".into())
    })?;
    let (account, role_name) = parse_role_arn(role_arn).ok_or_else(|| validation(format!("{role_arn} is invalid")))?;
    if !matches_pattern(session_name, 2..=64, "+=,.@_-") {
        return Err(validation(format!("1 validation error detected: Value '{session_name}' at 'roleSessionName' failed to satisfy constraint: Member must have length between 2 and 64 and satisfy regular expression pattern: [\\w+=,.@-]*")));
    }
    // The value is not echoed: an external id is a shared secret.
    if get("ExternalId").is_some_and(|ext| !matches_pattern(ext, 2..=1224, "+=,.@:/_-")) {
        return Err(validation("1 validation error detected: Value at 'externalId' failed to satisfy constraint: Member must have length between 2 and 1224 and satisfy regular expression pattern: [\\w+=,.@:\\/-]*".into()));
    }
    let duration = match get("DurationSeconds") {
        None => DEFAULT_DURATION,
        Some(d) => d
            .parse::<u64>()
            .ok()
            .filter(|d| (900..=43_200).contains(d))
            .ok_or_else(|| validation(format!("1 validation error detected: Value '{d}' at 'durationSeconds' failed to satisfy constraint: Member must have value between 900 and 43200")))?,
    };
    Ok(AssumeRole { role_arn, account, role_name, session_name, duration })
}

/// `[\w<extra>]{len}` with Java's ASCII-only `\w`, as the STS patterns are written.
fn matches_pattern(s: &str, len: std::ops::RangeInclusive<usize>, extra: &str) -> bool {
    len.contains(&s.len()) && s.chars().all(|c| c.is_ascii_alphanumeric() || extra.contains(c))
}

fn assume_role<'p>(
    w: &mut World,
    get: &impl Fn(&str) -> Option<&'p str>,
    req: &AwsRequest,
    entry: &mut LogEntry,
) -> Result<String, ApiError> {
    let input = validate_assume_role(get)?;
    if w.faults.take_assume_role_denial(input.role_arn) {
        entry.fields.insert("fault".into(), json!(true));
        let message = format!(
            "User: {} is not authorized to perform: sts:AssumeRole on resource: {}",
            caller_arn(&req.caller),
            input.role_arn
        );
        return Err(ApiError::new(403, "AccessDenied", message));
    }
    Ok(issue_credentials(w, input, &req.request_id, entry))
}

/// Start a session for the role; the AssumeRole response.
fn issue_credentials(w: &mut World, input: AssumeRole, request_id: &str, entry: &mut LogEntry) -> String {
    let AssumeRole { role_arn, account, role_name, session_name, duration } = input;
    let role_id = stable_id("AROA", role_arn, 17);
    let access_key = format!("ASIA{}", w.ids.string(UPPER_ALNUM, 16));
    let secret = w.ids.string(BASE64ISH, 40);
    let token = format!("IQoJb3JpZ2luX2VtdWxhdG9y{}", w.ids.string(BASE64ISH, 120));
    let expiration = iso8601(unix_now() + duration);
    w.sessions.insert(
        access_key.clone(),
        Session {
            account: account.clone(),
            role_name: role_name.clone(),
            session_name: session_name.to_string(),
            role_id: role_id.clone(),
        },
    );
    entry.fields.insert("assumed_account".into(), Value::String(account.clone()));
    entry.fields.insert("access_key_id".into(), Value::String(access_key.clone()));

    let result = format!(
        "    <AssumedRoleUser>\n      <AssumedRoleId>{}:{}</AssumedRoleId>\n      <Arn>arn:aws:sts::{}:assumed-role/{}/{}</Arn>\n    </AssumedRoleUser>\n    <Credentials>\n      <AccessKeyId>{}</AccessKeyId>\n      <SecretAccessKey>{}</SecretAccessKey>\n      <SessionToken>{}</SessionToken>\n      <Expiration>{}</Expiration>\n    </Credentials>\n",
        role_id,
        xml_escape(session_name),
        account,
        xml_escape(&role_name),
        xml_escape(session_name),
        access_key,
        xml_escape(&secret),
        xml_escape(&token),
        expiration
    );
    envelope("AssumeRole", &result, request_id)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator_config::Initial;

    fn call(w: &mut World, account: &str, body: &str) -> (u16, String) {
        let req = AwsRequest {
            caller: w.caller_for_key(Some(account)),
            ..AwsRequest::for_test("POST", "/", body.as_bytes(), "")
        };
        let r = handle(w, &req);
        (r.status, String::from_utf8(r.body).unwrap())
    }

    fn tag<'a>(xml: &'a str, name: &str) -> &'a str {
        let open = format!("<{name}>");
        let start = xml.find(&open).unwrap() + open.len();
        let end = xml[start..].find(&format!("</{name}>")).unwrap() + start;
        &xml[start..end]
    }

    #[test]
    fn caller_identity() {
        let mut w = World::new(Initial::default());
        let (s, x) = call(&mut w, "AKIAANY", "Action=GetCallerIdentity&Version=2011-06-15");
        assert_eq!(s, 200);
        assert!(x.starts_with("<GetCallerIdentityResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"));
        assert_eq!(tag(&x, "Account"), "123456789012");
        assert_eq!(tag(&x, "Arn"), "arn:aws:iam::123456789012:user/emulator");
        assert_eq!(tag(&x, "UserId"), "AIDAEMULATOR");
        assert_eq!(tag(&x, "RequestId"), "rid");
    }

    #[test]
    fn assume_role_maps_new_key_to_role_account() {
        let mut w = World::new(Initial::default());
        let (s, x) = call(
            &mut w,
            "AKIAANY",
            "Action=AssumeRole&Version=2011-06-15&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2Fops%2FAudit&RoleSessionName=tf-run&ExternalId=ext-123",
        );
        assert_eq!(s, 200, "{x}");
        let key = tag(&x, "AccessKeyId").to_string();
        assert!(key.starts_with("ASIA") && key.len() == 20, "{key}");
        assert_eq!(tag(&x, "SecretAccessKey").len(), 40);
        assert!(tag(&x, "Expiration").ends_with('Z'));
        assert_eq!(tag(&x, "Arn"), "arn:aws:sts::222222222222:assumed-role/Audit/tf-run");
        assert!(tag(&x, "AssumedRoleId").starts_with("AROA"));
        let (_, x) = call(&mut w, &key, "Action=GetCallerIdentity");
        assert_eq!(tag(&x, "Account"), "222222222222");
        assert_eq!(tag(&x, "Arn"), "arn:aws:sts::222222222222:assumed-role/Audit/tf-run");
        let log = w.requests.to_json();
        let e = &log["log"][0];
        assert_eq!(e["operation"], "AssumeRole");
        assert_eq!(e["role_arn"], "arn:aws:iam::222222222222:role/ops/Audit");
        assert_eq!(e["external_id"], "ext-123");
        assert_eq!(e["role_session_name"], "tf-run");
        assert_eq!(e["assumed_account"], "222222222222");
        assert_eq!(log["log"][1]["caller"], "222222222222");
    }

    #[test]
    fn assume_role_validation() {
        let mut w = World::new(Initial::default());
        for body in [
            "Action=AssumeRole&RoleArn=not-an-arn&RoleSessionName=ok-name",
            "Action=AssumeRole&RoleArn=arn:aws:iam::12345:role/x&RoleSessionName=ok-name",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:user/x&RoleSessionName=ok-name",
            "Action=AssumeRole&RoleSessionName=ok-name",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/x",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/x&RoleSessionName=a",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/x&RoleSessionName=ok&ExternalId=x",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/x&RoleSessionName=ok&DurationSeconds=60",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/x&RoleSessionName=bad+name",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/x&RoleSessionName=ok&ExternalId=has+space",
            "Action=AssumeRole&RoleArn=arn:aws:iam::123456789012:role/bad*name&RoleSessionName=ok",
            "Action=AssumeRole&RoleArn=arn:aws:sts::123456789012:role/x&RoleSessionName=ok",
        ] {
            let (s, x) = call(&mut w, "AK", body);
            assert_eq!(s, 400, "{body}");
            assert!(x.contains("<Code>ValidationError</Code>"), "{x}");
            assert!(x.contains("<Type>Sender</Type>"));
        }
        assert!(w.sessions.is_empty());
        let (s, x) = call(&mut w, "AK", "Action=GetSessionToken");
        assert_eq!(s, 400);
        assert!(x.contains("InvalidAction"));
    }

    #[test]
    fn sts_faults() {
        let mut w = World::new(Initial::default());
        w.faults.add_json(&json!({"kind": "throttle", "operation": "GetCallerIdentity", "times": 1})).unwrap();
        let (s, x) = call(&mut w, "AK", "Action=GetCallerIdentity");
        assert_eq!(s, 400);
        assert!(x.contains("<Code>Throttling</Code>"));
        let (s, _) = call(&mut w, "AK", "Action=GetCallerIdentity");
        assert_eq!(s, 200);
        assert_eq!(w.requests.count("GetCallerIdentity"), 2);
    }

    const ASSUME: &str =
        "Action=AssumeRole&RoleArn=arn%3Aaws%3Aiam%3A%3A222222222222%3Arole%2FAudit&RoleSessionName=tf-run";

    #[test]
    fn assume_role_access_denied_fault() {
        let mut w = World::new(Initial::default());
        w.faults
            .add_json(&json!({"kind": "assume_role_access_denied", "role_arn": "arn:aws:iam::222222222222:role/Audit",
                "times": 1}))
            .unwrap();
        // Invalid input is still a ValidationError: STS validates before it authorizes.
        let (s, x) = call(&mut w, "AK", "Action=AssumeRole&RoleArn=arn:aws:iam::222222222222:role/Audit");
        assert_eq!((s, tag(&x, "Code")), (400, "ValidationError"));
        let (s, x) = call(&mut w, "AK", ASSUME);
        assert_eq!(s, 403, "{x}");
        assert!(x.starts_with("<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">"), "{x}");
        assert_eq!(tag(&x, "Type"), "Sender");
        assert_eq!(tag(&x, "Code"), "AccessDenied");
        assert_eq!(
            tag(&x, "Message"),
            "User: arn:aws:iam::123456789012:user/emulator is not authorized to perform: sts:AssumeRole on resource: \
             arn:aws:iam::222222222222:role/Audit"
        );
        assert_eq!(tag(&x, "RequestId"), "rid");
        assert!(w.sessions.is_empty());
        let log = w.requests.to_json();
        let denied = &log["log"][1];
        assert_eq!((denied["http_status"].as_u64(), denied["fault"].as_bool()), (Some(403), Some(true)));
        assert!(denied.get("access_key_id").is_none());
        // Used up: the next call succeeds.
        let (s, x) = call(&mut w, "AK", ASSUME);
        assert_eq!(s, 200, "{x}");
    }

    #[test]
    fn validation_error_fault() {
        let mut w = World::new(Initial::default());
        w.faults
            .add_json(&json!({"kind": "validation_error", "operation": "AssumeRole", "message": "no such thing",
                "times": 1}))
            .unwrap();
        let (s, x) = call(&mut w, "AK", ASSUME);
        assert_eq!(
            (s, tag(&x, "Type"), tag(&x, "Code"), tag(&x, "Message")),
            (400, "Sender", "ValidationError", "no such thing")
        );
        assert!(w.sessions.is_empty());
        assert_eq!(call(&mut w, "AK", ASSUME).0, 200);
    }
}
