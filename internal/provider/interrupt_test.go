package provider

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// TestAccTimeouts_hangPastOperationTimeout: Cloudflare holds every request of
// one operation unanswered. The request timeout (60s by default) never fires;
// the resource's own timeouts block ends the operation with a clear error, and
// the state still matches Cloudflare afterwards.
func TestAccTimeouts_hangPastOperationTimeout(t *testing.T) {
	record := func(content, timeouts string) string {
		return appRecord(fmt.Sprintf(`
  name    = "app.example.com"
  content = %q
  timeouts {
    %s
  }`, content, timeouts))
	}
	tests := []struct {
		name    string
		route   string
		summary string
		// steps builds the case around the hanging step.
		steps func(env *testEnv, provider string, hang resource.TestStep) []resource.TestStep
	}{
		{
			name: "create", route: routeCreate, summary: "Could not create DNS record",
			steps: func(env *testEnv, provider string, hang resource.TestStep) []resource.TestStep {
				hang.Config = provider + record("192.0.2.10", `create = "3s"`)
				// Nothing was created: the next plan creates it, and the
				// state (empty) matches Cloudflare (empty).
				return []resource.TestStep{hang, settledStep(env, hang.Config, true)}
			},
		},
		{
			name: "update", route: routePut, summary: "Could not update DNS record",
			steps: func(env *testEnv, provider string, hang resource.TestStep) []resource.TestStep {
				hang.Config = provider + record("192.0.2.20", `update = "3s"`)
				return []resource.TestStep{
					{Config: provider + record("192.0.2.10", `update = "3s"`)},
					hang,
					// The state kept the old content, as Cloudflare did.
					settledStep(env, hang.Config, true),
				}
			},
		},
		{
			name: "delete", route: routeDelete, summary: "Could not delete DNS record",
			steps: func(env *testEnv, provider string, hang resource.TestStep) []resource.TestStep {
				created := provider + record("192.0.2.10", `delete = "3s"`)
				hang.Config = provider
				// Still in state and on Cloudflare: the configuration with
				// the record plans clean.
				return []resource.TestStep{{Config: created}, hang, settledStep(env, created, false)}
			},
		},
		{
			name: "read", route: routeList, summary: "Could not check DNS record",
			steps: func(env *testEnv, provider string, hang resource.TestStep) []resource.TestStep {
				config := provider + record("192.0.2.10", `read = "3s"`)
				hang.Config = config
				hang.PlanOnly = true
				return []resource.TestStep{{Config: config}, hang, settledStep(env, config, false)}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			// Retries are allowed, so that only the operation's deadline can
			// end the wait; the request timeout stays at its default.
			provider := env.provider("max_retries = 2")
			hang := resource.TestStep{
				PreConfig: func() {
					env.emu.InjectFault(emulator.Fault{Route: tt.route, Kind: emulator.FaultHang, Times: 5})
				},
				ExpectError: regexp.MustCompile(`(?s)` + loose(tt.summary) + `.*(deadline\s+exceeded|did\s+not\s+answer\s+in\s+time)`),
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.checkNoRecords,
				Steps:                    tt.steps(env, provider, hang),
			})
		})
	}
}

// settledStep clears the faults and checks, on a plan that does not refresh,
// that the state matches Cloudflare; pending says whether the configuration
// still has changes to make.
func settledStep(env *testEnv, config string, pending bool) resource.TestStep {
	return resource.TestStep{
		PreConfig:          env.emu.ClearFaults,
		Config:             config,
		PlanOnly:           true,
		ExpectNonEmptyPlan: pending,
		ConfigPlanChecks: resource.ConfigPlanChecks{
			PostApplyPreRefresh:  []plancheck.PlanCheck{stateMatchesCloudflare(env)},
			PostApplyPostRefresh: []plancheck.PlanCheck{stateMatchesCloudflare(env)},
		},
	}
}

