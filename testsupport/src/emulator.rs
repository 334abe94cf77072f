//! The project's emulator, run in-process on its own port, and strict reads of its control API.

use std::collections::BTreeMap;
use std::net::SocketAddr;

use inspector2fix_emulator::OPERATIONS;
use serde_json::Value;

use crate::http::{request, Reply};
use crate::json::{brief, field, str_field};

/// The Region of the helpers that take none, as of the emulator's control API and unsigned calls.
pub const DEFAULT_REGION: &str = "us-east-1";

/// Inspector2's Status values: what a scan type's state may read.
const STATUSES: &[&str] = &["ENABLING", "ENABLED", "DISABLING", "DISABLED", "SUSPENDING", "SUSPENDED"];

/// The project's emulator serving one test on an OS-picked port.
pub struct Emulator {
    pub addr: SocketAddr,
    _runtime: tokio::runtime::Runtime,
}

impl Emulator {
    #[track_caller]
    pub fn start() -> Self {
        let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(1).enable_all().build();
        let runtime = runtime.unwrap_or_else(|e| panic!("a Tokio runtime for the emulator: {e}"));
        let addr = runtime.block_on(async {
            let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind the emulator's port");
            let addr = listener.local_addr().expect("the emulator's address");
            let state = inspector2fix_emulator::Emulator::new(Default::default());
            tokio::spawn(async move {
                let _ = inspector2fix_emulator::serve(listener, state).await;
            });
            addr
        });
        let emu = Emulator { addr, _runtime: runtime };
        emu.control("GET", "/_emulator/health", None);
        emu
    }

    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// A control-API call whose status the caller checks: for tests of the control API's errors.
    #[track_caller]
    pub fn control_raw(&self, method: &str, path: &str, body: Option<Value>) -> Reply {
        request(self.addr, method, path, body.as_ref(), &[])
    }

    /// A control-API call that must answer 200; its JSON body.
    #[track_caller]
    pub fn control(&self, method: &str, path: &str, body: Option<Value>) -> Value {
        let reply = self.control_raw(method, path, body);
        assert_eq!(reply.status, 200, "{method} {path}: {}", reply.body);
        reply.body
    }

    #[track_caller]
    pub fn put_config(&self, config: Value) {
        self.control("PUT", "/_emulator/config", Some(config));
    }

    /// Sets `account`'s state in us-east-1 (see [`Emulator::set_account_in`]).
    #[track_caller]
    pub fn set_account(&self, account: &str, patch: Value) {
        self.set_account_in(DEFAULT_REGION, account, patch);
    }

    /// Sets `account`'s state in `region` only (`PUT /_emulator/accounts/{id}?region=`).
    #[track_caller]
    pub fn set_account_in(&self, region: &str, account: &str, patch: Value) {
        self.control("PUT", &format!("/_emulator/accounts/{account}?region={region}"), Some(patch));
    }

    #[track_caller]
    pub fn fault(&self, fault: Value) {
        self.control("POST", "/_emulator/faults", Some(fault));
    }

    #[track_caller]
    pub fn clear_faults(&self) {
        self.control("DELETE", "/_emulator/faults", None);
    }

    /// The emulator's view of `account` in us-east-1 (status, resource_state, ...).
    #[track_caller]
    pub fn account(&self, account: &str) -> Value {
        self.account_in(DEFAULT_REGION, account)
    }

    /// The emulator's view of `account` in `region`.
    #[track_caller]
    pub fn account_in(&self, region: &str, account: &str) -> Value {
        let view = self.control("GET", &format!("/_emulator/accounts/{account}?region={region}"), None);
        assert_eq!(str_field(&view, "account_id"), account, "the emulator answered for another account");
        view
    }

    /// The status of `scan_type` ("ECR", "EC2", ...) in `account` in us-east-1: failing when the
    /// emulator does not report that scan type or reports something that is not an Inspector status.
    #[track_caller]
    pub fn resource_state(&self, account: &str, scan_type: &str) -> String {
        self.resource_state_in(DEFAULT_REGION, account, scan_type)
    }

