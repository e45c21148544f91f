package provider

import (
	"context"
	"fmt"
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

const recordsDataAddr = "data.cloudflaredns_records.this"

func recordsData(body string) string {
	return "data \"cloudflaredns_records\" \"this\" {\n" + body + "\n}\n"
}

// seedRecords creates records out of band, as someone editing the zone in the
// dashboard would, and returns them by key.
func (e *testEnv) seedRecords(zone string, recs map[string]emulator.Record) map[string]emulator.Record {
	e.t.Helper()
	out := make(map[string]emulator.Record, len(recs))
	for key, r := range recs {
		created, err := e.emu.CreateRecord(e.zoneID(zone), r)
		if err != nil {
			e.t.Fatalf("seeding %s: %v", key, err)
		}
		out[key] = created
	}
	return out
}

// recordIDs checks that records holds exactly these records, in this order.
func recordIDs(seeded map[string]emulator.Record, keys ...string) knownvalue.Check {
	checks := []knownvalue.Check{}
	for _, k := range keys {
		r := seeded[k]
		checks = append(checks, knownvalue.ObjectPartial(map[string]knownvalue.Check{
			"id":   knownvalue.StringExact(r.ID),
			"type": knownvalue.StringExact(r.Type),
			"fqdn": knownvalue.StringExact(r.Name),
		}))
	}
	return knownvalue.ListExact(checks)
}

func TestAccRecordsDataSource_filters(t *testing.T) {
	env := newTestEnv(t, "example.com", "sub.example.com")
	comment := "mail for the whole domain"
	ten := 10
	seeded := env.seedRecords("example.com", map[string]emulator.Record{
		"www A":      {Name: "www.example.com", Type: "A", Content: "192.0.2.10", Proxied: true},
		"api A":      {Name: "api.example.com", Type: "A", Content: "192.0.2.20", TTL: 300},
		"www AAAA":   {Name: "www.example.com", Type: "AAAA", Content: "2001:db8::1", TTL: 300},
		"docs CNAME": {Name: "docs.example.com", Type: "CNAME", Content: "www.example.com", TTL: 3600},
		"apex MX":    {Name: "example.com", Type: "MX", Content: "mx1.example.com", Priority: &ten, TTL: 3600, Comment: &comment, Tags: []string{"team:mail", "env:prod"}},
		"apex TXT":   {Name: "example.com", Type: "TXT", Content: "v=spf1 include:_spf.example.com -all", TTL: 3600},
	})
	// A record of the subzone must never show in the parent zone's listing.
	env.seedRecords("sub.example.com", map[string]emulator.Record{
		"sub A": {Name: "www.sub.example.com", Type: "A", Content: "192.0.2.30", TTL: 300},
	})
	zoneID := env.zoneID("example.com")
	// Sorted by name, type and content, as the data source returns them.
	all := []string{"api A", "docs CNAME", "apex MX", "apex TXT", "www A", "www AAAA"}

	tests := []struct {
		name string
		body string
		want []string
	}{
		{"whole zone by zone_id", fmt.Sprintf("zone_id = %q", zoneID), all},
		{"whole zone by zone_name", `zone_name = "Example.COM."`, all},
		{"name, relative", `zone_name = "example.com"
name = "www"`, []string{"www A", "www AAAA"}},
		{"name, full in another spelling", `zone_name = "example.com"
name = "WWW.Example.com."`, []string{"www A", "www AAAA"}},
		{"name, apex", `zone_name = "example.com"
name = "@"`, []string{"apex MX", "apex TXT"}},
		{"type, any case", `zone_name = "example.com"
type = "a"`, []string{"api A", "www A"}},
		{"name and type", fmt.Sprintf(`zone_id = %q
name = "www.example.com"
type = "A"`, zoneID), []string{"www A"}},
		{"content of an A record", `zone_name = "example.com"
content = "192.0.2.20"`, []string{"api A"}},
		{"content of an AAAA record, another spelling", `zone_name = "example.com"
content = "2001:DB8:0:0:0:0:0:1"`, []string{"www AAAA"}},
		{"content of a CNAME, case and trailing dot", `zone_name = "example.com"
content = "WWW.Example.com."`, []string{"docs CNAME"}},
		{"content of a TXT record, ignoring case", `zone_name = "example.com"
content = "V=SPF1 include:_spf.example.com -ALL"`, []string{"apex TXT"}},
		{"content is exact, not a substring", `zone_name = "example.com"
content = "192.0.2"`, nil},
		{"no record matches", `zone_name = "example.com"
type = "SRV"`, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: env.config(recordsData(tt.body)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(recordsDataAddr, tfjsonpath.New("records"), recordIDs(seeded, tt.want...)),
						statecheck.ExpectKnownValue(recordsDataAddr, tfjsonpath.New("zone_id"), knownvalue.StringExact(zoneID)),
					},
				}},
			})
		})
	}
}

