package provider

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// The secrets of these tests all start with secretMark, so that a secret cut
// short or split still shows. Nothing else in the tests contains it.
const (
	secretMark    = "sekret"
	secretToken   = "sekret-9f1e2d3c4b5a-token"
	secretUnknown = "sekret-unknown-5a4b3c2d1e0f"
	secretKey     = "sekretkey-8e7d6c5b4a39"
	secretEmail   = "ops@example.com"
)

// leakScan collects every output of a run and reports those that show a secret.
type leakScan struct {
	mu      sync.Mutex
	scanned map[string]int // source → bytes read
	leaks   []string
}

func newLeakScan() *leakScan { return &leakScan{scanned: map[string]int{}} }

func (l *leakScan) scan(source, text string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.scanned[source] += len(text)
	lower := strings.ToLower(text)
	for _, needle := range []string{secretMark, "bearer " + secretMark, "x-auth-key: " + secretMark} {
		if i := strings.Index(lower, needle); i >= 0 {
			from, to := max(0, i-80), min(len(text), i+80)
			l.leaks = append(l.leaks, fmt.Sprintf("%s shows %q: …%s…", source, needle, text[from:to]))
			return
		}
	}
}

// scanFile reads a file (a log, a state) into the scan; a missing file is
// reported by the caller through requireScanned.
func (l *leakScan) scanFile(t *testing.T, source, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		if !os.IsNotExist(err) {
			t.Errorf("reading %s: %v", path, err)
		}
		return
	}
	l.scan(source, string(data))
}

// scanLog reads a log of the test harness: entries of terraform-plugin-testing
// itself (sdk.helper_resource) are left out, since they echo the test's
// configuration, credentials included, and Terraform's error output, which
// the error check reads already.
func (l *leakScan) scanLog(t *testing.T, source, path string) {
	t.Helper()
	data, err := os.ReadFile(path)
	if err != nil {
		if !os.IsNotExist(err) {
			t.Errorf("reading %s: %v", path, err)
		}
		return
	}
	var kept strings.Builder
	harness := false
	for _, line := range strings.SplitAfter(string(data), "\n") {
		// An entry starts with its timestamp; the lines after it until the
		// next entry belong to it.
		if logEntryStart.MatchString(line) {
			harness = strings.Contains(line, " sdk.helper_resource: ")
		}
		if !harness {
			kept.WriteString(line)
		}
	}
	l.scan(source, kept.String())
}

var logEntryStart = regexp.MustCompile(`^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}`)

// requireScanned fails when a source produced nothing: a scan of nothing
// proves nothing.
func (l *leakScan) requireScanned(t *testing.T, sources ...string) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, s := range sources {
		if l.scanned[s] == 0 {
			t.Errorf("nothing was read from %s", s)
		}
	}
}

func (l *leakScan) report(t *testing.T) {
	t.Helper()
	l.mu.Lock()
	defer l.mu.Unlock()
	for _, leak := range l.leaks {
		t.Errorf("credential leaked: %s", leak)
	}
	t.Logf("scanned %v", l.scanned)
}

// planCheck marshals every plan to JSON, as terraform show -json prints it.
func (l *leakScan) planCheck(source string) plancheck.PlanCheck {
	return leakPlanCheck{l: l, source: source}
}

type leakPlanCheck struct {
	l      *leakScan
	source string
}

func (c leakPlanCheck) CheckPlan(_ context.Context, req plancheck.CheckPlanRequest, resp *plancheck.CheckPlanResponse) {
	// The plan's "configuration" is Terraform's copy of the configuration as
	// written, literals included, which the provider never sees as such; a
	// credential written as a literal shows there whatever the provider does.
	// TestAccSecrets_realTerraform reads it whole, with the credential from
	// the environment.
	plan := *req.Plan
	plan.Config = nil
	data, err := json.Marshal(plan)
	if err != nil {
		resp.Error = err
		return
	}
	c.l.scan(c.source, string(data))
}

// stateCheck marshals the state to JSON, as terraform show -json prints it.
func (l *leakScan) stateCheck() statecheck.StateCheck { return leakStateCheck{l: l} }

type leakStateCheck struct{ l *leakScan }

func (c leakStateCheck) CheckState(_ context.Context, req statecheck.CheckStateRequest, resp *statecheck.CheckStateResponse) {
	data, err := json.Marshal(req.State)
	if err != nil {
		resp.Error = err
		return
	}
	c.l.scan("state (JSON)", string(data))
}

// expectedErrors lets a test case run steps that must fail and still read
// their error: ExpectError would hide the message, ErrorCheck sees it.
type expectedErrors struct {
	t    *testing.T
	scan *leakScan
	next *regexp.Regexp
}

// expect arms the check for the next step: it must fail with this error.
func (e *expectedErrors) expect(pattern string) func() {
	return func() {
		e.settle()
		e.next = regexp.MustCompile(pattern)
	}
}

