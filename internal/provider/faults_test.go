package provider

// The fault matrix: every operation of the provider against every way the
// Cloudflare API misbehaves, with the outcome the provider promises by design.
//
// Settings: max_retries = 2 (three attempts); request_timeout = "1s" for the
// hang faults. "×N" is how many matching requests the fault hits: N ≤ 2
// recovers within the retries, N = 3 exhausts them.
//
// Outcomes: ok = the operation succeeds and leaves exactly one record in the
// right shape, with the same ID in state and on Cloudflare (create after a
// lost answer: the record is adopted, not duplicated; delete after a lost
// answer: the record is gone and out of state). err = the operation fails
// with a clear error (the matched message is given) and, right after, the
// state matches Cloudflare (checked on a plan that does not refresh): a failed
// create leaves no record, a failed delete keeps the resource, a failed
// update keeps the old values.
//
// Operations: create (POST), read = refresh with read_mode = "record" (GET of
// the record), list = refresh in auto mode (zone listing), update (PUT),
// delete (DELETE), import by <fqdn>/<type> (listing), zone = zone look-up at
// plan time (GET /zones), verify = token verification in Configure.
//
// | fault                  | create | read | list | update | delete | import | zone | verify |
// |------------------------|--------|------|------|--------|--------|--------|------|--------|
// | 429 Retry-After: 1 ×2  | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | 429 ×2                 | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | 500 ×2                 | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | 502 ×2                 | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | 503 ×2                 | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | 504 ×2                 | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | reset before ×2        | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | commit then drop ×2    | ok (1) | ok   | ok   | ok     | ok (2) | ok     | ok   | ok     |
// | hang past 1s ×2        | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | non-JSON 502 ×2        | ok     | ok   | ok   | ok     | ok     | ok     | ok   | ok     |
// | non-JSON 502 ×3        | err A  | err A| err A| err A  | err A  | err A  | err A| err A  |
// | success:false on 200 ×1| err B  | err B| err B| err B  | err B  | err B  | err B| err B  |
// | non-JSON 200 ×1        | err F  | err F| err F| err F  | err F  | err F  | err F| err F  |
// | empty errors (500) ×3  | err C  | err C| err C| err C  | err C  | err C  | err C| err C  |
// | 503 ×3 (exhausted)     | err D  | err D| err D| err D  | err D  | err D  | err D| err D  |
// | hang ×3 (exhausted)    | err E  | err E| err E| err E  | err E  | err E  | err E| err E' |
//
// (1) the retried POST gets 81058 and the record is adopted: one record.
// (2) the retried DELETE gets 81044, which confirms the record is gone.
// A: "HTTP 502: a body that is not Cloudflare JSON".
// B: the injected code and message ("10042 injected failure"); sent once, so
// a retry would have succeeded: success:false is not retried.
// C: "HTTP 500 and no error details". D: "HTTP 503: 10001 Service Unavailable".
// E: "no answer from Cloudflare within 1s"; E': the same under
// "Cloudflare API unreachable". F: "HTTP 200: a body that is not Cloudflare
// JSON", a proxy's page on a success status; sent once, like B, because its
// outcome is unknown and it is not retried either.
// Each error is prefixed by the operation's summary: "Could not create DNS
// record", "Could not check DNS record", "Could not update DNS record",
// "Could not delete DNS record", "Cannot import app.example.com/A", "Cannot
// find the zone of app.example.com", "Could not verify the Cloudflare API
// token".
//
// Results of the last run: all 128 cells pass (see the report of the change).

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"

	tfjson "github.com/hashicorp/terraform-json"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/dnsvalue"
	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// Emulator route keys the matrix injects faults on.
const (
	routeCreate = "POST /zones/{zone_id}/dns_records"
	routeList   = "GET /zones/{zone_id}/dns_records"
	routeGet    = "GET /zones/{zone_id}/dns_records/{dns_record_id}"
	routePut    = "PUT /zones/{zone_id}/dns_records/{dns_record_id}"
	routeDelete = "DELETE /zones/{zone_id}/dns_records/{dns_record_id}"
	routeZones  = "GET /zones"
	routeVerify = "GET /user/tokens/verify"
)

