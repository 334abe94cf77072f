# Prices in USD from https://aws.amazon.com/inspector/pricing/ for the provider's Region.
# The figures below are examples (Asia Pacific (Tokyo)); check the page before you rely on them.
data "inspector2fix_ecr_scan_estimate" "this" {
  price_per_image_scan        = 0.11
  price_per_rescan            = 0.01
  rescans_per_image_per_month = 4
  rescan_duration             = "DAYS_30"
  pull_date_rescan_duration   = "DAYS_30"
}

output "ecr_scanning_estimate" {
  value = {
    initial_scan_cost      = data.inspector2fix_ecr_scan_estimate.this.initial_scan_cost
    estimated_monthly_cost = data.inspector2fix_ecr_scan_estimate.this.estimated_monthly_cost
  }
}
