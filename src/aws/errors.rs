//! SDK errors turned into [`AwsError`]s, classified once: what can heal by retrying, and what
//! cannot. The text is plain: no SDK debug dump, no HTML body.

use std::error::Error as StdError;

use aws_credential_types::provider::error::CredentialsError;
use aws_sdk_inspector2::error::{ProvideErrorMetadata, SdkError};
use aws_sdk_sts::operation::assume_role::AssumeRoleError;
use aws_smithy_runtime_api::client::orchestrator::HttpResponse;
use aws_smithy_runtime_api::client::result::DispatchFailure;

use crate::aws::wire::wire_enum;

wire_enum! {
    /// The service error codes the domain acts on (AwsError::code), decoded once so that no layer
    /// compares AWS's strings itself.
    pub enum ServiceErrorCode {
        AccessDenied = "AccessDeniedException",
        InvalidAccess = "InvalidAccessException",
        ResourceNotFound = "ResourceNotFoundException",
        ServiceQuotaExceeded = "ServiceQuotaExceededException",
        Validation = "ValidationException",
        Conflict = "ConflictException",
        Throttling = "ThrottlingException",
        InternalServer = "InternalServerException",
    }
}

/// Whether a failed call can heal by trying again, decided once at the boundary.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorClass {
    /// Throttling, 5xx, connection reset or refused, timeouts: worth another try before the deadline.
    Retryable,
    /// Credentials and configuration errors, 4xx other than throttling, construction and DNS
    /// failures: the same call fails the same way, so the operation ends at once.
    Final,
}

/// A failed API call (as opposed to a failed account inside a successful call). Its text is
/// plain: the operation, AWS's code and message, the RequestId when AWS gave one, and a hint.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AwsError {
    pub operation: &'static str,
    /// Service error code when there is one (AccessDeniedException, ValidationException, ...).
    pub code: Option<String>,
    /// Human-readable cause, already free of debug dumps and HTML.
    pub message: String,
    pub class: ErrorClass,
    pub request_id: Option<String>,
    /// A next step for the user, where one is known.
    pub hint: Option<String>,
}

impl AwsError {
    pub fn new(operation: &'static str, class: ErrorClass, code: Option<&str>, message: impl Into<String>) -> Self {
        AwsError {
            operation,
            code: code.map(str::to_owned),
            message: message.into(),
            class,
            request_id: None,
            hint: None,
        }
    }

    pub fn with_hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    pub fn is_final(&self) -> bool {
        self.class == ErrorClass::Final
    }

    /// AWS's error code, typed; None when the failure had none (a network error, say).
    pub fn service_code(&self) -> Option<ServiceErrorCode> {
        self.code.as_deref().map(ServiceErrorCode::from_wire)
    }

    /// Whether AWS answered with `code`.
    pub fn is(&self, code: ServiceErrorCode) -> bool {
        self.service_code() == Some(code)
    }
}

/// `Enable: AccessDeniedException: not allowed (RequestId: abc) (hint: ...)`.
impl std::fmt::Display for AwsError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: ", self.operation)?;
        if let Some(code) = &self.code {
            write!(f, "{code}: ")?;
        }
        write!(f, "{}", self.message)?;
        if let Some(id) = &self.request_id {
            write!(f, " (RequestId: {id})")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " (hint: {hint})")?;
        }
        Ok(())
    }
}

impl std::error::Error for AwsError {}

/// What the error texts name besides AWS's answer: where the credentials were to come from.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ErrorContext {
    pub profile: Option<String>,
    pub role_arn: Option<String>,
}

/// Codes that mean "slow down" or "try later", whatever the HTTP status.
const RETRYABLE_CODES: &[&str] = &[
    "ThrottlingException",
    "Throttling",
    "ThrottledException",
    "TooManyRequestsException",
    "RequestLimitExceeded",
    "LimitExceededException",
    "RequestThrottled",
    "SlowDown",
    "InternalServerException",
    "InternalException",
    "InternalFailure",
    "ServiceUnavailableException",
    "ServiceUnavailable",
    "RequestTimeout",
    "RequestTimeoutException",
    "IDPCommunicationError",
];

/// Longest cause text kept from an SDK error chain; the rest is noise for users.
const MAX_CAUSE: usize = 400;

