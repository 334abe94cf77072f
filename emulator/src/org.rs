//! One Region's organization as Inspector2 sees it: the delegated administrator and its member
//! accounts, each with a relationship status.

use std::collections::BTreeMap;

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

/// One member account of the organization in one Region.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    /// One of [`RELATIONSHIP_STATUSES`].
    pub status: String,
    /// When the relationship last changed (ms since the Unix epoch).
    pub updated_at_ms: u64,
}

/// The organization in one Region.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Org {
    pub delegated_admin: Option<String>,
    /// Member account id -> relationship (every account of the organization but the admin).
    pub members: BTreeMap<String, Member>,
}

impl Org {
    /// An organization whose `members` are all associated.
    pub fn new(delegated_admin: Option<String>, members: impl IntoIterator<Item = String>, now_ms: u64) -> Org {
        let mut org = Org { delegated_admin, members: BTreeMap::new() };
        org.associate_all(members, now_ms);
        org
    }

    /// Make each of `ids` an associated member (ENABLED).
    pub fn associate_all(&mut self, ids: impl IntoIterator<Item = String>, now_ms: u64) {
        for id in ids {
            self.members.insert(id, Member { status: ASSOCIATED.into(), updated_at_ms: now_ms });
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
        let mut org = Org::new(Some("111111111111".into()), ["222222222222".to_string()], 5);
        org.members.insert("333333333333".into(), Member { status: "CREATED".into(), updated_at_ms: 6 });
        assert!(org.is_admin("111111111111") && !org.is_admin("222222222222"));
        assert!(org.is_associated("222222222222"));
        assert!(!org.is_associated("333333333333"));
        assert!(!org.is_associated("111111111111"));
        assert_eq!(org.associated().collect::<Vec<_>>(), ["222222222222"]);
        assert_eq!(org.status("333333333333"), Some("CREATED"));
        assert_eq!(org.status("444444444444"), None);
    }
}
