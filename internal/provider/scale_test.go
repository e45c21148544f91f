package provider

import (
	"fmt"
	"regexp"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

const (
	listRoute   = "GET /zones/{zone_id}/dns_records"
	getRoute    = "GET /zones/{zone_id}/dns_records/{dns_record_id}"
	postRoute   = "POST /zones/{zone_id}/dns_records"
	verifyRoute = "GET /user/tokens/verify"
)

// fiftyRecords is 25 records in each of two zones. (count rather than
// for_each: the test framework's state shim reads only numeric indexes.)
const fiftyRecords = `
resource "cloudflaredns_record" "one" {
  count   = 25
  name    = format("r%02d.example.com", count.index)
  content = "192.0.2.10"
}
resource "cloudflaredns_record" "two" {
  count   = 25
  name    = format("r%02d.example.net", count.index)
  content = "192.0.2.20"
}
`

// TestAccScale_zoneListing checks that refreshing 50 records in 2 zones costs
// one listing per zone per provider process and no per-record GET, and that
// read_mode = "record" costs one GET per record instead.
func TestAccScale_zoneListing(t *testing.T) {
	// A plan-only step refreshes in one provider process; it starts a second
	// one that configures (verifies the token) but reads nothing.
	for _, tt := range []struct {
		mode  string
		lists int
		gets  int
	}{
		{mode: "auto", lists: 2},
		{mode: "zone", lists: 2},
		{mode: "record", gets: 50},
	} {
		t.Run(tt.mode, func(t *testing.T) {
			env := newTestEnv(t, "example.com", "example.net")
			// Unmanaged records share the zones and must not be read one by one.
			for i := range 10 {
				if _, err := env.emu.CreateRecord(env.zoneID("example.com"), emulator.Record{Name: fmt.Sprintf("other%d.example.com", i), Type: "TXT", Content: "unmanaged", TTL: 300}); err != nil {
					t.Fatal(err)
				}
			}
			config := env.provider(fmt.Sprintf("read_mode = %q", tt.mode)) + fiftyRecords
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{
					{Config: config},
					{
						PreConfig:          env.emu.ResetCounts,
						Config:             config,
						PlanOnly:           true,
						ExpectNonEmptyPlan: false,
					},
					{
						// Counts of the no-change plan above; this step only reads them.
						PreConfig: func() {
							if got := env.emu.Count(listRoute); got != tt.lists {
								t.Errorf("no-change plan: %d zone listings, want %d (counts: %v)", got, tt.lists, env.emu.Counts())
							}
							if got := env.emu.Count(getRoute); got != tt.gets {
								t.Errorf("no-change plan: %d record GETs, want %d (counts: %v)", got, tt.gets, env.emu.Counts())
							}
							if got := env.emu.Count("GET /zones"); got > env.emu.Count(verifyRoute) {
								t.Errorf("no-change plan: %d zone look-ups for %d provider processes, want at most one each", got, env.emu.Count(verifyRoute))
							}
							if n := env.emu.Writes(); n != 0 {
								t.Errorf("no-change plan made %d writes", n)
							}
						},
						Config:   config,
						PlanOnly: true,
					},
				},
			})
		})
	}
}

// TestAccScale_readAfterWrite checks that a change made outside Terraform
// after an apply is seen by the next plan's zone listing, and that a record
// created in the same process is read from the listing the write kept current.
func TestAccScale_readAfterWrite(t *testing.T) {
	env := newTestEnv(t, "example.com", "example.net")
	config := env.provider(`read_mode = "zone"`) + fiftyRecords
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{Config: config, ConfigPlanChecks: emptyPlanAfterApply},
			{
				PreConfig: func() {
					for _, rec := range env.emu.Records(env.zoneID("example.net")) {
						if rec.Name == "r07.example.net" {
							if _, err := env.emu.PatchRecord(env.zoneID("example.net"), rec.ID, func(r *emulator.Record) { r.Content = "198.51.100.7" }); err != nil {
								t.Fatal(err)
							}
						}
					}
				},
				Config: config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(`cloudflaredns_record.two[7]`, plancheck.ResourceActionUpdate),
						plancheck.ExpectResourceAction(`cloudflaredns_record.two[8]`, plancheck.ResourceActionNoop),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
			},
		},
	})
}

