package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// TestAccRecord_spellings applies each spelling of a name or content and
// checks that the next plan is empty and that the state keeps what was written.
func TestAccRecord_spellings(t *testing.T) {
	tests := []struct {
		name string
		// body of the resource; {zone_id} is replaced by example.com's ID.
		body string
		// attribute → the exact value the state must keep.
		keeps map[string]string
		fqdn  string
	}{
		{name: "upper case name", body: `name = "APP.Example.COM"
content = "192.0.2.1"`, keeps: map[string]string{"name": "APP.Example.COM"}, fqdn: "app.example.com"},
		{name: "trailing dot", body: `name = "app.example.com."
content = "192.0.2.1"`, keeps: map[string]string{"name": "app.example.com."}, fqdn: "app.example.com"},
		{name: "relative with zone_id", body: `zone_id = "{zone_id}"
name = "app"
content = "192.0.2.1"`, keeps: map[string]string{"name": "app"}, fqdn: "app.example.com"},
		{name: "at sign with zone_id", body: `zone_id = "{zone_id}"
name = "@"
content = "192.0.2.1"`, keeps: map[string]string{"name": "@"}, fqdn: "example.com"},
		{name: "apex", body: `name = "example.com"
content = "192.0.2.1"`, keeps: map[string]string{"name": "example.com"}, fqdn: "example.com"},
		{name: "unicode name", body: `name = "bücher.example.com"
content = "192.0.2.1"`, keeps: map[string]string{"name": "bücher.example.com"}, fqdn: "xn--bcher-kva.example.com"},
		{name: "punycode name", body: `name = "xn--bcher-kva.example.com"
content = "192.0.2.1"`, keeps: map[string]string{"name": "xn--bcher-kva.example.com"}, fqdn: "xn--bcher-kva.example.com"},
		{name: "underscore", body: `name = "_dmarc.example.com"
type = "TXT"
content = "v=DMARC1; p=none"`, keeps: map[string]string{"name": "_dmarc.example.com", "content": "v=DMARC1; p=none"}, fqdn: "_dmarc.example.com"},
		{name: "wildcard", body: `name = "*.example.com"
content = "192.0.2.1"`, keeps: map[string]string{"name": "*.example.com"}, fqdn: "*.example.com"},
		{name: "ipv6 long form", body: `name = "v6.example.com"
type = "AAAA"
content = "2001:DB8:0:0::1"`, keeps: map[string]string{"content": "2001:DB8:0:0::1"}, fqdn: "v6.example.com"},
		{name: "ipv6 full form", body: `name = "v6.example.com"
type = "AAAA"
content = "2001:0db8:0000:0000:0000:0000:0000:0001"`, keeps: map[string]string{"content": "2001:0db8:0000:0000:0000:0000:0000:0001"}, fqdn: "v6.example.com"},
		{name: "cname target upper case with dot", body: `name = "www.example.com"
type = "CNAME"
content = "Origin.Example.NET."`, keeps: map[string]string{"content": "Origin.Example.NET."}, fqdn: "www.example.com"},
		{name: "mx target upper case", body: `name = "example.com"
type = "MX"
content = "MX1.Example.NET."
priority = 10`, keeps: map[string]string{"content": "MX1.Example.NET."}, fqdn: "example.com"},
		{name: "ns target upper case", body: `name = "sub.example.com"
type = "NS"
content = "NS1.Example.NET"`, keeps: map[string]string{"content": "NS1.Example.NET"}, fqdn: "sub.example.com"},
		{name: "txt with quotes", body: `name = "txt.example.com"
type = "TXT"
content = "\"v=spf1 -all\""`, keeps: map[string]string{"content": `"v=spf1 -all"`}, fqdn: "txt.example.com"},
		{name: "txt without quotes", body: `name = "txt.example.com"
type = "TXT"
content = "v=spf1 -all"`, keeps: map[string]string{"content": "v=spf1 -all"}, fqdn: "txt.example.com"},
		{name: "empty tags and comment", body: `name = "app.example.com"
content = "192.0.2.1"
tags = []
comment = ""`, keeps: map[string]string{"comment": ""}, fqdn: "app.example.com"},
		{name: "proxied false ttl unset", body: `name = "app.example.com"
content = "192.0.2.1"
proxied = false`, fqdn: "app.example.com"},
		{name: "caa data", body: `name = "example.com"
type = "CAA"
data {
  flags = 0
  tag   = "Issue"
  value = "letsencrypt.org"
}`, keeps: map[string]string{"data.tag": "Issue"}, fqdn: "example.com"},
		{name: "caa content", body: `name = "example.com"
type = "CAA"
content = "0 issue letsencrypt.org"`, keeps: map[string]string{"content": "0 issue letsencrypt.org"}, fqdn: "example.com"},
		{name: "srv data", body: `name = "_sip._tcp.example.com"
type = "SRV"
data {
  priority = 10
  weight   = 5
  port     = 5060
  target   = "SIP.Example.COM."
}`, keeps: map[string]string{"data.target": "SIP.Example.COM."}, fqdn: "_sip._tcp.example.com"},
		{name: "srv content", body: `name = "_sip._tcp.example.com"
type = "SRV"
content = "10 5 5060 sip.example.com"`, keeps: map[string]string{"content": "10 5 5060 sip.example.com"}, fqdn: "_sip._tcp.example.com"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			body := strings.ReplaceAll(tt.body, "{zone_id}", env.zoneID("example.com"))
			checks := []statecheck.StateCheck{
				statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("fqdn"), knownvalue.StringExact(tt.fqdn)),
			}
			for attr, want := range tt.keeps {
				p := tfjsonpath.New(attr)
				if a, b, ok := strings.Cut(attr, "."); ok {
					p = tfjsonpath.New(a).AtMapKey(b)
				}
				checks = append(checks, statecheck.ExpectKnownValue(appAddr, p, knownvalue.StringExact(want)))
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.checkNoRecords,
				Steps: []resource.TestStep{{
					Config:            env.config(appRecord(body)),
					ConfigPlanChecks:  emptyPlanAfterApply,
					ConfigStateChecks: checks,
				}},
			})
		})
	}
}

