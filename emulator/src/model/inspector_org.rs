//! One Region's organization as Inspector2 sees it (not AWS Organizations, `model::organizations`): the delegated administrator, its member
//! accounts (each with a relationship status, an association possibly under way) and the
//! organization configuration (auto-enable).

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use serde_json::{json, Map, Value};

/// Relationship statuses Inspector2 reports for a member (`RelationshipStatus` in the API).
pub const RELATIONSHIP_STATUSES: &[&str] = &[
    "CREATED",
    "INVITED",
    "DISABLED",
    "ENABLED",
    "REMOVED",
    "RESIGNED",
    "DELETED",
    "EMAIL_VERIFICATION_IN_PROGRESS",
    "EMAIL_VERIFICATION_FAILED",
    "REGION_DISABLED",
    "ACCOUNT_SUSPENDED",
    "CANNOT_CREATE_DETECTOR_IN_ORG_MASTER",
];

/// The status of an associated member: the administrator may act on it.
pub const ASSOCIATED: &str = "ENABLED";

/// The status of a member whose AWS account is suspended.
pub const SUSPENDED: &str = "ACCOUNT_SUSPENDED";

/// One member account of the organization in one Region.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// One of [`RELATIONSHIP_STATUSES`].
    pub status: String,
    /// When the relationship last changed (ms since the Unix epoch).
    pub updated_at_ms: u64,
    /// An AssociateMember under way: it turns the relationship ENABLED once settled.
    pub pending: Option<Pending>,
}

impl Member {
    pub fn new(status: &str, now_ms: u64) -> Member {
        Member { status: status.into(), updated_at_ms: now_ms, pending: None }
    }
}

/// An association under way: when it started and how many member reads have seen it.
#[derive(Clone, Debug, PartialEq)]
pub struct Pending {
    pub since: Instant,
    pub polls: u32,
}

/// When an association settles: after `polls` member reads (ListMembers, GetMember) and `ms`.
#[derive(Clone, Copy, Debug)]
pub struct AssociateSettle {
    pub polls: u32,
    pub ms: u64,
}

/// The organization's auto-enable flags (`autoEnable` on the wire).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct AutoEnable {
    pub ec2: bool,
    pub ecr: bool,
    pub lambda: bool,
    pub lambda_code: bool,
    pub code_repository: bool,
    pub ami: bool,
}

/// Wire names of the auto-enable flags; `ec2` and `ecr` are required in an update.
const AUTO_ENABLE_FLAGS: &[&str] = &["ec2", "ecr", "lambda", "lambdaCode", "codeRepository", "ami"];

impl AutoEnable {
    pub fn to_wire(self) -> Value {
        json!({
            "ec2": self.ec2,
            "ecr": self.ecr,
            "lambda": self.lambda,
            "lambdaCode": self.lambda_code,
            "codeRepository": self.code_repository,
            "ami": self.ami,
        })
    }

    fn flag_mut(&mut self, name: &str) -> Option<&mut bool> {
        Some(match name {
            "ec2" => &mut self.ec2,
            "ecr" => &mut self.ecr,
            "lambda" => &mut self.lambda,
            "lambdaCode" => &mut self.lambda_code,
            "codeRepository" => &mut self.code_repository,
            "ami" => &mut self.ami,
            _ => return None,
        })
    }

    /// An `autoEnable` object as UpdateOrganizationConfiguration takes it: `ec2` and `ecr`
    /// required, every flag a boolean, an omitted optional flag false. Errors are
    /// (field, message) pairs naming `autoEnable.FLAG`.
    pub fn from_wire(v: Option<&Value>) -> Result<AutoEnable, Vec<(String, String)>> {
        let Some(obj) = v.and_then(Value::as_object) else {
            return Err(vec![("autoEnable".into(), "Member must not be null".into())]);
        };
        let mut out = AutoEnable::default();
        let mut errs = Vec::new();
        for name in ["ec2", "ecr"] {
            if obj.get(name).is_none_or(Value::is_null) {
                errs.push((format!("autoEnable.{name}"), "Member must not be null".into()));
            }
        }
        for (k, v) in obj {
            match (out.flag_mut(k), v) {
                (Some(flag), Value::Bool(b)) => *flag = *b,
                (Some(_), Value::Null) => {}
                (Some(_), other) => errs.push((format!("autoEnable.{k}"), format!("Value {other} must be a boolean"))),
                (None, _) => {
                    errs.push((format!("autoEnable.{k}"), format!("Unknown field; expected {AUTO_ENABLE_FLAGS:?}")))
                }
            }
        }
        if errs.is_empty() {
            Ok(out)
        } else {
            Err(errs)
        }
    }

