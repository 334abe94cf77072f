//! The world model: per-account Inspector2 scan state, organization, configuration, and
//! everything else the emulator remembers between requests. All of it sits behind one mutex
//! (see [`crate::Emulator`]); nothing here is async.

use std::collections::{BTreeMap, HashMap, VecDeque};
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

use crate::config::{AccountPatch, Config, Initial};
use crate::errors::ApiError;
use crate::faults::{FaultErrors, Faults};
use crate::findings::Hub;
use crate::requests::{LogEntry, RequestLog};
use crate::util::{unix_now_ms, IdGen};

/// How many Enable responses are remembered for clientToken replay (oldest forgotten first).
pub const MAX_IDEMPOTENCY_TOKENS: usize = 10_000;

/// Inspector2 ResourceScanType.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum ResourceType {
    Ec2,
    Ecr,
    Lambda,
    LambdaCode,
    CodeRepository,
}

impl ResourceType {
    pub const ALL: [ResourceType; 5] = [
        ResourceType::Ec2,
        ResourceType::Ecr,
        ResourceType::Lambda,
        ResourceType::LambdaCode,
        ResourceType::CodeRepository,
    ];

    /// Enum value on the wire (`resourceTypes`) and key in the control API.
    pub fn wire_name(self) -> &'static str {
        match self {
            ResourceType::Ec2 => "EC2",
            ResourceType::Ecr => "ECR",
            ResourceType::Lambda => "LAMBDA",
            ResourceType::LambdaCode => "LAMBDA_CODE",
            ResourceType::CodeRepository => "CODE_REPOSITORY",
        }
    }

    /// Member name in `resourceStatus` / `resourceState`.
    pub fn json_key(self) -> &'static str {
        match self {
            ResourceType::Ec2 => "ec2",
            ResourceType::Ecr => "ecr",
            ResourceType::Lambda => "lambda",
            ResourceType::LambdaCode => "lambdaCode",
            ResourceType::CodeRepository => "codeRepository",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        ResourceType::ALL.into_iter().find(|t| t.wire_name() == s)
    }

    fn index(self) -> usize {
        self as usize
    }
}

/// Inspector2 Status.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Status {
    Disabled,
    Enabling,
    Enabled,
    Disabling,
    Suspended,
}

impl Status {
    pub fn as_str(self) -> &'static str {
        match self {
            Status::Disabled => "DISABLED",
            Status::Enabling => "ENABLING",
            Status::Enabled => "ENABLED",
            Status::Disabling => "DISABLING",
            Status::Suspended => "SUSPENDED",
        }
    }

    /// A status a single resource type can be put in (everything but SUSPENDED).
    pub fn parse_resource(s: &str) -> Option<Self> {
        match s {
            "DISABLED" => Some(Status::Disabled),
            "ENABLING" => Some(Status::Enabling),
            "ENABLED" => Some(Status::Enabled),
            "DISABLING" => Some(Status::Disabling),
            _ => None,
        }
    }

    fn is_transitional(self) -> bool {
        matches!(self, Status::Enabling | Status::Disabling)
    }
}

/// An in-flight ENABLING / DISABLING transition.
#[derive(Clone, Copy, Debug, PartialEq)]
struct Pending {
    since: Instant,
    polls: u32,
}

#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Slot {
    pub status: Status,
    pending: Option<Pending>,
}

impl Slot {
    const DISABLED: Slot = Slot { status: Status::Disabled, pending: None };

    fn set(&mut self, status: Status, now: Instant) {
        self.status = status;
        self.pending = status.is_transitional().then_some(Pending { since: now, polls: 0 });
    }
}

/// When pending transitions settle.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Settle {
    /// Number of BatchGetAccountStatus reads (including the current one) needed.
    pub polls: u32,
    /// Minimum time since the Enable/Disable.
    pub ms: u64,
}

