# Runs with `terraform test` (and `tofu test`) against the project's emulator only:
# tests/acceptance/organization_module.rs seeds an organization in three Regions, with members not
# yet associated and one excluded account that scans ECR on its own, and points the provider at
# the emulator through the environment. tests/set-ecr changes an account out of band.

variables {
  regions             = ["us-east-1", "eu-west-1", "ap-southeast-2"]
  exclude_account_ids = ["210000000000"]
}

run "one_apply_passes_in_every_region" {
  # On, and the apply still succeeds: the control passes once the module has run.
  variables {
    fail_on_noncompliance = true
  }

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

  variables {
    fail_on_noncompliance = true
  }

  assert {
    condition     = alltrue([for r in var.regions : output.compliance_status[r] == "PASSED"])
    error_message = "Inspector.2 should still pass: ${jsonencode(output.compliance_status)}"
  }
}

# The excluded log-archive account turns its ECR scanning off: nothing the module manages changes,
# but Inspector.2 fails in every Region.
run "the_excluded_account_turns_ecr_off" {
  module {
    source = "./tests/set-ecr"
  }

  variables {
    account_id = "210000000000"
    ecr        = "DISABLED"
  }
}

run "without_the_opt_in_a_failing_control_only_warns" {
  command = plan

  variables {
    fail_on_noncompliance = false
  }

  # A check's failure is a warning: the plan succeeds (and -detailed-exitcode would exit 0).
  expect_failures = [check.inspector2_passes_everywhere]

  assert {
    condition     = alltrue([for r in var.regions : output.compliance_status[r] == "FAILED"])
    error_message = "Inspector.2 should fail in every Region: ${jsonencode(output.compliance_status)}"
  }

  assert {
    condition     = alltrue([for r in var.regions : join(",", output.failing_account_ids[r]) == "210000000000"])
    error_message = "Only the excluded account should be failing: ${jsonencode(output.failing_account_ids)}"
  }
}

run "with_the_opt_in_a_failing_control_fails_the_plan" {
  command = plan

  variables {
    fail_on_noncompliance = true
  }

  expect_failures = [data.inspector2fix_ecr_scanning_compliance.this]
}
