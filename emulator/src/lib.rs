//! A small stateful emulator of the AWS APIs the inspector2fix provider uses, speaking the real
//! wire protocols (so the AWS SDK talks to it unchanged through `AWS_ENDPOINT_URL`), plus a JSON
//! control API under `/_emulator/` for tests. Everything is served on one HTTP/1.1 port.
//!
//! Routing: `/_emulator/...` goes to the control API; every other request is an AWS API call,
//! dispatched on the signing service name of its SigV4 credential scope (`inspector2`,
//! `securityhub`, `sts`). Requests without a credential scope are routed by path (`/` = STS,
//! Inspector2 paths = Inspector2, Security Hub paths = Security Hub) and act as the default
//! account.
//!
//! Regions: Inspector2, the organization, Security Hub and ECR state is kept per Region (the
//! Region of the SigV4 credential scope, else us-east-1); configuration, faults, the request log
//! and STS are global. See `state`.
//!
//! Layering: a module uses only modules on lower layers (`use crate::...` always points down),
//! and the crate root only declares modules and re-exports.
//!
//! 1. `util`, `reply`, `operations`: leaves (helpers, the reply type, the operation list).
//! 2. `auth` (SigV4 scope parsing), `errors` (AWS error encodings), `request_log`, `account` (one
//!    account's Inspector2 state), `findings` (the Security Hub model, filters, paging and store),
//!    `scan_config` (one account's Inspector2 scan settings), `registry` (one account's ECR images),
//!    `org` (one Region's organization: delegated administrator and members), `inspector_policy`
//!    (the INSPECTOR_POLICY document and its inheritance operators).
//! 3. `faults`, `config` (configuration and account patches), `organizations` (AWS Organizations:
//!    the tree, policy types, policies and attachments).
//! 4. `state` (the `World` that holds all of the above).
//! 5. `call` (an AWS call as services see it), `evaluation` (the Inspector.2 control finding),
//!    `organization` (the control API's view and changes of a Region's organization),
//!    `organizations_setup` (the control API's building of the AWS Organizations tree),
//!    `securityhub_setup` (the control API's standards, control associations and Security Hub
//!    organization configuration).
//! 6. `inspector2_config` (GetConfiguration, UpdateConfiguration), `inspector2_org` (ListMembers,
//!    GetMember, AssociateMember, Describe/UpdateOrganizationConfiguration), `ecr` (DescribeRepositories,
//!    DescribeImages), `inspector2_admin` (the delegated-administrator operations), `organizations_api`
//!    (AWS Organizations), `securityhub_governance` (standards control associations and Security
//!    Hub's organization configuration), `inspector2`, `securityhub`, `sts` (the AWS services), `control` (the
//!    control API).
//! 7. `server` (HTTP, routing to 6).
//!
//! Embedding in tests:
//! ```no_run
//! # async fn f() -> std::io::Result<()> {
//! let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await?;
//! let addr = listener.local_addr()?;
//! let emu = inspector2fix_emulator::Emulator::new(Default::default());
//! tokio::spawn(inspector2fix_emulator::serve(listener, emu));
//! # Ok(()) }
//! ```

pub mod account;
pub mod auth;
pub mod call;
pub mod config;
pub mod control;
pub mod ecr;
pub mod errors;
pub mod evaluation;
pub mod faults;
pub mod findings;
pub mod inspector2;
pub mod inspector2_admin;
pub mod inspector2_config;
pub mod inspector2_org;
pub mod inspector_policy;
pub mod operations;
pub mod org;
pub mod organization;
pub mod organizations;
pub mod organizations_api;
pub mod organizations_setup;
pub mod registry;
pub mod reply;
pub mod request_log;
pub mod scan_config;
pub mod securityhub;
pub mod securityhub_governance;
pub mod securityhub_setup;
pub mod server;
pub mod state;
pub mod sts;
pub mod util;

pub use config::{Config, Initial};
pub use operations::OPERATIONS;
pub use reply::Reply;
pub use server::{serve, Emulator, SharedState};
pub use state::World;
