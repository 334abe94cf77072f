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
  description = "Accounts left out everywhere: for example the log-archive or audit account a landing zone scans elsewhere. The delegated administrator cannot be excluded from Inspector.2's evaluation, only from what this module enables."
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
