use std::time::Duration;

use tf_provider::value::Value;
use tf_provider::Diagnostics;

use async_trait::async_trait;

use super::*;

fn ids(items: &[&str]) -> StringSet {
    Value::Value(items.iter().map(|s| Value::Value(s.to_string())).collect())
}

fn errors(config: Config) -> Vec<String> {
    let mut diags = Diagnostics::default();
    check(&mut diags, &config);
    diags.errors.iter().map(|e| format!("{}: {}", e.summary, e.detail)).collect()
}

#[test]
fn a_good_config_passes_and_each_bad_value_names_its_attribute() {
    let good = Config {
        account_ids: ids(&["111111111111", "222222222222"]),
        region: Value::Value("eu-west-1".into()),
        associate_members: Value::Value(true),
        timeout: Value::Value("45m".into()),
    };
    assert_eq!(errors(good), Vec::<String>::new());
    assert_eq!(errors(Config::default()), vec!["Missing account_ids: account_ids: name at least one account."]);
    let found = errors(Config { account_ids: ids(&["12345"]), ..Default::default() });
    assert!(found[0].starts_with("Invalid account_ids: account_ids:"), "{found:?}");
    let found = errors(Config { account_ids: ids(&["111111111111", "111111111111"]), ..Default::default() });
    assert!(found[0].starts_with("Duplicate account_ids"), "{found:?}");
    let found = errors(Config {
        account_ids: ids(&["111111111111"]),
        timeout: Value::Value("soon".into()),
        ..Default::default()
    });
    assert!(found[0].starts_with("Invalid timeout: timeout:"), "{found:?}");
    let found = errors(Config {
        account_ids: ids(&["111111111111"]),
        region: Value::Value("Ireland".into()),
        ..Default::default()
    });
    assert!(found[0].starts_with("Invalid region"), "{found:?}");
}

#[test]
fn unknown_values_wait_for_the_invocation_and_the_timeout_defaults_to_30m() {
    let unknown =
        Config { account_ids: Value::Unknown, region: Value::Unknown, timeout: Value::Unknown, ..Default::default() };
    assert_eq!(errors(unknown.clone()), Vec::<String>::new());
    assert_eq!(timeout_of(&unknown), Duration::from_secs(30 * 60));
    let set = Config { timeout: Value::Value("1h30m".into()), ..Default::default() };
    assert_eq!(timeout_of(&set), Duration::from_secs(90 * 60));
}

#[derive(Default)]
struct Lines(Vec<String>);

#[async_trait]
impl Progress for Lines {
    async fn line(&mut self, line: String) {
        self.0.push(line);
    }
}

#[tokio::test(start_paused = true)]
async fn progress_comes_every_five_seconds_while_the_work_waits_and_stops_with_it() {
    let started = tokio::time::Instant::now();
    let mut lines = Lines::default();
    let work = async {
        tokio::time::sleep(Duration::from_secs(31)).await;
        "done"
    };
    let out = report_while(work, &mut lines, || format!("at {} s", started.elapsed().as_secs()), || false).await;
    assert_eq!(out, "done");
    assert_eq!(lines.0, vec!["at 5 s", "at 10 s", "at 15 s", "at 20 s", "at 25 s", "at 30 s"]);
}

#[tokio::test(start_paused = true)]
async fn work_that_ends_at_once_sends_no_progress() {
    let mut lines = Lines::default();
    assert_eq!(report_while(async { 7 }, &mut lines, || "never".to_string(), || false).await, 7);
    assert!(lines.0.is_empty());
}

#[tokio::test(start_paused = true)]
async fn once_stopped_no_progress_is_sent() {
    let started = tokio::time::Instant::now();
    let mut lines = Lines::default();
    let work = tokio::time::sleep(Duration::from_secs(21));
    let stopped = || started.elapsed() >= Duration::from_secs(12);
    report_while(work, &mut lines, || format!("at {} s", started.elapsed().as_secs()), stopped).await;
    assert_eq!(lines.0, vec!["at 5 s", "at 10 s"]);
}