// settle fails the test when the previous step was to fail and did not.
func (e *expectedErrors) settle() {
	if e.next != nil {
		e.t.Errorf("a step expected to fail with %q succeeded", e.next)
		e.next = nil
	}
}

func (e *expectedErrors) check(err error) error {
	e.scan.scan("error messages", err.Error())
	if e.next == nil || !e.next.MatchString(err.Error()) {
		return err
	}
	e.next = nil
	return nil
}

// TestAccSecrets_neverInOutputs runs create, plan, errors and import under
// TF_LOG=trace, with a token and with a key and email written in the provider
// block, and reads every output (Terraform's and the provider's logs, state,
// plans, errors, import results) for the credentials.
//
// It sets environment variables, so it cannot run in parallel.
func TestAccSecrets_neverInOutputs(t *testing.T) {
	// The scan below runs after resource.Test, which only skips itself.
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (and TF_ACC_TERRAFORM_PATH) to run it")
	}
	env := newTestEnv(t)
	env.emu.AddToken(emulator.Token{Value: secretToken})
	env.emu.AddKey(emulator.Key{Email: secretEmail, Key: secretKey})
	logs := t.TempDir()
	// TF_ACC_LOG_PATH takes Terraform's trace log and the in-process
	// provider's (terraform-plugin-log's test sink); TF_LOG_PATH is where
	// either goes when the other is not set.
	t.Setenv("TF_LOG", "trace")
	t.Setenv("TF_LOG_PATH", filepath.Join(logs, "tf.log"))
	t.Setenv("TF_ACC_LOG_PATH", filepath.Join(logs, "acc.log"))
	scan := newLeakScan()

	record := func(content string) string {
		return appRecord(fmt.Sprintf(`
  name    = "app.example.com"
  content = %q`, content))
	}
	block := func(credentials, url string) string {
		return fmt.Sprintf("provider \"cloudflaredns\" {\n  %s\n  base_url    = %q\n  max_retries = 0\n  rps         = 1000\n}\n", credentials, url)
	}
	credentials := map[string]struct {
		good, bad string // provider settings: accepted, refused
		refused   string // error for bad
	}{
		"token": {
			good:    fmt.Sprintf("api_token = %q", secretToken),
			bad:     fmt.Sprintf("api_token = %q", secretUnknown),
			refused: `Invalid Cloudflare API token`,
		},
		"key and email": {
			good:    fmt.Sprintf("api_key = %q\n  email = %q", secretKey, secretEmail),
			bad:     fmt.Sprintf("api_key = %q\n  email = %q", secretKey+"-wrong", secretEmail),
			refused: `Invalid Cloudflare API key or email`,
		},
	}
	for name, cred := range credentials {
		t.Run(name, func(t *testing.T) {
			good := block(cred.good, env.url)
			errs := &expectedErrors{t: t, scan: scan}
			plans := []plancheck.PlanCheck{scan.planCheck("plan (JSON)")}
			resource.Test(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				ErrorCheck:               errs.check,
				Steps: []resource.TestStep{
					{
						// Create.
						Config: good + record("192.0.2.10"),
						ConfigPlanChecks: resource.ConfigPlanChecks{
							PreApply: plans, PostApplyPreRefresh: plans, PostApplyPostRefresh: plans,
						},
						ConfigStateChecks: []statecheck.StateCheck{
							statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
							scan.stateCheck(),
						},
						Check: func(s *terraform.State) error {
							scan.scan("state (legacy)", s.String())
							return nil
						},
					},
					{
						// A plan with changes.
						Config:             good + record("192.0.2.20"),
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
						ConfigPlanChecks:   resource.ConfigPlanChecks{PostApplyPreRefresh: plans, PostApplyPostRefresh: plans},
					},
					{
						// Cloudflare refuses a create: the error quotes the API.
						PreConfig: func() {
							errs.expect(`(?s)Could not create DNS record.*9005`)()
							env.emu.InjectFault(emulator.Fault{Route: routeCreate, Kind: emulator.FaultStatus, Status: 400, Code: 9005, Message: "Content for A record must be a valid IPv4 address."})
						},
						Config: good + record("192.0.2.10") + `
resource "cloudflaredns_record" "refused" {
  name    = "refused.example.com"
  content = "192.0.2.99"
}`,
					},
					{
						// A value refused at plan time.
						PreConfig: errs.expect(`Invalid A record content`),
						Config:    good + record("not-an-address"),
					},
					{
						// Credentials Cloudflare refuses. The error must not
						// quote them, not even as the configuration line
						// Terraform shows for an error on an attribute.
						PreConfig: errs.expect(cred.refused),
						Config:    block(cred.bad, env.url) + record("192.0.2.10"),
					},
					{
						// Cloudflare cannot be reached.
						PreConfig: errs.expect(`Cloudflare API unreachable`),
						Config:    block(cred.good, closedURL(t)) + record("192.0.2.10"),
					},
					{
						PreConfig:        errs.settle,
						Config:           good + record("192.0.2.10"),
						ConfigPlanChecks: resource.ConfigPlanChecks{PostApplyPostRefresh: append(plans, plancheck.ExpectEmptyPlan())},
					},
					{
						// Import by name.
						Config:            good + record("192.0.2.10"),
						ResourceName:      appAddr,
						ImportState:       true,
						ImportStateId:     "app.example.com/A",
						ImportStateVerify: true,
						ImportStateCheck: func(states []*terraform.InstanceState) error {
							for _, s := range states {
								scan.scan("import result", fmt.Sprintf("%#v", s))
							}
							return nil
						},
					},
				},
			})
			errs.settle()
		})
	}

	scan.scanLog(t, "TF_ACC_LOG_PATH log", filepath.Join(logs, "acc.log"))
	scan.scanLog(t, "TF_LOG_PATH log", filepath.Join(logs, "tf.log"))
	scan.requireScanned(t, "TF_ACC_LOG_PATH log", "state (JSON)", "state (legacy)", "plan (JSON)", "error messages", "import result")
	// The log holds the provider's own request log, or it proves nothing
	// about the provider.
	if data, _ := os.ReadFile(filepath.Join(logs, "acc.log")); !strings.Contains(string(data), "Cloudflare request") {
		t.Errorf("the trace log holds no request log of the provider; the scan does not cover it")
	}
	scan.report(t)
}