// matrixFault is one column of the matrix.
type matrixFault struct {
	name  string
	fault emulator.Fault // Route is set by the operation
	// extra provider settings the fault needs.
	extra []string
	// want is the cause the error must show; empty when the operation recovers.
	want string
	// network: the failure never got an answer (the connector reports those
	// as "Cloudflare API unreachable").
	network bool
}

var matrixFaults = []matrixFault{
	{name: "429 Retry-After", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 429, RetryAfter: "1", Times: 2}},
	{name: "429", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 429, Times: 2}},
	{name: "500", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 500, Times: 2}},
	{name: "502", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 502, Times: 2}},
	{name: "503", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Times: 2}},
	{name: "504", fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 504, Times: 2}},
	{name: "reset before processing", fault: emulator.Fault{Kind: emulator.FaultResetBefore, Times: 2}},
	{name: "commit then drop", fault: emulator.Fault{Kind: emulator.FaultDropAfterCommit, Times: 2}},
	{name: "hang", fault: emulator.Fault{Kind: emulator.FaultHang, Times: 2}, extra: []string{`request_timeout = "1s"`}},
	{name: "non-JSON 502", fault: emulator.Fault{Kind: emulator.FaultNonJSON, Status: 502, Times: 2}},
	{
		name:  "non-JSON 502 exhausted",
		fault: emulator.Fault{Kind: emulator.FaultNonJSON, Status: 502, Times: 3},
		want:  "HTTP 502: a body that is not Cloudflare JSON",
	},
	{
		// Sent once: if success:false were retried, the operation would succeed.
		name:  "success false on 200",
		fault: emulator.Fault{Kind: emulator.FaultSuccessFalse, Code: 10042, Message: "injected failure", Times: 1},
		want:  "10042 injected failure",
	},
	{
		// A proxy's page on a success status: sent once, like success:false.
		name:  "non-JSON 200",
		fault: emulator.Fault{Kind: emulator.FaultNonJSON, Status: 200, Times: 1},
		want:  "HTTP 200: a body that is not Cloudflare JSON",
	},
	{
		name:  "empty errors",
		fault: emulator.Fault{Kind: emulator.FaultEmptyErrors, Times: 3},
		want:  "HTTP 500 and no error details",
	},
	{
		name:  "503 exhausted",
		fault: emulator.Fault{Kind: emulator.FaultStatus, Status: 503, Times: 3},
		want:  "HTTP 503: 10001 Service Unavailable",
	},
	{
		name:    "hang exhausted",
		fault:   emulator.Fault{Kind: emulator.FaultHang, Times: 3},
		extra:   []string{`request_timeout = "1s"`},
		want:    "no answer from Cloudflare within 1s",
		network: true,
	},
}

// matrixCell is what an operation needs to build its steps for one fault.
type matrixCell struct {
	env   *testEnv
	fault matrixFault
	// provider is the provider block: max_retries = 2 and the fault's settings.
	provider string
	// wantErr matches the expected error; nil when the operation recovers.
	wantErr *regexp.Regexp
	// recordID is the record's ID once created, for checks of later steps.
	recordID string
}

// inject queues the fault on route; it runs as the faulted step's PreConfig.
func (c *matrixCell) inject(route string) func() {
	return func() {
		f := c.fault.fault
		f.Route = route
		c.env.emu.InjectFault(f)
	}
}

// config is the provider block with the app record.
func (c *matrixCell) config(content string) string {
	return c.provider + appRecord(fmt.Sprintf(`
  name    = "app.example.com"
  content = %q`, content))
}

// created is a step that creates the record without faults and remembers its ID.
func (c *matrixCell) created() resource.TestStep {
	return resource.TestStep{
		Config: c.config("192.0.2.10"),
		Check: func(s *terraform.State) error {
			c.recordID = s.RootModule().Resources[appAddr].Primary.ID
			return nil
		},
	}
}

