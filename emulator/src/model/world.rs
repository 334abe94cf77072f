//! The world: accounts, organization, configuration, faults, the request log, STS sessions,
//! Security Hub and everything else the emulator remembers between requests. All of it sits
//! behind one mutex (the server's `Emulator`); nothing here is async.
//!
//! Regions: the configuration, faults, the request log, STS and AWS Organizations are global;
//! Inspector2 (accounts, scan settings, idempotency tokens), the Inspector organization, Security
//! Hub and ECR are per Region, one [`RegionState`] each in `regions`. Every call selects its Region
//! first ([`World::select_region`]) and reaches that Region's state with [`World::here`] and
//! [`World::here_mut`]. A Region starts, on first use, from the initial configuration: the
//! config's organization and preset accounts.

use std::collections::{BTreeMap, BTreeSet, HashMap, VecDeque};
use std::time::Instant;

use serde_json::{json, Map, Value};

use crate::emulator_config::{AccountPatch, Config, Initial};
use crate::faults::{FaultErrors, Faults, Injected};
use crate::model::account::{Account, ResourceType, Settle, Status, UNTOUCHED};
use crate::model::findings::Hub;
use crate::model::inspector_org::{AssociateSettle, InspectorOrg, Member, ASSOCIATED};
use crate::model::organizations::Organizations;
use crate::model::registry::Registry;
use crate::model::scan_settings::ScanSettings;
use crate::request_log::{LogEntry, RequestLog};
use crate::util::{unix_now_ms, IdGen};

/// How many Enable responses are remembered for clientToken replay (oldest forgotten first).
pub const MAX_IDEMPOTENCY_TOKENS: usize = 10_000;

/// The Region of calls that name none (an unsigned request, a control call without `region`).
pub const DEFAULT_REGION: &str = "us-east-1";

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
    pub faults: Faults,
    pub requests: RequestLog,
    /// Access keys issued by AssumeRole.
    pub sessions: HashMap<String, Session>,
    pub ids: IdGen,
    /// When the emulator started (wall clock, ms since the Unix epoch).
    pub started_unix_ms: u64,
    /// Requests a `black_hole` fault is holding open right now (a reset does not change it).
    pub held_open: u64,
    /// AWS Organizations (global): None until the control API builds the organization.
    pub organizations: Option<Organizations>,
    /// Counts changes of AWS Organizations, so that each Region applies the Inspector policies
    /// once per change (see [`World::enforce_inspector_policies`]).
    pub organizations_epoch: u64,
    /// The selected Region: the Region of the call being served.
    region: Region,
    /// Every Region used so far, the selected one included.
    regions: BTreeMap<Region, RegionState>,
}

/// An AWS Region's name, such as `us-east-1`.
pub type Region = String;

/// The state of one Region.
#[derive(Default)]
pub struct RegionState {
    /// Accounts that were ever changed (Enable/Disable/control API), sorted by id.
    pub accounts: BTreeMap<String, Account>,
    /// (caller account, clientToken) -> stored Enable response body.
    idempotency: HashMap<(String, String), Vec<u8>>,
    /// Insertion order of `idempotency` keys, for FIFO eviction.
    idempotency_order: VecDeque<(String, String)>,
    /// Security Hub: controls, findings, standards control associations.
    pub securityhub: Hub,
    /// Inspector2 scan settings per account that changed them (others read the defaults).
    pub scan_settings: BTreeMap<String, ScanSettings>,
    /// ECR private registries per account.
    pub registries: BTreeMap<String, Registry>,
    /// The Inspector organization: delegated administrator and members.
    pub org: InspectorOrg,
    /// Regions whose Security Hub findings this Region aggregates (a Security Hub aggregation Region).
    pub linked_regions: BTreeSet<String>,
}

impl World {
    pub fn new(initial: Initial) -> Self {
        let mut w = World {
            config: initial.config.clone(),
            initial,
            faults: Faults::default(),
            requests: RequestLog::default(),
            sessions: HashMap::new(),
            ids: IdGen::new(),
            started_unix_ms: unix_now_ms(),
            held_open: 0,
            organizations: None,
            organizations_epoch: 0,
            region: DEFAULT_REGION.into(),
            regions: BTreeMap::new(),
        };
        let first = w.fresh_region(DEFAULT_REGION);
        w.regions.insert(DEFAULT_REGION.into(), first);
        w
    }

    /// Back to the initial configuration; forget every Region's state, faults, the request log
    /// and sessions.
    pub fn reset(&mut self) {
        self.config = self.initial.config.clone();
        self.faults = Faults::default();
        self.requests.clear();
        self.sessions.clear();
        self.organizations = None;
        self.organizations_epoch += 1;
        self.regions.clear();
        self.region = DEFAULT_REGION.into();
        let first = self.fresh_region(DEFAULT_REGION);
        self.regions.insert(DEFAULT_REGION.into(), first);
    }

