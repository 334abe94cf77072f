# policies.tfquery.hcl, beside the configuration: `terraform query` (Terraform 1.14 or later),
# run from the management account or the account that manages Organizations policies.
# Every Inspector policy of the organization, with the objects of those this provider can own.
list "inspector2fix_ecr_scanning_policy" "all" {
  provider         = inspector2fix
  include_resource = true
  limit            = 1000 # Terraform's default is 100 results
}
