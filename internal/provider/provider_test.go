package provider

import (
	"fmt"
	"net"
	"os"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-go/tfprotov6"
	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// The provider runs in-process; Terraform (or OpenTofu) reattaches to it.
var testAccProviders = map[string]func() (tfprotov6.ProviderServer, error){
	"cloudflaredns": func() (tfprotov6.ProviderServer, error) { return NewServer("test")(), nil },
}

const testToken = "acc-test-token-0123456789"

// testEnv is one acceptance test's own Cloudflare: an emulator on loopback
// with a token and some zones.
type testEnv struct {
	t     *testing.T
	emu   *emulator.Server
	url   string
	zones map[string]emulator.Zone
}

// newTestEnv starts an emulator with an active token and the given zones
// (example.com when none are given), and clears CLOUDFLARE_* variables so the
// test sees only its own configuration.
func newTestEnv(t *testing.T, zoneNames ...string) *testEnv {
	t.Helper()
	for _, v := range []string{envAPIToken, envAPIKey, envEmail, envAccountID, envBaseURL, envRPS, envMaxRetries, envReadMode} {
		if os.Getenv(v) != "" {
			t.Fatalf("%s is set; acceptance tests configure the provider themselves, unset it", v)
		}
	}
	if len(zoneNames) == 0 {
		zoneNames = []string{"example.com"}
	}
	cfg := emulator.Config{Tokens: []emulator.Token{{Value: testToken}}}
	for _, name := range zoneNames {
		cfg.Zones = append(cfg.Zones, emulator.Zone{Name: name})
	}
	emu := emulator.New(cfg)
	url, err := emu.Start()
	if err != nil {
		t.Fatalf("starting the emulator: %v", err)
	}
	t.Cleanup(emu.Close)
	env := &testEnv{t: t, emu: emu, url: url, zones: map[string]emulator.Zone{}}
	for _, z := range emu.Zones() {
		env.zones[z.Name] = z
	}
	return env
}

// zoneID is the ID of a zone of the environment.
func (e *testEnv) zoneID(name string) string {
	z, ok := e.zones[name]
	if !ok {
		e.t.Fatalf("no zone %s in the test environment", name)
	}
	return z.ID
}

// provider is a provider block for this environment, with extra settings.
// Retries are fast and few so fault tests stay quick.
func (e *testEnv) provider(extra ...string) string {
	return fmt.Sprintf(`
provider "cloudflaredns" {
  api_token   = %q
  base_url    = %q
  rps         = 1000
  %s
}
`, testToken, e.url, strings.Join(extra, "\n  "))
}

// config is a provider block followed by resources.
func (e *testEnv) config(resources ...string) string {
	return e.provider() + strings.Join(resources, "\n")
}

// onlyRecord returns the one record the emulator holds in example.com.
func (e *testEnv) onlyRecord() emulator.Record {
	e.t.Helper()
	recs := e.emu.Records(e.zoneID("example.com"))
	if len(recs) != 1 {
		e.t.Fatalf("zone example.com holds %d records, want 1: %+v", len(recs), recs)
	}
	return recs[0]
}

// underOpenTofu reports whether the acceptance tests run under OpenTofu.
func underOpenTofu() bool {
	return os.Getenv("TF_ACC_PROVIDER_HOST") == "registry.opentofu.org"
}

// closedURL is a loopback URL where nothing listens.
func closedURL(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := l.Addr().String()
	_ = l.Close()
	return "http://" + addr + "/client/v4"
}

func TestAccProvider_connectorFailures(t *testing.T) {
	env := newTestEnv(t)
	env.emu.AddToken(emulator.Token{Value: "disabled-token-0123456789", Status: "disabled"})
	env.emu.AddToken(emulator.Token{Value: "expired-token-0123456789", Status: "expired"})
	env.emu.AddToken(emulator.Token{Value: "account-token-0123456789", AccountID: emulator.DefaultAccountID})
	record := `
resource "cloudflaredns_record" "app" {
  name    = "app.example.com"
  content = "192.0.2.10"
}`
	block := func(settings string) string {
		return "provider \"cloudflaredns\" {\n" + settings + "\n}\n" + record
	}
	unreachable := closedURL(t)
	tests := []struct {
		name     string
		settings string
		want     string
	}{
		{"no credentials", fmt.Sprintf("base_url = %q", env.url), `No Cloudflare credentials`},
		{"both kinds", fmt.Sprintf("base_url = %q\napi_token = %q\napi_key = \"k\"\nemail = \"a@example.com\"", env.url, testToken), `(?s)api_key.*api_token|Both kinds`},
		{"invalid token", fmt.Sprintf("base_url = %q\napi_token = \"wrong-token-0123456789\"", env.url), `Invalid Cloudflare API token`},
		{"disabled token", fmt.Sprintf("base_url = %q\napi_token = \"disabled-token-0123456789\"", env.url), `Cloudflare API token is disabled`},
		{"expired token", fmt.Sprintf("base_url = %q\napi_token = \"expired-token-0123456789\"", env.url), `Cloudflare API token is expired`},
		{"account token without account_id", fmt.Sprintf("base_url = %q\napi_token = \"account-token-0123456789\"", env.url), `(?s)Invalid Cloudflare API token.*account_id`},
		{"unreachable", fmt.Sprintf("base_url = %q\napi_token = %q\nmax_retries = 0", unreachable, testToken), `(?s)Cloudflare API unreachable.*` + regexp.QuoteMeta(unreachable)},
		{"plain http to a remote host", fmt.Sprintf("base_url = \"http://api.example.net/client/v4\"\napi_token = %q", testToken), `(?s)plain http.*not loopback`},
		{"key without email", fmt.Sprintf("base_url = %q\napi_key = \"key\"", env.url), `Missing email for api_key`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:      block(tt.settings),
					PlanOnly:    true,
					ExpectError: regexp.MustCompile(tt.want),
				}},
			})
		})
	}
	if n := env.emu.Count("POST /zones/{zone_id}/dns_records"); n != 0 {
		t.Errorf("a failed connector made %d record writes, want none", n)
	}
}

