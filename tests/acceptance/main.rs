//! One integration-test binary (as ripgrep does) that drives the real Terraform against the
//! provider and local emulators. Modules group the scenarios.

mod harness;

mod actions;
mod adopt;
mod bad_input;
mod control_governance;
mod delegated_admin;
mod destroy;
mod docs;
mod ecr_scanning;
mod emulator_org;
mod failfast;
mod identity;
mod logs;
mod management_module;
mod moto;
mod no_panic;
mod org_policies;
mod organization_module;
mod organization_read;
mod organization_write;
mod plan_unknowns;
mod query;
mod query_policy;
mod region;
mod release;
mod release_merge;
mod rescan;
mod scale;
mod security_hub;
mod source_spelling;
mod stop;
mod suppression_mistakes;
