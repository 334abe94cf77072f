# One account:
terraform import inspector2fix_ecr_scanning.this 123456789012

# Several accounts (a delegated administrator and its members), joined with commas:
terraform import inspector2fix_ecr_scanning.this 111111111111,222222222222,333333333333

# From another Region than the provider's: add @REGION.
terraform import 'inspector2fix_ecr_scanning.this["eu-west-1"]' 123456789012@eu-west-1
