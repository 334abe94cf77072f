# By the policy id (AWS Organizations is global: no Region).
terraform import inspector2fix_ecr_scanning_policy.this p-examplepolicyid111
