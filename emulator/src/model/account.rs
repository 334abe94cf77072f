//! Inspector2 state of one account: the five scan types, their ENABLING / DISABLING
//! transitions and how they settle. Plain data; it knows nothing of configuration or HTTP.

use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

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
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(polls: u32, ms: u64) -> Settle {
        Settle { polls, ms }
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
}