// TestAccInterrupt_applyKeepsStateTrue interrupts a slow apply of 15 records
// the way Ctrl-C does, with real Terraform and the built provider binary, and
// checks that the state then holds exactly the records Cloudflare holds, and
// that the next apply converges to the 15 records without a duplicate.
func TestAccInterrupt_applyKeepsStateTrue(t *testing.T) {
	tf := newRealTerraform(t)
	env := newTestEnv(t)
	// Each request takes 300ms, and two creates run at a time: the apply
	// takes a few seconds, long enough to be interrupted in the middle.
	env.emu.SetLatency(300 * time.Millisecond)
	const records = 15
	tf.write(t, "main.tf", tf.header(env.url, fmt.Sprintf("api_token = %q", testToken))+fmt.Sprintf(`
resource "cloudflaredns_record" "r" {
  count   = %d
  name    = "r${count.index}.example.com"
  content = "192.0.2.${count.index + 1}"
}
`, records))

	apply := tf.command("apply", "-auto-approve", "-input=false", "-no-color", "-parallelism=2")
	var out bytes.Buffer
	apply.Stdout, apply.Stderr = &out, &out
	if err := apply.Start(); err != nil {
		t.Fatalf("starting terraform apply: %v", err)
	}
	done := make(chan error, 1)
	go func() { done <- apply.Wait() }()
	var waitErr error
	exited := false
	t.Cleanup(func() {
		// Only if the test failed before Terraform exited: end this one
		// process, by its ID.
		if !exited {
			_ = apply.Process.Kill()
			if err := <-done; err != nil {
				t.Logf("killed terraform apply: %v", err)
			}
		}
	})

	// Interrupt once the apply is under way (two records exist), rather than
	// after a fixed time, which on a busy machine could fall before the apply
	// starts or after it ends.
	zoneID := env.zoneID("example.com")
	deadline := time.Now().Add(2 * time.Minute)
	for !exited && len(env.emu.Records(zoneID)) < 2 && time.Now().Before(deadline) {
		select {
		case waitErr = <-done:
			exited = true
		case <-time.After(20 * time.Millisecond):
		}
	}
	if !exited {
		if err := apply.Process.Signal(os.Interrupt); err != nil {
			t.Skipf("cannot interrupt a process on this system: %v", err)
		}
		select {
		case waitErr = <-done:
			exited = true
		case <-time.After(2 * time.Minute):
			t.Fatalf("terraform apply did not exit after the interrupt:\n%s", out.String())
		}
	}
	t.Logf("interrupted apply exited with %v with %d of %d records on Cloudflare", waitErr, len(env.emu.Records(zoneID)), records)
	if waitErr == nil && len(env.emu.Records(zoneID)) < records {
		t.Errorf("the interrupted apply exited 0 without creating every record:\n%s", out.String())
	}

	// The state written on the interrupt holds exactly Cloudflare's records.
	if err := tf.stateMatches(env); err != nil {
		t.Fatalf("after the interrupt: %v\nterraform output:\n%s", err, out.String())
	}

	// The next apply creates the rest, and nothing twice.
	if code, output := tf.run("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		t.Fatalf("the apply after the interrupt exited %d:\n%s", code, output)
	}
	recs := env.emu.Records(zoneID)
	names := map[string]int{}
	for _, r := range recs {
		names[r.Name]++
	}
	if len(recs) != records || len(names) != records {
		t.Errorf("Cloudflare holds %d records with %d distinct names, want %d of each: %+v", len(recs), len(names), records, names)
	}
	if err := tf.stateMatches(env); err != nil {
		t.Errorf("after the second apply: %v", err)
	}
	if code, output := tf.run("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		t.Errorf("plan after the second apply exited %d, want 0 (no changes):\n%s", code, output)
	}
}

// realTerraform runs the Terraform CLI in a directory of its own against the
// provider binary built from this repository, as a user would.
type realTerraform struct {
	bin string
	dir string
	env []string
}