// TestAccRecord_outOfBandChanges changes one attribute at a time behind
// Terraform's back and checks that the plan shows exactly that resource
// changing, in place (or replaced, for type).
func TestAccRecord_outOfBandChanges(t *testing.T) {
	mx := `name = "mail.example.com"
type = "MX"
content = "mx1.example.net"
priority = 10
ttl = 300
comment = "mail"
tags = ["team:mail"]`
	caa := `name = "example.com"
type = "CAA"
data {
  flags = 0
  tag   = "issue"
  value = "letsencrypt.org"
}`
	a := `name = "app.example.com"
content = "192.0.2.1"`
	tests := []struct {
		name   string
		body   string
		change func(*emulator.Record)
		action plancheck.ResourceActionType
	}{
		{"name", a, func(r *emulator.Record) { r.Name = "renamed.example.com" }, plancheck.ResourceActionUpdate},
		{"content", a, func(r *emulator.Record) { r.Content = "198.51.100.1" }, plancheck.ResourceActionUpdate},
		{"proxied", a, func(r *emulator.Record) { r.Proxied = false }, plancheck.ResourceActionUpdate},
		{"ttl", mx, func(r *emulator.Record) { r.TTL = 600 }, plancheck.ResourceActionUpdate},
		{"priority", mx, func(r *emulator.Record) { p := 20; r.Priority = &p }, plancheck.ResourceActionUpdate},
		{"comment", mx, func(r *emulator.Record) { c := "changed"; r.Comment = &c }, plancheck.ResourceActionUpdate},
		{"comment removed", mx, func(r *emulator.Record) { r.Comment = nil }, plancheck.ResourceActionUpdate},
		{"tags", mx, func(r *emulator.Record) { r.Tags = []string{"team:other"} }, plancheck.ResourceActionUpdate},
		{"cname target", `name = "www.example.com"
type = "CNAME"
content = "origin.example.net"`, func(r *emulator.Record) { r.Content = "other.example.net" }, plancheck.ResourceActionUpdate},
		{"caa value", caa, func(r *emulator.Record) { r.Data["value"] = "pki.goog" }, plancheck.ResourceActionUpdate},
		{"type", `name = "app.example.com"
type = "TXT"
content = "192.0.2.1"`, func(r *emulator.Record) { r.Type = "A" }, plancheck.ResourceActionDestroyBeforeCreate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			zoneID := env.zoneID("example.com")
			config := env.config(appRecord(tt.body))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.checkNoRecords,
				Steps: []resource.TestStep{
					{Config: config, ConfigPlanChecks: emptyPlanAfterApply},
					{
						PreConfig: func() {
							rec := env.onlyRecord()
							if _, err := env.emu.PatchRecord(zoneID, rec.ID, tt.change); err != nil {
								t.Fatalf("out-of-band change: %v", err)
							}
						},
						Config: config,
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: []plancheck.PlanCheck{
								plancheck.ExpectResourceAction(appAddr, tt.action),
								plancheck.ExpectNonEmptyPlan(),
							},
							PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
						},
					},
				},
			})
		})
	}
}

