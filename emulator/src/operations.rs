//! The AWS operations the emulator serves: fault targets, and always listed in the request
//! counts.

pub const OPERATIONS: &[&str] = &[
    "Enable",
    "Disable",
    "BatchGetAccountStatus",
    "GetCallerIdentity",
    "AssumeRole",
    "GetFindings",
    "BatchGetSecurityControls",
    "BatchUpdateFindings",
    "DescribeHub",
    "GetConfiguration",
    "UpdateConfiguration",
    "DescribeRepositories",
    "DescribeImages",
    "ListMembers",
    "GetMember",
    "AssociateMember",
    "DescribeOrganizationConfiguration",
    "UpdateOrganizationConfiguration",
];
