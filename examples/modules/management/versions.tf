terraform {
  required_version = ">= 1.7"
  required_providers {
    inspector2fix = {
      source  = "inspector2fix/inspector2fix"
      version = ">= 0.2.0"
    }
  }
}
