# By the delegated administrator's account id (the provider's), optionally with @ and the Region.
terraform import inspector2fix_ecr_auto_enable.this 111111111111
terraform import inspector2fix_ecr_auto_enable.this 111111111111@eu-west-1