    /// A Region as it starts: the configured organization, all members associated, and the
    /// preset accounts.
    fn fresh_region(&self, region: &str) -> RegionState {
        let now = Instant::now();
        let mut r = RegionState {
            securityhub: Hub::in_region(region),
            org: InspectorOrg::new(
                self.config.delegated_admin.clone(),
                self.config.members.iter().cloned(),
                unix_now_ms(),
            ),
            ..RegionState::default()
        };
        for (id, patch) in &self.initial.accounts {
            patch.apply_to(r.accounts.entry(id.clone()).or_default(), now);
        }
        r
    }

    /// The selected Region.
    pub fn region(&self) -> &str {
        &self.region
    }

    /// Make `region` the selected one (created on first use). Callers validate the name.
    pub fn select_region(&mut self, region: &str) {
        if !self.regions.contains_key(region) {
            let fresh = self.fresh_region(region);
            self.regions.insert(region.to_string(), fresh);
        }
        if self.region != region {
            self.region = region.to_string();
        }
        self.enforce_inspector_policies();
    }

    /// The selected Region's state.
    pub fn here(&self) -> &RegionState {
        // `select_region`, `new` and `reset` always create the Region they select.
        &self.regions[&self.region]
    }

    pub fn here_mut(&mut self) -> &mut RegionState {
        if !self.regions.contains_key(&self.region) {
            self.regions.insert(self.region.clone(), RegionState::default());
        }
        self.regions.get_mut(&self.region).expect("the selected Region was just ensured")
    }

    /// Record a change of AWS Organizations (its tree, policies or attachments) and apply the
    /// Inspector policies in the selected Region now (other Regions apply them when next selected).
    pub fn organizations_changed(&mut self, now_ms: u64) {
        self.organizations_epoch += 1;
        if let Some(o) = self.organizations.as_mut() {
            o.changed_ms = now_ms;
        }
        self.enforce_inspector_policies();
    }

    /// What the effective Inspector policies decide for ECR scanning, applied to the selected
    /// Region once per Organizations change: an account whose policy enables ECR here scans ECR
    /// (ENABLED at once) and is associated with the Region's delegated administrator; one whose
    /// policy disables it here does not. Accounts no policy manages are left alone, and so is a
    /// later control-API change (drift).
    pub fn enforce_inspector_policies(&mut self) {
        if self.here().org.applied_policy_epoch == self.organizations_epoch {
            return;
        }
        self.here_mut().org.applied_policy_epoch = self.organizations_epoch;
        let Some(orgs) = self.organizations.as_ref() else { return };
        let region = self.region.clone();
        let decided: Vec<(String, bool)> =
            orgs.accounts.keys().filter_map(|a| orgs.ecr_decision(a, &region).map(|on| (a.clone(), on))).collect();
        let (now, now_ms) = (Instant::now(), unix_now_ms());
        for (account, on) in decided {
            let ecr = self.account(&account).resource(ResourceType::Ecr);
            let want = if on { Status::Enabled } else { Status::Disabled };
            if ecr != want {
                self.account_mut(&account).set_resource(ResourceType::Ecr, want, now);
            }
            let admin = self.here().org.delegated_admin.clone();
            if on && admin.is_some_and(|a| a != account) && !self.here().org.is_associated(&account) {
                self.here_mut().org.members.insert(account, Member::new(ASSOCIATED, now_ms));
            }
        }
    }

    /// Settle a delegated-administrator change under way in the selected Region (see the config's
    /// `delegated_admin_polls` and `delegated_admin_delay_ms`). A new administrator sees every
    /// other account of the organization as a member (CREATED, policy-managed ones associated);
    /// a removed one leaves every member a standalone account.
    fn settle_admin_change(&mut self) {
        let settle =
            AssociateSettle { polls: self.config.delegated_admin_polls, ms: self.config.delegated_admin_delay_ms };
        let Some(change) = self.here_mut().org.take_settled_admin_change(settle, Instant::now()) else { return };
        if !change.enabling {
            self.here_mut().org.delegated_admin = None;
            self.here_mut().org.members.clear();
            return;
        }
        let now_ms = unix_now_ms();
        let accounts =
            self.organizations.as_ref().map(|o| o.accounts.keys().cloned().collect::<Vec<_>>()).unwrap_or_default();
        for a in accounts.into_iter().filter(|a| *a != change.account) {
            self.here_mut().org.members.entry(a).or_insert_with(|| Member::new("CREATED", now_ms));
        }
        self.here_mut().org.members.remove(&change.account);
        self.here_mut().org.delegated_admin = Some(change.account);
        self.here_mut().org.applied_policy_epoch = self.organizations_epoch.wrapping_sub(1);
        self.enforce_inspector_policies();
    }

