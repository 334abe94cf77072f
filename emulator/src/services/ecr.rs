//! Amazon ECR (awsJson1_1, operation in `X-Amz-Target`): DescribeRepositories and
//! DescribeImages over the caller's seeded registry, with AWS's paging (maxResults 1-1000,
//! default 100, and an opaque nextToken), and the request-level faults.

use serde_json::{json, Map, Value};

use crate::call::AwsRequest;
use crate::errors::ApiError;
use crate::faults::FaultErrors;
use crate::model::world::World;
use crate::reply::Reply;
use crate::util::parse_object;

pub const SERVICE: &str = "ecr";
const TARGET_PREFIX: &str = "AmazonEC2ContainerRegistry_V20150921.";
const DEFAULT_PAGE: usize = 100;

/// ECR's codes for the request-level faults (`POST /_emulator/faults`).
const FAULT_ERRORS: FaultErrors = FaultErrors {
    throttle: (400, "ThrottlingException"),
    server_error: ("ServerException", "Injected server error (emulator fault)"),
    access_denied: "AccessDeniedException",
    validation: invalid_parameter,
};

fn invalid_parameter(message: String) -> ApiError {
    ApiError::new(400, "InvalidParameterException", message)
}

pub(crate) fn handle(w: &mut World, req: &AwsRequest) -> Reply {
    let op = req.target.and_then(|t| t.strip_prefix(TARGET_PREFIX)).unwrap_or("");
    if !matches!(op, "DescribeRepositories" | "DescribeImages") || req.method != "POST" {
        return req.unknown_operation(w, SERVICE).to_json_reply();
    }
    let mut entry = req.log_entry(SERVICE, op);
    let parsed = parse_object(req.body);
    if let Ok(obj) = &parsed {
        entry.fields.insert("repository_name".into(), obj.get("repositoryName").cloned().unwrap_or(Value::Null));
    }
    let reply = match w.injected_fault(op, &FAULT_ERRORS, &mut entry) {
        Some(f) => f.into_reply(ApiError::to_json_reply),
        None => match parsed {
            Err(e) => ApiError::new(400, "SerializationException", e).to_json_reply(),
            Ok(obj) => respond(w, req, op, &obj).unwrap_or_else(|e| e.to_json_reply()),
        },
    };
    entry.http_status = reply.status;
    w.requests.record(entry);
    reply
}

fn respond(w: &World, req: &AwsRequest, op: &str, obj: &Map<String, Value>) -> Result<Reply, ApiError> {
    let account = req.caller.account.as_str();
    if let Some(id) = obj.get("registryId").and_then(Value::as_str).filter(|id| *id != account) {
        return Err(ApiError::new(
            400,
            "InvalidParameterException",
            format!("The emulator serves only the caller's registry, not {id}"),
        ));
    }
    let (start, size) = paging(obj)?;
    let registry = w.here().registries.get(account).cloned().unwrap_or_default();
    let arn = |name: &str| format!("arn:aws:ecr:{}:{account}:repository/{name}", req.region);
    let (items, total): (Vec<Value>, usize) = if op == "DescribeRepositories" {
        let names: Vec<&String> = registry.repositories.keys().collect();
        let page = names.iter().skip(start).take(size).map(|n| {
            json!({"repositoryName": n, "repositoryArn": arn(n), "registryId": account,
                   "repositoryUri": format!("{account}.dkr.ecr.{}.amazonaws.com/{n}", req.region)})
        });
        (page.collect(), names.len())
    } else {
        let name = obj.get("repositoryName").and_then(Value::as_str).ok_or_else(|| {
            ApiError::new(400, "InvalidParameterException", "repositoryName: Member must not be null")
        })?;
        let images = registry.repositories.get(name).ok_or_else(|| {
            ApiError::new(
                400,
                "RepositoryNotFoundException",
                format!("The repository with name '{name}' does not exist in the registry with id '{account}'"),
            )
        })?;
        let page = images.iter().skip(start).take(size).map(|i| {
            let mut d =
                json!({"registryId": account, "repositoryName": name, "imageDigest": i.digest, "imageTags": []});
            if let Some(t) = i.pushed_at {
                d["imagePushedAt"] = json!(t);
            }
            if let Some(t) = i.last_pulled_at {
                d["lastRecordedPullTime"] = json!(t);
            }
            d
        });
        (page.collect(), images.len())
    };
    let key = if op == "DescribeRepositories" { "repositories" } else { "imageDetails" };
    let mut out = json!({ key: items });
    if start + size < total {
        out["nextToken"] = json!(format!("page-{}", start + size));
    }
    Ok(Reply::with_content_type(200, "application/x-amz-json-1.1", &out))
}

