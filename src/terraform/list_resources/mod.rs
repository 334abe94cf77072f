//! List resources (plugin protocol 6.10): `list` blocks in `.tfquery.hcl` files, read by
//! `terraform query` (Terraform 1.14 and later). One module each, named like the managed
//! resource whose objects it finds.

pub mod ecr_scanning;
pub mod ecr_scanning_policy;