/// Inspector2 state of one account.
#[derive(Clone, Debug, PartialEq)]
pub struct Account {
    slots: [Slot; 5],
    pub suspended: bool,
    /// While set, pending transitions never settle.
    pub stuck: bool,
    /// Security Hub on/off; None = the config's `securityhub_default_enabled`.
    pub securityhub_enabled: Option<bool>,
}

/// An account nobody has touched: everything DISABLED (what real AWS reports).
pub const UNTOUCHED: Account =
    Account { slots: [Slot::DISABLED; 5], suspended: false, stuck: false, securityhub_enabled: None };

impl Default for Account {
    fn default() -> Self {
        UNTOUCHED
    }
}

impl Account {
    pub fn resource(&self, t: ResourceType) -> Status {
        self.slots[t.index()].status
    }

    /// Account-level status derived from the resource states.
    pub fn status(&self, account_status_leads: bool) -> Status {
        let any = |s: Status| self.slots.iter().any(|slot| slot.status == s);
        if self.suspended {
            Status::Suspended
        } else if any(Status::Enabled) || (account_status_leads && any(Status::Enabling)) {
            Status::Enabled
        } else if any(Status::Enabling) {
            Status::Enabling
        } else if any(Status::Disabling) {
            Status::Disabling
        } else {
            Status::Disabled
        }
    }

    /// Enable one type. Already ENABLED (or already ENABLING) is left alone, as on real AWS.
    pub fn enable(&mut self, t: ResourceType, now: Instant) {
        let slot = &mut self.slots[t.index()];
        if !matches!(slot.status, Status::Enabled | Status::Enabling) {
            slot.set(Status::Enabling, now);
        }
    }

    /// Disable one type. Already DISABLED (or DISABLING) is left alone.
    ///
    /// Note: on real AWS, disabling every type turns Inspector off in the account (deleting its
    /// findings and suppression rules); here the account simply reads all DISABLED.
    pub fn disable(&mut self, t: ResourceType, now: Instant) {
        let slot = &mut self.slots[t.index()];
        if !matches!(slot.status, Status::Disabled | Status::Disabling) {
            slot.set(Status::Disabling, now);
        }
    }

    /// Put a type straight into a status (control API). A transitional status starts a fresh
    /// pending transition that settles like one started by Enable/Disable.
    pub fn set_resource(&mut self, t: ResourceType, status: Status, now: Instant) {
        self.slots[t.index()].set(status, now);
    }

    /// One status read: count the poll on every pending transition and settle those that are due.
    pub fn poll(&mut self, now: Instant, settle: Settle) {
        let stuck = self.stuck;
        for slot in self.slots.iter_mut() {
            let Some(p) = slot.pending.as_mut() else {
                continue;
            };
            p.polls = p.polls.saturating_add(1);
            let due =
                p.polls >= settle.polls && now.saturating_duration_since(p.since) >= Duration::from_millis(settle.ms);
            if due && !stuck {
                slot.status = match slot.status {
                    Status::Enabling => Status::Enabled,
                    _ => Status::Disabled,
                };
                slot.pending = None;
            }
        }
    }

    /// `resourceStatus` (Enable/Disable/failedAccounts): `{ec2: "ENABLED", ...}`, all five keys.
    pub fn resource_status_json(&self) -> Value {
        let mut m = Map::new();
        for t in ResourceType::ALL {
            m.insert(t.json_key().into(), json!(self.resource(t).as_str()));
        }
        Value::Object(m)
    }

    /// Is Security Hub enabled in this account?
    pub fn securityhub_on(&self, default_enabled: bool) -> bool {
        self.securityhub_enabled.unwrap_or(default_enabled)
    }

    /// Control-API view. `cfg` supplies `account_status_leads` and the Security Hub default.
    pub fn view_json(&self, id: &str, cfg: &Config) -> Value {
        let mut rs = Map::new();
        for t in ResourceType::ALL {
            rs.insert(t.wire_name().into(), json!(self.resource(t).as_str()));
        }
        json!({
            "account_id": id,
            "status": self.status(cfg.account_status_leads).as_str(),
            "suspended": self.suspended,
            "stuck": self.stuck,
            "resource_state": rs,
            "securityhub_enabled": self.securityhub_on(cfg.securityhub_default_enabled),
        })
    }

