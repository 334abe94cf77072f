terraform {
  required_providers {
    inspector2fix = {
      source = "inspector2fix/inspector2fix"
    }
  }
}

# Credentials and Region come from the standard AWS environment
# (AWS_PROFILE, AWS_REGION, SSO, web identity, ...). Every argument is optional.
provider "inspector2fix" {
  region = "eu-west-1"
}
