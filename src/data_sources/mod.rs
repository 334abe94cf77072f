//! One module per data source, its unit tests beside it.

pub mod security_hub_control;