    /// [`Emulator::resource_state`] in `region`.
    #[track_caller]
    pub fn resource_state_in(&self, region: &str, account: &str, scan_type: &str) -> String {
        resource_status(&self.account_in(region, account), scan_type)
    }

    /// How many accounts the emulator holds with ECR scanning ENABLED in us-east-1.
    #[track_caller]
    pub fn ecr_enabled_count(&self) -> usize {
        self.ecr_enabled_count_in(DEFAULT_REGION)
    }

    /// How many accounts the emulator holds with ECR scanning ENABLED in `region`.
    #[track_caller]
    pub fn ecr_enabled_count_in(&self, region: &str) -> usize {
        let all = self.control("GET", &format!("/_emulator/accounts?region={region}"), None);
        let list =
            field(&all, "accounts").as_array().unwrap_or_else(|| panic!("accounts is not a list: {}", brief(&all)));
        list.iter().filter(|a| resource_status(a, "ECR") == "ENABLED").count()
    }

    /// The request log and counters since the last [`Emulator::clear_log`].
    #[track_caller]
    pub fn requests(&self) -> Requests {
        let v = self.control("GET", "/_emulator/requests", None);
        Requests::parse(&v).unwrap_or_else(|e| panic!("unreadable request log: {e}"))
    }

    /// Calls of `operation` since the last reset of the request log.
    #[track_caller]
    pub fn count(&self, operation: &str) -> u64 {
        self.requests().count(operation)
    }

    /// Calls of `operation` made in `region` (their SigV4 credential scope) since the last reset
    /// of the request log.
    #[track_caller]
    pub fn count_in(&self, region: &str, operation: &str) -> u64 {
        self.requests().count_in(region, operation)
    }

    /// The log entries of `operation` since the last reset, oldest first.
    #[track_caller]
    pub fn calls(&self, operation: &str) -> Vec<Value> {
        self.requests().calls(operation).into_iter().cloned().collect()
    }

    /// No call of `operation` since the log was cleared, in a log that did record this step's
    /// calls: an empty log proves nothing, so it fails.
    #[track_caller]
    pub fn assert_no_call(&self, operation: &str, why: &str) {
        let requests = self.requests();
        assert!(!requests.log().is_empty(), "the request log recorded no call at all, so it proves nothing");
        assert_eq!(requests.count(operation), 0, "{why}");
    }

    /// How many AWS calls of any operation were made since the last reset.
    #[track_caller]
    pub fn aws_calls(&self) -> usize {
        self.requests().log().len()
    }

    /// Adds findings to `account`'s Security Hub; the emulator must take every one.
    #[track_caller]
    pub fn seed_findings(&self, account: &str, findings: Value) {
        let expected = findings.as_array().map(Vec::len).expect("findings to seed are a list");
        let body = serde_json::json!({"account_id": account, "findings": findings});
        let added = self.control("POST", "/_emulator/securityhub/findings", Some(body));
        assert_eq!(field(&added, "added"), &serde_json::json!(expected), "{added}");
    }

    /// Every finding in `account`'s Security Hub in us-east-1, as the emulator stores it, by Id.
    #[track_caller]
    pub fn stored_findings(&self, account: &str) -> BTreeMap<String, Value> {
        self.stored_findings_in(DEFAULT_REGION, account)
    }

    /// Every finding in `account`'s Security Hub in `region` (its own store, not what an
    /// aggregation Region gathers), by Id.
    #[track_caller]
    pub fn stored_findings_in(&self, region: &str, account: &str) -> BTreeMap<String, Value> {
        let path = format!("/_emulator/securityhub/findings?account_id={account}&region={region}");
        let v = self.control("GET", &path, None);
        let list = field(&v, "findings").as_array().unwrap_or_else(|| panic!("findings is not a list: {v}"));
        list.iter().map(|f| (str_field(f, "Id").to_owned(), f.clone())).collect()
    }

