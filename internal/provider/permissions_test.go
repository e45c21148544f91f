package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// providerWithToken is a provider block for env with another token.
func providerWithToken(env *testEnv, token string, extra ...string) string {
	return fmt.Sprintf(`
provider "cloudflaredns" {
  api_token   = %q
  base_url    = %q
  rps         = 1000
  max_retries = 0
  %s
}
`, token, env.url, strings.Join(extra, "\n  "))
}

// TestAccPermissions_namedInErrors uses tokens that verify but may not do what
// the configuration asks: one scoped to another zone, one read-only. Each
// error names the zone and the permission the token lacks, and the state
// still matches Cloudflare afterwards.
func TestAccPermissions_namedInErrors(t *testing.T) {
	const (
		otherZoneToken = "other-zone-token-0123456789"
		readOnlyToken  = "read-only-token-0123456789"
	)
	record := func(body string) string {
		return appRecord(`
  name    = "app.example.com"
  ` + body)
	}
	tests := []struct {
		name  string
		steps func(env *testEnv, full, other, readOnly string) []resource.TestStep
	}{
		{
			// The zone is not among the zones the token sees, so the error
			// lists what it does see and names Zone:Zone:Read.
			name: "other zone, found by name",
			steps: func(env *testEnv, full, other, readOnly string) []resource.TestStep {
				return []resource.TestStep{{
					Config:      other + record(`content = "192.0.2.10"`),
					ExpectError: regexp.MustCompile(`(?s)Cannot find the zone of app\.example\.com.*no zone contains "app\.example\.com".*example\.net.*Zone:Zone:Read`),
				}}
			},
		},
		{
			name: "other zone, zone_id given",
			steps: func(env *testEnv, full, other, readOnly string) []resource.TestStep {
				zoneID := env.zoneID("example.com")
				return []resource.TestStep{{
					Config:      other + record(`content = "192.0.2.10"`+"\n  zone_id = "+fmt.Sprintf("%q", zoneID)),
					ExpectError: regexp.MustCompile(`(?s)may not read zone ` + zoneID + `.*Zone:Zone:Read\s+and\s+Zone:DNS:Edit`),
				}}
			},
		},
		{
			// A record created with a full token, refreshed with a token of
			// another zone.
			name: "other zone, refresh",
			steps: func(env *testEnv, full, other, readOnly string) []resource.TestStep {
				config := record(`content = "192.0.2.10"`)
				return []resource.TestStep{
					{Config: full + config},
					{
						// Not plan-only: its first plan would skip the
						// refresh, and fail on the zone look-up instead.
						Config:      other + config,
						ExpectError: regexp.MustCompile(`(?s)Could not check DNS record.*may\s+not\s+do\s+this\s+in\s+zone\s+example\.com.*Zone:DNS:Read`),
					},
					settledStep(env, full+config, false),
				}
			},
		},
		{
			name: "read-only, create",
			steps: func(env *testEnv, full, other, readOnly string) []resource.TestStep {
				config := record(`content = "192.0.2.10"`)
				return []resource.TestStep{
					{
						Config:      readOnly + config,
						ExpectError: regexp.MustCompile(`(?s)Could not create DNS record.*may\s+not\s+do\s+this\s+in\s+zone\s+example\.com.*Zone:DNS:Edit`),
					},
					settledStep(env, full+config, true),
				}
			},
		},
		{
			name: "read-only, update",
			steps: func(env *testEnv, full, other, readOnly string) []resource.TestStep {
				before, after := record(`content = "192.0.2.10"`), record(`content = "192.0.2.20"`)
				return []resource.TestStep{
					{Config: full + before},
					// Reading is allowed: a read-only token plans clean.
					{Config: readOnly + before, PlanOnly: true},
					{
						Config:      readOnly + after,
						ExpectError: regexp.MustCompile(`(?s)Could not update DNS record.*may\s+not\s+do\s+this\s+in\s+zone\s+example\.com.*Zone:DNS:Edit`),
					},
					settledStep(env, full+after, true),
				}
			},
		},
		{
			name: "read-only, delete",
			steps: func(env *testEnv, full, other, readOnly string) []resource.TestStep {
				config := record(`content = "192.0.2.10"`)
				return []resource.TestStep{
					{Config: full + config},
					{
						Config:      readOnly,
						ExpectError: regexp.MustCompile(`(?s)Could not delete DNS record.*stays\s+in\s+the\s+state.*may\s+not\s+do\s+this\s+in\s+zone\s+example\.com.*Zone:DNS:Edit`),
					},
					// Refused, so still on Cloudflare and in state.
					settledStep(env, full+config, false),
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t, "example.com", "example.net")
			env.emu.AddToken(emulator.Token{Value: otherZoneToken, ZoneIDs: []string{env.zoneID("example.net")}})
			env.emu.AddToken(emulator.Token{Value: readOnlyToken, ReadOnly: true})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.checkNoRecords,
				Steps: tt.steps(env,
					providerWithToken(env, testToken),
					providerWithToken(env, otherZoneToken),
					providerWithToken(env, readOnlyToken)),
			})
		})
	}
}
