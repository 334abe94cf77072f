output "delegated_admin_status" {
  description = "The delegated administrator's status per Region (`ENABLED` once designated)."
  value       = { for region, a in inspector2fix_delegated_admin.this : region => a.relationship_status }
}

output "policy_id" {
  description = "The Inspector policy's id (p-...), or null when no policy is attached."
  value       = one(inspector2fix_ecr_scanning_policy.this[*].id)
}

output "policy_target_ids" {
  description = "Where the Inspector policy is attached (empty when there is none)."
  value       = try(inspector2fix_ecr_scanning_policy.this[0].target_ids, toset([]))
}
