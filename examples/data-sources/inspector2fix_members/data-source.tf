# Read with the delegated Inspector administrator's credentials: every member of the organization
# in this Region, sorted into what to scan, what is suspended and what is not associated.
data "inspector2fix_members" "org" {
  exclude_account_ids = ["222222222222"] # e.g. the log archive account
}

# Scan ECR in the administrator and every associated member.
resource "inspector2fix_ecr_scanning" "org" {
  account_ids = data.inspector2fix_members.org.account_ids
}

output "suspended_members" {
  value = data.inspector2fix_members.org.suspended_account_ids
}