    /// `region`'s organization: `{region, delegated_admin, auto_enable, max_account_limit_reached,
    /// members: [{account_id, relationship_status, updated_at_ms, associating}]}`.
    #[track_caller]
    pub fn organization_in(&self, region: &str) -> Value {
        let v = self.control("GET", &format!("/_emulator/organization?region={region}"), None);
        assert_eq!(str_field(&v, "region"), region, "the emulator answered for another Region");
        v
    }

    /// Changes `region`'s organization (any of `delegated_admin`, `auto_enable: {FLAG: bool}`,
    /// `max_account_limit_reached`); the organization as it is then.
    #[track_caller]
    pub fn set_organization_in(&self, region: &str, patch: Value) -> Value {
        self.control("PUT", &format!("/_emulator/organization?region={region}"), Some(patch))
    }

    /// New accounts join `region`'s organization (`{"account_id"}` or `{"count", "first_account_id"}`,
    /// optionally `relationship_status` and `ecr`); the ids that joined, which must be as many as asked.
    #[track_caller]
    pub fn join_in(&self, region: &str, body: Value) -> Vec<String> {
        let expected = body.get("count").and_then(Value::as_u64).unwrap_or(1);
        let v = self.control("POST", &format!("/_emulator/organization/accounts?region={region}"), Some(body));
        let ids = field(&v, "account_ids").as_array().unwrap_or_else(|| panic!("account_ids is not a list: {v}"));
        let ids: Vec<String> = ids.iter().map(|id| id.as_str().expect("an account id string").to_owned()).collect();
        assert_eq!(ids.len() as u64, expected, "{}", brief(&v));
        ids
    }

    /// Sets the relationship status of `account` in `region`'s organization.
    #[track_caller]
    pub fn set_member_in(&self, region: &str, account: &str, status: &str) {
        let path = format!("/_emulator/organization/members/{account}?region={region}");
        let v = self.control("PUT", &path, Some(serde_json::json!({ "relationship_status": status })));
        assert_eq!(str_field(&v, "relationship_status"), status);
    }

    /// The relationship status of `account` in `region`'s organization; fails when it is not in it.
    #[track_caller]
    pub fn relationship_in(&self, region: &str, account: &str) -> String {
        let org = self.organization_in(region);
        let members = field(&org, "members").as_array().unwrap_or_else(|| panic!("members is not a list: {org}"));
        let member = members.iter().find(|m| m.get("account_id").and_then(Value::as_str) == Some(account));
        let member = member.unwrap_or_else(|| panic!("{account} is not in the organization in {region}"));
        str_field(member, "relationship_status").to_owned()
    }

    /// Builds the AWS Organizations organization anew (`PUT /_emulator/organizations`):
    /// `{"management_account", "policy_admin"?, "enabled_policy_types"?, "ous"?: [{"name",
    /// "parent"?}], "accounts"?: {id: parent}}`; the organization as it is then.
    #[track_caller]
    pub fn put_organizations(&self, tree: Value) -> Value {
        let v = self.control("PUT", "/_emulator/organizations", Some(tree));
        str_field(&v, "root_id");
        v
    }

    /// The AWS Organizations organization: `{id, management_account, policy_admin, root_id,
    /// enabled_policy_types, ous: [{id, name, parent_id}], accounts: [{account_id, parent_id}],
    /// policies: [{id, name, type, targets}]}`; fails when there is none.
    #[track_caller]
    pub fn organizations(&self) -> Value {
        self.control("GET", "/_emulator/organizations", None)
    }

    /// The id of the organization's root (`r-...`).
    #[track_caller]
    pub fn root_id(&self) -> String {
        str_field(&self.organizations(), "root_id").to_owned()
    }

    /// The id of the OU named `name`; fails when there is no such OU.
    #[track_caller]
    pub fn ou_id(&self, name: &str) -> String {
        let org = self.organizations();
        let ous = field(&org, "ous").as_array().unwrap_or_else(|| panic!("ous is not a list: {}", brief(&org)));
        let ou = ous.iter().find(|o| o.get("name").and_then(Value::as_str) == Some(name));
        str_field(ou.unwrap_or_else(|| panic!("no OU named {name:?}: {}", brief(&org))), "id").to_owned()
    }

