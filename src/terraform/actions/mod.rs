//! Actions (plugin protocol 6.10, Terraform 1.14 and later): operations Terraform invokes from
//! an `action_trigger` or with `terraform apply -invoke=action.TYPE.NAME`, changing no resource's
//! state. One module each.

pub mod enable_ecr_scanning;