// TestAccRecordsDataSource_attributes checks every attribute of a listed
// record against what Cloudflare holds, and the zone attributes either way.
func TestAccRecordsDataSource_attributes(t *testing.T) {
	env := newTestEnv(t)
	zoneID := env.zoneID("example.com")
	comment := "mail for the whole domain"
	ten := 10
	seeded := env.seedRecords("example.com", map[string]emulator.Record{
		"mx":  {Name: "example.com", Type: "MX", Content: "mx1.example.com", Priority: &ten, TTL: 3600, Comment: &comment, Tags: []string{"team:mail", "env:prod"}},
		"www": {Name: "www.example.com", Type: "A", Content: "192.0.2.10", Proxied: true},
		"caa": {Name: "example.com", Type: "CAA", Data: map[string]any{"flags": 0, "tag": "issue", "value": "letsencrypt.org"}, TTL: 3600},
		"srv": {Name: "_sip._tcp.example.com", Type: "SRV", Priority: intPtr(10), Data: map[string]any{"priority": 10, "weight": 5, "port": 5060, "target": "sip.example.com"}, TTL: 300},
	})
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{{
			Config: env.config(recordsData(`zone_name = "example.com"`)),
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(recordsDataAddr, tfjsonpath.New("zone_name"), knownvalue.StringExact("example.com")),
				statecheck.ExpectKnownValue(recordsDataAddr, tfjsonpath.New("zone_id"), knownvalue.StringExact(zoneID)),
				statecheck.ExpectKnownValue(recordsDataAddr, tfjsonpath.New("name"), knownvalue.Null()),
				statecheck.ExpectKnownValue(recordsDataAddr, tfjsonpath.New("records"), knownvalue.ListExact([]knownvalue.Check{
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":        knownvalue.StringExact(seeded["srv"].ID),
						"zone_id":   knownvalue.StringExact(zoneID),
						"zone_name": knownvalue.StringExact("example.com"),
						"name":      knownvalue.StringExact("_sip._tcp.example.com"),
						"fqdn":      knownvalue.StringExact("_sip._tcp.example.com"),
						"type":      knownvalue.StringExact("SRV"),
						"content":   knownvalue.StringExact("5 5060 sip.example.com"),
						"ttl":       knownvalue.Int64Exact(300),
						"proxied":   knownvalue.Bool(false),
						"proxiable": knownvalue.Bool(false),
						"priority":  knownvalue.Int64Exact(10),
						"comment":   knownvalue.Null(),
						"tags":      knownvalue.SetExact([]knownvalue.Check{}),
						"data": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"flags": knownvalue.Null(), "tag": knownvalue.Null(), "value": knownvalue.Null(),
							"priority": knownvalue.Int64Exact(10), "weight": knownvalue.Int64Exact(5), "port": knownvalue.Int64Exact(5060),
							"target": knownvalue.StringExact("sip.example.com"),
						}),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":        knownvalue.StringExact(seeded["caa"].ID),
						"zone_id":   knownvalue.StringExact(zoneID),
						"zone_name": knownvalue.StringExact("example.com"),
						"name":      knownvalue.StringExact("example.com"),
						"fqdn":      knownvalue.StringExact("example.com"),
						"type":      knownvalue.StringExact("CAA"),
						"content":   knownvalue.StringExact(`0 issue "letsencrypt.org"`),
						"ttl":       knownvalue.Int64Exact(3600),
						"proxied":   knownvalue.Bool(false),
						"proxiable": knownvalue.Bool(false),
						"priority":  knownvalue.Null(),
						"comment":   knownvalue.Null(),
						"tags":      knownvalue.SetExact([]knownvalue.Check{}),
						"data": knownvalue.ObjectExact(map[string]knownvalue.Check{
							"flags": knownvalue.Int64Exact(0), "tag": knownvalue.StringExact("issue"), "value": knownvalue.StringExact("letsencrypt.org"),
							"priority": knownvalue.Null(), "weight": knownvalue.Null(), "port": knownvalue.Null(), "target": knownvalue.Null(),
						}),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":        knownvalue.StringExact(seeded["mx"].ID),
						"zone_id":   knownvalue.StringExact(zoneID),
						"zone_name": knownvalue.StringExact("example.com"),
						"name":      knownvalue.StringExact("example.com"),
						"fqdn":      knownvalue.StringExact("example.com"),
						"type":      knownvalue.StringExact("MX"),
						"content":   knownvalue.StringExact("mx1.example.com"),
						"ttl":       knownvalue.Int64Exact(3600),
						"proxied":   knownvalue.Bool(false),
						"proxiable": knownvalue.Bool(false),
						"priority":  knownvalue.Int64Exact(10),
						"comment":   knownvalue.StringExact(comment),
						"tags":      knownvalue.SetExact([]knownvalue.Check{knownvalue.StringExact("env:prod"), knownvalue.StringExact("team:mail")}),
						"data":      knownvalue.Null(),
					}),
					knownvalue.ObjectExact(map[string]knownvalue.Check{
						"id":        knownvalue.StringExact(seeded["www"].ID),
						"zone_id":   knownvalue.StringExact(zoneID),
						"zone_name": knownvalue.StringExact("example.com"),
						"name":      knownvalue.StringExact("www.example.com"),
						"fqdn":      knownvalue.StringExact("www.example.com"),
						"type":      knownvalue.StringExact("A"),
						"content":   knownvalue.StringExact("192.0.2.10"),
						"ttl":       knownvalue.Int64Exact(1),
						"proxied":   knownvalue.Bool(true),
						"proxiable": knownvalue.Bool(true),
						"priority":  knownvalue.Null(),
						"comment":   knownvalue.Null(),
						"tags":      knownvalue.SetExact([]knownvalue.Check{}),
						"data":      knownvalue.Null(),
					}),
				})),
			},
		}},
	})
}

