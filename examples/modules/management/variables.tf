variable "regions" {
  description = "The Regions your landing zone governs. The delegated administrator is designated in each; AWS requires the same account in every Region."
  type        = set(string)
  nullable    = false

  validation {
    condition     = length(var.regions) > 0
    error_message = "regions must name at least one Region."
  }
}

variable "delegated_admin_account_id" {
  description = "The account to make Amazon Inspector's delegated administrator (12 digits), for example the security tooling account. Not the management account."
  type        = string
  nullable    = false

  validation {
    condition     = can(regex("^[0-9]{12}$", var.delegated_admin_account_id))
    error_message = "delegated_admin_account_id must be a 12-digit account id."
  }
}

variable "policy_target_ids" {
  description = "Where to attach an Inspector policy that turns ECR scanning on: the root (r-...) and/or OUs (ou-...-...), or accounts. Empty (the default): no policy, per-account enablement only (the organization module)."
  type        = set(string)
  default     = []
  nullable    = false
}

variable "policy_regions" {
  description = "Regions the policy enables ECR scanning in; null (the default) means var.regions. [\"ALL_SUPPORTED\"] means every Region, now and later."
  type        = set(string)
  default     = null
}

variable "policy_name" {
  description = "Name of the Inspector policy."
  type        = string
  default     = "inspector2fix-ecr-scanning"
  nullable    = false
}

variable "disable_on_destroy" {
  description = "Whether destroying the module removes the delegated administrator (every member becomes a standalone account). Off by default: destroy only forgets it. The policy is always detached and deleted on destroy; AWS leaves scanning as it is."
  type        = bool
  default     = false
  nullable    = false
}
