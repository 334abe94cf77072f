//! AWS Organizations (global, not per Region): one organization with its management account, a
//! root, organizational units and accounts placed in them, policy types enabled on the root, and
//! policies with their attachments. Plain data with the tree walks the services need (the
//! effective Inspector policy of an account); it knows nothing of HTTP.

use std::collections::{BTreeMap, BTreeSet};

use crate::model::inspector_policy::{Document, Effective, ECR_SCANNING};
use crate::util::{is_account_id, stable_id};

/// The policy type of Amazon Inspector policies.
pub const INSPECTOR_POLICY: &str = "INSPECTOR_POLICY";

/// Organizations' `PolicyType` enum (botocore's organizations 2016-11-28 model).
pub const POLICY_TYPES: &[&str] = &[
    "SERVICE_CONTROL_POLICY",
    "RESOURCE_CONTROL_POLICY",
    "TAG_POLICY",
    "BACKUP_POLICY",
    "AISERVICES_OPT_OUT_POLICY",
    "CHATBOT_POLICY",
    "DECLARATIVE_POLICY_EC2",
    "SECURITYHUB_POLICY",
    "INSPECTOR_POLICY",
    "UPGRADE_ROLLOUT_POLICY",
    "BEDROCK_POLICY",
    "S3_POLICY",
    "NETWORK_SECURITY_DIRECTOR_POLICY",
];

/// What a target id names.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum TargetKind {
    Root,
    Ou,
    Account,
}

impl TargetKind {
    /// `TargetType` on the wire.
    pub fn wire_name(self) -> &'static str {
        match self {
            TargetKind::Root => "ROOT",
            TargetKind::Ou => "ORGANIZATIONAL_UNIT",
            TargetKind::Account => "ACCOUNT",
        }
    }

    /// The kind a well-formed id has (None: matches no id pattern of Organizations).
    pub fn of_id(id: &str) -> Option<TargetKind> {
        let lower_alnum = |s: &str, min: usize| {
            s.len() >= min && s.len() <= 32 && s.bytes().all(|b| b.is_ascii_digit() || b.is_ascii_lowercase())
        };
        if is_account_id(id) {
            return Some(TargetKind::Account);
        }
        if let Some(rest) = id.strip_prefix("r-") {
            return lower_alnum(rest, 4).then_some(TargetKind::Root);
        }
        let (root, ou) = id.strip_prefix("ou-")?.split_once('-')?;
        (lower_alnum(root, 4) && lower_alnum(ou, 8)).then_some(TargetKind::Ou)
    }
}

#[derive(Clone, Debug, PartialEq)]
pub struct Ou {
    pub name: String,
    /// The root or OU it sits in.
    pub parent: String,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Policy {
    pub id: String,
    pub name: String,
    pub description: String,
    pub policy_type: String,
    pub content: String,
    /// The parsed document of an INSPECTOR_POLICY (other types are kept as text only).
    pub inspector: Option<Document>,
}

#[derive(Clone, Debug, PartialEq)]
pub struct Organizations {
    /// `o-` and 10 characters.
    pub id: String,
    pub management: String,
    /// The account Organizations delegates policy management to (resource-based delegation
    /// policy), if any: it may manage policies but not enable policy types.
    pub policy_admin: Option<String>,
    /// `r-` and 4 characters.
    pub root: String,
    /// Policy types enabled on the root.
    pub enabled_types: BTreeSet<String>,
    pub ous: BTreeMap<String, Ou>,
    /// Account -> the root or OU it sits in (the management account included).
    pub accounts: BTreeMap<String, String>,
    pub policies: BTreeMap<String, Policy>,
    /// Policy id -> the targets it is attached to.
    pub attachments: BTreeMap<String, BTreeSet<String>>,
    /// Resource id (a policy, the root, an OU or an account) -> its tags.
    pub tags: BTreeMap<String, BTreeMap<String, String>>,
    /// When anything last changed (ms since the Unix epoch): effective policies' LastUpdatedTimestamp.
    pub changed_ms: u64,
    next_policy: u64,
}

/// `prefix` and `len` lowercase letters and digits derived from `input`.
fn lower_id(prefix: &str, input: &str, len: usize) -> String {
    stable_id(prefix, input, len).to_ascii_lowercase()
}

impl Organizations {
    /// An organization of `management` alone, in its root.
    pub fn new(management: &str, now_ms: u64) -> Organizations {
        let id = lower_id("o-", &format!("organization|{management}"), 10);
        let root = lower_id("r-", &format!("root|{id}"), 4);
        let accounts = BTreeMap::from([(management.to_string(), root.clone())]);
        Organizations {
            id,
            management: management.into(),
            policy_admin: None,
            root,
            enabled_types: BTreeSet::new(),
            ous: BTreeMap::new(),
            accounts,
            policies: BTreeMap::new(),
            attachments: BTreeMap::new(),
            tags: BTreeMap::new(),
            changed_ms: now_ms,
            next_policy: 0,
        }
    }

