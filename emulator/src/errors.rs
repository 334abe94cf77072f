//! Error values for the emulated AWS APIs and their wire encodings.
//!
//! restJson1 services get the `x-amzn-ErrorType` header (the Rust SDK reads the code from that
//! header first) and a JSON body: `{"message": ...}` for Inspector2, `{"Message": ..., "Code": ...}`
//! for Security Hub. awsQuery services (STS) get the `<ErrorResponse>` XML envelope.

use serde_json::{json, Map, Value};

use crate::reply::Reply;
use crate::util::xml_escape;

/// An error to be returned by an emulated AWS operation.
#[derive(Clone, Debug, PartialEq)]
pub struct ApiError {
    /// HTTP status code.
    pub status: u16,
    /// Error code (`x-amzn-ErrorType` for JSON, `<Code>` for XML).
    pub code: String,
    pub message: String,
    /// Extra members of the JSON body (e.g. `reason` and `fields` of a ValidationException).
    pub extra: Map<String, Value>,
    /// Value of the integer `Retry-After` header, if any.
    pub retry_after: Option<u64>,
}

impl ApiError {
    pub fn new(status: u16, code: &str, message: impl Into<String>) -> Self {
        ApiError { status, code: code.to_string(), message: message.into(), extra: Map::new(), retry_after: None }
    }

    /// 400 ValidationException with reason FIELD_VALIDATION_FAILED and one entry per field.
    pub fn field_validation(fields: Vec<(String, String)>) -> Self {
        let message = if fields.len() == 1 {
            format!("1 validation error detected: {}", fields[0].1)
        } else {
            let joined: Vec<&str> = fields.iter().map(|(_, m)| m.as_str()).collect();
            format!("{} validation errors detected: {}", fields.len(), joined.join("; "))
        };
        let mut e = ApiError::new(400, "ValidationException", message);
        e.extra.insert("reason".into(), json!("FIELD_VALIDATION_FAILED"));
        let fields: Vec<Value> =
            fields.into_iter().map(|(name, message)| json!({"name": name, "message": message})).collect();
        e.extra.insert("fields".into(), Value::Array(fields));
        e
    }

    /// 400 ValidationException with reason CANNOT_PARSE (malformed request body).
    pub fn cannot_parse(detail: &str) -> Self {
        let mut e = ApiError::new(400, "ValidationException", format!("Could not parse request body: {detail}"));
        e.extra.insert("reason".into(), json!("CANNOT_PARSE"));
        e.extra.insert("fields".into(), json!([]));
        e
    }

    /// 400 ValidationException with reason FIELD_VALIDATION_FAILED and no fields (an injected
    /// `validation_error` fault).
    pub fn validation_fault(message: String) -> Self {
        let mut e = ApiError::new(400, "ValidationException", message);
        e.extra.insert("reason".into(), json!("FIELD_VALIDATION_FAILED"));
        e.extra.insert("fields".into(), json!([]));
        e
    }

    pub fn throttling(retry_after: u64) -> Self {
        let mut e = ApiError::new(429, "ThrottlingException", "Rate exceeded");
        e.retry_after = Some(retry_after);
        e
    }

    pub fn unknown_operation(method: &str, path: &str) -> Self {
        ApiError::new(404, "UnknownOperationException", format!("The emulator does not implement {method} {path}"))
    }

    /// Encode for a restJson1 service.
    pub fn to_json_reply(&self) -> Reply {
        let mut body = self.extra.clone();
        body.insert("message".into(), Value::String(self.message.clone()));
        self.json_reply(body)
    }

    /// Encode for Security Hub: `{"Message": ..., "Code": ...}` plus the `x-amzn-ErrorType`
    /// header (the Rust SDK reads the code from the header; it ignores a capitalised body `Code`).
    pub fn to_securityhub_reply(&self) -> Reply {
        let mut body = self.extra.clone();
        body.insert("Message".into(), Value::String(self.message.clone()));
        body.insert("Code".into(), Value::String(self.code.clone()));
        self.json_reply(body)
    }

