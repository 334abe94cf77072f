# Look up the control: is Inspector.2 passing, and which accounts fail it?
data "inspector2fix_security_hub_control" "inspector2" {}

output "inspector2_compliance" {
  value = data.inspector2fix_security_hub_control.inspector2.compliance_status
}

output "inspector2_failing_accounts" {
  value = distinct([
    for f in data.inspector2fix_security_hub_control.inspector2.findings :
    f.account_id if f.compliance_status == "FAILED" && f.workflow_status != "SUPPRESSED"
  ])
}
