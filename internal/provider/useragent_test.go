package provider

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-framework/providerserver"
	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// TestAccProvider_userAgent checks that every request names the provider and
// its version, so Cloudflare support and API logs can tell which provider sent it.
func TestAccProvider_userAgent(t *testing.T) {
	env := newTestEnv(t)
	var (
		mu     sync.Mutex
		agents = map[string]int{}
	)
	// The emulator does not record headers, so a recording server sits in front.
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		agents[r.Header.Get("User-Agent")]++
		mu.Unlock()
		env.emu.ServeHTTP(w, r)
	}))
	t.Cleanup(srv.Close)

	// A version of its own, so the test sees it travel from New to the header.
	const version = "1.2.3-uatest"
	providers := map[string]func() (tfprotov6.ProviderServer, error){
		"cloudflaredns": providerserver.NewProtocol6WithError(New(version)()),
	}
	want := regexp.MustCompile(`^terraform-provider-cloudflaredns/` + regexp.QuoteMeta(version) + ` .*terraform/\d+\.\d+\.\d+`)
	config := fmt.Sprintf(`
provider "cloudflaredns" {
  api_token = %q
  base_url  = %q
}

data "cloudflaredns_zone" "this" {
  name = "example.com"
}

data "cloudflaredns_records" "this" {
  zone_id = data.cloudflaredns_zone.this.id
}
`, testToken, srv.URL+"/client/v4")

	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: providers,
		Steps: []resource.TestStep{{
			Config: config,
			Check: func(*terraform.State) error {
				mu.Lock()
				defer mu.Unlock()
				if len(agents) == 0 {
					return fmt.Errorf("the recording server saw no request")
				}
				for agent, n := range agents {
					t.Logf("%d requests with User-Agent %q", n, agent)
					if !want.MatchString(agent) {
						return fmt.Errorf("%d requests had User-Agent %q, want it to match %s", n, agent, want)
					}
					if strings.Contains(agent, testToken) {
						return fmt.Errorf("the User-Agent %q carries the API token", agent)
					}
				}
				return nil
			},
		}},
	})
}
