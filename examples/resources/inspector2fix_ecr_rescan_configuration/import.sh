# By the account id of the provider's credentials, optionally with the provider's Region.
terraform import inspector2fix_ecr_rescan_configuration.this 123456789012
terraform import inspector2fix_ecr_rescan_configuration.this 123456789012@eu-west-1
