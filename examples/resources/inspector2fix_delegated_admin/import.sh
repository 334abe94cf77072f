# By the administrator's account id, optionally with @ and the Region (the provider's when left out).
terraform import 'inspector2fix_delegated_admin.this["eu-west-1"]' 111111111111@eu-west-1
terraform import 'inspector2fix_delegated_admin.this["eu-central-1"]' 111111111111@eu-central-1