    pub fn apply_patch(&mut self, patch: &AccountPatch, now: Instant) {
        if let Some(s) = patch.suspended {
            self.suspended = s;
        }
        if let Some(s) = patch.stuck {
            self.stuck = s;
        }
        if let Some(s) = patch.securityhub_enabled {
            self.securityhub_enabled = Some(s);
        }
        for &(t, status) in &patch.resource_state {
            self.set_resource(t, status, now);
        }
    }
}

/// Credentials handed out by STS AssumeRole.
#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub account: String,
    pub role_name: String,
    pub session_name: String,
    pub role_id: String,
}

/// Who is calling, resolved from the access key id.
#[derive(Clone, Debug, PartialEq)]
pub struct Caller {
    pub account: String,
    pub session: Option<Session>,
}

pub struct World {
    initial: Initial,
    pub config: Config,
    /// Accounts that were ever changed (Enable/Disable/control API), sorted by id.
    pub accounts: BTreeMap<String, Account>,
    pub faults: Faults,
    pub requests: RequestLog,
    /// (caller account, clientToken) -> stored Enable response body.
    idempotency: HashMap<(String, String), Vec<u8>>,
    /// Insertion order of `idempotency` keys, for FIFO eviction.
    idempotency_order: VecDeque<(String, String)>,
    /// Access keys issued by AssumeRole.
    pub sessions: HashMap<String, Session>,
    pub ids: IdGen,
    /// Security Hub: controls and findings.
    pub securityhub: Hub,
    /// When the emulator started (wall clock, ms since the Unix epoch).
    pub started_unix_ms: u64,
}

impl World {
    pub fn new(initial: Initial) -> Self {
        let mut w = World {
            config: initial.config.clone(),
            initial,
            accounts: BTreeMap::new(),
            faults: Faults::default(),
            requests: RequestLog::default(),
            idempotency: HashMap::new(),
            idempotency_order: VecDeque::new(),
            sessions: HashMap::new(),
            ids: IdGen::new(),
            securityhub: Hub::default(),
            started_unix_ms: unix_now_ms(),
        };
        w.apply_initial_accounts();
        w
    }

    /// Back to the initial configuration; forget accounts, faults, the request log, sessions,
    /// Security Hub findings and seeded controls.
    pub fn reset(&mut self) {
        self.config = self.initial.config.clone();
        self.accounts.clear();
        self.faults = Faults::default();
        self.requests.clear();
        self.idempotency.clear();
        self.idempotency_order.clear();
        self.sessions.clear();
        self.securityhub = Hub::default();
        self.apply_initial_accounts();
    }

    fn apply_initial_accounts(&mut self) {
        let now = Instant::now();
        for (id, patch) in &self.initial.accounts {
            self.accounts.entry(id.clone()).or_default().apply_patch(patch, now);
        }
    }

    /// Apply a control-API account patch; returns the account view.
    pub fn patch_account(&mut self, id: &str, patch: &AccountPatch) -> Value {
        self.account_mut(id).apply_patch(patch, Instant::now());
        self.account(id).view_json(id, &self.config)
    }

    /// Is Security Hub enabled in `account`?
    pub fn securityhub_on(&self, account: &str) -> bool {
        self.account(account).securityhub_on(self.config.securityhub_default_enabled)
    }

    /// The stored response for an earlier call with this clientToken by this caller.
    pub fn idempotent_response(&self, caller: &str, token: &str) -> Option<&[u8]> {
        self.idempotency.get(&(caller.to_string(), token.to_string())).map(Vec::as_slice)
    }