func TestAccRecordsDataSource_errors(t *testing.T) {
	env := newTestEnv(t)
	ambiguous := newTestEnv(t, "example.com")
	ambiguous.emu.AddZone(emulator.Zone{Name: "example.com", AccountID: otherAccountID})
	tests := []struct {
		name string
		env  *testEnv
		body string
		want string
	}{
		{"neither zone_id nor zone_name", env, `name = "www.example.com"`,
			`(?s)Missing Attribute Configuration.*\[zone_id,zone_name\]`},
		{"both zone_id and zone_name", env, fmt.Sprintf("zone_id = %q\nzone_name = \"example.com\"", env.zoneID("example.com")),
			`(?s)Invalid Attribute Combination.*zone_id.*zone_name`},
		{"unknown zone_name", env, `zone_name = "example.org"`,
			`(?s)No zone found.*zone_name = "example.org".*No zone is named "example.org"`},
		{"ambiguous zone_name", ambiguous, `zone_name = "example.com"`,
			`(?s)Several zones match.*zone_name = "example.com".*account\s+` + otherAccountID},
		{"unknown zone_id", env, `zone_id = "00000000000000000000000000000000"`,
			`(?s)Zone not found.*00000000000000000000000000000000`},
		{"malformed zone_id", env, `zone_id = "example.com"`,
			`(?s)must be a Cloudflare zone ID`},
		{"name outside the zone", env, "zone_name = \"example.com\"\nname = \"www.example.org.\"", `(?s)Invalid name filter.*not inside the zone example.com`},
		{"invalid name", env, "zone_name = \"example.com\"\nname = \"a..b\"", `(?s)Invalid name filter.*empty label`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      tt.env.config(recordsData(tt.body)),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
		})
	}
}

