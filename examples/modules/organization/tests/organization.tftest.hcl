# Runs with `terraform test` against the project's emulator (tests/acceptance/organization_module.rs
# seeds an organization in three Regions, with members not yet associated and one excluded account,
# and points the provider at the emulator through the environment).

variables {
  regions             = ["us-east-1", "eu-west-1", "ap-southeast-2"]
  exclude_account_ids = ["210000000000"]
}

run "one_apply_passes_in_every_region" {
  assert {
    condition     = alltrue([for r in var.regions : output.compliance_status[r] == "PASSED"])
    error_message = "Inspector.2 should pass in every Region after one apply: ${jsonencode(output.compliance_status)}"
  }

  assert {
    condition     = alltrue([for r in var.regions : length(output.failing_account_ids[r]) == 0])
    error_message = "No account should be failing: ${jsonencode(output.failing_account_ids)}"
  }

  assert {
    condition     = alltrue([for r in var.regions : !contains(output.account_ids[r], "210000000000")])
    error_message = "The excluded account must not be enabled."
  }

  assert {
    condition     = alltrue([for r in var.regions : inspector2fix_ecr_auto_enable.this[r].id != ""])
    error_message = "Auto-enable for ECR should be on in every Region."
  }

  assert {
    condition     = alltrue([for r in var.regions : alltrue([for s in values(inspector2fix_ecr_scanning.this[r].status) : s == "ENABLED"])])
    error_message = "Every account should read ENABLED."
  }
}

run "a_second_plan_changes_nothing" {
  command = plan

  assert {
    condition     = alltrue([for r in var.regions : output.compliance_status[r] == "PASSED"])
    error_message = "Inspector.2 should still pass: ${jsonencode(output.compliance_status)}"
  }
}
