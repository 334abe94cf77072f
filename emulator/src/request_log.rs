//! The request log and per-operation counters (`GET /_emulator/requests`).

use std::collections::{BTreeMap, VecDeque};
use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::operations::OPERATIONS;

/// Oldest entries are dropped beyond this many (counters keep counting).
pub const MAX_LOG_ENTRIES: usize = 100_000;

/// One AWS API call.
#[derive(Clone, Debug)]
pub struct LogEntry {
    pub service: String,
    pub operation: String,
    pub caller: String,
    pub region: String,
    pub http_status: u16,
    pub replayed: bool,
    /// Operation-specific fields (account_ids, resource_types, role_arn, ...).
    pub fields: Map<String, Value>,
}

impl LogEntry {
    pub fn new(service: &str, operation: &str, caller: &str, region: &str) -> Self {
        LogEntry {
            service: service.to_string(),
            operation: operation.to_string(),
            caller: caller.to_string(),
            region: region.to_string(),
            http_status: 200,
            replayed: false,
            fields: Map::new(),
        }
    }
}

#[derive(Clone, Debug)]
pub struct RequestLog {
    /// `at_ms` of each entry counts from here (the emulator start; kept by [`RequestLog::clear`]).
    started: Instant,
    seq: u64,
    counts: BTreeMap<String, u64>,
    log: VecDeque<Value>,
    dropped: u64,
}

impl Default for RequestLog {
    fn default() -> Self {
        RequestLog { started: Instant::now(), seq: 0, counts: BTreeMap::new(), log: VecDeque::new(), dropped: 0 }
    }
}

impl RequestLog {
    /// Forget entries and counters (the `at_ms` origin stays the emulator start).
    pub fn clear(&mut self) {
        *self = RequestLog { started: self.started, ..RequestLog::default() };
    }

    pub fn record(&mut self, e: LogEntry) {
        let at_ms = self.started.elapsed().as_millis() as u64;
        self.seq += 1;
        *self.counts.entry(e.operation.clone()).or_insert(0) += 1;
        let mut v = e.fields;
        v.insert("seq".into(), json!(self.seq));
        v.insert("service".into(), json!(e.service));
        v.insert("operation".into(), json!(e.operation));
        v.insert("caller".into(), json!(e.caller));
        v.insert("region".into(), json!(e.region));
        v.insert("http_status".into(), json!(e.http_status));
        v.insert("replayed".into(), json!(e.replayed));
        v.insert("at_ms".into(), json!(at_ms));
        if self.log.len() >= MAX_LOG_ENTRIES {
            self.log.pop_front();
            self.dropped += 1;
        }
        self.log.push_back(Value::Object(v));
    }

    pub fn count(&self, op: &str) -> u64 {
        self.counts.get(op).copied().unwrap_or(0)
    }

    pub fn to_json(&self) -> Value {
        let mut counts: BTreeMap<&str, u64> = OPERATIONS.iter().map(|&o| (o, 0)).collect();
        for (k, v) in &self.counts {
            counts.insert(k, *v);
        }
        json!({
            "counts": counts,
            "log": self.log,
            "dropped": self.dropped,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_seq() {
        let mut l = RequestLog::default();
        let mut e = LogEntry::new("inspector2", "Enable", "123456789012", "us-east-1");
        e.http_status = 429;
        l.record(e);
        l.record(LogEntry::new("sts", "GetCallerIdentity", "123456789012", "us-east-1"));
        let v = l.to_json();
        assert_eq!(v["counts"]["Enable"], 1);
        assert_eq!(v["counts"]["Disable"], 0);
        assert_eq!(v["counts"]["GetCallerIdentity"], 1);
        assert_eq!(v["log"][0]["seq"], 1);
        assert_eq!(v["log"][0]["http_status"], 429);
        assert_eq!(v["log"][1]["seq"], 2);
        assert_eq!(l.count("Enable"), 1);
        assert!(v["log"][0]["at_ms"].is_u64());
        assert_eq!(v["counts"]["GetFindings"], 0);
    }

    #[test]
    fn clear_keeps_the_clock() {
        let mut l = RequestLog::default();
        std::thread::sleep(std::time::Duration::from_millis(20));
        l.record(LogEntry::new("sts", "AssumeRole", "1", "r"));
        l.clear();
        assert_eq!(l.to_json()["log"], json!([]));
        l.record(LogEntry::new("sts", "AssumeRole", "1", "r"));
        let v = l.to_json();
        assert_eq!(v["log"][0]["seq"], 1);
        assert!(v["log"][0]["at_ms"].as_u64().unwrap() >= 20);
    }
}
