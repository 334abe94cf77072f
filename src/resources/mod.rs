//! One module per resource, its unit tests beside it.

pub mod control_suppression;
pub mod ecr_rescan_configuration;
pub mod ecr_scanning;
