//! One integration-test binary (as ripgrep does) that drives the real Terraform against the
//! provider and local emulators. Modules group the scenarios.

mod harness;

mod docs;
mod ecr_scanning;
mod moto;
mod release;
mod security_hub;
