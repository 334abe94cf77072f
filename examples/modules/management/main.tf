# The landing zone's first step, run from the AWS Organizations management account (before the
# organization module, which runs as the delegated administrator):
# 1. designate the delegated Inspector administrator, the same account in every Region;
# 2. optionally, attach an AWS Organizations Inspector policy that turns ECR scanning on for the
#    root or chosen OUs, including accounts that join later. The policy needs INSPECTOR_POLICY
#    enabled on the root (`aws organizations enable-policy-type`); this module never enables it.

resource "inspector2fix_delegated_admin" "this" {
  for_each = var.regions

  account_id         = var.delegated_admin_account_id
  region             = each.key
  disable_on_destroy = var.disable_on_destroy
}

resource "inspector2fix_ecr_scanning_policy" "this" {
  count = length(var.policy_target_ids) > 0 ? 1 : 0

  name              = var.policy_name
  description       = "Amazon Inspector ECR scanning (Security Hub control Inspector.2), managed by Terraform."
  enable_in_regions = var.policy_regions != null ? var.policy_regions : var.regions
  target_ids        = var.policy_target_ids

  # Accounts the policy enables are linked to the delegated administrator: designate it first.
  depends_on = [inspector2fix_delegated_admin.this]
}
