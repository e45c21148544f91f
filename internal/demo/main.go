// Command demo runs the whole record lifecycle with real Terraform against the
// bundled Cloudflare API emulator, narrating each step and the API requests it
// made: Draft → Created → Check Status → drift → re-applied → adoption → Deleted.
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

const (
	demoZone  = "example.com"
	demoToken = "demo-token-not-a-secret"
)

func main() {
	terraform := flag.String("terraform", "terraform", "Terraform (or OpenTofu) binary")
	providerBin := flag.String("provider", "bin/terraform-provider-cloudflaredns", "provider binary to use")
	configDir := flag.String("config", "examples/demo", "Terraform configuration to run")
	flag.Parse()

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, *terraform, *providerBin, *configDir); err != nil {
		fmt.Fprintf(os.Stderr, "\ndemo failed: %v\n", err)
		stop()
		os.Exit(1)
	}
}

type demo struct {
	ctx       context.Context
	terraform string
	dir       string
	env       []string
	emu       *emulator.Server
	zoneID    string
	step      int
	total     int // requests of the steps before the current one
}

func run(ctx context.Context, terraform, providerBin, configDir string) error {
	providerBin, err := filepath.Abs(providerBin)
	if err != nil {
		return err
	}
	if _, err := os.Stat(providerBin); err != nil {
		return fmt.Errorf("provider binary: %w (run make build)", err)
	}
	// Terraform runs in the work directory, so a relative path must not stay relative.
	if terraform, err = exec.LookPath(terraform); err == nil {
		terraform, err = filepath.Abs(terraform)
	}
	if err != nil {
		return fmt.Errorf("terraform binary: %w", err)
	}
	work, err := os.MkdirTemp("", "cloudflaredns-demo-")
	if err != nil {
		return err
	}
	// Everything the demo made goes away, also when it is interrupted.
	defer os.RemoveAll(work)
	if err := copyDir(configDir, work); err != nil {
		return err
	}
	// dev_overrides points Terraform at the freshly built provider, with no
	// registry and no terraform init.
	cliConfig := filepath.Join(work, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"cloudflaredns/cloudflaredns\" = %q\n  }\n  direct {}\n}\n", filepath.Dir(providerBin))
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		return err
	}

	emu := emulator.New(emulator.Config{
		Zones:  []emulator.Zone{{Name: demoZone}},
		Tokens: []emulator.Token{{Value: demoToken}},
	})
	baseURL, err := emu.Start()
	if err != nil {
		return fmt.Errorf("starting the emulator: %w", err)
	}
	defer emu.Close()
	zone, _ := emu.ZoneByName(demoZone)

	d := &demo{
		ctx: ctx, terraform: terraform, dir: work, emu: emu, zoneID: zone.ID,
		env: append(os.Environ(),
			"TF_CLI_CONFIG_FILE="+cliConfig,
			"CLOUDFLARE_API_TOKEN="+demoToken,
			"CLOUDFLARE_BASE_URL="+baseURL,
			"TF_VAR_zone="+demoZone,
			"TF_IN_AUTOMATION=1",
			"CHECKPOINT_DISABLE=1",
		),
	}
	fmt.Printf("cloudflaredns demo\n  Cloudflare API emulator: %s (zone %s, id %s)\n  Terraform: %s\n  Provider:  %s\n", baseURL, demoZone, zone.ID, firstLine(d.output("version")), providerBin)

	return d.steps()
}

