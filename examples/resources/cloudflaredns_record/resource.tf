# An A record with the defaults: proxied, automatic TTL. The zone is found from
# the name (the longest matching zone the token can see).
resource "cloudflaredns_record" "www" {
  name    = "www.example.com"
  content = "192.0.2.10"
}

# A CNAME that is not proxied: its TTL defaults to 3600.
resource "cloudflaredns_record" "docs" {
  name    = "docs.example.com"
  type    = "CNAME"
  content = "www.example.com"
  proxied = false
  comment = "Documentation site"
  tags    = ["team:web"]
}

# With zone_id, names may be relative, or "@" for the apex.
resource "cloudflaredns_record" "mail" {
  zone_id  = "023e105f4ecef8ad9ca31a8372d0c353"
  name     = "@"
  type     = "MX"
  content  = "mx1.example.com"
  priority = 10
}

# Fail instead of adopting an identical record that already exists.
resource "cloudflaredns_record" "strict" {
  name           = "api.example.com"
  content        = "192.0.2.20"
  adopt_existing = false
}