func TestAccRecord_zoneChangeReplaces(t *testing.T) {
	env := newTestEnv(t, "example.com", "example.net")
	body := func(zone string) string {
		return appRecord(fmt.Sprintf("zone_id = %q\nname = \"app\"\ncontent = \"192.0.2.1\"", env.zoneID(zone)))
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{Config: env.config(body("example.com"))},
			{
				Config:           env.config(body("example.net")),
				ConfigPlanChecks: expectAction(plancheck.ResourceActionDestroyBeforeCreate),
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("fqdn"), knownvalue.StringExact("app.example.net")),
				},
			},
		},
	})
}

// TestAccRecord_validation checks that bad input fails the plan, names the
// attribute, and never reaches Cloudflare.
func TestAccRecord_validation(t *testing.T) {
	tests := []struct {
		name string
		body string
		want string
	}{
		{"A shorthand", `name = "a.example.com"
content = "1.1"`, `(?s)Invalid A record content.*content`},
		{"A out of range", `name = "a.example.com"
content = "256.0.0.1"`, `(?s)Invalid A record content.*256\.0\.0\.1`},
		{"AAAA not IPv6", `name = "a.example.com"
type = "AAAA"
content = "192.0.2.1"`, `(?s)Invalid AAAA record content.*not an IPv6 address`},
		{"CNAME not a hostname", `name = "a.example.com"
type = "CNAME"
content = "not a host"`, `(?s)Invalid CNAME record content`},
		{"MX not a hostname", `name = "a.example.com"
type = "MX"
priority = 10
content = "mail server"`, `(?s)Invalid MX record content`},
		{"NS not a hostname", `name = "a.example.com"
type = "NS"
content = "ns_1"`, `(?s)Invalid NS record content`},
		{"CNAME to itself", `name = "a.example.com"
type = "CNAME"
content = "A.example.com."`, `(?s)CNAME points at itself`},
		{"TXT too long", `name = "a.example.com"
type = "TXT"
content = "` + strings.Repeat("x", 2049) + `"`, `(?s)Invalid TXT record content.*2049 characters`},
		{"ttl too small", `name = "a.example.com"
content = "192.0.2.1"
proxied = false
ttl = 10`, `(?s)Invalid TTL.*ttl = 10`},
		{"ttl too large", `name = "a.example.com"
content = "192.0.2.1"
proxied = false
ttl = 86401`, `(?s)Invalid TTL`},
		{"ttl with proxied", `name = "a.example.com"
content = "192.0.2.1"
proxied = true
ttl = 300`, `(?s)TTL of a proxied record.*ttl`},
		{"proxied TXT", `name = "a.example.com"
type = "TXT"
content = "hello"
proxied = true`, `(?s)Record type cannot be proxied.*proxied`},
		{"MX without priority", `name = "a.example.com"
type = "MX"
content = "mx.example.net"`, `(?s)MX record without priority.*priority`},
		{"tag without value", `name = "a.example.com"
content = "192.0.2.1"
tags = ["team"]`, `(?s)must be name:value`},
		{"comment with newline", `name = "a.example.com"
content = "192.0.2.1"
comment = "two\nlines"`, `(?s)must be a single line`},
		{"relative name without zone_id", `name = "app"
content = "192.0.2.1"`, `(?s)Invalid record name.*needs zone_id`},
		{"at sign without zone_id", `name = "@"
content = "192.0.2.1"`, `(?s)Invalid record name.*needs zone_id`},
		{"unknown type", `name = "a.example.com"
type = "PTR"
content = "x.example.com"`, `(?s)type.*value must be one of`},
		{"CAA without data", `name = "example.com"
type = "CAA"`, `(?s)Missing data block`},
		{"CAA content and data disagree", `name = "example.com"
type = "CAA"
content = "0 issue pki.goog"
data {
  flags = 0
  tag   = "issue"
  value = "letsencrypt.org"
}`, `(?s)content and data disagree`},
		{"SRV without port", `name = "_sip._tcp.example.com"
type = "SRV"
data {
  priority = 10
  weight   = 5
  target   = "sip.example.com"
}`, `(?s)Missing port`},
		{"data on an A record", `name = "a.example.com"
content = "192.0.2.1"
data {
  flags = 0
}`, `(?s)data on a record that has none`},
		{"name outside the zone", `zone_id = "{zone_id}"
name = "a.example.org."
content = "192.0.2.1"`, `(?s)Invalid record name.*not inside the zone`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			body := strings.ReplaceAll(tt.body, "{zone_id}", env.zoneID("example.com"))
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      env.config(appRecord(body)),
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
			if n := env.emu.Writes(); n != 0 {
				t.Errorf("invalid input made %d writes to Cloudflare", n)
			}
		})
	}
}

