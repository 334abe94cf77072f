# Inspector.2 evaluated now, right after the fix, instead of hours later by Security Hub.
check "inspector2_passes" {
  data "inspector2fix_ecr_scanning_compliance" "now" {
    depends_on = [inspector2fix_ecr_scanning.org]
  }

  assert {
    condition     = data.inspector2fix_ecr_scanning_compliance.now.compliance_status != "FAILED"
    error_message = "Inspector.2 fails in: ${join(", ", data.inspector2fix_ecr_scanning_compliance.now.failing_account_ids)}"
  }
}