const ENDPOINT_HINT: &str =
    "the endpoint did not answer as the AWS API does: check `endpoints`, AWS_ENDPOINT_URL and `region`";

impl ErrorContext {
    /// The [`AwsError`] for a failed SDK call of `operation`.
    pub fn error<E>(&self, operation: &'static str, err: &SdkError<E, HttpResponse>) -> AwsError
    where
        E: ProvideErrorMetadata + StdError + 'static,
    {
        match err {
            SdkError::ServiceError(s) => service_error(operation, s.err(), s.raw()),
            SdkError::TimeoutError(_) => {
                AwsError::new(operation, ErrorClass::Retryable, None, "no answer within the attempt timeout")
            }
            SdkError::DispatchFailure(d) => self.dispatch_failure(operation, d),
            SdkError::ResponseError(r) => unparsable_response(operation, r.raw()),
            _ => AwsError::new(
                operation,
                ErrorClass::Final,
                None,
                format!("the request could not be built: {}", cause_text(err)),
            )
            .with_hint("check `region` and `endpoints`"),
        }
    }

    fn dispatch_failure(&self, operation: &'static str, d: &DispatchFailure) -> AwsError {
        let conn = d.as_connector_error();
        let source: Option<&(dyn StdError + 'static)> = conn.map(|c| c as _);
        if let Some(cred) = find::<CredentialsError>(source) {
            return self.credentials_error(operation, cred);
        }
        let text = source.map(cause_text).unwrap_or_else(|| "the request was not sent".into());
        if d.is_timeout() {
            return AwsError::new(operation, ErrorClass::Retryable, None, format!("no answer in time: {text}"));
        }
        if is_dns_failure(&text) {
            return AwsError::new(
                operation,
                ErrorClass::Final,
                None,
                format!("the endpoint's host name does not resolve: {text}"),
            )
            .with_hint("check `region` (it must be a real AWS Region) and `endpoints`");
        }
        if d.is_io() {
            return AwsError::new(
                operation,
                ErrorClass::Retryable,
                None,
                format!("could not reach the endpoint: {text}"),
            );
        }
        AwsError::new(operation, ErrorClass::Final, None, text)
    }

    fn credentials_error(&self, operation: &'static str, cred: &CredentialsError) -> AwsError {
        let profile_note = self.profile.as_deref().map(|p| format!(" (profile \"{p}\")")).unwrap_or_default();
        match cred {
            CredentialsError::CredentialsNotLoaded(_) => {
                let error = AwsError::new(
                    operation,
                    ErrorClass::Final,
                    Some("NoCredentials"),
                    format!(
                        "no AWS credentials found{profile_note}: looked at the provider's `profile` or AWS_PROFILE, \
                         the environment (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY), the shared config and \
                         credentials files (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/config and \
                         ~/.aws/credentials), web identity (AWS_WEB_IDENTITY_TOKEN_FILE), SSO, the ECS container and \
                         EC2 instance metadata"
                    ),
                );
                match &self.profile {
                    Some(p) => error.with_hint(profile_hint(p)),
                    None => error,
                }
            }
            CredentialsError::ProviderTimedOut(_) => AwsError::new(
                operation,
                ErrorClass::Retryable,
                None,
                format!("the credentials provider{profile_note} did not answer in time"),
            ),
            CredentialsError::ProviderError(_) => {
                match find::<SdkError<AssumeRoleError, HttpResponse>>(cred.source()) {
                    Some(sts) => self.assume_role_error(operation, sts),
                    None => self.config_error(operation, cred),
                }
            }
            _ => self.config_error(operation, cred),
        }
    }

    fn assume_role_error(&self, operation: &'static str, sts: &SdkError<AssumeRoleError, HttpResponse>) -> AwsError {
        let inner = self.error("AssumeRole", sts);
        let role = self.role_arn.as_deref().unwrap_or("the configured role");
        let hint = match inner.code.as_deref() {
            Some("AccessDenied") => format!("check its trust policy: it must let the caller assume {role}, with the same external_id if it requires one"),
            Some("ValidationError") => "check assume_role's role_arn, session_name and external_id".to_owned(),
            _ => inner.hint.clone().unwrap_or_else(|| format!("check assume_role and the trust policy of {role}")),
        };
        AwsError {
            operation,
            code: inner.code.clone(),
            message: format!("could not assume role {role}: {}", inner.message),
            class: inner.class,
            request_id: inner.request_id.clone(),
            hint: Some(hint),
        }
    }

    /// A credentials provider that refused its configuration (a missing profile, say).
    fn config_error(&self, operation: &'static str, cred: &CredentialsError) -> AwsError {
        let mut text = cause_text(cred);
        let hint = match &self.profile {
            Some(p) => {
                text = format!("profile \"{p}\": {text}");
                profile_hint(p)
            }
            None => "check the AWS credentials configuration".to_owned(),
        };
        AwsError::new(
            operation,
            ErrorClass::Final,
            Some("CredentialsError"),
            format!("could not load credentials: {text}"),
        )
        .with_hint(hint)
    }
}

fn profile_hint(profile: &str) -> String {
    format!(
        "check that profile \"{profile}\" exists in the AWS config or credentials file (AWS_CONFIG_FILE, \
         AWS_SHARED_CREDENTIALS_FILE, default ~/.aws/config and ~/.aws/credentials) and has credentials"
    )
}

fn service_error<E: ProvideErrorMetadata>(operation: &'static str, e: &E, raw: &HttpResponse) -> AwsError {
    let status = raw.status().as_u16();
    let code = e.code().filter(|c| !c.is_empty());
    let retryable = status == 429 || status >= 500 || code.is_some_and(|c| RETRYABLE_CODES.contains(&c));
    let class = if retryable { ErrorClass::Retryable } else { ErrorClass::Final };
    let mut error = match (code, e.message().filter(|m| !m.is_empty())) {
        (Some(code), message) => AwsError::new(operation, class, Some(code), plain(message.unwrap_or("(no message)"))),
        (None, _) => AwsError::new(operation, class, None, format!("HTTP {status} without an AWS error code"))
            .with_hint(ENDPOINT_HINT),
    };
    error.request_id = request_id(raw);
    error
}

fn unparsable_response(operation: &'static str, raw: &HttpResponse) -> AwsError {
    let status = raw.status().as_u16();
    let class = if status == 429 || status >= 500 { ErrorClass::Retryable } else { ErrorClass::Final };
    let mut error = AwsError::new(operation, class, None, format!("HTTP {status} with a response that is not AWS's"))
        .with_hint(ENDPOINT_HINT);
    error.request_id = request_id(raw);
    error
}

fn request_id(raw: &HttpResponse) -> Option<String> {
    let headers = raw.headers();
    headers.get("x-amzn-requestid").or_else(|| headers.get("x-amz-request-id")).map(str::to_owned)
}

fn is_dns_failure(text: &str) -> bool {
    let lower = text.to_ascii_lowercase();
    lower.contains("dns error")
        || lower.contains("failed to lookup address")
        || lower.contains("name or service not known")
}

/// The first error of type `T` in a source chain.
fn find<'a, T: StdError + 'static>(mut current: Option<&'a (dyn StdError + 'static)>) -> Option<&'a T> {
    while let Some(e) = current {
        if let Some(found) = e.downcast_ref::<T>() {
            return Some(found);
        }
        current = e.source();
    }
    None
}

/// Each error's Display in a source chain, joined with ": ", without repeats, debug dumps or HTML.
fn cause_text(err: &(dyn StdError + 'static)) -> String {
    let mut parts: Vec<String> = Vec::new();
    let mut current = Some(err);
    while let Some(e) = current {
        let text = plain(&e.to_string());
        if !text.is_empty() && !parts.iter().any(|p| p.contains(&text)) {
            parts.push(text);
        }
        current = e.source();
    }
    let joined = parts.join(": ");
    match joined.char_indices().nth(MAX_CAUSE) {
        Some((cut, _)) => format!("{}...", &joined[..cut]),
        None => joined,
    }
}

/// One line of text: an HTML body or anything after a `{` debug dump is dropped.
fn plain(text: &str) -> String {
    let text = text.split(['{', '<']).next().unwrap_or_default();
    text.split_whitespace().collect::<Vec<_>>().join(" ").trim_end_matches([':', ' ', '(']).to_owned()
}

#[cfg(test)]
mod tests;
