//! Caller identification from SigV4. Signatures are NOT verified: only the credential scope
//! (`Credential=AKID/date/region/service/aws4_request`) is read, for the access key id (-> account),
//! the region, and the signing service name (used for routing).

use crate::util::{parse_form, percent_decode};

/// The parsed SigV4 credential scope.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scope {
    pub access_key: String,
    pub region: Option<String>,
    pub service: String,
}

/// Read the scope from the `Authorization` header, else from a presigned query string
/// (`X-Amz-Credential`).
pub fn scope(authorization: Option<&str>, query: Option<&str>) -> Option<Scope> {
    if let Some(h) = authorization {
        if let Some(s) = from_header(h) {
            return Some(s);
        }
    }
    let q = query?;
    parse_form(q).into_iter().find(|(k, _)| k == "X-Amz-Credential").and_then(|(_, v)| parse_credential(&v))
}

/// `AWS4-HMAC-SHA256 Credential=AKID/20240101/us-east-1/inspector2/aws4_request, SignedHeaders=..., Signature=...`
fn from_header(h: &str) -> Option<Scope> {
    let start = h.find("Credential=")? + "Credential=".len();
    let rest = &h[start..];
    let end = rest.find(|c: char| c == ',' || c.is_whitespace()).unwrap_or(rest.len());
    parse_credential(&percent_decode(&rest[..end]))
}

/// `AKID/date/region/service/aws4_request` (SigV4) or `AKID/date/service/aws4_request` (SigV4a).
fn parse_credential(c: &str) -> Option<Scope> {
    let parts: Vec<&str> = c.split('/').collect();
    let (akid, region, service) = match parts.as_slice() {
        [akid, _date, region, service, "aws4_request"] => (*akid, Some(*region), *service),
        [akid, _date, service, "aws4_request"] => (*akid, None, *service),
        _ => return None,
    };
    if akid.is_empty() || service.is_empty() {
        return None;
    }
    Some(Scope {
        access_key: akid.to_string(),
        region: region.filter(|r| !r.is_empty()).map(str::to_string),
        service: service.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sigv4_header() {
        let h = "AWS4-HMAC-SHA256 Credential=AKIAEXAMPLE/20240101/eu-west-1/inspector2/aws4_request, SignedHeaders=host;x-amz-date, Signature=abcd";
        let s = scope(Some(h), None).unwrap();
        assert_eq!(s.access_key, "AKIAEXAMPLE");
        assert_eq!(s.region.as_deref(), Some("eu-west-1"));
        assert_eq!(s.service, "inspector2");
    }

    #[test]
    fn sigv4a_header_and_presigned_query() {
        let h = "AWS4-ECDSA-P256-SHA256 Credential=AKID/20240101/sts/aws4_request, SignedHeaders=host, Signature=00";
        let s = scope(Some(h), None).unwrap();
        assert_eq!((s.access_key.as_str(), s.service.as_str()), ("AKID", "sts"));
        assert_eq!(s.region, None);
        let q = "Action=GetCallerIdentity&X-Amz-Credential=AK%2F20240101%2Fus-east-1%2Fsts%2Faws4_request";
        let s = scope(None, Some(q)).unwrap();
        assert_eq!(s.access_key, "AK");
        assert_eq!(s.service, "sts");
    }

    #[test]
    fn garbage_is_none() {
        assert_eq!(scope(Some("Basic Zm9vOmJhcg=="), None), None);
        assert_eq!(scope(Some("AWS4-HMAC-SHA256 Credential=AK/x"), None), None);
        assert_eq!(scope(None, None), None);
    }
}