// settled follows a failed step: every fault was met, and with the faults
// gone the state matches Cloudflare before any refresh (see settledStep).
func (c *matrixCell) settled(config string, pending bool) resource.TestStep {
	step := settledStep(c.env, config, pending)
	step.PreConfig = func() {
		if n := c.env.emu.PendingFaults(); n != 0 {
			c.env.t.Errorf("the failed step left %d faults unused: it did not meet the fault as planned", n)
		}
		c.env.emu.ClearFaults()
	}
	return step
}

// converged are the checks of a step that recovered: the state matches
// Cloudflare and the next plan is empty.
func (c *matrixCell) converged() resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{
		PostApplyPreRefresh:  []plancheck.PlanCheck{faultsUsed(c.env), stateMatchesCloudflare(c.env)},
		PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan(), stateMatchesCloudflare(c.env)},
	}
}

// applied is a step that applies config under the fault: it either recovers
// with one record of this content, or fails with the cell's error and leaves
// a state that matches Cloudflare (the configuration still has changes to
// make).
func (c *matrixCell) applied(route, content string) []resource.TestStep {
	step := resource.TestStep{PreConfig: c.inject(route), Config: c.config(content)}
	if c.wantErr != nil {
		step.ExpectError = c.wantErr
		return []resource.TestStep{step, c.settled(c.config(content), true)}
	}
	step.ConfigPlanChecks = c.converged()
	step.Check = c.oneRecord(content)
	return []resource.TestStep{step}
}

// refreshed is a plan-only step whose refresh meets the fault.
func (c *matrixCell) refreshed(route string) []resource.TestStep {
	step := resource.TestStep{PreConfig: c.inject(route), Config: c.config("192.0.2.10"), PlanOnly: true}
	if c.wantErr != nil {
		step.ExpectError = c.wantErr
		return []resource.TestStep{c.created(), step, c.settled(c.config("192.0.2.10"), false)}
	}
	// The refresh plan's prior state is what Read returned.
	step.ConfigPlanChecks.PostApplyPostRefresh = []plancheck.PlanCheck{faultsUsed(c.env), stateMatchesCloudflare(c.env)}
	return []resource.TestStep{c.created(), step}
}

// oneRecord checks that Cloudflare holds exactly the app record with this
// content, proxied with automatic TTL, and that the state holds its ID (the
// ID the record had before the step, when it existed).
func (c *matrixCell) oneRecord(content string) resource.TestCheckFunc {
	return func(s *terraform.State) error {
		recs := c.env.emu.Records(c.env.zoneID("example.com"))
		if len(recs) != 1 {
			return fmt.Errorf("Cloudflare holds %d records, want exactly 1: %+v", len(recs), recs)
		}
		rec := recs[0]
		if rec.Name != "app.example.com" || rec.Type != "A" || rec.Content != content || !rec.Proxied || rec.TTL != 1 {
			return fmt.Errorf("Cloudflare holds %s %s %s proxied=%t ttl=%d, want app.example.com A %s proxied with ttl 1", rec.Name, rec.Type, rec.Content, rec.Proxied, rec.TTL, content)
		}
		rs, ok := s.RootModule().Resources[appAddr]
		if !ok {
			return fmt.Errorf("%s is not in state, but Cloudflare holds record %s", appAddr, rec.ID)
		}
		if rs.Primary.ID != rec.ID {
			return fmt.Errorf("state holds record %s, Cloudflare holds %s", rs.Primary.ID, rec.ID)
		}
		if c.recordID != "" && rec.ID != c.recordID {
			return fmt.Errorf("the record was replaced: ID %s became %s", c.recordID, rec.ID)
		}
		return nil
	}
}

// matrixOp is one row of the matrix.
type matrixOp struct {
	name string
	// extra provider settings.
	extra []string
	// summary is the start of the operation's error.
	summary func(f matrixFault) string
	steps   func(c *matrixCell) []resource.TestStep
}

func fixed(s string) func(matrixFault) string { return func(matrixFault) string { return s } }