    /// What `target` is in this organization (None: not in it).
    pub fn kind(&self, target: &str) -> Option<TargetKind> {
        if target == self.root {
            Some(TargetKind::Root)
        } else if self.ous.contains_key(target) {
            Some(TargetKind::Ou)
        } else if self.accounts.contains_key(target) {
            Some(TargetKind::Account)
        } else {
            None
        }
    }

    pub fn name_of(&self, target: &str) -> String {
        match self.kind(target) {
            Some(TargetKind::Root) => "Root".into(),
            Some(TargetKind::Ou) => self.ous[target].name.clone(),
            _ => format!("Account {target}"),
        }
    }

    pub fn arn_of(&self, target: &str) -> String {
        let (org, mgmt) = (&self.id, &self.management);
        match self.kind(target) {
            Some(TargetKind::Root) => format!("arn:aws:organizations::{mgmt}:root/{org}/{target}"),
            Some(TargetKind::Ou) => format!("arn:aws:organizations::{mgmt}:ou/{org}/{target}"),
            _ => format!("arn:aws:organizations::{mgmt}:account/{org}/{target}"),
        }
    }

    pub fn policy_arn(&self, p: &Policy) -> String {
        let kind = p.policy_type.to_ascii_lowercase();
        format!("arn:aws:organizations::{}:policy/{}/{kind}/{}", self.management, self.id, p.id)
    }

    /// The root or an OU, by id or (for an OU) by name: where an account or OU can be placed.
    pub fn container(&self, id_or_name: &str) -> Option<String> {
        if id_or_name == self.root || id_or_name == "Root" {
            return Some(self.root.clone());
        }
        if self.ous.contains_key(id_or_name) {
            return Some(id_or_name.to_string());
        }
        self.ous.iter().find(|(_, ou)| ou.name == id_or_name).map(|(id, _)| id.clone())
    }

    /// Add an OU named `name` (unique in the organization) under `parent`; its id.
    pub fn add_ou(&mut self, name: &str, parent: &str) -> Result<String, String> {
        if name.is_empty() || name == "Root" || self.ous.values().any(|ou| ou.name == name) {
            return Err(format!("OU name {name:?} is empty, \"Root\" or already used"));
        }
        let parent =
            self.container(parent).ok_or_else(|| format!("parent {parent:?} is neither the root nor an OU"))?;
        let suffix = &self.root[2..];
        let id = lower_id(&format!("ou-{suffix}-"), &format!("ou|{}|{name}", self.id), 8);
        self.ous.insert(id.clone(), Ou { name: name.into(), parent });
        Ok(id)
    }

    /// Put `account` in `container` (it joins the organization, or moves).
    pub fn place_account(&mut self, account: &str, container: &str) -> Result<String, String> {
        let parent =
            self.container(container).ok_or_else(|| format!("parent {container:?} is neither the root nor an OU"))?;
        self.accounts.insert(account.to_string(), parent.clone());
        Ok(parent)
    }

    /// The root, the OUs down to `account`, and the account: where its policies come from.
    pub fn path(&self, account: &str) -> Vec<String> {
        let mut path = vec![account.to_string()];
        let mut at = self.accounts.get(account).cloned();
        while let Some(node) = at {
            at = self.ous.get(&node).map(|ou| ou.parent.clone());
            path.push(node);
            if path.len() > 64 {
                break; // a cycle cannot be built through the control API; never loop forever
            }
        }
        path.reverse();
        path
    }

    /// A new policy id (`p-` and 8 characters).
    pub fn new_policy_id(&mut self) -> String {
        self.next_policy += 1;
        lower_id("p-", &format!("policy|{}|{}", self.id, self.next_policy), 8)
    }

    /// The policies of `policy_type` attached directly to `target`, by id.
    pub fn attached_to<'a>(&'a self, target: &'a str, policy_type: &'a str) -> impl Iterator<Item = &'a Policy> + 'a {
        self.attachments
            .iter()
            .filter(move |(_, targets)| targets.contains(target))
            .filter_map(move |(id, _)| self.policies.get(id))
            .filter(move |p| p.policy_type == policy_type)
    }

    /// The effective Inspector policy of `account` and the policies it comes from (root first);
    /// None when no Inspector policy applies to it (or the type is not enabled).
    pub fn effective_inspector(&self, account: &str) -> Option<(Effective, Vec<String>)> {
        if !self.enabled_types.contains(INSPECTOR_POLICY) || !self.accounts.contains_key(account) {
            return None;
        }
        let mut effective = Effective::default();
        let mut from = Vec::new();
        for node in self.path(account) {
            for p in self.attached_to(&node, INSPECTOR_POLICY) {
                if let Some(doc) = &p.inspector {
                    effective.apply(doc);
                    from.push(p.id.clone());
                }
            }
        }
        (!from.is_empty()).then_some((effective, from))
    }