// TestAccRecord_validationAtApply checks a value unknown at plan time: the same
// message comes at apply, before any write.
func TestAccRecord_validationAtApply(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(`
resource "cloudflaredns_record" "first" {
  name    = "first.example.com"
  content = "192.0.2.1"
}`, appRecord(`name = "a.example.com"
content = cloudflaredns_record.first.id # known only after apply, and not an address`)),
			ExpectError: regexp.MustCompile(`(?s)Invalid A record content.*not an IPv4 address`),
		}},
	})
	if n := env.emu.Count("POST /zones/{zone_id}/dns_records"); n != 1 {
		t.Errorf("made %d creates, want 1: the invalid record must not reach Cloudflare", n)
	}
}

// TestAccRecord_conflicts checks that Cloudflare's conflict codes come back
// naming the conflicting record.
func TestAccRecord_conflicts(t *testing.T) {
	tests := []struct {
		name     string
		existing emulator.Record
		body     string
		code     string
	}{
		{"CNAME where an A exists", emulator.Record{Name: "app.example.com", Type: "A", Content: "192.0.2.1", TTL: 300}, `name = "app.example.com"
type = "CNAME"
content = "origin.example.net"`, "81053"},
		{"A where a CNAME exists", emulator.Record{Name: "app.example.com", Type: "CNAME", Content: "origin.example.net", TTL: 300}, `name = "app.example.com"
content = "192.0.2.1"`, "81054"},
		{"A where NS exists", emulator.Record{Name: "sub.example.com", Type: "NS", Content: "ns1.example.net", TTL: 300}, `name = "sub.example.com"
content = "192.0.2.1"`, "81056"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			existing, err := env.emu.CreateRecord(env.zoneID("example.com"), tt.existing)
			if err != nil {
				t.Fatal(err)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: env.config(appRecord(tt.body)),
					ExpectError: regexp.MustCompile(`(?s)Conflicting DNS record.*` + tt.code + `.*` + tt.existing.Type + `\s+` +
						regexp.QuoteMeta(tt.existing.Name) + `.*` + existing.ID + `.*terraform\s+import`),
				}},
			})
		})
	}
	// An update that would make the record identical to another one at its
	// name (81058) names that other record, and only that one: the record
	// being updated, at the same name, is not its own conflict.
	t.Run("update to an identical record names the other record only", func(t *testing.T) {
		env := newTestEnv(t)
		other, err := env.emu.CreateRecord(env.zoneID("example.com"), emulator.Record{Name: "app.example.com", Type: "A", Content: "192.0.2.2", Proxied: true})
		if err != nil {
			t.Fatal(err)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{
				{Config: env.config(appRecord(`name = "app.example.com"
content = "192.0.2.1"`))},
				{
					Config: env.config(appRecord(`name = "app.example.com"
content = "192.0.2.2"`)),
					ExpectError: regexp.MustCompile(`(?s)Conflicting DNS record.*81058.*Conflicting\s+records:\s+A\s+app\.example\.com\s+→\s+192\.0\.2\.2\s+\(id\s+` +
						other.ID + `\)\.\s+Import`),
				},
			},
		})
	})
}

