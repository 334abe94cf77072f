# Account vending: turn ECR scanning on in each new account right after it is created
# (Terraform 1.14 or later), with the delegated administrator's credentials.
action "inspector2fix_enable_ecr_scanning" "new_account" {
  config {
    account_ids       = [aws_organizations_account.team.id]
    associate_members = true  # associate it first if Inspector has not yet
    timeout           = "45m" # default "30m"
  }
}

resource "aws_organizations_account" "team" {
  name  = "team"
  email = "aws+team@example.com"

  lifecycle {
    action_trigger {
      events  = [after_create]
      actions = [action.inspector2fix_enable_ecr_scanning.new_account]
    }
  }
}