    /// The control API's shape: any subset of the wire flags, each a boolean, changed in place.
    pub fn patched(mut self, obj: &Map<String, Value>) -> Result<AutoEnable, String> {
        for (k, v) in obj {
            let flag = self
                .flag_mut(k)
                .ok_or_else(|| format!("auto_enable.{k}: unknown flag; expected {AUTO_ENABLE_FLAGS:?}"))?;
            *flag = v.as_bool().ok_or_else(|| format!("auto_enable.{k}: expected true or false, got {v}"))?;
        }
        Ok(self)
    }
}

/// The organization in one Region.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct InspectorOrg {
    pub delegated_admin: Option<String>,
    /// Member account id -> relationship (every account of the organization but the admin).
    pub members: BTreeMap<String, Member>,
    pub auto_enable: AutoEnable,
    pub max_account_limit_reached: bool,
    /// After an update under a `stale_org_config` fault: the previous flags and how many more
    /// DescribeOrganizationConfiguration calls answer them.
    pub stale: Option<(AutoEnable, u64)>,
    /// An EnableDelegatedAdminAccount or DisableDelegatedAdminAccount under way.
    pub admin_change: Option<AdminChange>,
    /// The AWS Organizations change count whose Inspector policies this Region last applied.
    pub applied_policy_epoch: u64,
}

/// A change of the delegated administrator under way: it settles like an association (after
/// `polls` GetDelegatedAdminAccount/ListDelegatedAdminAccounts reads and `ms`).
#[derive(Clone, Debug, PartialEq)]
pub struct AdminChange {
    pub account: String,
    /// True for an Enable (the account becomes the administrator), false for a Disable.
    pub enabling: bool,
    pub pending: Pending,
}

impl InspectorOrg {
    /// A delegated-administrator read sees the change under way.
    pub fn poll_admin_change(&mut self) {
        if let Some(c) = self.admin_change.as_mut() {
            c.pending.polls = c.pending.polls.saturating_add(1);
        }
    }

    /// The change under way if it is due now (it is then taken out).
    pub fn take_settled_admin_change(&mut self, settle: AssociateSettle, now: Instant) -> Option<AdminChange> {
        let due = self.admin_change.as_ref().is_some_and(|c| {
            c.pending.polls >= settle.polls && now.duration_since(c.pending.since) >= Duration::from_millis(settle.ms)
        });
        if due {
            self.admin_change.take()
        } else {
            None
        }
    }

    /// An organization whose `members` are all associated.
    pub fn new(
        delegated_admin: Option<String>,
        members: impl IntoIterator<Item = String>,
        now_ms: u64,
    ) -> InspectorOrg {
        let mut org = InspectorOrg { delegated_admin, ..InspectorOrg::default() };
        org.associate_all(members, now_ms);
        org
    }

    /// Make each of `ids` an associated member (ENABLED).
    pub fn associate_all(&mut self, ids: impl IntoIterator<Item = String>, now_ms: u64) {
        for id in ids {
            self.members.insert(id, Member::new(ASSOCIATED, now_ms));
        }
    }

    /// Start associating `id` (an account of the organization that is not associated yet).
    pub fn start_association(&mut self, id: &str, now: Instant) {
        if let Some(m) = self.members.get_mut(id) {
            if m.status != ASSOCIATED && m.pending.is_none() {
                m.pending = Some(Pending { since: now, polls: 0 });
            }
        }
    }

    /// A member read (ListMembers, GetMember) sees every association under way.
    pub fn poll_associations(&mut self) {
        for p in self.members.values_mut().filter_map(|m| m.pending.as_mut()) {
            p.polls = p.polls.saturating_add(1);
        }
    }

    /// Turn the settled associations ENABLED.
    pub fn settle_associations(&mut self, settle: AssociateSettle, now: Instant, now_ms: u64) {
        for m in self.members.values_mut() {
            let due = m.pending.as_ref().is_some_and(|p| {
                p.polls >= settle.polls && now.duration_since(p.since) >= Duration::from_millis(settle.ms)
            });
            if due {
                *m = Member::new(ASSOCIATED, now_ms);
            }
        }
    }

    /// Change the flags; under a stale-read fault the next `stale_reads` reads answer the old ones.
    pub fn update_auto_enable(&mut self, flags: AutoEnable, stale_reads: Option<u64>) {
        self.stale = stale_reads.filter(|n| *n > 0).map(|n| (self.auto_enable, n));
        self.auto_enable = flags;
    }

