terraform {
  required_providers {
    cloudflaredns = {
      source = "cloudflaredns/cloudflaredns"
    }
  }
}

# Credentials from the environment: CLOUDFLARE_API_TOKEN.
provider "cloudflaredns" {}

# Or explicitly, from a sensitive variable.
variable "cloudflare_api_token" {
  type      = string
  sensitive = true
}

provider "cloudflaredns" {
  alias     = "explicit"
  api_token = var.cloudflare_api_token
  rps       = 4 # Cloudflare's 1,200 requests per 5 minutes
}
