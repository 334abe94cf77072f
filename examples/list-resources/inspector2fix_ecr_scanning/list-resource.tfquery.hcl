# scan.tfquery.hcl, beside the configuration: `terraform query` (Terraform 1.14 or later).
# Every account of the Region (the administrator and its associated members) with its ECR status.
list "inspector2fix_ecr_scanning" "all" {
  provider         = inspector2fix
  include_resource = true
  limit            = 10000 # Terraform's default is 100 results
}

# Only the accounts that fail Inspector.2 because ECR scanning is off.
list "inspector2fix_ecr_scanning" "off" {
  provider = inspector2fix
  limit    = 10000

  config {
    ecr_status          = ["DISABLED"]
    exclude_account_ids = ["999999999999"] # e.g. a log archive account
  }
}
