//! The organization side of Inspector at the boundary: member accounts and the organization's
//! auto-enable settings, as the delegated administrator sees them in one Region.

use crate::aws::wire::wire_enum;

wire_enum! {
    /// A member's relationship with the delegated administrator (`members[].relationshipStatus`).
    pub enum RelationshipStatus {
        Created = "CREATED",
        Invited = "INVITED",
        Disabled = "DISABLED",
        Enabled = "ENABLED",
        Removed = "REMOVED",
        Resigned = "RESIGNED",
        Deleted = "DELETED",
        EmailVerificationInProgress = "EMAIL_VERIFICATION_IN_PROGRESS",
        EmailVerificationFailed = "EMAIL_VERIFICATION_FAILED",
        RegionDisabled = "REGION_DISABLED",
        AccountSuspended = "ACCOUNT_SUSPENDED",
        CannotCreateDetectorInOrgMaster = "CANNOT_CREATE_DETECTOR_IN_ORG_MASTER",
    }
}

/// One account of the organization as ListMembers or GetMember report it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Member {
    pub account_id: String,
    /// None when the answer carried none.
    pub relationship_status: Option<RelationshipStatus>,
    pub delegated_admin_account_id: Option<String>,
    /// RFC 3339, UTC, whole seconds (`2026-11-29T01:02:03Z`).
    pub updated_at: Option<String>,
}

/// One page of ListMembers.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct MembersPage {
    pub members: Vec<Member>,
    pub next_token: Option<String>,
}

/// The organization's auto-enable flags. `ec2` and `ecr` are always present in AWS's answer and
/// required in an update; the others are sent back exactly as read (None stays unsent).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct AutoEnable {
    pub ec2: bool,
    pub ecr: bool,
    pub lambda: Option<bool>,
    pub lambda_code: Option<bool>,
    pub code_repository: Option<bool>,
    pub ami: Option<bool>,
}

/// DescribeOrganizationConfiguration's answer.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct OrganizationConfiguration {
    pub auto_enable: AutoEnable,
    /// Whether the administrator has reached the limit of member accounts (10,000).
    pub max_account_limit_reached: bool,
}
