# The demo configuration: what `make demo` runs against the bundled emulator.
# Against real Cloudflare, set CLOUDFLARE_API_TOKEN and run it with
# -var zone=<a zone of yours>.
terraform {
  required_providers {
    cloudflaredns = {
      source = "cloudflaredns/cloudflaredns"
    }
  }
}

# The confirmed connector: credentials come from CLOUDFLARE_API_TOKEN (and
# CLOUDFLARE_BASE_URL for the emulator).
provider "cloudflaredns" {}

variable "zone" {
  description = "Name of a zone the API token can edit."
  type        = string
}

variable "adopt" {
  description = "Add a record that already exists on Cloudflare, to show adoption."
  type        = bool
  default     = false
}

# Defaults of the seed spec: type A, proxied, automatic TTL.
resource "cloudflaredns_record" "www" {
  name    = "www.${var.zone}"
  content = "192.0.2.10"
}

# A CNAME that Cloudflare does not proxy: its TTL defaults to 3600.
resource "cloudflaredns_record" "docs" {
  name    = "docs.${var.zone}"
  type    = "CNAME"
  content = "www.${var.zone}"
  proxied = false
  comment = "Documentation site"
}

# Identical to a record created outside Terraform: Cloudflare answers 81058 and
# the provider adopts the existing record instead of failing.
resource "cloudflaredns_record" "api" {
  count   = var.adopt ? 1 : 0
  name    = "api.${var.zone}"
  content = "192.0.2.20"
  proxied = false
  ttl     = 300
}

output "records" {
  value = merge(
    {
      (cloudflaredns_record.www.fqdn)  = cloudflaredns_record.www.id
      (cloudflaredns_record.docs.fqdn) = cloudflaredns_record.docs.id
    },
    { for r in cloudflaredns_record.api : r.fqdn => r.id },
  )
}
