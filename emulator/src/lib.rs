//! A small stateful emulator of the AWS APIs the inspector2fix provider uses, speaking the real
//! wire protocols (so the AWS SDK talks to it unchanged through `AWS_ENDPOINT_URL`), plus a JSON
//! control API under `/_emulator/` for tests. Everything is served on one HTTP/1.1 port.
//!
//! Routing: `/_emulator/...` goes to the control API; every other request is an AWS API call,
//! dispatched on the signing service name of its SigV4 credential scope (`inspector2`,
//! `securityhub`, `sts`, `ecr`, `organizations`). Requests without a credential scope are routed
//! by `X-Amz-Target` (AWS Organizations) or path (`/` = STS, Inspector2 paths = Inspector2,
//! Security Hub paths = Security Hub) and act as the default account.
//!
//! Regions: Inspector2, the Inspector organization, Security Hub and ECR state is kept per Region
//! (the Region of the SigV4 credential scope, else us-east-1); configuration, faults, the request
//! log, STS and AWS Organizations are global. See `model::world`.
//!
//! Layout: three folders say what a module is. `model/` is what AWS remembers, as plain data and
//! the rules over it (no HTTP): accounts, Inspector organizations, AWS Organizations, Security
//! Hub, and the `World` that holds it all. `services/` speaks the AWS wire protocols, one module
//! per group of operations. `control/` is the JSON control API for tests. Beside them sit the
//! plumbing both use (routing, SigV4 scope, error encodings, the request log, faults, the
//! emulator's own configuration) and `server`.
//!
//! Layering: a module uses only modules on lower layers (`use crate::...` always points down),
//! the crate root and the folders' `mod.rs` only declare modules and re-export (a folder module
//! that is itself on a layer, `control`, may use its own children), and `tests/layering.rs`
//! checks the list below.
//!
//! 1. `util`, `reply`, `operations`: leaves (helpers, the reply type, the operation list).
//! 2. `auth` (SigV4 scope parsing), `errors` (AWS error encodings), `request_log`,
//!    `model::account` (one account's Inspector2 state), `model::findings` (the Security Hub
//!    model, filters, paging, store and standards control associations), `model::scan_settings`
//!    (one account's Inspector2 scan settings), `model::registry` (one account's ECR images),
//!    `model::inspector_org` (one Region's Inspector organization: delegated administrator and
//!    members), `model::inspector_policy` (the INSPECTOR_POLICY document and its inheritance).
//! 3. `faults`, `emulator_config` (the emulator's configuration and account patches),
//!    `model::organizations` (AWS Organizations: the tree, policy types, policies, attachments).
//! 4. `model::world` (the `World` that holds all of the above, one `RegionState` per Region).
//! 5. `call` (an AWS call as services see it), `model::evaluation` (the Inspector.2 control
//!    finding), `control::inspector_org` (the control API's view and changes of a Region's
//!    Inspector organization), `control::organizations` (the control API's AWS Organizations
//!    tree), `control::securityhub` (the control API's standards, control associations and
//!    Security Hub organization configuration).
//! 6. The AWS services: `services::inspector2_scanning` (Enable, Disable, BatchGetAccountStatus),
//!    `services::inspector2_scan_settings` (GetConfiguration, UpdateConfiguration),
//!    `services::inspector2_members` (ListMembers, GetMember, AssociateMember,
//!    Describe/UpdateOrganizationConfiguration), `services::inspector2_admin` (the
//!    delegated-administrator operations), `services::securityhub_findings` (GetFindings,
//!    BatchGetSecurityControls, BatchUpdateFindings, DescribeHub), `services::securityhub_governance`
//!    (standards control associations, Security Hub's organization configuration),
//!    `services::organizations` (AWS Organizations), `services::sts`, `services::ecr`
//!    (DescribeRepositories, DescribeImages); and `control` (the control API's router).
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

pub mod auth;
pub mod call;
pub mod control;
pub mod emulator_config;
pub mod errors;
pub mod faults;
pub mod model;
pub mod operations;
pub mod reply;
pub mod request_log;
pub mod server;
pub mod services;
pub mod util;

pub use emulator_config::{Config, Initial};
pub use model::world::World;
pub use operations::OPERATIONS;
pub use reply::Reply;
pub use server::{serve, Emulator, SharedState};