func (d *demo) steps() error {
	// 1. Draft: planned, not on Cloudflare.
	d.begin("Draft", "the records are in the configuration; the plan proposes to create them")
	if code := d.tf("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 2 {
		return fmt.Errorf("plan of the draft exited %d, want 2 (changes)", code)
	}
	d.end()

	// 2. Created.
	d.begin("Created", "terraform apply: POST each record")
	if code := d.tf("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		return fmt.Errorf("apply exited %d", code)
	}
	d.showRecords()
	d.end()

	// 3. Check Status: clean.
	d.begin("Check Status", "terraform plan -detailed-exitcode right after apply: nothing to do")
	if code := d.tf("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		return fmt.Errorf("plan after apply exited %d, want 0 (no changes)", code)
	}
	fmt.Println("  exit code 0: Cloudflare matches the configuration")
	d.end()

	// 4. Out-of-band change.
	d.begin("Out-of-band change", "someone edits www in the Cloudflare dashboard: new address, proxy off")
	www := d.find("www." + demoZone)
	if _, err := d.emu.PatchRecord(d.zoneID, www.ID, func(r *emulator.Record) {
		r.Content = "198.51.100.99"
		r.Proxied = false
		r.TTL = 120
	}); err != nil {
		return err
	}
	d.showRecords()
	d.end()

	// 5. Drift shown.
	d.begin("Drift detected", "terraform plan -detailed-exitcode shows exactly the drifted fields")
	if code := d.tf("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 2 {
		return fmt.Errorf("plan after the out-of-band change exited %d, want 2 (drift)", code)
	}
	fmt.Println("  exit code 2: drift, as a pipeline would see it")
	d.end()

	// 6. Re-applied.
	d.begin("Re-applied", "terraform apply puts the record back with one PUT")
	if code := d.tf("apply", "-auto-approve", "-input=false", "-no-color"); code != 0 {
		return fmt.Errorf("apply exited %d", code)
	}
	if code := d.tfQuiet("plan", "-detailed-exitcode", "-input=false", "-no-color"); code != 0 {
		return fmt.Errorf("plan after re-applying exited %d, want 0", code)
	}
	d.showRecords()
	d.end()

	// 7. Adoption.
	d.begin("Adoption", "api."+demoZone+" already exists on Cloudflare; adding it to the configuration adopts it (81058)")
	existing, err := d.emu.CreateRecord(d.zoneID, emulator.Record{Name: "api." + demoZone, Type: "A", Content: "192.0.2.20", TTL: 3600})
	if err != nil {
		return err
	}
	fmt.Printf("  pre-existing record %s (ttl 3600)\n", existing.ID)
	if code := d.tf("apply", "-auto-approve", "-input=false", "-no-color", "-var", "adopt=true"); code != 0 {
		return fmt.Errorf("apply with the adopted record exited %d", code)
	}
	adopted := d.find("api." + demoZone)
	if adopted.ID != existing.ID {
		return fmt.Errorf("api.%s has ID %s, want the adopted %s", demoZone, adopted.ID, existing.ID)
	}
	fmt.Printf("  adopted: same record ID %s, converged to ttl %d; still exactly %d record(s) named api.%s\n", adopted.ID, adopted.TTL, len(d.emu.FindRecords(d.zoneID, "api."+demoZone, "A")), demoZone)
	d.end()

	// 8. Deleted.
	d.begin("Deleted", "terraform destroy: DELETE each record; each leaves the state once Cloudflare confirms")
	if code := d.tf("destroy", "-auto-approve", "-input=false", "-no-color", "-var", "adopt=true"); code != 0 {
		return fmt.Errorf("destroy exited %d", code)
	}
	if n := len(d.emu.Records(d.zoneID)); n != 0 {
		return fmt.Errorf("%d records left after destroy", n)
	}
	fmt.Println("  the zone is empty")
	d.end()

	fmt.Printf("\nDone: every lifecycle step ran; %d API requests in all.\n", d.total+d.emu.Total())
	return nil
}

func (d *demo) begin(title, what string) {
	d.step++
	d.total += d.emu.Total()
	d.emu.ResetCounts()
	fmt.Printf("\n== %d. %s: %s\n", d.step, title, what)
}

// end prints the API requests the step made, per route.
func (d *demo) end() {
	counts := d.emu.Counts()
	routes := make([]string, 0, len(counts))
	total := 0
	for route, n := range counts {
		if n > 0 {
			routes = append(routes, route)
			total += n
		}
	}
	sort.Strings(routes)
	fmt.Printf("  API requests: %d", total)
	for i, route := range routes {
		sep := ", "
		if i == 0 {
			sep = " ("
		}
		fmt.Printf("%s%s ×%d", sep, route, counts[route])
	}
	if len(routes) > 0 {
		fmt.Print(")")
	}
	fmt.Println()
}

