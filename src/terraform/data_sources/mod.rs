//! One module per data source, its unit tests beside it.

pub mod ecr_scan_estimate;
pub mod ecr_scanning_compliance;
pub mod members;
pub mod security_hub_control;