// TestAccRecordsDataSource_unmanagedExample runs the documented example that
// lists the records of a zone that Terraform does not manage.
func TestAccRecordsDataSource_unmanagedExample(t *testing.T) {
	example, err := os.ReadFile("../../examples/data-sources/cloudflaredns_records/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t)
	zoneID := env.zoneID("example.com")
	seeded := env.seedRecords("example.com", map[string]emulator.Record{
		"legacy": {Name: "legacy.example.com", Type: "A", Content: "198.51.100.1", TTL: 300},
		"spf":    {Name: "example.com", Type: "TXT", Content: "v=spf1 -all", TTL: 3600},
	})
	var late emulator.Record
	idSet := func(recs ...*emulator.Record) knownvalue.Check {
		return lazyCheck(func() knownvalue.Check {
			checks := []knownvalue.Check{}
			for _, r := range recs {
				checks = append(checks, knownvalue.StringExact(r.ID))
			}
			return knownvalue.SetExact(checks)
		})
	}
	legacy, spf := seeded["legacy"], seeded["spf"]
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		Steps: []resource.TestStep{
			{
				// The first apply creates the managed records; the audit reads
				// the zone after them, so they never count as unmanaged.
				Config:           env.provider() + string(example),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("unmanaged_record_ids", idSet(&legacy, &spf)),
					statecheck.ExpectKnownOutputValue("unmanaged_records", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("TXT example.com v=spf1 -all"),
						knownvalue.StringExact("A legacy.example.com 198.51.100.1"),
					})),
					statecheck.ExpectKnownValue("data.cloudflaredns_records.audit", tfjsonpath.New("zone_id"), knownvalue.StringExact(zoneID)),
					statecheck.ExpectKnownValue("data.cloudflaredns_records.audit", tfjsonpath.New("records"), knownvalue.ListSizeExact(4)),
				},
			},
			{
				// A record added in the dashboard later shows up in the next run.
				PreConfig: func() {
					late = env.seedRecords("example.com", map[string]emulator.Record{
						"late": {Name: "late.example.com", Type: "CNAME", Content: "legacy.example.com", TTL: 300},
					})["late"]
				},
				Config:           env.provider() + string(example),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownOutputValue("unmanaged_record_ids", idSet(&legacy, &spf, &late)),
					statecheck.ExpectKnownOutputValue("unmanaged_records", knownvalue.ListExact([]knownvalue.Check{
						knownvalue.StringExact("TXT example.com v=spf1 -all"),
						knownvalue.StringExact("CNAME late.example.com legacy.example.com"),
						knownvalue.StringExact("A legacy.example.com 198.51.100.1"),
					})),
				},
			},
			{
				// Removing the example destroys the records it manages and
				// leaves the unmanaged ones alone. (It also keeps for_each
				// resources out of the final state, which the test harness's
				// legacy state shim cannot read.)
				Config: env.provider(),
				Check: func(*terraform.State) error {
					got := map[string]bool{}
					for _, r := range env.emu.Records(zoneID) {
						got[r.ID] = true
					}
					if len(got) != 3 || !got[legacy.ID] || !got[spf.ID] || !got[late.ID] {
						return fmt.Errorf("the zone holds %v after the example was removed, want only the unmanaged records %s, %s and %s", got, legacy.ID, spf.ID, late.ID)
					}
					return nil
				},
			},
		},
	})
}

// lazyCheck builds its check when the value is checked, for expectations that
// depend on records a step's PreConfig creates.
type lazyCheck func() knownvalue.Check

func (f lazyCheck) CheckValue(v any) error { return f().CheckValue(v) }
func (f lazyCheck) String() string         { return f().String() }

// requestCounts is a plan check on the emulator's request counts, run after
// Terraform's plans, when every provider process of the step has finished.
type requestCounts func() error

func (f requestCounts) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	resp.Error = f()
}

// TestAccRecordsDataSource_sharesZoneListing checks the scale promise: a plan
// with records and the data source on the same zone lists the zone once per
// provider process, and never reads a record on its own.
func TestAccRecordsDataSource_sharesZoneListing(t *testing.T) {
	env := newTestEnv(t)
	config := env.config(
		appRecord(`
  name    = "app.example.com"
  content = "192.0.2.10"`),
		`resource "cloudflaredns_record" "docs" {
  name    = "docs.example.com"
  type    = "CNAME"
  content = "app.example.com"
}`,
		// depends_on: in the first apply the listing waits for the creates.
		recordsData(`zone_name  = "example.com"
depends_on = [cloudflaredns_record.app, cloudflaredns_record.docs]`),
	)
	const (
		verify    = "GET /user/tokens/verify"
		listZones = "GET /zones"
		listZone  = "GET /zones/{zone_id}/dns_records"
		getRecord = "GET /zones/{zone_id}/dns_records/{dns_record_id}"
	)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(recordsDataAddr, tfjsonpath.New("records"), knownvalue.ListSizeExact(2)),
				},
			},
			{
				// Each terraform plan below is one provider process: it
				// verifies the token once, and must list the zone once for
				// both records' Check Status and the data source.
				PreConfig: env.emu.ResetCounts,
				Config:    config,
				PlanOnly:  true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPostRefresh: []plancheck.PlanCheck{requestCounts(func() error {
						counts := env.emu.Counts()
						processes := counts[verify]
						if processes < 2 {
							return fmt.Errorf("want at least two provider processes (plans), saw %d token verifications: %v", processes, counts)
						}
						if counts[listZone] != processes {
							return fmt.Errorf("%d provider processes listed the zone's records %d times, want once each: %v", processes, counts[listZone], counts)
						}
						if counts[listZones] != processes {
							return fmt.Errorf("%d provider processes listed zones %d times, want once each: %v", processes, counts[listZones], counts)
						}
						if counts[getRecord] != 0 {
							return fmt.Errorf("the plans read %d records one by one, want 0 (the zone listing has them): %v", counts[getRecord], counts)
						}
						return nil
					})},
				},
			},
		},
	})
}