// tf runs Terraform and shows the lines of its output that tell the story:
// what each resource will do, the attributes that change, and the summary.
func (d *demo) tf(args ...string) int {
	out, code := d.exec(args...)
	lines := strings.Split(out, "\n")
	for i, line := range lines {
		t := strings.TrimSpace(line)
		show := strings.HasPrefix(t, "# cloudflaredns_record") ||
			(strings.HasPrefix(t, "~ ") && strings.Contains(t, " -> ") && !strings.HasSuffix(t, "(known after apply)")) ||
			strings.HasPrefix(t, "Plan:") || strings.HasPrefix(t, "Apply complete") || strings.HasPrefix(t, "Destroy complete") ||
			strings.HasPrefix(t, "No changes") || strings.HasPrefix(t, "Error:")
		if strings.HasPrefix(t, "Warning:") && !strings.Contains(t, "Provider development overrides") {
			// A warning's first sentence is on the lines after its title.
			show = true
			t += " " + warningText(lines[i+1:])
		}
		if show {
			fmt.Println("  | " + t)
		}
	}
	if code != 0 && code != 2 {
		fmt.Println(out)
	}
	return code
}

// warningText is the first sentence of a diagnostic's message, after the lines
// that say where in the configuration it applies.
func warningText(lines []string) string {
	for j, line := range lines {
		t := strings.TrimSpace(line)
		if t == "" || strings.HasPrefix(t, "with ") || strings.HasPrefix(t, "on ") || (len(t) > 0 && t[0] >= '0' && t[0] <= '9' && strings.Contains(t, ":")) {
			continue
		}
		text := t
		for _, more := range lines[j+1:] {
			more = strings.TrimSpace(more)
			if more == "" || strings.Contains(text, ". ") {
				break
			}
			text += " " + more
		}
		if k := strings.Index(text, ". "); k > 0 {
			text = text[:k+1]
		}
		return "— " + text
	}
	return ""
}

func (d *demo) tfQuiet(args ...string) int {
	_, code := d.exec(args...)
	return code
}

func (d *demo) output(args ...string) string {
	out, _ := d.exec(args...)
	return out
}

func (d *demo) exec(args ...string) (string, int) {
	cmd := exec.CommandContext(d.ctx, d.terraform, args...)
	cmd.Dir = d.dir
	cmd.Env = d.env
	var buf bytes.Buffer
	cmd.Stdout = &buf
	cmd.Stderr = &buf
	err := cmd.Run()
	var exitErr *exec.ExitError
	switch {
	case err == nil:
		return buf.String(), 0
	case errors.As(err, &exitErr):
		return buf.String(), exitErr.ExitCode()
	default:
		return buf.String() + err.Error(), -1
	}
}

func (d *demo) find(fqdn string) emulator.Record {
	for _, r := range d.emu.Records(d.zoneID) {
		if r.Name == fqdn {
			return r
		}
	}
	return emulator.Record{}
}

func (d *demo) showRecords() {
	for _, r := range d.emu.Records(d.zoneID) {
		fmt.Printf("  on Cloudflare: %-5s %-18s %-16s proxied=%-5t ttl=%-5d id=%s\n", r.Type, r.Name, r.Content, r.Proxied, r.TTL, r.ID)
	}
}

func firstLine(s string) string {
	for _, line := range strings.Split(s, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "Terraform v") || strings.HasPrefix(t, "OpenTofu v") {
			return t
		}
	}
	return strings.TrimSpace(s)
}

func copyDir(src, dst string) error {
	entries, err := os.ReadDir(src)
	if err != nil {
		return err
	}
	for _, e := range entries {
		if e.IsDir() || !strings.HasSuffix(e.Name(), ".tf") {
			continue
		}
		in, err := os.Open(filepath.Join(src, e.Name()))
		if err != nil {
			return err
		}
		out, err := os.Create(filepath.Join(dst, e.Name()))
		if err != nil {
			in.Close()
			return err
		}
		_, err = io.Copy(out, in)
		in.Close()
		out.Close()
		if err != nil {
			return err
		}
	}
	return nil
}
