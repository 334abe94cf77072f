output "compliance_status" {
  description = "Inspector.2 by the control's rule, per Region, right after the apply."
  value       = { for region, c in data.inspector2fix_ecr_scanning_compliance.this : region => c.compliance_status }
}

output "failing_account_ids" {
  description = "Accounts that keep Inspector.2 failing, per Region (empty when it passes)."
  value       = { for region, c in data.inspector2fix_ecr_scanning_compliance.this : region => c.failing_account_ids }
}

output "account_ids" {
  description = "The accounts scanning ECR under this module, per Region."
  value       = { for region, r in inspector2fix_ecr_scanning.this : region => keys(r.accounts) }
}

output "suspended_account_ids" {
  description = "Suspended members per Region: they keep Inspector.2 failing until the administrator disassociates them."
  value       = { for region, m in data.inspector2fix_members.this : region => m.suspended_account_ids }
}
