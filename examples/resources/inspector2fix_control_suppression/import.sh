# Import by control id, or control id and account id when the suppression is scoped to one account.
terraform import inspector2fix_control_suppression.inspector2 Inspector.2
terraform import inspector2fix_control_suppression.member Inspector.2/222222222222
# From another Region than the provider's: add @REGION.
terraform import inspector2fix_control_suppression.ireland Inspector.2@eu-west-1
