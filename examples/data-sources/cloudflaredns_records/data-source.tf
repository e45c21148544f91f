# Only the A records of www.example.com ("www" is relative to the zone).
data "cloudflaredns_records" "www" {
  zone_name = "example.com"
  name      = "www"
  type      = "A"
}

# The records of example.com that this configuration manages.
resource "cloudflaredns_record" "managed" {
  for_each = {
    www = "192.0.2.10"
    api = "192.0.2.20"
  }
  name    = "${each.key}.example.com"
  content = each.value
}

# Every record of the zone, managed by Terraform or not. depends_on makes the
# listing wait for this run's creates and deletes, so a record being created
# never shows as unmanaged.
data "cloudflaredns_records" "audit" {
  zone_name  = "example.com"
  depends_on = [cloudflaredns_record.managed]
}

locals {
  managed_ids = [for r in cloudflaredns_record.managed : r.id]
}

# The records of the zone that Terraform does not manage: candidates to import
# or to delete, reported by every plan.
output "unmanaged_record_ids" {
  value = setsubtract(data.cloudflaredns_records.audit.records[*].id, local.managed_ids)
}

output "unmanaged_records" {
  value = [
    for r in data.cloudflaredns_records.audit.records : "${r.type} ${r.name} ${r.content}"
    if !contains(local.managed_ids, r.id)
  ]
}