    /// Does an Inspector policy decide ECR scanning of `account` in `region`: Some(true) on,
    /// Some(false) off, None not managed.
    pub fn ecr_decision(&self, account: &str, region: &str) -> Option<bool> {
        self.effective_inspector(account)?.0.decision(ECR_SCANNING, region)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const MGMT: &str = "111111111111";

    fn policy(o: &mut Organizations, content: &str) -> String {
        let id = o.new_policy_id();
        let p = Policy {
            id: id.clone(),
            name: id.clone(),
            description: String::new(),
            policy_type: INSPECTOR_POLICY.into(),
            content: content.into(),
            inspector: Some(Document::parse(content).unwrap()),
        };
        o.policies.insert(id.clone(), p);
        id
    }

    fn ecr(enable: &str, disable: &str) -> String {
        format!(
            r#"{{"inspector":{{"enablement":{{"ecr_scanning":{{"enable_in_regions":{enable},"disable_in_regions":{disable}}}}}}}}}"#
        )
    }

    #[test]
    fn ids_have_aws_shapes_and_are_stable() {
        let mut o = Organizations::new(MGMT, 0);
        assert!(o.id.starts_with("o-") && o.id.len() == 12, "{}", o.id);
        assert_eq!(TargetKind::of_id(&o.root), Some(TargetKind::Root), "{}", o.root);
        let ou = o.add_ou("Prod", "Root").unwrap();
        assert_eq!(TargetKind::of_id(&ou), Some(TargetKind::Ou), "{ou}");
        assert!(ou.starts_with(&format!("ou-{}-", &o.root[2..])));
        let p = o.new_policy_id();
        assert!(p.starts_with("p-") && p.len() == 10, "{p}");
        assert_eq!(Organizations::new(MGMT, 5).root, o.root);
        assert_eq!(TargetKind::of_id("222222222222"), Some(TargetKind::Account));
        for bad in ["r-AB12", "ou-abcd", "ou-abcd-1234", "p-12345678", "12345"] {
            assert_eq!(TargetKind::of_id(bad), None, "{bad}");
        }
        assert!(o.add_ou("Prod", "Root").is_err(), "names are unique");
        assert!(o.add_ou("Dev", "Nowhere").is_err());
        assert_eq!(o.kind(MGMT), Some(TargetKind::Account));
        let id = policy(&mut o, &ecr("{\"@@assign\":[]}", "{\"@@assign\":[]}"));
        let arn = o.policy_arn(&o.policies[&id]);
        assert_eq!(arn, format!("arn:aws:organizations::{MGMT}:policy/{}/inspector_policy/{id}", o.id));
    }

    #[test]
    fn effective_policy_walks_root_ou_account() {
        let mut o = Organizations::new(MGMT, 0);
        let prod = o.add_ou("Prod", "Root").unwrap();
        let web = o.add_ou("Web", "Prod").unwrap();
        o.place_account("222222222222", "Web").unwrap();
        o.place_account("333333333333", "Root").unwrap();
        assert_eq!(o.path("222222222222"), [o.root.clone(), prod.clone(), web.clone(), "222222222222".into()]);
        let on = policy(&mut o, &ecr(r#"{"@@assign":["ALL_SUPPORTED"]}"#, r#"{"@@assign":[]}"#));
        let off = policy(&mut o, &ecr(r#"{"@@assign":[]}"#, r#"{"@@append":["eu-west-1"]}"#));
        o.attachments.entry(on.clone()).or_default().insert(prod.clone());
        o.attachments.entry(off.clone()).or_default().insert("222222222222".into());
        assert_eq!(o.ecr_decision("222222222222", "us-east-1"), None, "the type is not enabled");
        o.enabled_types.insert(INSPECTOR_POLICY.into());
        // The account's own policy assigns an empty enable list: only the disable list stays.
        assert_eq!(o.ecr_decision("222222222222", "eu-west-1"), Some(false));
        assert_eq!(o.ecr_decision("222222222222", "us-east-1"), None);
        o.attachments.get_mut(&off).unwrap().clear();
        assert_eq!(o.ecr_decision("222222222222", "us-east-1"), Some(true), "inherited from Prod");
        assert_eq!(o.ecr_decision("333333333333", "us-east-1"), None, "outside Prod");
        assert!(o.effective_inspector("333333333333").is_none());
        assert_eq!(o.effective_inspector("222222222222").unwrap().1, [on]);
        assert_eq!(o.ecr_decision("999999999999", "us-east-1"), None, "not in the organization");
    }
}