// TestAccRecord_adoptionPrecision checks which record adoption picks.
func TestAccRecord_adoptionPrecision(t *testing.T) {
	t.Run("ipv6 spelled differently", func(t *testing.T) {
		env := newTestEnv(t)
		existing, err := env.emu.CreateRecord(env.zoneID("example.com"), emulator.Record{Name: "v6.example.com", Type: "AAAA", Content: "2001:db8::1", TTL: 300})
		if err != nil {
			t.Fatal(err)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.checkNoRecords,
			Steps: []resource.TestStep{{
				Config: env.config(appRecord(`name = "v6.example.com"
type = "AAAA"
content = "2001:DB8:0::1"`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing.ID)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("content"), knownvalue.StringExact("2001:DB8:0::1")),
				},
			}},
		})
	})
	t.Run("round robin picks the identical one", func(t *testing.T) {
		env := newTestEnv(t)
		zoneID := env.zoneID("example.com")
		var want string
		for _, ip := range []string{"192.0.2.1", "192.0.2.2", "192.0.2.3"} {
			rec, err := env.emu.CreateRecord(zoneID, emulator.Record{Name: "rr.example.com", Type: "A", Content: ip, TTL: 300})
			if err != nil {
				t.Fatal(err)
			}
			if ip == "192.0.2.2" {
				want = rec.ID
			}
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{{
				Config: env.config(appRecord(`name = "rr.example.com"
content = "192.0.2.2"
proxied = false
ttl = 300`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("id"), knownvalue.StringExact(want)),
				},
			}},
			CheckDestroy: func(*terraform.State) error {
				if n := len(env.emu.Records(zoneID)); n != 2 {
					return fmt.Errorf("destroy left %d records, want the 2 unmanaged ones", n)
				}
				return nil
			},
		})
	})
	t.Run("two resources never share a record", func(t *testing.T) {
		env := newTestEnv(t)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{{
				Config: env.config(`
resource "cloudflaredns_record" "one" {
  name    = "twin.example.com"
  content = "192.0.2.1"
}
resource "cloudflaredns_record" "two" {
  name    = "TWIN.example.com"
  content = "192.0.2.1"
}`),
				ExpectError: regexp.MustCompile(`(?s)(managed by another resource|already manages)`),
			}},
		})
		// The resource that got the record kept it in state, so the final
		// destroy removed it: nothing is orphaned.
		if n := len(env.emu.Records(env.zoneID("example.com"))); n != 0 {
			t.Errorf("Cloudflare holds %d records after destroy, want 0", n)
		}
	})
}

