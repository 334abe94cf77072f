# Runs with `terraform test` against the project's emulator (tests/acceptance/management_module.rs
# builds an organization with an OU, enables INSPECTOR_POLICY on its root, passes the OU's id as
# policy_target_ids, and points the provider at the emulator through the environment).

variables {
  regions                    = ["us-east-1", "eu-west-1"]
  delegated_admin_account_id = "222222222222"
}

run "designates_the_administrator_everywhere_and_attaches_the_policy" {
  assert {
    condition     = alltrue([for r in var.regions : output.delegated_admin_status[r] == "ENABLED"])
    error_message = "The delegated administrator should be ENABLED in every Region: ${jsonencode(output.delegated_admin_status)}"
  }

  assert {
    condition     = startswith(output.policy_id, "p-")
    error_message = "An Inspector policy should exist: ${jsonencode(output.policy_id)}"
  }

  assert {
    # Compared as sets of strings: OpenTofu's `test` passes a -var the test file does not declare
    # as its text, Terraform as the module's type.
    condition     = toset(output.policy_target_ids) == toset(try(jsondecode(var.policy_target_ids), var.policy_target_ids))
    error_message = "The policy should be attached exactly to policy_target_ids: ${jsonencode(output.policy_target_ids)}"
  }

  assert {
    condition     = toset(inspector2fix_ecr_scanning_policy.this[0].enable_in_regions) == toset(var.regions)
    error_message = "The policy should enable ECR scanning in var.regions."
  }
}

run "a_second_plan_changes_nothing" {
  command = plan

  assert {
    condition     = alltrue([for r in var.regions : output.delegated_admin_status[r] == "ENABLED"])
    error_message = "Still ENABLED: ${jsonencode(output.delegated_admin_status)}"
  }
}

run "without_targets_there_is_no_policy" {
  variables {
    policy_target_ids = []
  }

  assert {
    condition     = output.policy_id == null && length(inspector2fix_ecr_scanning_policy.this) == 0
    error_message = "No policy without policy_target_ids."
  }
}