var matrixOps = []matrixOp{
	{
		name:    "create",
		summary: fixed("Could not create DNS record"),
		steps: func(c *matrixCell) []resource.TestStep {
			return c.applied(routeCreate, "192.0.2.10")
		},
	},
	{
		name:    "read",
		extra:   []string{`read_mode = "record"`},
		summary: fixed("Could not check DNS record"),
		steps:   func(c *matrixCell) []resource.TestStep { return c.refreshed(routeGet) },
	},
	{
		name:    "list",
		summary: fixed("Could not check DNS record"),
		steps:   func(c *matrixCell) []resource.TestStep { return c.refreshed(routeList) },
	},
	{
		name:    "update",
		summary: fixed("Could not update DNS record"),
		steps: func(c *matrixCell) []resource.TestStep {
			return append([]resource.TestStep{c.created()}, c.applied(routePut, "192.0.2.20")...)
		},
	},
	{
		name:    "delete",
		summary: fixed("Could not delete DNS record"),
		steps: func(c *matrixCell) []resource.TestStep {
			step := resource.TestStep{PreConfig: c.inject(routeDelete), Config: c.provider}
			if c.wantErr != nil {
				step.ExpectError = c.wantErr
				// The record is still on Cloudflare and in state: the
				// configuration with it plans clean.
				return []resource.TestStep{c.created(), step, c.settled(c.config("192.0.2.10"), false)}
			}
			step.ConfigPlanChecks = c.converged()
			step.Check = c.env.checkNoRecords
			return []resource.TestStep{c.created(), step}
		},
	},
	{
		name:    "import",
		summary: fixed("Cannot import app.example.com/A"),
		steps: func(c *matrixCell) []resource.TestStep {
			step := resource.TestStep{
				PreConfig:     c.inject(routeList),
				Config:        c.config("192.0.2.10"),
				ResourceName:  appAddr,
				ImportState:   true,
				ImportStateId: "app.example.com/A",
			}
			if c.wantErr != nil {
				step.ExpectError = c.wantErr
				return []resource.TestStep{c.created(), step, c.settled(c.config("192.0.2.10"), false)}
			}
			step.ImportStateVerify = true
			step.ImportStateCheck = func(states []*terraform.InstanceState) error {
				if n := c.env.emu.PendingFaults(); n != 0 {
					return fmt.Errorf("the import left %d faults unused", n)
				}
				if len(states) != 1 || states[0].ID != c.recordID {
					return fmt.Errorf("imported %d resources (%+v), want exactly record %s", len(states), states, c.recordID)
				}
				return nil
			}
			return []resource.TestStep{c.created(), step}
		},
	},
	{
		name:    "zone",
		summary: fixed("Cannot find the zone of app.example.com"),
		steps: func(c *matrixCell) []resource.TestStep {
			return c.applied(routeZones, "192.0.2.10")
		},
	},
	{
		name: "verify",
		summary: func(f matrixFault) string {
			if f.network {
				return "Cloudflare API unreachable"
			}
			return "Could not verify the Cloudflare API token"
		},
		steps: func(c *matrixCell) []resource.TestStep {
			return c.applied(routeVerify, "192.0.2.10")
		},
	},
}

// TestAccFaultMatrix runs every operation against every fault; see the table
// at the top of this file.
func TestAccFaultMatrix(t *testing.T) {
	for _, op := range matrixOps {
		for _, f := range matrixFaults {
			t.Run(op.name+"/"+f.name, func(t *testing.T) {
				env := newTestEnv(t)
				c := &matrixCell{
					env:      env,
					fault:    f,
					provider: env.provider(append(append([]string{"max_retries = 2"}, op.extra...), f.extra...)...),
				}
				if f.want != "" {
					c.wantErr = regexp.MustCompile(`(?s)` + loose(op.summary(f)) + `.*` + loose(f.want))
				}
				resource.ParallelTest(t, resource.TestCase{
					ProtoV6ProviderFactories: testAccProviders,
					CheckDestroy:             env.checkNoRecords,
					Steps:                    op.steps(c),
				})
			})
		}
	}
}

// loose is a regular expression matching text as Terraform prints it:
// diagnostics are wrapped, so any space may have become a line break.
func loose(text string) string {
	words := strings.Fields(text)
	for i, w := range words {
		words[i] = regexp.QuoteMeta(w)
	}
	return strings.Join(words, `\s+`)
}

