//! One module per data source, its unit tests beside it.

pub mod ecr_scan_estimate;
pub mod security_hub_control;