// TestAccScale_rateLimit checks the client-side budget against Cloudflare's
// limit: at rps = 4 a burst of creates never meets a 429 (max_retries = 0, so
// one would fail the apply); without the budget the same burst does, and the
// error names code 971.
func TestAccScale_rateLimit(t *testing.T) {
	records := `
resource "cloudflaredns_record" "burst" {
  count   = 12
  name    = "burst${count.index}.example.com"
  content = "192.0.2.1"
}`
	// 8 per second leaves room for the hand-over between Terraform's plan and
	// apply processes, whose budgets are separate; a burst of 12 creates
	// without the budget still goes over it.
	limit := emulator.RateLimit{Requests: 8, Window: time.Second, Block: time.Second}
	t.Run("budget keeps under the limit", func(t *testing.T) {
		env := newTestEnv(t)
		env.emu.SetRateLimit(limit)
		budgeted := fmt.Sprintf(`provider "cloudflaredns" {
  api_token   = %q
  base_url    = %q
  rps         = 4
  max_retries = 0
}`, testToken, env.url) + records
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.checkNoRecords,
			Steps: []resource.TestStep{
				{
					Config: budgeted,
					Check: func(*terraform.State) error {
						if n := len(env.emu.Records(env.zoneID("example.com"))); n != 12 {
							return fmt.Errorf("Cloudflare holds %d records, want 12", n)
						}
						return nil
					},
				},
				{
					// Lift the limit so the clean-up destroy, a new process right
					// after this one, cannot meet it.
					PreConfig: func() { env.emu.SetRateLimit(emulator.RateLimit{}) },
					Config:    budgeted,
				},
			},
		})
	})
	t.Run("without the budget a 429 names code 971", func(t *testing.T) {
		env := newTestEnv(t)
		env.emu.SetRateLimit(limit)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.checkNoRecords,
			Steps: []resource.TestStep{
				{
					Config:      env.provider("max_retries = 0") + records,
					ExpectError: regexp.MustCompile(`(?s)HTTP 429.*971`),
				},
				{
					// Lift the limit so the test can converge and clean up.
					PreConfig: func() { env.emu.SetRateLimit(emulator.RateLimit{}) },
					Config:    env.provider("max_retries = 0") + records,
				},
			},
		})
	})
}

// TestAccScale_retries checks that 429s with Retry-After end in success, and
// that exhausted retries give an error naming the code.
func TestAccScale_retries(t *testing.T) {
	config := appRecord(`name = "app.example.com"
content = "192.0.2.1"`)
	throttled := emulator.Fault{Route: postRoute, Kind: emulator.FaultStatus, Status: 429, Code: 971,
		Message: "Please wait and consider throttling your request speed", RetryAfter: "1"}
	t.Run("a run of 429s ends in success", func(t *testing.T) {
		env := newTestEnv(t)
		fault := throttled
		fault.Times = 3
		env.emu.InjectFault(fault)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.checkNoRecords,
			Steps: []resource.TestStep{{
				Config:           env.provider("max_retries = 4") + config,
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(*terraform.State) error {
					env.onlyRecord()
					if n := env.emu.Count(postRoute); n != 4 {
						return fmt.Errorf("made %d POSTs, want 4 (3 throttled, 1 served)", n)
					}
					return nil
				},
			}},
		})
	})
	t.Run("exhausted retries name the code", func(t *testing.T) {
		env := newTestEnv(t)
		fault := throttled
		fault.Times = 10
		env.emu.InjectFault(fault)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{{
				Config:      env.provider("max_retries = 2") + config,
				ExpectError: regexp.MustCompile(`(?s)Could not create DNS record.*HTTP 429.*971 Please wait`),
			}},
		})
		if n := len(env.emu.Records(env.zoneID("example.com"))); n != 0 {
			t.Errorf("a failed create left %d records", n)
		}
	})
}