    /// Every Region used so far, sorted.
    pub fn regions(&self) -> Vec<String> {
        self.regions.keys().cloned().collect()
    }

    /// The state of `region` (None for a Region not used yet).
    pub fn region_state(&self, region: &str) -> Option<&RegionState> {
        self.regions.get(region)
    }

    pub fn region_state_mut(&mut self, region: &str) -> Option<&mut RegionState> {
        self.regions.get_mut(region)
    }

    /// Replace the configuration. A change of `delegated_admin` or `members` applies to every
    /// Region (members become associated members, replacing each Region's member list).
    pub fn set_config(&mut self, config: Config) {
        let admin_changed = config.delegated_admin != self.config.delegated_admin;
        let members_changed = config.members != self.config.members;
        self.config = config;
        if !admin_changed && !members_changed {
            return;
        }
        let fresh =
            InspectorOrg::new(self.config.delegated_admin.clone(), self.config.members.iter().cloned(), unix_now_ms());
        for org in self.regions.values_mut().map(|r| &mut r.org) {
            if admin_changed {
                org.delegated_admin = fresh.delegated_admin.clone();
            }
            if members_changed {
                org.members = fresh.members.clone();
            }
        }
    }

    /// Turn the associations that have settled (by the config's `associate_polls` and
    /// `associate_delay_ms`) ENABLED in the selected Region, and settle a delegated-administrator
    /// change.
    pub fn settle_associations(&mut self) {
        let settle = AssociateSettle { polls: self.config.associate_polls, ms: self.config.associate_delay_ms };
        self.here_mut().org.settle_associations(settle, Instant::now(), unix_now_ms());
        self.settle_admin_change();
    }

    /// Add associated members in every Region (and to the config, so new Regions have them).
    pub fn add_members_everywhere(&mut self, ids: &[String]) {
        self.config.members.extend(ids.iter().cloned());
        let now = unix_now_ms();
        for r in self.regions.values_mut() {
            r.org.associate_all(ids.iter().cloned(), now);
        }
    }

    /// Apply a control-API account patch; returns the account view.
    pub fn patch_account(&mut self, id: &str, patch: &AccountPatch) -> Value {
        patch.apply_to(self.account_mut(id), Instant::now());
        self.account_view(id)
    }

    /// Control-API view of one account (untouched accounts read all DISABLED).
    pub fn account_view(&self, id: &str) -> Value {
        let a = self.account(id);
        let mut rs = Map::new();
        for t in ResourceType::ALL {
            rs.insert(t.wire_name().into(), json!(a.resource(t).as_str()));
        }
        json!({
            "account_id": id,
            "status": a.status(self.config.account_status_leads).as_str(),
            "suspended": a.suspended,
            "stuck": a.stuck,
            "resource_state": rs,
            "securityhub_enabled": a.securityhub_on(self.config.securityhub_default_enabled),
        })
    }

    /// Is Security Hub enabled in `account`?
    pub fn securityhub_on(&self, account: &str) -> bool {
        self.account(account).securityhub_on(self.config.securityhub_default_enabled)
    }

    /// The stored response for an earlier call with this clientToken by this caller.
    pub fn idempotent_response(&self, caller: &str, token: &str) -> Option<&[u8]> {
        self.here().idempotency.get(&(caller.to_string(), token.to_string())).map(Vec::as_slice)
    }

    pub fn remember_response(&mut self, caller: &str, token: &str, body: Vec<u8>) {
        let key = (caller.to_string(), token.to_string());
        if self.here_mut().idempotency.insert(key.clone(), body).is_none() {
            self.here_mut().idempotency_order.push_back(key);
        }
        while self.here().idempotency_order.len() > MAX_IDEMPOTENCY_TOKENS {
            if let Some(old) = self.here_mut().idempotency_order.pop_front() {
                self.here_mut().idempotency.remove(&old);
            }
        }
    }

    /// What an armed request-level fault on `op` answers, if any (consumed and marked in `entry`).
    pub(crate) fn injected_fault(&mut self, op: &str, errors: &FaultErrors, entry: &mut LogEntry) -> Option<Injected> {
        let fault = self.faults.take_request_fault(op)?;
        entry.fields.insert("fault".into(), json!(true));
        Some(errors.injected(fault, self.config.retry_after_seconds))
    }

