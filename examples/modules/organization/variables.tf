variable "regions" {
  description = "The Regions your landing zone governs. Inspector, its members and Inspector.2 are Regional, so each one is fixed on its own."
  type        = set(string)
  nullable    = false

  validation {
    condition     = length(var.regions) > 0
    error_message = "regions must name at least one Region."
  }
}

variable "exclude_account_ids" {
  description = "Accounts left out everywhere: for example the log-archive or audit account a landing zone scans elsewhere. Excluded accounts still count for Inspector.2: it fails while one of them does not scan ECR. Excluding the delegated administrator (the account running the module) therefore fails Inspector.2 in every Region unless it scans ECR by other means."
  type        = set(string)
  default     = []
  nullable    = false
}

variable "associate_members" {
  description = "Associate organization accounts that Inspector lists but has not associated yet (relationship CREATED) before enabling them. Nothing is ever disassociated."
  type        = bool
  default     = true
  nullable    = false
}

variable "auto_enable" {
  description = "Turn on the organization's auto-enable for ECR, so accounts that join later scan ECR without another apply. Other scan types' flags are sent back exactly as read."
  type        = bool
  default     = true
  nullable    = false
}

variable "disable_on_destroy" {
  description = "Whether destroying the module turns ECR scanning and the ECR auto-enable flag off again. Off by default: a landing zone rarely wants `terraform destroy` to reopen Inspector.2."
  type        = bool
  default     = false
  nullable    = false
}

variable "fail_on_noncompliance" {
  description = "Fail plan and apply, not only warn, when Inspector.2 does not pass by AWS's rule in a Region (an account the module does not manage, such as an excluded one, with ECR scanning off; a suspended member). Off by default: `terraform plan -detailed-exitcode` then exits 0 while the control fails. On, exit 0 also means Inspector.2 passes in every Region."
  type        = bool
  default     = false
  nullable    = false
}
