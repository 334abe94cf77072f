//! Logs that Terraform shows. go-plugin reads the provider's stderr and files each hclog-JSON line
//! (`@level`, `@message`, `@timestamp`, `@module`, plus fields) under the provider, at the level
//! that `TF_LOG_PROVIDER` (or `TF_LOG` when that is unset) asks for. Nothing is written when
//! neither is set.
//!
//! Only this crate's own events are written. The AWS SDK's and hyper's events are dropped on
//! purpose: at debug and trace they carry signed canonical requests and response bodies, which
//! hold session tokens and credentials. Our events name operations, counts and codes, never a
//! credential or `external_id`.

use std::io::Write;
use std::sync::Mutex;

use tracing::field::{Field, Visit};
use tracing::{Event, Level, Subscriber};
use tracing_subscriber::layer::{Context, Layer};
use tracing_subscriber::prelude::*;

/// The module name Terraform shows beside each line.
const MODULE: &str = "provider.inspector2fix";
/// The target prefix of this crate's events.
const OWN_TARGET: &str = "inspector2fix";

/// The most verbose level to write, from the environment Terraform passes to the provider.
/// `None` means logging is off. Terraform treats an unknown level as TRACE, and so do we.
pub fn level_from_env(tf_log_provider: Option<&str>, tf_log: Option<&str>) -> Option<Level> {
    let value = tf_log_provider.filter(|v| !v.trim().is_empty()).or(tf_log)?.trim().to_ascii_uppercase();
    match value.as_str() {
        "" | "OFF" => None,
        "ERROR" => Some(Level::ERROR),
        "WARN" => Some(Level::WARN),
        "INFO" => Some(Level::INFO),
        "DEBUG" => Some(Level::DEBUG),
        _ => Some(Level::TRACE),
    }
}

/// Installs the stderr logger when Terraform asked for logs. Call once, before serving.
pub fn init() {
    let provider = std::env::var("TF_LOG_PROVIDER").ok();
    let all = std::env::var("TF_LOG").ok();
    if let Some(level) = level_from_env(provider.as_deref(), all.as_deref()) {
        let layer = HclogLayer::new(std::io::stderr(), level);
        // Another global subscriber (tf-provider's PLUGIN_LOG_FILE one) may win; that is fine.
        let _ = tracing::subscriber::set_global_default(tracing_subscriber::registry().with(layer));
    }
}

/// A `tracing` layer writing hclog-JSON lines of this crate's events to `writer`.
pub struct HclogLayer<W> {
    writer: Mutex<W>,
    max_level: Level,
}

impl<W: Write> HclogLayer<W> {
    pub fn new(writer: W, max_level: Level) -> Self {
        HclogLayer { writer: Mutex::new(writer), max_level }
    }

    pub fn into_inner(self) -> W {
        self.writer.into_inner().unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

fn hclog_level(level: &Level) -> &'static str {
    match *level {
        Level::ERROR => "error",
        Level::WARN => "warn",
        Level::INFO => "info",
        Level::DEBUG => "debug",
        Level::TRACE => "trace",
    }
}

fn is_own(target: &str) -> bool {
    target == OWN_TARGET || target.starts_with("inspector2fix::")
}

/// Collects an event's fields into a JSON object; `message` becomes `@message`.
struct JsonFields(serde_json::Map<String, serde_json::Value>);

impl Visit for JsonFields {
    fn record_str(&mut self, field: &Field, value: &str) {
        self.put(field, value.into());
    }
    fn record_u64(&mut self, field: &Field, value: u64) {
        self.put(field, value.into());
    }
    fn record_i64(&mut self, field: &Field, value: i64) {
        self.put(field, value.into());
    }
    fn record_bool(&mut self, field: &Field, value: bool) {
        self.put(field, value.into());
    }
    fn record_debug(&mut self, field: &Field, value: &dyn std::fmt::Debug) {
        self.put(field, format!("{value:?}").into());
    }
}

impl JsonFields {
    fn put(&mut self, field: &Field, value: serde_json::Value) {
        let key = if field.name() == "message" { "@message" } else { field.name() };
        self.0.insert(key.to_owned(), value);
    }
}

/// hclog's own layout, `2006-01-02T15:04:05.000000Z07:00`: go-plugin parses exactly six digits.
fn timestamp(at: std::time::SystemTime) -> String {
    let since_epoch = at.duration_since(std::time::UNIX_EPOCH).unwrap_or_default();
    let seconds = i64::try_from(since_epoch.as_secs()).unwrap_or(i64::MAX);
    let whole = aws_smithy_types::DateTime::from_secs(seconds)
        .fmt(aws_smithy_types::date_time::Format::DateTime)
        .unwrap_or_default();
    let micros = since_epoch.subsec_micros();
    format!("{}.{micros:06}Z", whole.trim_end_matches('Z'))
}

/// One hclog-JSON line for `event`, without the newline.
pub fn hclog_line(event: &Event<'_>) -> String {
    let mut fields = JsonFields(serde_json::Map::new());
    event.record(&mut fields);
    let mut line = serde_json::Map::new();
    line.insert("@level".into(), hclog_level(event.metadata().level()).into());
    line.insert("@message".into(), fields.0.remove("@message").unwrap_or_else(|| "".into()));
    line.insert("@module".into(), MODULE.into());
    line.insert("@timestamp".into(), timestamp(std::time::SystemTime::now()).into());
    line.extend(fields.0);
    serde_json::Value::Object(line).to_string()
}

impl<S: Subscriber, W: Write + 'static> Layer<S> for HclogLayer<W> {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, _ctx: Context<'_, S>) -> bool {
        is_own(metadata.target()) && *metadata.level() <= self.max_level
    }

    fn on_event(&self, event: &Event<'_>, _ctx: Context<'_, S>) {
        let metadata = event.metadata();
        if !is_own(metadata.target()) || *metadata.level() > self.max_level {
            return;
        }
        let line = hclog_line(event);
        if let Ok(mut writer) = self.writer.lock() {
            // A closed stderr must not fail the RPC that logged.
            let _ = writeln!(writer, "{line}");
        }
    }
}

#[cfg(test)]
mod tests;