    pub fn settle(&self) -> Settle {
        Settle { polls: self.config.settle_polls, ms: self.config.settle_ms }
    }

    pub fn account(&self, id: &str) -> &Account {
        self.here().accounts.get(id).unwrap_or(&UNTOUCHED)
    }

    pub fn account_mut(&mut self, id: &str) -> &mut Account {
        if !self.here().accounts.contains_key(id) {
            self.here_mut().accounts.insert(id.to_string(), UNTOUCHED);
        }
        self.here_mut().accounts.get_mut(id).expect("just inserted")
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
        let admin = self.here().org.delegated_admin.as_deref();
        let is_admin = admin == Some(caller);
        let caller_is_member = !is_admin && self.here().org.is_associated(caller);
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
        if is_admin && self.here().org.is_associated(target) {
            return Ok(());
        }
        if let Some(status) = self.here().org.status(target).filter(|_| is_admin) {
            return Err(format!(
                "Account {target} is not an associated member of the delegated administrator {caller} (relationship {status}); associate it first (AssociateMember)"
            ));
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
    use crate::emulator_config::Initial;

    use crate::model::account::Status;

    #[test]
    fn untouched_reads_disabled() {
        let w = World::new(Initial::default());
        let a = w.account("999999999999");
        for t in ResourceType::ALL {
            assert_eq!(a.resource(t), Status::Disabled);
        }
        assert_eq!(a.status(false), Status::Disabled);
        assert!(w.here().accounts.is_empty());
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
        // Admin on an account of the organization that is not associated: says so.
        let mut w = w;
        w.here_mut().org.members.insert("555555555555".into(), crate::model::inspector_org::Member::new("CREATED", 0));
        let e = w.authorize(admin, "555555555555", true).unwrap_err();
        assert!(
            e.contains("not an associated member") && e.contains("CREATED") && e.contains("AssociateMember"),
            "{e}"
        );
        assert!(w.authorize(admin, "555555555555", false).is_err(), "nor may it read it");
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
        assert_eq!(w.here().accounts.len(), 1);
        assert_eq!(w.config.settle_polls, 1);
    }

    #[test]
    fn regions_are_isolated_and_start_from_the_config() {
        let mut init = Initial::default();
        init.config.delegated_admin = Some("111111111111".into());
        init.config.members = ["222222222222".to_string()].into_iter().collect();
        init.accounts.push(("111111111111".into(), AccountPatch { suspended: Some(true), ..AccountPatch::default() }));
        let mut w = World::new(init);
        assert_eq!(w.region(), DEFAULT_REGION);
        w.account_mut("222222222222").set_resource(ResourceType::Ecr, Status::Enabled, Instant::now());
        w.select_region("eu-west-1");
        assert_eq!(w.region(), "eu-west-1");
        // A new Region: the config's organization and preset accounts, none of us-east-1's changes.
        assert!(w.here().org.is_admin("111111111111") && w.here().org.is_associated("222222222222"));
        assert!(w.account("111111111111").suspended);
        assert_eq!(w.account("222222222222").resource(ResourceType::Ecr), Status::Disabled);
        w.here_mut().org.members.clear();
        w.select_region(DEFAULT_REGION);
        assert_eq!(w.account("222222222222").resource(ResourceType::Ecr), Status::Enabled);
        assert!(w.here().org.is_associated("222222222222"), "eu-west-1's change stays there");
        w.select_region("eu-west-1");
        assert!(w.here().org.members.is_empty());
        assert_eq!(w.regions(), ["eu-west-1", "us-east-1"]);
        assert!(w.region_state(DEFAULT_REGION).is_some() && w.region_state("ap-south-1").is_none());
        w.reset();
        assert_eq!((w.region(), w.regions().len()), (DEFAULT_REGION, 1));
    }

    #[test]
    fn config_organization_applies_to_every_region() {
        let mut w = World::new(Initial::default());
        w.select_region("eu-west-1");
        w.select_region("ap-south-1");
        let config =
            w.config.patched(&json!({"delegated_admin": "111111111111", "members": ["222222222222"]})).unwrap();
        w.set_config(config);
        for region in ["eu-west-1", "us-east-1", "ap-south-1", "ca-central-1"] {
            w.select_region(region);
            assert!(w.here().org.is_admin("111111111111"), "{region}");
            assert!(w.here().org.is_associated("222222222222"), "{region}");
        }
        w.add_members_everywhere(&["333333333333".to_string()]);
        w.select_region("eu-west-1");
        assert!(w.here().org.is_associated("333333333333"));
        w.select_region("sa-east-1");
        assert!(w.here().org.is_associated("333333333333"), "a Region used later has them too");
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
