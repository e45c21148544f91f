# A zone by its name: case, a trailing dot and Unicode or punycode do not matter.
data "cloudflaredns_zone" "example" {
  name = "example.com"
}

# The zone of a host name: the zone whose name is the longest suffix of it, so
# sub.example.com when that zone exists next to example.com.
data "cloudflaredns_zone" "of_app" {
  hostname = "app.sub.example.com"
}

# The zone ID makes relative names and "@" possible in records.
resource "cloudflaredns_record" "apex" {
  zone_id = data.cloudflaredns_zone.example.id
  name    = "@"
  content = "192.0.2.10"
}

output "name_servers" {
  description = "The name servers to set at the registrar."
  value       = data.cloudflaredns_zone.example.name_servers
}

output "app_zone" {
  value = "${data.cloudflaredns_zone.of_app.name} (${data.cloudflaredns_zone.of_app.id})"
}
