use super::outcome;

#[test]
fn outcome_names_each_class() {
    assert_eq!(outcome(Some(200), false), "ok");
    assert_eq!(outcome(Some(429), false), "throttled");
    assert_eq!(outcome(Some(403), false), "client error");
    assert_eq!(outcome(Some(503), false), "server error");
    assert_eq!(outcome(None, true), "no response");
    assert_eq!(outcome(None, false), "not sent");
}
