# A helper of organization.tftest.hcl, which runs only against the project's emulator: turns one
# account's ECR scanning on or off out of band through the emulator's control API, as someone in
# the console would. The endpoint is the one the provider uses (AWS_ENDPOINT_URL).

variable "regions" {
  type = set(string)
}

variable "account_id" {
  type = string
}

variable "ecr" {
  type = string
}

resource "terraform_data" "ecr" {
  for_each = var.regions

  input = "${var.account_id} ${var.ecr} in ${each.key}"

  provisioner "local-exec" {
    command = "curl -fsS -X PUT \"$AWS_ENDPOINT_URL/_emulator/accounts/${var.account_id}?region=${each.key}\" -d '{\"resource_state\":{\"ECR\":\"${var.ecr}\"}}' >/dev/null"
  }
}
