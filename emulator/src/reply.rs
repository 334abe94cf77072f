//! The reply a handler produces, independent of the HTTP library (the server turns it into a
//! hyper response).

use serde_json::Value;

/// A response produced by a handler.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Reply {
    pub status: u16,
    pub headers: Vec<(&'static str, String)>,
    pub body: Vec<u8>,
    /// Set by a `black_hole` fault: the server never answers and holds the connection open.
    pub black_hole: bool,
}

impl Reply {
    pub fn json(status: u16, v: &Value) -> Reply {
        // Serializing a `Value` cannot fail (its map keys are strings).
        Reply::json_bytes(status, serde_json::to_vec(v).unwrap_or_default())
    }

    pub fn json_bytes(status: u16, body: Vec<u8>) -> Reply {
        Reply::with_type(status, "application/json", body)
    }

    pub fn xml(status: u16, body: String) -> Reply {
        Reply::with_type(status, "text/xml", body.into_bytes())
    }

    pub fn html(status: u16, body: String) -> Reply {
        Reply::with_type(status, "text/html", body.into_bytes())
    }

    /// JSON with another content type (awsJson services say `application/x-amz-json-1.1`).
    pub fn with_content_type(status: u16, content_type: &str, v: &Value) -> Reply {
        Reply::with_type(status, content_type, serde_json::to_vec(v).unwrap_or_default())
    }

    /// No answer at all (see [`Reply::black_hole`]).
    pub fn black_hole() -> Reply {
        Reply { black_hole: true, ..Reply::default() }
    }

    fn with_type(status: u16, content_type: &str, body: Vec<u8>) -> Reply {
        Reply { status, headers: vec![("content-type", content_type.into())], body, black_hole: false }
    }

    pub fn header(&mut self, name: &'static str, value: String) {
        self.headers.push((name, value));
    }

    pub fn get_header(&self, name: &str) -> Option<&str> {
        self.headers.iter().find(|(n, _)| n.eq_ignore_ascii_case(name)).map(|(_, v)| v.as_str())
    }
}