    /// Puts `account` in `parent` ("Root", an OU name or id): it joins the organization or moves.
    #[track_caller]
    pub fn place_account(&self, account: &str, parent: &str) {
        let body = serde_json::json!({"account_id": account, "parent": parent});
        let v = self.control("POST", "/_emulator/organizations/accounts", Some(body));
        assert_eq!(field(&v, "placed"), &serde_json::json!(1), "{}", brief(&v));
    }

    /// The Organizations policies of the organization (`[{id, name, type, targets}]`).
    #[track_caller]
    pub fn org_policies(&self) -> Vec<Value> {
        let org = self.organizations();
        field(&org, "policies").as_array().unwrap_or_else(|| panic!("policies is not a list: {}", brief(&org))).clone()
    }

    /// Sets Inspector.2 ENABLED or DISABLED (with `reason`) for `account` in `region`, in every
    /// standard it has enabled, as a central configuration policy would; whether the control is
    /// now off for the account (disabled in every enabled standard).
    #[track_caller]
    pub fn set_inspector2_association_in(
        &self,
        region: &str,
        account: &str,
        enabled: bool,
        reason: Option<&str>,
    ) -> bool {
        let status = if enabled { "ENABLED" } else { "DISABLED" };
        let body = serde_json::json!({"status": status, "reason": reason});
        let path = format!("/_emulator/securityhub/associations/{account}?region={region}");
        let v = self.control("PUT", &path, Some(body));
        field(&v, "control_disabled")
            .as_bool()
            .unwrap_or_else(|| panic!("control_disabled is not a bool: {}", brief(&v)))
    }

    /// The security standards `account` has enabled in `region` (full names such as
    /// `aws-foundational-security-best-practices/v/1.0.0`).
    #[track_caller]
    pub fn set_standards_in(&self, region: &str, account: &str, standards: &[&str]) {
        let path = format!("/_emulator/securityhub/standards/{account}?region={region}");
        self.control("PUT", &path, Some(serde_json::json!({ "standards": standards })));
    }

    /// Security Hub's organization configuration type in `region` (`CENTRAL` or `LOCAL`).
    #[track_caller]
    pub fn set_securityhub_configuration_in(&self, region: &str, configuration_type: &str) {
        let path = format!("/_emulator/securityhub/organization?region={region}");
        let v = self.control("PUT", &path, Some(serde_json::json!({ "configuration_type": configuration_type })));
        assert_eq!(str_field(&v, "configuration_type"), configuration_type);
    }

    #[track_caller]
    pub fn clear_log(&self) {
        self.control("DELETE", "/_emulator/requests", None);
    }
}

#[track_caller]
fn resource_status(view: &Value, scan_type: &str) -> String {
    let states = field(view, "resource_state");
    let known: Vec<&String> = states.as_object().map(|m| m.keys().collect()).unwrap_or_default();
    let status = states.get(scan_type).unwrap_or_else(|| panic!("no scan type {scan_type:?}; known: {known:?}"));
    match status.as_str() {
        Some(s) if STATUSES.contains(&s) => s.to_owned(),
        _ => panic!("{scan_type} reads {status}, which is not an Inspector status"),
    }
}

/// `GET /_emulator/requests`, read strictly: the counts map, the log and the dropped counter
/// must all be there, every entry must name its operation, and the counts must agree with the log.
#[derive(Clone, Debug)]
pub struct Requests {
    counts: BTreeMap<String, u64>,
    log: Vec<Value>,
    dropped: u64,
}

impl Requests {
    pub fn parse(v: &Value) -> Result<Requests, String> {
        let obj = v.as_object().ok_or_else(|| format!("not an object: {}", brief(v)))?;
        let counts = obj.get("counts").and_then(Value::as_object).ok_or("no counts object")?;
        let counts = counts
            .iter()
            .map(|(op, n)| n.as_u64().map(|n| (op.clone(), n)).ok_or_else(|| format!("count of {op} is {n}")))
            .collect::<Result<BTreeMap<_, _>, _>>()?;
        let log = obj.get("log").and_then(Value::as_array).ok_or("no log array")?.clone();
        let dropped = obj.get("dropped").and_then(Value::as_u64).ok_or("no dropped counter")?;
        let requests = Requests { counts, log, dropped };
        requests.check_entries()?;
        Ok(requests)
    }

