# Run as the delegated Inspector administrator: the settings apply to the whole organization.
resource "inspector2fix_ecr_rescan_configuration" "this" {
  rescan_duration           = "DAYS_30"
  pull_date_rescan_duration = "DAYS_90"
  pull_date_rescan_mode     = "LAST_PULL_DATE"
}
