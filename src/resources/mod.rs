//! One module per resource, its unit tests beside it.

pub mod ecr_scanning;
