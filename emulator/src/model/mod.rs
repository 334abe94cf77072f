//! What AWS remembers, as plain data and the rules over it; nothing here knows HTTP. Each module
//! is on its own layer (see the crate's doc): the per-account and per-Region parts first, then
//! AWS Organizations, the `World` that holds everything, and the Inspector.2 evaluation over it.

pub mod account;
pub mod evaluation;
pub mod findings;
pub mod inspector_org;
pub mod inspector_policy;
pub mod organizations;
pub mod registry;
pub mod scan_settings;
pub mod world;