    /// Encode for an awsJson1_1 service (Organizations): `{"__type": CODE, "Message": ...}` plus
    /// the `x-amzn-ErrorType` header, as `application/x-amz-json-1.1`.
    pub fn to_aws_json_reply(&self) -> Reply {
        let mut body = self.extra.clone();
        body.insert("__type".into(), Value::String(self.code.clone()));
        body.insert("Message".into(), Value::String(self.message.clone()));
        let mut reply = Reply::with_content_type(self.status, "application/x-amz-json-1.1", &Value::Object(body));
        reply.header("x-amzn-ErrorType", self.code.clone());
        self.with_retry_after(reply)
    }

    /// Encode for an awsQuery service (STS).
    pub fn to_query_reply(&self, request_id: &str) -> Reply {
        let kind = if self.status >= 500 { "Receiver" } else { "Sender" };
        let body = format!(
            "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n  <Error>\n    <Type>{kind}</Type>\n    <Code>{}</Code>\n    <Message>{}</Message>\n  </Error>\n  <RequestId>{}</RequestId>\n</ErrorResponse>\n",
            xml_escape(&self.code),
            xml_escape(&self.message),
            xml_escape(request_id)
        );
        self.with_retry_after(Reply::xml(self.status, body))
    }

    /// A restJson1 error reply with `body`; the code goes in `x-amzn-ErrorType`.
    fn json_reply(&self, body: Map<String, Value>) -> Reply {
        let mut reply = Reply::json(self.status, &Value::Object(body));
        reply.header("x-amzn-ErrorType", self.code.clone());
        self.with_retry_after(reply)
    }

    fn with_retry_after(&self, mut reply: Reply) -> Reply {
        if let Some(s) = self.retry_after {
            reply.header("Retry-After", s.to_string());
        }
        reply
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn body_json(r: &Reply) -> Value {
        serde_json::from_slice(&r.body).unwrap()
    }

    #[test]
    fn validation_shape() {
        let e = ApiError::field_validation(vec![("accountIds".into(), "too many".into())]);
        let r = e.to_json_reply();
        assert_eq!(r.status, 400);
        assert_eq!(r.get_header("x-amzn-ErrorType"), Some("ValidationException"));
        let b = body_json(&r);
        assert_eq!(b["reason"], "FIELD_VALIDATION_FAILED");
        assert_eq!(b["fields"][0]["name"], "accountIds");
        assert_eq!(b["fields"][0]["message"], "too many");
        assert!(b["message"].as_str().unwrap().contains("too many"));
    }

    #[test]
    fn throttling_has_integer_retry_after() {
        let r = ApiError::throttling(3).to_json_reply();
        assert_eq!(r.status, 429);
        assert_eq!(r.get_header("Retry-After"), Some("3"));
        assert_eq!(r.get_header("x-amzn-ErrorType"), Some("ThrottlingException"));
    }

    #[test]
    fn securityhub_shape() {
        let r = ApiError::new(401, "InvalidAccessException", "not subscribed").to_securityhub_reply();
        assert_eq!(r.status, 401);
        assert_eq!(r.get_header("x-amzn-ErrorType"), Some("InvalidAccessException"));
        let b = body_json(&r);
        assert_eq!(b["Message"], "not subscribed");
        assert_eq!(b["Code"], "InvalidAccessException");
    }

    #[test]
    fn aws_json_shape() {
        let mut e = ApiError::new(400, "InvalidInputException", "bad id");
        e.extra.insert("Reason".into(), json!("INVALID_SYNTAX_POLICY_ID"));
        let r = e.to_aws_json_reply();
        assert_eq!(r.get_header("content-type"), Some("application/x-amz-json-1.1"));
        assert_eq!(r.get_header("x-amzn-ErrorType"), Some("InvalidInputException"));
        let b = body_json(&r);
        assert_eq!((b["__type"].as_str(), b["Message"].as_str()), (Some("InvalidInputException"), Some("bad id")));
        assert_eq!(b["Reason"], "INVALID_SYNTAX_POLICY_ID");
    }

    #[test]
    fn query_error_is_wrapped_xml() {
        let r = ApiError::new(400, "ValidationError", "bad <arn>").to_query_reply("rid");
        let s = String::from_utf8(r.body).unwrap();
        assert!(s.contains("<Type>Sender</Type>"));
        assert!(s.contains("<Code>ValidationError</Code>"));
        assert!(s.contains("bad &lt;arn&gt;"));
        assert!(s.contains("<RequestId>rid</RequestId>"));
    }
}
