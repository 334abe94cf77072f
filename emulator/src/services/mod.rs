//! The AWS services, each speaking its real wire protocol over the [`World`](crate::model::world::World):
//! Inspector2 (restJson1) in four modules by group of operations, Security Hub (restJson1,
//! PascalCase) in two, AWS Organizations (awsJson1_1), STS (awsQuery) and ECR (awsJson1_1).

pub mod ecr;
pub mod inspector2_admin;
pub mod inspector2_members;
pub mod inspector2_scan_settings;
pub mod inspector2_scanning;
pub mod organizations;
pub mod securityhub_findings;
pub mod securityhub_governance;
pub mod sts;
