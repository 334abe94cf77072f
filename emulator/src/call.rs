//! An AWS API call as the service modules see it: the parsed HTTP request plus who is calling.

use serde_json::Value;

use crate::errors::ApiError;
use crate::model::world::{Caller, World};
use crate::request_log::LogEntry;

pub(crate) struct AwsRequest<'a> {
    pub method: &'a str,
    pub path: &'a str,
    pub query: Option<&'a str>,
    pub body: &'a [u8],
    /// `X-Amz-Target` (awsJson services such as ECR name the operation there).
    pub target: Option<&'a str>,
    pub caller: Caller,
    pub region: String,
    pub request_id: String,
}

impl AwsRequest<'_> {
    /// The request-log entry for this call of `operation`.
    pub fn log_entry(&self, service: &str, operation: &str) -> LogEntry {
        LogEntry::new(service, operation, &self.caller.account, &self.region)
    }

    /// Log a call that matches no operation of `service`; the error to send back.
    pub fn unknown_operation(&self, w: &mut World, service: &str) -> ApiError {
        let mut entry = self.log_entry(service, "Unknown");
        entry.fields.insert("path".into(), Value::String(format!("{} {}", self.method, self.path)));
        entry.http_status = 404;
        w.requests.record(entry);
        ApiError::unknown_operation(self.method, self.path)
    }
}

#[cfg(test)]
impl<'a> AwsRequest<'a> {
    /// A call by `account` (no session) in us-east-1, for unit tests.
    pub fn for_test(method: &'a str, path: &'a str, body: &'a [u8], account: &str) -> Self {
        AwsRequest {
            method,
            path,
            query: None,
            body,
            target: None,
            caller: Caller { account: account.into(), session: None },
            region: "us-east-1".into(),
            request_id: "rid".into(),
        }
    }
}
