# Run from the AWS Organizations management account: the landing zone's first step.
# AWS allows one delegated administrator, the same account in every Region.
variable "regions" {
  type    = list(string)
  default = ["eu-west-1", "eu-central-1"]
}

resource "inspector2fix_delegated_admin" "this" {
  for_each = toset(var.regions)

  account_id = "111111111111" # the security tooling account
  region     = each.key

  # The default: destroy only forgets. `true` removes the administrator on destroy, which turns
  # every member account into a standalone account.
  disable_on_destroy = false

  timeouts {
    create = "10m"
  }
}
