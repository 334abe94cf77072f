# Run as the delegated Inspector administrator, once per Region.
resource "inspector2fix_ecr_auto_enable" "this" {
  region = "eu-west-1"

  # Reads can lag an update for a while; the apply waits until the flag sticks.
  timeouts {
    create = "10m"
  }
}