// newRealTerraform builds the provider and prepares a working directory with a
// CLI configuration whose dev_overrides point Terraform at the build, so no
// registry and no terraform init are involved. It skips the test unless
// TF_ACC is set.
func newRealTerraform(t *testing.T) *realTerraform {
	t.Helper()
	if os.Getenv("TF_ACC") == "" {
		t.Skip("acceptance test: set TF_ACC=1 (and TF_ACC_TERRAFORM_PATH) to run it")
	}
	bin := os.Getenv("TF_ACC_TERRAFORM_PATH")
	if bin == "" {
		found, err := exec.LookPath("terraform")
		if err != nil {
			t.Skip("no Terraform: set TF_ACC_TERRAFORM_PATH")
		}
		bin = found
	}
	pluginDir := t.TempDir()
	build := exec.Command("go", "build", "-o", filepath.Join(pluginDir, "terraform-provider-cloudflaredns"), ".")
	build.Dir = filepath.Join("..", "..")
	if out, err := build.CombinedOutput(); err != nil {
		t.Fatalf("building the provider: %v\n%s", err, out)
	}
	dir := t.TempDir()
	cliConfig := filepath.Join(dir, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"cloudflaredns/cloudflaredns\" = %q\n  }\n  direct {}\n}\n", pluginDir)
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		t.Fatal(err)
	}
	var env []string
	for _, kv := range os.Environ() {
		// The test decides logging, credentials and CLI configuration.
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "TF_") || strings.HasPrefix(name, "CLOUDFLARE_") {
			continue
		}
		env = append(env, kv)
	}
	env = append(env, "TF_CLI_CONFIG_FILE="+cliConfig, "CHECKPOINT_DISABLE=1", "TF_IN_AUTOMATION=1")
	return &realTerraform{bin: bin, dir: filepath.Join(dir, "work"), env: env}
}

// header is the terraform and provider blocks for an emulator, with further
// provider settings.
func (tf *realTerraform) header(url string, settings ...string) string {
	return fmt.Sprintf(`terraform {
  required_providers {
    cloudflaredns = {
      source = "cloudflaredns/cloudflaredns"
    }
  }
}

provider "cloudflaredns" {
  base_url = %q
  rps      = 1000
  %s
}
`, url, strings.Join(settings, "\n  "))
}

func (tf *realTerraform) write(t *testing.T, name, content string) {
	t.Helper()
	if err := os.MkdirAll(tf.dir, 0o700); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(tf.dir, name), []byte(content), 0o600); err != nil {
		t.Fatal(err)
	}
}

func (tf *realTerraform) command(args ...string) *exec.Cmd {
	cmd := exec.Command(tf.bin, args...)
	cmd.Dir = tf.dir
	cmd.Env = tf.env
	return cmd
}

// run runs Terraform to the end and returns its exit code and output.
func (tf *realTerraform) run(args ...string) (int, string) {
	return tf.runWith(nil, args...)
}

// runWith runs Terraform with extra environment variables.
func (tf *realTerraform) runWith(env []string, args ...string) (int, string) {
	cmd := tf.command(args...)
	cmd.Env = append(append([]string(nil), tf.env...), env...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return 0, string(out)
	case errors.As(err, &exit):
		return exit.ExitCode(), string(out)
	default:
		return -1, fmt.Sprintf("%v\n%s", err, out)
	}
}

// stateIDs reads the record IDs of the local state file.
func (tf *realTerraform) stateIDs() ([]string, error) {
	data, err := os.ReadFile(filepath.Join(tf.dir, "terraform.tfstate"))
	if errors.Is(err, os.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var state struct {
		Resources []struct {
			Mode      string `json:"mode"`
			Type      string `json:"type"`
			Instances []struct {
				Attributes struct {
					ID string `json:"id"`
				} `json:"attributes"`
			} `json:"instances"`
		} `json:"resources"`
	}
	if err := json.Unmarshal(data, &state); err != nil {
		return nil, fmt.Errorf("reading terraform.tfstate: %w", err)
	}
	var ids []string
	for _, r := range state.Resources {
		if r.Mode != "managed" || r.Type != "cloudflaredns_record" {
			continue
		}
		for _, inst := range r.Instances {
			ids = append(ids, inst.Attributes.ID)
		}
	}
	sort.Strings(ids)
	return ids, nil
}

// stateMatches compares the state file's record IDs with Cloudflare's.
func (tf *realTerraform) stateMatches(env *testEnv) error {
	inState, err := tf.stateIDs()
	if err != nil {
		return err
	}
	var onCloudflare []string
	for _, z := range env.zones {
		for _, r := range env.emu.Records(z.ID) {
			onCloudflare = append(onCloudflare, r.ID)
		}
	}
	sort.Strings(onCloudflare)
	if strings.Join(inState, ",") != strings.Join(onCloudflare, ",") {
		return fmt.Errorf("the state holds records %v, Cloudflare holds %v", inState, onCloudflare)
	}
	return nil
}