// faultsUsed is a plan check that every injected fault was met, so that a
// cell that recovered did recover from its fault rather than miss it.
func faultsUsed(env *testEnv) plancheck.PlanCheck { return faultsUsedCheck{env: env} }

type faultsUsedCheck struct{ env *testEnv }

func (c faultsUsedCheck) CheckPlan(_ context.Context, _ plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	if n := c.env.emu.PendingFaults(); n != 0 {
		resp.Error = fmt.Errorf("%d injected faults were never met", n)
	}
}

// stateMatchesCloudflare is a plan check: the plan's prior state (the state as
// saved, on a plan that does not refresh) holds exactly the records
// Cloudflare holds, with the same IDs, zones, names, types, contents, TTLs and
// proxy settings.
func stateMatchesCloudflare(env *testEnv) plancheck.PlanCheck {
	return stateMatchCheck{env: env}
}

type stateMatchCheck struct{ env *testEnv }

func (c stateMatchCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	inState := map[string]*tfjson.StateResource{}
	if req.Plan != nil && req.Plan.PriorState != nil && req.Plan.PriorState.Values != nil {
		for _, r := range allStateResources(req.Plan.PriorState.Values.RootModule) {
			if r.Mode == tfjson.ManagedResourceMode && r.Type == "cloudflaredns_record" {
				id, _ := r.AttributeValues["id"].(string)
				inState[id] = r
			}
		}
	}
	onCloudflare := map[string]emulator.Record{}
	zoneOf := map[string]string{}
	for _, z := range c.env.zones {
		for _, rec := range c.env.emu.Records(z.ID) {
			onCloudflare[rec.ID] = rec
			zoneOf[rec.ID] = z.ID
		}
	}
	var problems []string
	for id, r := range inState {
		rec, ok := onCloudflare[id]
		if !ok {
			problems = append(problems, fmt.Sprintf("%s is in state with record ID %s, which Cloudflare does not hold", r.Address, id))
			continue
		}
		attr := func(name string) string {
			if v, ok := r.AttributeValues[name]; ok && v != nil {
				return fmt.Sprint(v)
			}
			return ""
		}
		typ := attr("type")
		switch {
		case attr("zone_id") != zoneOf[id]:
			problems = append(problems, fmt.Sprintf("%s: zone_id %s in state, %s on Cloudflare", r.Address, attr("zone_id"), zoneOf[id]))
		case attr("fqdn") != rec.Name || typ != rec.Type:
			problems = append(problems, fmt.Sprintf("%s: %s %s in state, %s %s on Cloudflare", r.Address, attr("fqdn"), typ, rec.Name, rec.Type))
		case !dnsvalue.SameContent(typ, attr("content"), rec.Content):
			problems = append(problems, fmt.Sprintf("%s: content %q in state, %q on Cloudflare", r.Address, attr("content"), rec.Content))
		case attr("ttl") != strconv.Itoa(rec.TTL) || attr("proxied") != strconv.FormatBool(rec.Proxied):
			problems = append(problems, fmt.Sprintf("%s: ttl %s proxied %s in state, ttl %d proxied %t on Cloudflare", r.Address, attr("ttl"), attr("proxied"), rec.TTL, rec.Proxied))
		}
	}
	for id, rec := range onCloudflare {
		if _, ok := inState[id]; !ok {
			problems = append(problems, fmt.Sprintf("Cloudflare holds %s %s %s (record ID %s), which no resource in state holds", rec.Type, rec.Name, rec.Content, id))
		}
	}
	sort.Strings(problems)
	if len(problems) > 0 {
		resp.Error = errors.New("state and Cloudflare differ: " + strings.Join(problems, "; "))
	}
}

// allStateResources lists the resources of a module and its children.
func allStateResources(m *tfjson.StateModule) []*tfjson.StateResource {
	if m == nil {
		return nil
	}
	out := append([]*tfjson.StateResource(nil), m.Resources...)
	for _, child := range m.ChildModules {
		out = append(out, allStateResources(child)...)
	}
	return out
}
