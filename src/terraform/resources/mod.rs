//! One module per resource, its unit tests beside it.

pub mod control_suppression;
pub mod delegated_admin;
pub mod ecr_auto_enable;
pub mod ecr_rescan_configuration;
pub mod ecr_scanning;
pub mod ecr_scanning_policy;

use serde::{Deserialize, Serialize};

/// Every resource's private state. `destroy_planned` is written only by `plan_destroy`, so a
/// destroy without it is the first half of a replacement (a taint, `-replace`, another `region`),
/// whose new instance takes over right after: that destroy changes nothing in AWS.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Private {
    pub destroy_planned: bool,
}

impl Private {
    /// What every resource's `plan_destroy` answers: the private state that marks a planned
    /// destroy, the only place the marker is written.
    pub fn planned_destroy() -> Option<Option<Private>> {
        Some(Some(Private { destroy_planned: true }))
    }
}