// TestAccRecord_importForms imports by every ID form and checks that each
// fills every attribute from Cloudflare.
func TestAccRecord_importForms(t *testing.T) {
	env := newTestEnv(t)
	zoneID := env.zoneID("example.com")
	for _, ip := range []string{"192.0.2.7", "192.0.2.8"} {
		if _, err := env.emu.CreateRecord(zoneID, emulator.Record{Name: "rr.example.com", Type: "A", Content: ip, TTL: 300}); err != nil {
			t.Fatal(err)
		}
	}
	config := env.config(appRecord(`name = "app.example.com"
type = "TXT"
content = "v=spf1 include:_spf.example.net -all"
comment = "spf"`))
	importStep := func(id string) resource.TestStep {
		return resource.TestStep{ResourceName: appAddr, ImportState: true, ImportStateVerify: true, ImportStateId: id}
	}
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{Config: config},
			importStep("app.example.com/TXT"),
			importStep("APP.example.com./txt"),
			importStep("app.example.com/TXT/v=spf1 include:_spf.example.net -all"),
			{
				ResourceName: appAddr, ImportState: true, ImportStateId: "rr.example.com/A",
				ExpectError: regexp.MustCompile(`(?s)2 A records are named rr.example.com.*192\.0\.2\.7.*192\.0\.2\.8`),
			},
			{
				ResourceName: appAddr, ImportState: true, ImportStateId: "app.example.com/A",
				ExpectError: regexp.MustCompile(`holds no A record named app.example.com`),
			},
			{
				ResourceName: appAddr, ImportState: true, ImportStateId: "app.example.com/TXT/other",
				ExpectError: regexp.MustCompile(`(?s)no TXT record named app.example.com has content "other"`),
			},
			{
				ResourceName: appAddr, ImportState: true, ImportStateId: "not-an-id",
				ExpectError: regexp.MustCompile(`(?s)Invalid import ID.*<zone_id>/<record_id>`),
			},
		},
	})
}

// TestAccRecord_generatedConfig imports each type with an import block and
// -generate-config-out, and checks that the generated configuration plans clean.
func TestAccRecord_generatedConfig(t *testing.T) {
	tests := map[string]emulator.Record{
		"A":     {Name: "a.example.com", Type: "A", Content: "192.0.2.1", Proxied: true},
		"AAAA":  {Name: "v6.example.com", Type: "AAAA", Content: "2001:db8::1", TTL: 300},
		"CNAME": {Name: "www.example.com", Type: "CNAME", Content: "origin.example.net", TTL: 3600},
		"TXT":   {Name: "txt.example.com", Type: "TXT", Content: `"v=spf1 -all"`, TTL: 120},
		"MX":    {Name: "example.com", Type: "MX", Content: "mx1.example.net", Priority: intPtr(10), TTL: 300},
		"NS":    {Name: "sub.example.com", Type: "NS", Content: "ns1.example.net", TTL: 86400},
		"CAA":   {Name: "example.com", Type: "CAA", Data: map[string]any{"flags": 0, "tag": "issue", "value": "letsencrypt.org"}, TTL: 300},
		"SRV":   {Name: "_sip._tcp.example.com", Type: "SRV", Priority: intPtr(10), Data: map[string]any{"priority": 10, "weight": 5, "port": 5060, "target": "sip.example.com"}, TTL: 300},
	}
	for typ, rec := range tests {
		t.Run(typ, func(t *testing.T) {
			env := newTestEnv(t)
			comment := "generated"
			rec.Comment = &comment
			rec.Tags = []string{"team:dns"}
			created, err := env.emu.CreateRecord(env.zoneID("example.com"), rec)
			if err != nil {
				t.Fatal(err)
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:          env.provider(),
					ResourceName:    appAddr,
					ImportState:     true,
					ImportStateKind: resource.ImportBlockWithID,
					ImportStateId:   env.zoneID("example.com") + "/" + created.ID,
					GenerateConfig:  true,
				}},
			})
		})
	}
}

func intPtr(n int) *int { return &n }
