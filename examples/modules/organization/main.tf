# Inspector.2 passes in an organization only when the delegated administrator and every member
# scan ECR, in each Region. Per Region: read the members, enable ECR for all of them (associating
# those not associated yet), turn on auto-enable for accounts that join later, and check the
# control's rule at once with Inspector's own answers.

data "inspector2fix_members" "this" {
  for_each = var.regions

  region              = each.key
  exclude_account_ids = var.exclude_account_ids
}

locals {
  # Accounts of the organization Inspector has not associated yet: associated before enabling.
  # Other relationship statuses (REMOVED, RESIGNED, REGION_DISABLED, ...) are not touched.
  to_associate = {
    for region, m in data.inspector2fix_members.this : region => [
      for member in m.members : member.account_id
      if member.relationship_status == "CREATED" && !contains(var.exclude_account_ids, member.account_id)
    ]
  }
}

resource "inspector2fix_ecr_scanning" "this" {
  for_each = var.regions

  region = each.key
  # A map, not a list: Terraform plans a map of 10,000 accounts by its keys in about a second.
  accounts = {
    for id in setunion(
      data.inspector2fix_members.this[each.key].account_ids,
      var.associate_members ? local.to_associate[each.key] : [],
    ) : id => "member"
  }
  associate_members  = var.associate_members
  disable_on_destroy = var.disable_on_destroy
}

resource "inspector2fix_ecr_auto_enable" "this" {
  for_each = var.auto_enable ? var.regions : toset([])

  region             = each.key
  disable_on_destroy = var.disable_on_destroy
}

# Security Hub re-evaluates Inspector.2 only periodically (up to about 12 hours); this applies the
# same rule now.
data "inspector2fix_ecr_scanning_compliance" "this" {
  for_each = var.regions

  region     = each.key
  depends_on = [inspector2fix_ecr_scanning.this, inspector2fix_ecr_auto_enable.this]

  lifecycle {
    # The opt-in: an error, so plan and apply fail (plan -detailed-exitcode exits 1). It is read
    # at plan time when nothing in the module changes, else during the apply, after the changes.
    postcondition {
      condition     = !var.fail_on_noncompliance || self.compliance_status == "PASSED"
      error_message = "Inspector.2 is ${self.compliance_status} in ${each.key} (fail_on_noncompliance is on); failing accounts: ${join(", ", self.failing_account_ids)}."
    }
  }
}

# A check only warns: plan and apply still succeed while the control fails (see fail_on_noncompliance).
check "inspector2_passes_everywhere" {
  assert {
    condition = alltrue([for c in data.inspector2fix_ecr_scanning_compliance.this : c.compliance_status == "PASSED"])
    error_message = join("\n", concat(["Inspector.2 does not pass in every Region:"], [
      for region, c in data.inspector2fix_ecr_scanning_compliance.this :
      "${region}: ${c.compliance_status}, failing accounts: ${join(", ", c.failing_account_ids)}"
      if c.compliance_status != "PASSED"
    ]))
  }
}