    pub fn remember_response(&mut self, caller: &str, token: &str, body: Vec<u8>) {
        let key = (caller.to_string(), token.to_string());
        if self.idempotency.insert(key.clone(), body).is_none() {
            self.idempotency_order.push_back(key);
        }
        while self.idempotency_order.len() > MAX_IDEMPOTENCY_TOKENS {
            if let Some(old) = self.idempotency_order.pop_front() {
                self.idempotency.remove(&old);
            }
        }
    }

    /// The error of an armed request-level fault on `op`, if any (consumed and marked in `entry`).
    pub(crate) fn injected_fault(&mut self, op: &str, errors: &FaultErrors, entry: &mut LogEntry) -> Option<ApiError> {
        let fault = self.faults.take_request_fault(op)?;
        entry.fields.insert("fault".into(), json!(true));
        Some(errors.error(fault, self.config.retry_after_seconds))
    }

    pub fn settle(&self) -> Settle {
        Settle { polls: self.config.settle_polls, ms: self.config.settle_ms }
    }

    pub fn account(&self, id: &str) -> &Account {
        self.accounts.get(id).unwrap_or(&UNTOUCHED)
    }

    pub fn account_mut(&mut self, id: &str) -> &mut Account {
        if !self.accounts.contains_key(id) {
            self.accounts.insert(id.to_string(), UNTOUCHED);
        }
        self.accounts.get_mut(id).expect("just inserted")
    }

    /// Resolve an access key id: AssumeRole session keys, then the configured map, then the
    /// default account.
    pub fn caller_for_key(&self, access_key: Option<&str>) -> Caller {
        if let Some(k) = access_key {
            if let Some(s) = self.sessions.get(k) {
                return Caller { account: s.account.clone(), session: Some(s.clone()) };
            }
            if let Some(a) = self.config.credentials.get(k) {
                return Caller { account: a.clone(), session: None };
            }
        }
        Caller { account: self.config.default_account.clone(), session: None }
    }

    /// May `caller` act on Inspector2 in `target`? `mutating` is true for Enable/Disable.
    /// Err carries the errorMessage for an ACCESS_DENIED failedAccounts entry.
    pub fn authorize(&self, caller: &str, target: &str, mutating: bool) -> Result<(), String> {
        let admin = self.config.delegated_admin.as_deref();
        let is_admin = admin == Some(caller);
        let caller_is_member = !is_admin && self.config.members.contains(caller);
        if target == caller {
            if !caller_is_member || !mutating {
                return Ok(());
            }
            return Err(match admin {
                Some(a) => {
                    format!("Account {caller} is a member account; only the delegated administrator {a} can change it")
                }
                None => format!("Account {caller} is a member account; only the delegated administrator can change it"),
            });
        }
        if is_admin && self.config.members.contains(target) {
            return Ok(());
        }
        Err(format!("Account {caller} is not authorized to access Amazon Inspector in account {target}"))
    }
}