// TestAccSecrets_realTerraform runs the built provider binary under real
// Terraform with TF_LOG=trace and reads what a user and their CI keep: the
// output of every command, the trace log (which also holds the provider
// process's own log), the state file and the plan as JSON, whole. The token
// comes from CLOUDFLARE_API_TOKEN, as the documentation recommends, so none of
// it may show the token.
func TestAccSecrets_realTerraform(t *testing.T) {
	tf := newRealTerraform(t)
	env := newTestEnv(t)
	env.emu.AddToken(emulator.Token{Value: secretToken})
	scan := newLeakScan()
	logPath := filepath.Join(t.TempDir(), "trace.log")
	token := secretToken
	run := func(wantCode int, args ...string) string {
		t.Helper()
		code, out := tf.runWith([]string{"TF_LOG=trace", "TF_LOG_PATH=" + logPath, "CLOUDFLARE_API_TOKEN=" + token}, args...)
		scan.scan("terraform output", out)
		if code != wantCode {
			t.Fatalf("terraform %s exited %d, want %d:\n%s", strings.Join(args, " "), code, wantCode, out)
		}
		return out
	}
	config := func(contents ...string) {
		var b strings.Builder
		b.WriteString(tf.header(env.url, "max_retries = 0"))
		for i, c := range contents {
			fmt.Fprintf(&b, "resource \"cloudflaredns_record\" \"r%d\" {\n  name    = \"r%d.example.com\"\n  content = %q\n}\n", i, i, c)
		}
		tf.write(t, "main.tf", b.String())
	}

	config("192.0.2.1")
	run(0, "apply", "-auto-approve", "-input=false", "-no-color")
	config("192.0.2.2", "192.0.2.3")
	run(2, "plan", "-detailed-exitcode", "-input=false", "-no-color", "-out=tfplan")
	run(0, "show", "-json", "tfplan")
	run(0, "show", "-json")
	// Cloudflare refuses the new record.
	env.emu.InjectFault(emulator.Fault{Route: routeCreate, Kind: emulator.FaultStatus, Status: 400, Code: 9005, Message: "Content for A record must be a valid IPv4 address."})
	if out := run(1, "apply", "-auto-approve", "-input=false", "-no-color"); !strings.Contains(out, "9005") {
		t.Errorf("the refused apply does not show Cloudflare's error:\n%s", out)
	}
	// Import a record the state lost.
	run(0, "state", "rm", "cloudflaredns_record.r0")
	run(0, "import", "-input=false", "-no-color", "cloudflaredns_record.r0", "r0.example.com/A")
	// A token Cloudflare refuses.
	token = secretUnknown
	if out := run(1, "plan", "-input=false", "-no-color"); !strings.Contains(out, "Invalid Cloudflare API token") {
		t.Errorf("the refused token is not reported:\n%s", out)
	}

	scan.scanFile(t, "trace log", logPath)
	scan.scanFile(t, "state file", filepath.Join(tf.dir, "terraform.tfstate"))
	scan.scanFile(t, "state backup", filepath.Join(tf.dir, "terraform.tfstate.backup"))
	scan.requireScanned(t, "terraform output", "trace log", "state file")
	if data, _ := os.ReadFile(logPath); !strings.Contains(string(data), "Cloudflare request") {
		t.Errorf("the trace log holds no request log of the provider process; the scan does not cover it")
	}
	scan.report(t)
}
