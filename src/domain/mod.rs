//! The domain layer: what the provider decides, free of Terraform types (nothing here names
//! `tf_provider`; `scripts/check-imports.py` enforces it). It talks to AWS only through the
//! traits of [`crate::aws`] and returns reports that the Terraform layer translates.
//!
//! - Jobs: [`scanning`] (enable, disable and read ECR scanning for many accounts: send, wait,
//!   judge, report), [`association`] (associate members, never disassociate), [`organization`]
//!   (the members an administrator sees), [`compliance`] (Inspector.2 by AWS's rule),
//!   [`auto_enable`] (the organization's ECR auto-enable flag), [`delegated_admin`] (designating
//!   the organization's Inspector administrator), [`rescan`] (ECR rescan settings),
//!   [`estimate`] (the cost of enhanced scanning), [`findings`] (a control's findings and
//!   compliance), [`control_enablement`] (whether a control is enabled, Security Hub's
//!   configuration type), [`suppression`] (what to suppress, restore or adopt), [`survey`]
//!   (which accounts of a Region scan ECR, for `terraform query`) and [`policy_list`] (the
//!   organization's Inspector policies, for `terraform query`).
//! - Their parts: [`status`] (what Inspector's statuses and error codes mean), [`wait`] (polling
//!   cadence and the deadline-or-stop limit), [`batch`] (chunks of 100, 10 in flight),
//!   [`ratelimit`] (Security Hub's documented rates).

pub mod association;
pub mod auto_enable;
pub mod batch;
pub mod compliance;
pub mod control_enablement;
pub mod delegated_admin;
pub mod ecr_policy;
pub mod estimate;
pub mod findings;
pub mod organization;
pub mod policy_cause;
pub mod policy_list;
pub mod ratelimit;
pub mod rescan;
pub mod scanning;
pub mod status;
pub mod suppression;
pub mod survey;
pub mod wait;