#[cfg(test)]
impl World {
    /// A world whose organization is the delegated administrator `admin` and `members`.
    pub(crate) fn with_org(admin: &str, members: impl IntoIterator<Item = String>) -> World {
        let mut init = Initial::default();
        init.config.delegated_admin = Some(admin.into());
        init.config.members = members.into_iter().collect();
        World::new(init)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::Initial;

    fn s(polls: u32, ms: u64) -> Settle {
        Settle { polls, ms }
    }

    #[test]
    fn untouched_reads_disabled() {
        let w = World::new(Initial::default());
        let a = w.account("999999999999");
        for t in ResourceType::ALL {
            assert_eq!(a.resource(t), Status::Disabled);
        }
        assert_eq!(a.status(false), Status::Disabled);
        assert!(w.accounts.is_empty());
    }

    #[test]
    fn enable_settles_after_polls() {
        let now = Instant::now();
        let mut a = Account::default();
        a.enable(ResourceType::Ecr, now);
        assert_eq!(a.resource(ResourceType::Ecr), Status::Enabling);
        assert_eq!(a.status(false), Status::Enabling);
        a.poll(now, s(2, 0));
        assert_eq!(a.resource(ResourceType::Ecr), Status::Enabling);
        a.poll(now, s(2, 0));
        assert_eq!(a.resource(ResourceType::Ecr), Status::Enabled);
        assert_eq!(a.status(false), Status::Enabled);
        // Further polls change nothing.
        a.poll(now, s(2, 0));
        assert_eq!(a.resource(ResourceType::Ecr), Status::Enabled);
    }

    #[test]
    fn settle_polls_one_means_first_read_is_enabled() {
        let now = Instant::now();
        let mut a = Account::default();
        a.enable(ResourceType::Ec2, now);
        a.poll(now, s(1, 0));
        assert_eq!(a.resource(ResourceType::Ec2), Status::Enabled);
    }

    #[test]
    fn settle_needs_time_too() {
        let t0 = Instant::now();
        let mut a = Account::default();
        a.enable(ResourceType::Ec2, t0);
        a.poll(t0 + Duration::from_millis(50), s(0, 100));
        assert_eq!(a.resource(ResourceType::Ec2), Status::Enabling);
        a.poll(t0 + Duration::from_millis(100), s(0, 100));
        assert_eq!(a.resource(ResourceType::Ec2), Status::Enabled);
        // Both conditions: enough polls but not enough time, then time but polls counted.
        let mut b = Account::default();
        b.enable(ResourceType::Ec2, t0);
        b.poll(t0, s(1, 10));
        assert_eq!(b.resource(ResourceType::Ec2), Status::Enabling);
        b.poll(t0 + Duration::from_millis(10), s(1, 10));
        assert_eq!(b.resource(ResourceType::Ec2), Status::Enabled);
    }

    #[test]
    fn stuck_never_settles_until_cleared() {
        let now = Instant::now();
        let mut a = Account { stuck: true, ..Account::default() };
        a.enable(ResourceType::Ecr, now);
        for _ in 0..5 {
            a.poll(now, s(1, 0));
        }
        assert_eq!(a.resource(ResourceType::Ecr), Status::Enabling);
        a.stuck = false;
        a.poll(now, s(1, 0));
        assert_eq!(a.resource(ResourceType::Ecr), Status::Enabled);
    }

    #[test]
    fn disable_and_idempotent_transitions() {
        let now = Instant::now();
        let mut a = Account::default();
        a.disable(ResourceType::Ec2, now); // already disabled: no-op
        assert_eq!(a.resource(ResourceType::Ec2), Status::Disabled);
        a.set_resource(ResourceType::Ec2, Status::Enabled, now);
        a.enable(ResourceType::Ec2, now); // already enabled: stays
        assert_eq!(a.resource(ResourceType::Ec2), Status::Enabled);
        a.disable(ResourceType::Ec2, now);
        assert_eq!(a.resource(ResourceType::Ec2), Status::Disabling);
        assert_eq!(a.status(false), Status::Disabling);
        a.poll(now, s(1, 0));
        assert_eq!(a.resource(ResourceType::Ec2), Status::Disabled);
        assert_eq!(a.status(false), Status::Disabled);
    }

    #[test]
    fn re_enable_while_enabling_keeps_progress() {
        let now = Instant::now();
        let mut a = Account::default();
        a.enable(ResourceType::Ec2, now);
        a.poll(now, s(2, 0));
        a.enable(ResourceType::Ec2, now);
        a.poll(now, s(2, 0));
        assert_eq!(a.resource(ResourceType::Ec2), Status::Enabled);
    }

    #[test]
    fn derived_account_status() {
        let now = Instant::now();
        let mut a = Account::default();
        a.set_resource(ResourceType::Ec2, Status::Enabled, now);
        a.set_resource(ResourceType::Ecr, Status::Enabling, now);
        assert_eq!(a.status(false), Status::Enabled);
        let mut b = Account::default();
        b.set_resource(ResourceType::Ecr, Status::Enabling, now);
        b.set_resource(ResourceType::Ec2, Status::Disabling, now);
        assert_eq!(b.status(false), Status::Enabling);
        assert_eq!(b.status(true), Status::Enabled);
        b.suspended = true;
        assert_eq!(b.status(true), Status::Suspended);
    }

    #[test]
    fn permissions() {
        let w = World::with_org("111111111111", ["222222222222".to_string(), "333333333333".to_string()]);
        let admin = "111111111111";
        let member = "222222222222";
        let outsider = "444444444444";
        // Self, not in org.
        assert!(w.authorize(outsider, outsider, true).is_ok());
        // Admin on itself and on members.
        assert!(w.authorize(admin, admin, true).is_ok());
        assert!(w.authorize(admin, member, true).is_ok());
        assert!(w.authorize(admin, member, false).is_ok());
        // Admin on a non-member.
        let e = w.authorize(admin, outsider, true).unwrap_err();
        assert!(e.contains(outsider));
        // Member on itself: read yes, change no.
        assert!(w.authorize(member, member, false).is_ok());
        let e = w.authorize(member, member, true).unwrap_err();
        assert!(e.contains(member) && e.contains(admin), "{e}");
        // Member on another member / on the admin.
        assert!(w.authorize(member, "333333333333", false).is_err());
        assert!(w.authorize(member, admin, true).is_err());
        // Outsider on anyone else.
        assert!(w.authorize(outsider, member, false).is_err());
    }

    #[test]
    fn caller_resolution() {
        let mut init = Initial::default();
        init.config.credentials.insert("AKIAADMIN".into(), "111111111111".into());
        let mut w = World::new(init);
        assert_eq!(w.caller_for_key(Some("AKIAADMIN")).account, "111111111111");
        assert_eq!(w.caller_for_key(Some("other")).account, "123456789012");
        assert_eq!(w.caller_for_key(None).account, "123456789012");
        w.sessions.insert(
            "ASIAX".into(),
            Session {
                account: "555555555555".into(),
                role_name: "r".into(),
                session_name: "s".into(),
                role_id: "AROAX".into(),
            },
        );
        let c = w.caller_for_key(Some("ASIAX"));
        assert_eq!(c.account, "555555555555");
        assert!(c.session.is_some());
    }

    #[test]
    fn reset_restores_initial() {
        let mut init = Initial::default();
        init.accounts.push(("123456789012".into(), AccountPatch { suspended: Some(true), ..AccountPatch::default() }));
        let mut w = World::new(init);
        assert!(w.account("123456789012").suspended);
        w.account_mut("123456789012").suspended = false;
        w.account_mut("999999999999").enable(ResourceType::Ec2, Instant::now());
        w.config.settle_polls = 7;
        w.reset();
        assert!(w.account("123456789012").suspended);
        assert_eq!(w.accounts.len(), 1);
        assert_eq!(w.config.settle_polls, 1);
    }

    #[test]
    fn many_members_lookup() {
        let w = World::with_org("111111111111", (0..5000u64).map(|i| format!("{:012}", 200_000_000_000 + i)));
        assert!(w.authorize("111111111111", "200000004999", true).is_ok());
        assert!(w.authorize("111111111111", "200000005000", true).is_err());
    }

    #[test]
    fn idempotency_is_bounded_fifo() {
        let mut w = World::new(Initial::default());
        for i in 0..MAX_IDEMPOTENCY_TOKENS + 5 {
            w.remember_response("123456789012", &format!("t{i}"), vec![1]);
        }
        assert!(w.idempotent_response("123456789012", "t0").is_none());
        assert!(w.idempotent_response("123456789012", "t5").is_some());
        assert!(w.idempotent_response("111111111111", "t5").is_none());
        w.reset();
        assert!(w.idempotent_response("123456789012", "t5").is_none());
    }
}
