use super::*;

/// Runs `f` under an HclogLayer at `level` and returns the parsed lines it wrote.
fn capture(level: Level, f: impl FnOnce()) -> Vec<serde_json::Value> {
    let layer = std::sync::Arc::new(HclogLayer::new(Vec::<u8>::new(), level));
    let subscriber = tracing_subscriber::registry().with(ArcLayer(layer.clone()));
    tracing::subscriber::with_default(subscriber, f);
    let layer = std::sync::Arc::try_unwrap(layer).ok().expect("the subscriber is dropped");
    let text = String::from_utf8(layer.into_inner()).expect("utf-8");
    text.lines().map(|l| serde_json::from_str(l).expect("each line is JSON")).collect()
}

struct ArcLayer(std::sync::Arc<HclogLayer<Vec<u8>>>);
impl<S: Subscriber> Layer<S> for ArcLayer {
    fn enabled(&self, metadata: &tracing::Metadata<'_>, ctx: Context<'_, S>) -> bool {
        self.0.enabled(metadata, ctx)
    }
    fn on_event(&self, event: &Event<'_>, ctx: Context<'_, S>) {
        self.0.on_event(event, ctx)
    }
}

#[test]
fn level_follows_tf_log_provider_then_tf_log() {
    assert_eq!(level_from_env(None, None), None);
    assert_eq!(level_from_env(None, Some("off")), None);
    assert_eq!(level_from_env(None, Some("debug")), Some(Level::DEBUG));
    assert_eq!(level_from_env(Some("warn"), Some("trace")), Some(Level::WARN));
    assert_eq!(level_from_env(Some(""), Some("info")), Some(Level::INFO));
    assert_eq!(level_from_env(None, Some("JSON")), Some(Level::TRACE));
    assert_eq!(level_from_env(None, Some("verbose")), Some(Level::TRACE));
}

#[test]
fn writes_hclog_json_with_fields() {
    let lines = capture(Level::DEBUG, || {
        tracing::debug!(operation = "Enable", accounts = 100u64, attempt = 1u64, "AWS call");
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    let line = &lines[0];
    assert_eq!(line["@level"], "debug");
    assert_eq!(line["@message"], "AWS call");
    assert_eq!(line["@module"], MODULE);
    assert_eq!(line["operation"], "Enable");
    assert_eq!(line["accounts"], 100);
    let ts = line["@timestamp"].as_str().expect("@timestamp is a string");
    assert!(ts.len() == 27 && ts.ends_with('Z') && ts.as_bytes()[10] == b'T', "hclog layout: {ts}");
}

#[test]
fn timestamp_has_six_fraction_digits() {
    let at = std::time::UNIX_EPOCH + std::time::Duration::new(1_795_903_469, 5_000);
    assert_eq!(timestamp(at), "2026-11-28T22:04:29.000005Z");
}

#[test]
fn drops_levels_above_the_maximum() {
    let lines = capture(Level::INFO, || {
        tracing::debug!("hidden");
        tracing::info!("shown");
        tracing::warn!("shown too");
    });
    let messages: Vec<_> = lines.iter().map(|l| l["@message"].as_str().expect("message")).collect();
    assert_eq!(messages, ["shown", "shown too"]);
}

#[test]
fn drops_other_crates_events() {
    let lines = capture(Level::TRACE, || {
        tracing::trace!(target: "aws_sigv4::http_request", canonical_request = "x-amz-security-token:SECRET", "signing");
        tracing::trace!(target: "inspector2fixer", "not us either");
        tracing::trace!("ours");
    });
    assert_eq!(lines.len(), 1, "{lines:?}");
    assert_eq!(lines[0]["@message"], "ours");
}
