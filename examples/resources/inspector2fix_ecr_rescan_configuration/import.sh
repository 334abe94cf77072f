# By the account id of the provider's credentials; add @REGION for another Region than the provider's.
terraform import inspector2fix_ecr_rescan_configuration.this 123456789012
terraform import inspector2fix_ecr_rescan_configuration.this 123456789012@eu-west-1