    fn check_entries(&self) -> Result<(), String> {
        let mut seen: BTreeMap<&str, u64> = BTreeMap::new();
        for e in &self.log {
            for key in ["seq", "http_status", "at_ms"] {
                e.get(key).and_then(Value::as_u64).ok_or_else(|| format!("log entry without {key}: {}", brief(e)))?;
            }
            e.get("service")
                .and_then(Value::as_str)
                .ok_or_else(|| format!("log entry without service: {}", brief(e)))?;
            let op = e.get("operation").and_then(Value::as_str);
            *seen.entry(op.ok_or_else(|| format!("log entry without operation: {}", brief(e)))?).or_default() += 1;
        }
        if self.dropped > 0 {
            return Ok(());
        }
        // A complete log must hold exactly as many calls of each operation as its counter says.
        let nonzero = self.counts.iter().filter(|(_, n)| **n > 0).map(|(op, n)| (op.as_str(), *n));
        let counted: BTreeMap<&str, u64> = nonzero.collect();
        if counted != seen {
            return Err(format!("counts {counted:?} disagree with the log {seen:?}"));
        }
        Ok(())
    }

    /// Calls of `operation`. An operation the emulator does not serve (a misspelling) fails; one
    /// with no counter is 0 only because the complete log holds none of it.
    #[track_caller]
    pub fn count(&self, operation: &str) -> u64 {
        known_operation(operation);
        match self.counts.get(operation) {
            Some(n) => *n,
            None if self.dropped == 0 => 0,
            None => panic!("no count of {operation} and {} log entries were dropped", self.dropped),
        }
    }

    /// Calls of `operation` in `region`, counted in the log, which must be complete (no entry
    /// dropped) and name every call's Region.
    #[track_caller]
    pub fn count_in(&self, region: &str, operation: &str) -> u64 {
        assert_eq!(self.dropped, 0, "{} log entries were dropped, so calls per Region cannot be counted", self.dropped);
        let in_region = |e: &&Value| {
            let named = e.get("region").and_then(Value::as_str);
            named.unwrap_or_else(|| panic!("log entry without region: {}", brief(e))) == region
        };
        self.calls(operation).into_iter().filter(in_region).count() as u64
    }

    /// Calls of `operation` to `service` (`inspector2`, `securityhub`, `organizations`, ...): for
    /// a name two services share (DescribeOrganizationConfiguration). The log must be complete.
    #[track_caller]
    pub fn count_of(&self, service: &str, operation: &str) -> u64 {
        assert_eq!(
            self.dropped, 0,
            "{} log entries were dropped, so calls per service cannot be counted",
            self.dropped
        );
        let of_service = |e: &&Value| e.get("service").and_then(Value::as_str) == Some(service);
        self.calls(operation).into_iter().filter(of_service).count() as u64
    }

    /// The log entries of `operation`, oldest first.
    #[track_caller]
    pub fn calls(&self, operation: &str) -> Vec<&Value> {
        known_operation(operation);
        self.log.iter().filter(|e| e["operation"] == operation).collect()
    }

    pub fn log(&self) -> &[Value] {
        &self.log
    }

    /// Calls per operation, for the operations that were called.
    pub fn nonzero_counts(&self) -> BTreeMap<String, u64> {
        self.counts.iter().filter(|(_, n)| **n > 0).map(|(op, n)| (op.clone(), *n)).collect()
    }
}

#[track_caller]
fn known_operation(operation: &str) {
    assert!(OPERATIONS.contains(&operation), "unknown operation {operation:?}; the emulator serves {OPERATIONS:?}");
}

#[cfg(test)]
mod tests;
