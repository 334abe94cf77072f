# The owners declined the fix: suppress the control's findings, with the reason on each finding.
resource "inspector2fix_control_suppression" "inspector2" {
  control_id = "Inspector.2"
  reason     = "No container images in this account; risk accepted by the platform team (SEC-1234)."
}