/// (first index, page size) from `nextToken` and `maxResults`.
fn paging(obj: &Map<String, Value>) -> Result<(usize, usize), ApiError> {
    let size = match obj.get("maxResults") {
        None | Some(Value::Null) => DEFAULT_PAGE,
        Some(v) => v.as_u64().filter(|n| (1..=1000).contains(n)).map(|n| n as usize).ok_or_else(|| {
            ApiError::new(400, "InvalidParameterException", "maxResults: Member must be between 1 and 1000")
        })?,
    };
    let start = match obj.get("nextToken").and_then(Value::as_str) {
        None => 0,
        Some(t) => t
            .strip_prefix("page-")
            .and_then(|n| n.parse().ok())
            .ok_or_else(|| ApiError::new(400, "InvalidParameterException", "Invalid parameter at 'nextToken'"))?,
    };
    Ok((start, size))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::emulator_config::Initial;
    use crate::model::registry::Registry;

    const ME: &str = "123456789012";

    fn call(w: &mut World, op: &str, body: Value) -> (u16, Value) {
        let bytes = serde_json::to_vec(&body).unwrap();
        let target = format!("{TARGET_PREFIX}{op}");
        let mut req = AwsRequest::for_test("POST", "/", &bytes, ME);
        req.target = Some(&target);
        let r = handle(w, &req);
        (r.status, serde_json::from_slice(&r.body).unwrap())
    }

    #[test]
    fn repositories_and_images_page_through() {
        let mut w = World::new(Initial::default());
        let images: Vec<Value> = (0..5)
            .map(|i| json!({"pushed_at": 1000 + i, "last_pulled_at": if i == 0 { Value::Null } else { json!(2000) }}))
            .collect();
        let seed = json!({"repositories": {"app": images, "web": []}});
        w.here_mut().registries.insert(ME.into(), Registry::parse(&seed).unwrap());
        let (s, v) = call(&mut w, "DescribeRepositories", json!({"maxResults": 1}));
        assert_eq!(s, 200);
        assert_eq!(v["repositories"][0]["repositoryName"], "app");
        let (_, v) = call(&mut w, "DescribeRepositories", json!({"maxResults": 1, "nextToken": v["nextToken"]}));
        assert_eq!(v["repositories"][0]["repositoryName"], "web");
        assert!(v.get("nextToken").is_none());
        let (_, v) = call(&mut w, "DescribeImages", json!({"repositoryName": "app", "maxResults": 3}));
        assert_eq!(v["imageDetails"].as_array().unwrap().len(), 3);
        assert!(v["imageDetails"][0].get("lastRecordedPullTime").is_none());
        assert_eq!(v["imageDetails"][1]["lastRecordedPullTime"], 2000.0);
        let (_, v) = call(
            &mut w,
            "DescribeImages",
            json!({"repositoryName": "app", "maxResults": 3, "nextToken": v["nextToken"]}),
        );
        assert_eq!(v["imageDetails"].as_array().unwrap().len(), 2);
        assert_eq!(v["imageDetails"][1]["imagePushedAt"], 1004.0);
        let (s, _) = call(&mut w, "DescribeImages", json!({"repositoryName": "nope"}));
        assert_eq!(s, 400);
        assert_eq!(call(&mut w, "DescribeImages", json!({"repositoryName": "app", "maxResults": 0})).0, 400);
        assert_eq!(w.requests.to_json()["counts"]["DescribeImages"], 4);
    }

    #[test]
    fn request_faults_answer_in_ecr_codes_and_black_hole_holds_the_call() {
        let mut w = World::new(Initial::default());
        w.faults.add_json(&json!({"kind": "access_denied", "operation": "DescribeRepositories", "times": 1})).unwrap();
        let target = format!("{TARGET_PREFIX}DescribeRepositories");
        let mut req = AwsRequest::for_test("POST", "/", b"{}", ME);
        req.target = Some(&target);
        let denied = handle(&mut w, &req);
        assert_eq!(denied.status, 403);
        let code = denied.headers.iter().find(|(k, _)| *k == "x-amzn-ErrorType").map(|(_, v)| v.as_str());
        assert_eq!(code, Some("AccessDeniedException"));
        assert_eq!(call(&mut w, "DescribeRepositories", json!({})).0, 200, "the fault was used up");
        w.faults.add_json(&json!({"kind": "black_hole", "operation": "DescribeImages"})).unwrap();
        let bytes = serde_json::to_vec(&json!({"repositoryName": "app"})).unwrap();
        let target = format!("{TARGET_PREFIX}DescribeImages");
        let mut req = AwsRequest::for_test("POST", "/", &bytes, ME);
        req.target = Some(&target);
        assert!(handle(&mut w, &req).black_hole);
    }
}
