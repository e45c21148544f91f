package provider

import (
	"context"
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// TestAccPartialFailure_oneOfTwenty applies 20 records at once while Cloudflare
// refuses one create for good. The apply fails, the 19 others are in state and
// on Cloudflare, the refused one in neither, and the next apply creates only
// that one.
func TestAccPartialFailure_oneOfTwenty(t *testing.T) {
	const count = 20
	env := newTestEnv(t)
	zoneID := env.zoneID("example.com")
	config := env.provider("max_retries = 0") + fmt.Sprintf(`
resource "cloudflaredns_record" "r" {
  count   = %d
  name    = format("r%%02d.example.com", count.index)
  content = "192.0.2.${count.index + 1}"
}
`, count)

	// Which create meets the fault depends on Terraform's scheduling: the test
	// finds the missing record afterwards instead of assuming one.
	missing := -1
	findMissing := func() {
		have := map[string]bool{}
		for _, r := range env.emu.Records(zoneID) {
			have[r.Name] = true
		}
		var absent []int
		for i := range count {
			if !have[fmt.Sprintf("r%02d.example.com", i)] {
				absent = append(absent, i)
			}
		}
		if len(absent) != 1 {
			t.Errorf("after the failed apply, Cloudflare lacks %d records (%v), want exactly 1", len(absent), absent)
			return
		}
		missing = absent[0]
	}

	missingAddr := func() string { return fmt.Sprintf("cloudflaredns_record.r[%d]", missing) }

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{
				// A validation error (400, 9005) is final: not retried, and
				// with max_retries = 0 nothing would be anyway.
				PreConfig: func() {
					env.emu.InjectFault(emulator.Fault{
						Route: routeCreate, Kind: emulator.FaultStatus, Status: 400,
						Code: 9005, Message: "Content for A record must be a valid IPv4 address.",
					})
				},
				Config:      config,
				ExpectError: regexp.MustCompile(`(?s)Could not create DNS record.*9005`),
			},
			{
				// Before any refresh, the state holds exactly the 19 records
				// Cloudflare holds, and the plan creates only the missing one.
				PreConfig:          findMissing,
				Config:             config,
				PlanOnly:           true,
				ExpectNonEmptyPlan: true,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PostApplyPreRefresh: []plancheck.PlanCheck{
						stateMatchesCloudflare(env),
						onlyCreates(missingAddr),
					},
				},
			},
			{
				PreConfig: env.emu.ResetCounts,
				Config:    config,
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{onlyCreates(missingAddr)},
					PostApplyPreRefresh:  []plancheck.PlanCheck{stateMatchesCloudflare(env)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				Check: func(*terraform.State) error {
					if n := env.emu.Count(routeCreate); n != 1 {
						return fmt.Errorf("the second apply sent %d POSTs, want 1 (only %s)", n, missingAddr())
					}
					if n := len(env.emu.Records(zoneID)); n != count {
						return fmt.Errorf("Cloudflare holds %d records, want %d", n, count)
					}
					return nil
				},
			},
		},
	})
}

// onlyCreates is a plan check: the plan changes exactly one resource, the one
// at the address addr returns, and creates it.
func onlyCreates(addr func() string) plancheck.PlanCheck {
	return onlyCreatesCheck{addr: addr}
}

type onlyCreatesCheck struct{ addr func() string }

func (c onlyCreatesCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	want := c.addr()
	var changed []string
	createsWant := false
	for _, rc := range req.Plan.ResourceChanges {
		if rc.Change == nil || rc.Change.Actions.NoOp() || rc.Change.Actions.Read() {
			continue
		}
		changed = append(changed, fmt.Sprintf("%s %v", rc.Address, rc.Change.Actions))
		createsWant = createsWant || (rc.Address == want && rc.Change.Actions.Create())
	}
	if len(changed) != 1 || !createsWant {
		resp.Error = fmt.Errorf("the plan changes %d resources (%s), want only %s created", len(changed), strings.Join(changed, ", "), want)
	}
}
