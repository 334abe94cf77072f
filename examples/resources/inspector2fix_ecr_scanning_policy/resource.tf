# Run from the AWS Organizations management account (or the account Organizations delegates policy
# management to). INSPECTOR_POLICY must be enabled on the root once:
#   aws organizations enable-policy-type --root-id r-ab12 --policy-type INSPECTOR_POLICY
resource "inspector2fix_ecr_scanning_policy" "this" {
  name              = "ecr-scanning"
  description       = "Amazon Inspector ECR scanning (Security Hub control Inspector.2)"
  enable_in_regions = ["us-east-1", "eu-west-1"] # or ["ALL_SUPPORTED"]

  # The workloads OU and one account outside it; accounts below an OU inherit the policy.
  target_ids = ["ou-ab12-workload1", "123456789012"]

  tags = {
    owner = "security"
  }
}
