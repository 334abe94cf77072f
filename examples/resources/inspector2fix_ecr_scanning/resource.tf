# ECR scanning for the account of the provider's credentials. The minimal form is
#   resource "inspector2fix_ecr_scanning" "this" {}
# Everything below is optional and shown with its default.
resource "inspector2fix_ecr_scanning" "this" {
  disable_on_destroy = true

  timeouts {
    create = "30m"
    update = "30m"
    delete = "30m"
  }
}
