package provider

import (
	"os"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

const zoneDataAddr = "data.cloudflaredns_zone.this"

func zoneData(body string) string {
	return "data \"cloudflaredns_zone\" \"this\" {\n" + body + "\n}\n"
}

// otherAccountID owns a second zone named like one of the default account's.
const otherAccountID = "fedcba9876543210fedcba9876543210"

func TestAccZoneDataSource_lookup(t *testing.T) {
	env := newTestEnv(t, "example.com", "sub.example.com", "bücher.example")
	tests := []struct {
		name     string
		body     string
		wantZone string
		// wantName is the name attribute: the configured spelling when looked up
		// by name, Cloudflare's name when looked up by hostname.
		wantName string
	}{
		{"by name", `name = "example.com"`, "example.com", "example.com"},
		{"by name in another spelling", `name = "Example.COM."`, "example.com", "Example.COM."},
		{"by Unicode name", `name = "Bücher.example"`, "xn--bcher-kva.example", "Bücher.example"},
		{"by punycode name", `name = "xn--bcher-kva.example"`, "xn--bcher-kva.example", "xn--bcher-kva.example"},
		{"by name of a subzone", `name = "sub.example.com"`, "sub.example.com", "sub.example.com"},
		{"by hostname, longest suffix", `hostname = "a.sub.example.com"`, "sub.example.com", "sub.example.com"},
		{"by hostname in the parent zone", `hostname = "a.other.example.com"`, "example.com", "example.com"},
		{"by hostname at the apex", `hostname = "EXAMPLE.com."`, "example.com", "example.com"},
		{"by Unicode hostname", `hostname = "www.bücher.example"`, "xn--bcher-kva.example", "xn--bcher-kva.example"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config: env.config(zoneData(tt.body)),
					ConfigStateChecks: []statecheck.StateCheck{
						statecheck.ExpectKnownValue(zoneDataAddr, tfjsonpath.New("id"), knownvalue.StringExact(env.zoneID(tt.wantZone))),
						statecheck.ExpectKnownValue(zoneDataAddr, tfjsonpath.New("name"), knownvalue.StringExact(tt.wantName)),
						statecheck.ExpectKnownValue(zoneDataAddr, tfjsonpath.New("status"), knownvalue.StringExact("active")),
						statecheck.ExpectKnownValue(zoneDataAddr, tfjsonpath.New("account_id"), knownvalue.StringExact(emulator.DefaultAccountID)),
						statecheck.ExpectKnownValue(zoneDataAddr, tfjsonpath.New("name_servers"), knownvalue.ListExact([]knownvalue.Check{
							knownvalue.StringExact("ada.ns.cloudflare.com"),
							knownvalue.StringExact("bob.ns.cloudflare.com"),
						})),
					},
				}},
			})
		})
	}
}

// TestAccZoneDataSource_feedsRecord uses the data source the way the docs do:
// its id as the zone_id of a record with a relative name.
func TestAccZoneDataSource_feedsRecord(t *testing.T) {
	env := newTestEnv(t, "example.com", "sub.example.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{{
			Config: env.config(zoneData(`hostname = "app.sub.example.com"`), appRecord(`
  zone_id = data.cloudflaredns_zone.this.id
  name    = "app"
  content = "192.0.2.10"`)),
			ConfigPlanChecks: emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("zone_id"), knownvalue.StringExact(env.zoneID("sub.example.com"))),
				statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("fqdn"), knownvalue.StringExact("app.sub.example.com")),
			},
		}},
	})
}

// TestAccZoneDataSource_example runs the documented example.
func TestAccZoneDataSource_example(t *testing.T) {
	example, err := os.ReadFile("../../examples/data-sources/cloudflaredns_zone/data-source.tf")
	if err != nil {
		t.Fatal(err)
	}
	env := newTestEnv(t, "example.com", "sub.example.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{{
			Config:           env.provider() + string(example),
			ConfigPlanChecks: emptyPlanAfterApply,
			ConfigStateChecks: []statecheck.StateCheck{
				statecheck.ExpectKnownOutputValue("name_servers", knownvalue.ListExact([]knownvalue.Check{
					knownvalue.StringExact("ada.ns.cloudflare.com"),
					knownvalue.StringExact("bob.ns.cloudflare.com"),
				})),
				statecheck.ExpectKnownOutputValue("app_zone", knownvalue.StringExact("sub.example.com ("+env.zoneID("sub.example.com")+")")),
				statecheck.ExpectKnownValue("cloudflaredns_record.apex", tfjsonpath.New("fqdn"), knownvalue.StringExact("example.com")),
				statecheck.ExpectKnownValue("cloudflaredns_record.apex", tfjsonpath.New("zone_id"), knownvalue.StringExact(env.zoneID("example.com"))),
			},
		}},
	})
}

func TestAccZoneDataSource_errors(t *testing.T) {
	env := newTestEnv(t, "example.com", "example.net")
	ambiguous := newTestEnv(t, "example.com")
	ambiguous.emu.AddZone(emulator.Zone{Name: "example.com", AccountID: otherAccountID})
	tests := []struct {
		name string
		env  *testEnv
		body string
		want string
	}{
		{
			name: "no zone by name",
			env:  env, body: `name = "example.org"`,
			want: `(?s)No zone found.*name = "example.org".*No zone is named "example.org".\s+The\s+credentials\s+see:\s+example.com,\s+example.net`,
		},
		{
			name: "a host name is not a zone name",
			env:  env, body: `name = "www.example.com"`,
			want: `(?s)No zone found.*No zone is named "www.example.com"`,
		},
		{
			name: "no zone by hostname",
			env:  env, body: `hostname = "www.example.org"`,
			want: `(?s)No zone found.*hostname = "www.example.org".*No zone contains "www.example.org"`,
		},
		{
			name: "ambiguous name",
			env:  ambiguous, body: `name = "example.com"`,
			want: `(?s)Several zones match.*name = "example.com".*account\s+` + emulator.DefaultAccountID + `.*account\s+` + otherAccountID + `.*account_id`,
		},
		{
			name: "ambiguous hostname",
			env:  ambiguous, body: `hostname = "www.example.com"`,
			want: `(?s)Several zones match.*hostname = "www.example.com".*account\s+` + otherAccountID,
		},
		{
			name: "invalid name",
			env:  env, body: `name = "exa mple.com"`,
			want: `(?s)Invalid zone name.*not a valid DNS name`,
		},
		{
			name: "neither name nor hostname",
			env:  env, body: ``,
			want: `(?s)Missing Attribute Configuration.*Exactly one of these attributes must be configured: \[name,hostname\]`,
		},
		{
			name: "both name and hostname",
			env:  env, body: "name = \"example.com\"\nhostname = \"www.example.com\"",
			want: `(?s)Invalid Attribute Combination.*name.*hostname`,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      tt.env.config(zoneData(tt.body)),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
		})
	}
}