    /// What DescribeOrganizationConfiguration answers now (a stale read counts down).
    pub fn read_auto_enable(&mut self) -> AutoEnable {
        match self.stale.as_mut() {
            Some((old, n)) => {
                let old = *old;
                *n -= 1;
                if *n == 0 {
                    self.stale = None;
                }
                old
            }
            None => self.auto_enable,
        }
    }

    pub fn is_admin(&self, account: &str) -> bool {
        self.delegated_admin.as_deref() == Some(account)
    }

    /// Is `account` a member whose relationship is ENABLED (the administrator may act on it)?
    pub fn is_associated(&self, account: &str) -> bool {
        self.members.get(account).is_some_and(|m| m.status == ASSOCIATED)
    }

    /// The associated members, sorted by account id.
    pub fn associated(&self) -> impl Iterator<Item = &str> {
        self.members.iter().filter(|(_, m)| m.status == ASSOCIATED).map(|(id, _)| id.as_str())
    }

    pub fn status(&self, account: &str) -> Option<&str> {
        self.members.get(account).map(|m| m.status.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn associated_members_only() {
        let mut org = InspectorOrg::new(Some("111111111111".into()), ["222222222222".to_string()], 5);
        org.members.insert("333333333333".into(), Member::new("CREATED", 6));
        assert!(org.is_admin("111111111111") && !org.is_admin("222222222222"));
        assert!(org.is_associated("222222222222"));
        assert!(!org.is_associated("333333333333"));
        assert!(!org.is_associated("111111111111"));
        assert_eq!(org.associated().collect::<Vec<_>>(), ["222222222222"]);
        assert_eq!(org.status("333333333333"), Some("CREATED"));
        assert_eq!(org.status("444444444444"), None);
    }

    #[test]
    fn association_settles_after_polls_and_time() {
        let mut org = InspectorOrg::new(Some("111111111111".into()), [], 0);
        org.members.insert("222222222222".into(), Member::new("CREATED", 0));
        let t0 = Instant::now();
        org.start_association("222222222222", t0);
        let settle = AssociateSettle { polls: 2, ms: 50 };
        org.poll_associations();
        org.settle_associations(settle, t0 + Duration::from_millis(60), 9);
        assert_eq!(org.status("222222222222"), Some("CREATED"), "one poll of two");
        org.poll_associations();
        org.settle_associations(settle, t0 + Duration::from_millis(10), 9);
        assert_eq!(org.status("222222222222"), Some("CREATED"), "too early");
        org.settle_associations(settle, t0 + Duration::from_millis(50), 9);
        assert!(org.is_associated("222222222222"));
        assert_eq!(org.members["222222222222"], Member::new(ASSOCIATED, 9));
        // Not an account of the organization: nothing to associate.
        org.start_association("999999999999", t0);
        assert_eq!(org.status("999999999999"), None);
    }

    #[test]
    fn auto_enable_from_the_wire() {
        let f = AutoEnable::from_wire(Some(&json!({"ec2": false, "ecr": true, "lambdaCode": true}))).unwrap();
        assert_eq!(f, AutoEnable { ecr: true, lambda_code: true, ..AutoEnable::default() });
        assert_eq!(f.to_wire()["lambdaCode"], true);
        assert_eq!(f.to_wire()["codeRepository"], false);
        let errs = AutoEnable::from_wire(Some(&json!({"ec2": true}))).unwrap_err();
        assert_eq!(errs[0].0, "autoEnable.ecr");
        let errs = AutoEnable::from_wire(Some(&json!({"ec2": true, "ecr": "yes", "eks": true}))).unwrap_err();
        let fields: Vec<&str> = errs.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(fields, ["autoEnable.ecr", "autoEnable.eks"]);
        assert_eq!(AutoEnable::from_wire(None).unwrap_err()[0].0, "autoEnable");
        let patched = f.patched(json!({"ecr": false}).as_object().unwrap()).unwrap();
        assert!(!patched.ecr && patched.lambda_code);
        assert!(f.patched(json!({"ecr": 1}).as_object().unwrap()).is_err());
    }

    #[test]
    fn stale_reads_answer_the_previous_flags() {
        let mut org = InspectorOrg::default();
        let on = AutoEnable { ec2: true, ecr: true, ..AutoEnable::default() };
        org.update_auto_enable(on, Some(2));
        assert_eq!(org.read_auto_enable(), AutoEnable::default());
        assert_eq!(org.read_auto_enable(), AutoEnable::default());
        assert_eq!(org.read_auto_enable(), on);
        org.update_auto_enable(AutoEnable::default(), None);
        assert_eq!(org.read_auto_enable(), AutoEnable::default());
    }
}