func TestAccProvider_accountTokenAndKey(t *testing.T) {
	env := newTestEnv(t)
	env.emu.AddToken(emulator.Token{Value: "account-token-0123456789", AccountID: emulator.DefaultAccountID})
	env.emu.AddKey(emulator.Key{Email: "ops@example.com", Key: "global-key-0123456789"})
	record := `
resource "cloudflaredns_record" "app" {
  name    = "app.example.com"
  content = "192.0.2.10"
}`
	for name, settings := range map[string]string{
		"account token": fmt.Sprintf("api_token = \"account-token-0123456789\"\naccount_id = %q", emulator.DefaultAccountID),
		"key and email": "api_key = \"global-key-0123456789\"\nemail = \"ops@example.com\"",
	} {
		t.Run(name, func(t *testing.T) {
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				Steps: []resource.TestStep{{
					Config:             fmt.Sprintf("provider \"cloudflaredns\" {\nbase_url = %q\n%s\n}\n%s", env.url, settings, record),
					PlanOnly:           true,
					ExpectNonEmptyPlan: true,
				}},
			})
		})
	}
}

// TestAccProvider_unknownAtPlan checks that provider settings known only at
// apply do not fail the plan: the connector is confirmed at apply instead.
func TestAccProvider_unknownAtPlan(t *testing.T) {
	env := newTestEnv(t)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{{
			Config: fmt.Sprintf(`
# timestamp() is unknown until apply, so the token is too.
resource "terraform_data" "token" {
  input = timestamp() != "" ? %q : ""
}

provider "cloudflaredns" {
  api_token = terraform_data.token.output
  base_url  = %q
}

resource "cloudflaredns_record" "app" {
  zone_id = %q
  name    = "app"
  content = "192.0.2.1"
}`, testToken, env.url, env.zoneID("example.com")),
			Check: func(*terraform.State) error {
				env.onlyRecord()
				return nil
			},
			// timestamp() changes on every plan, so the token stays unknown at
			// plan time in the next plan too; that plan must not fail either.
			ExpectNonEmptyPlan: true,
		}},
	})
}
