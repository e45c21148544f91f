package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"sync/atomic"
	"time"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/cfapi"
	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

const benchToken = "bench-token-not-a-secret"

// The records are spread round-robin over these zones.
var benchZones = []string{"example.com", "example.net", "example.org"}

// Phase names.
const (
	phaseCreate  = "create"
	phasePlan    = "no-change plan"
	phaseChange  = "one-record change"
	phaseDestroy = "destroy"
)

// phaseResult is what one Terraform command cost.
type phaseResult struct {
	phase       string
	mode        cfapi.ReadMode
	raised      bool // ran with the raised limit and rps
	limit       int  // emulator requests per window
	rps         float64
	counts      map[string]int
	total       int
	tooMany     int // HTTP 429 answers the emulator sent (the client retries them)
	wall        time.Duration
	providerHWM int64 // peak RSS of the provider processes, bytes
	tfHWM       int64 // peak RSS of Terraform itself, bytes
	providers   int   // provider processes seen
	providerCPU time.Duration
	tfCPU       time.Duration
	summary     string
}

type sizeResult struct {
	n         int
	unmanaged int
	phases    []phaseResult
	notes     []string
}

// sizeRun is one N: its own emulator, configuration and state.
type sizeRun struct {
	o       options
	ctx     context.Context
	n       int
	dir     string
	env     []string
	emu     *emulator.Server
	n429    *atomic.Int64
	zoneIDs []string
	res     *sizeResult
}

func runSize(ctx context.Context, o options, work string, n int) (sizeResult, error) {
	res := sizeResult{n: n, unmanaged: int(float64(n)*o.unmanaged + 0.5)}
	fmt.Printf("\n== N = %d managed records (+ %d unmanaged)\n", n, res.unmanaged)

	dir := filepath.Join(work, fmt.Sprintf("n%d", n))
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return res, err
	}
	emu, baseURL, n429, closeEmu, err := startEmulator(o)
	if err != nil {
		return res, err
	}
	// The emulator goes away with this N, also on error or interrupt.
	defer closeEmu()

	s := &sizeRun{o: o, ctx: ctx, n: n, dir: dir, emu: emu, n429: n429, res: &res}
	for _, z := range emu.Zones() {
		s.zoneIDs = append(s.zoneIDs, z.ID)
	}
	if err := s.seedUnmanaged(); err != nil {
		return res, err
	}
	if err := s.writeConfig(baseURL); err != nil {
		return res, err
	}
	return res, s.phases()
}

// startEmulator serves the emulator through a wrapper that counts 429
// answers, which the emulator's own counters do not tell apart.
func startEmulator(o options) (*emulator.Server, string, *atomic.Int64, func(), error) {
	zones := make([]emulator.Zone, len(benchZones))
	for i, name := range benchZones {
		zones[i] = emulator.Zone{Name: name}
	}
	emu := emulator.New(emulator.Config{
		Zones:     zones,
		Tokens:    []emulator.Token{{Value: benchToken}},
		Latency:   o.latency,
		RateLimit: emulator.RateLimit{Requests: cfRequests, Window: cfWindow, Block: o.block},
	})
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		return nil, "", nil, nil, err
	}
	n429 := &atomic.Int64{}
	srv := &http.Server{
		Handler: http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			sw := &statusWriter{ResponseWriter: w}
			emu.ServeHTTP(sw, r)
			if sw.status == http.StatusTooManyRequests {
				n429.Add(1)
			}
		}),
		ReadHeaderTimeout: 10 * time.Second,
	}
	go func() { _ = srv.Serve(ln) }()
	closeFn := func() {
		emu.Close() // releases requests held by the latency
		_ = srv.Close()
	}
	return emu, "http://" + ln.Addr().String() + "/client/v4", n429, closeFn, nil
}

type statusWriter struct {
	http.ResponseWriter
	status int
}

func (w *statusWriter) WriteHeader(code int) {
	if w.status == 0 {
		w.status = code
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *statusWriter) Write(b []byte) (int, error) {
	if w.status == 0 {
		w.status = http.StatusOK
	}
	return w.ResponseWriter.Write(b)
}

// seedUnmanaged adds records made outside Terraform, so the zone listings
// carry records the provider must skip, as in a real zone.
func (s *sizeRun) seedUnmanaged() error {
	for i := 0; i < s.res.unmanaged; i++ {
		z := i % len(benchZones)
		r := emulator.Record{Name: fmt.Sprintf("u%05d.%s", i, benchZones[z]), Type: "A", Content: fmt.Sprintf("203.0.113.%d", i%250+1), TTL: 3600}
		if i%2 == 1 {
			r.Type, r.Content = "TXT", fmt.Sprintf("unmanaged-%d", i)
		}
		if _, err := s.emu.CreateRecord(s.zoneIDs[z], r); err != nil {
			return fmt.Errorf("seeding unmanaged record %s: %w", r.Name, err)
		}
	}
	return nil
}

// mainTF builds the records in HCL from n, so the configuration stays a few
// lines long whatever N is. Every fifth record is a TXT record; half of the A
// records take the seed defaults (proxied, automatic TTL), the others are
// unproxied with TTL 300. Addresses come from 198.18.0.0/15, the range set
// aside for benchmarks (a private address could not be proxied). Record
// r00000's content depends on var.generation: bumping it is the one-record
// change.
const mainTF = `terraform {
  required_providers {
    cloudflaredns = {
      source = "cloudflaredns/cloudflaredns"
    }
  }
}

# Credentials, base URL, read_mode and rps come from CLOUDFLARE_* variables.
provider "cloudflaredns" {}

variable "n" {
  type = number
}

variable "generation" {
  type    = number
  default = 0
}

locals {
  zones = ["example.com", "example.net", "example.org"]
  # range() yields at most 1,024 values, so the indexes come in blocks of 1,000.
  indexes = flatten([for b in range(ceil(var.n / 1000)) : range(b * 1000, min(var.n, (b + 1) * 1000))])
  records = { for i in local.indexes : format("r%05d", i) => {
    name    = format("r%05d.%s", i, local.zones[i % 3])
    type    = i % 5 == 4 ? "TXT" : "A"
    content = i % 5 == 4 ? "bench-record-${i}" : (i == 0 ? cidrhost("198.51.100.0/24", var.generation + 1) : cidrhost("198.18.0.0/15", i + 1))
    plain   = i % 5 != 4 && i % 2 == 1
  } }
}

resource "cloudflaredns_record" "r" {
  for_each = local.records
  name     = each.value.name
  type     = each.value.type
  content  = each.value.content
  proxied  = each.value.plain ? false : null
  ttl      = each.value.plain ? 300 : null
  comment  = "bench"
}
`

func (s *sizeRun) writeConfig(baseURL string) error {
	if err := os.WriteFile(filepath.Join(s.dir, "main.tf"), []byte(mainTF), 0o644); err != nil {
		return err
	}
	if err := s.setGeneration(0); err != nil {
		return err
	}
	// dev_overrides points Terraform at the built provider, with no registry
	// and no terraform init.
	cliConfig := filepath.Join(s.dir, "terraformrc")
	overrides := fmt.Sprintf("provider_installation {\n  dev_overrides {\n    \"cloudflaredns/cloudflaredns\" = %q\n  }\n  direct {}\n}\n", filepath.Dir(s.o.provider))
	if err := os.WriteFile(cliConfig, []byte(overrides), 0o600); err != nil {
		return err
	}
	// Settings inherited from the caller's shell (a real token, TF_LOG, CLI
	// arguments) would change what is measured, so they are dropped.
	for _, kv := range os.Environ() {
		if !strings.HasPrefix(kv, "CLOUDFLARE_") && !strings.HasPrefix(kv, "TF_") {
			s.env = append(s.env, kv)
		}
	}
	s.env = append(s.env,
		"TF_CLI_CONFIG_FILE="+cliConfig,
		"TF_IN_AUTOMATION=1",
		"CHECKPOINT_DISABLE=1",
		"CLOUDFLARE_API_TOKEN="+benchToken,
		"CLOUDFLARE_BASE_URL="+baseURL,
	)
	return nil
}

func (s *sizeRun) setGeneration(g int) error {
	vars := fmt.Sprintf("n          = %d\ngeneration = %d\n", s.n, g)
	return os.WriteFile(filepath.Join(s.dir, "terraform.tfvars"), []byte(vars), 0o644)
}

func (s *sizeRun) phases() error {
	primary := s.o.modes[0]
	heavy := s.n > s.o.raiseAbove

	// create
	r, err := s.phase(phaseCreate, primary, heavy, "apply", "-auto-approve")
	if err != nil {
		return err
	}
	if err := s.checkRecords(s.n+s.res.unmanaged, "after create"); err != nil {
		return err
	}
	if !r.raised {
		budget := float64(r.total) / (r.wall.Seconds() * r.rps)
		s.note(fmt.Sprintf("N=%d create ran at the real limit: %d requests in %s = %.2f req/s, %.0f%% of the %g rps budget; %d answers were 429 and were retried; the apply succeeded, so no 429 reached the user; the zones hold exactly %d records (N + unmanaged), none lost or duplicated.",
			s.n, r.total, round(r.wall), float64(r.total)/r.wall.Seconds(), budget*100, r.rps, r.tooMany, s.n+s.res.unmanaged))
	} else {
		s.note(fmt.Sprintf("N=%d create ran with the raised limit (%d requests per %s, rps %g); %d answers were 429; the zones hold exactly %d records (N + unmanaged), none lost or duplicated.",
			s.n, s.o.raisedLimit, cfWindow, s.o.raisedRPS, r.tooMany, s.n+s.res.unmanaged))
	}

	// no-change plan, in every mode, on the same state
	for _, m := range s.o.modes {
		if _, err := s.phase(phasePlan, m, heavy && m != primary, "plan", "-detailed-exitcode"); err != nil {
			return err
		}
	}

	// one-record change
	gen := 0
	for _, m := range s.o.modes {
		if m != primary && s.n > s.o.recordMax {
			continue
		}
		gen++
		if err := s.setGeneration(gen); err != nil {
			return err
		}
		if _, err := s.phase(phaseChange, m, heavy && m != primary, "apply", "-auto-approve"); err != nil {
			return err
		}
		if err := s.checkChanged(gen); err != nil {
			return err
		}
	}

	// destroy
	if _, err := s.phase(phaseDestroy, primary, heavy, "destroy", "-auto-approve"); err != nil {
		return err
	}
	return s.checkRecords(s.res.unmanaged, "after destroy (only the unmanaged records are left)")
}

func (s *sizeRun) note(text string) {
	fmt.Println("  " + text)
	s.res.notes = append(s.res.notes, text)
}

// phase runs one Terraform command with the emulator counters reset, and
// fails unless it exits with 0.
func (s *sizeRun) phase(name string, mode cfapi.ReadMode, raised bool, args ...string) (phaseResult, error) {
	r := phaseResult{phase: name, mode: mode, raised: raised, rps: cfapi.DefaultRPS, limit: cfRequests}
	env := append(append([]string(nil), s.env...), "CLOUDFLARE_READ_MODE="+string(mode))
	if raised {
		r.rps, r.limit = s.o.raisedRPS, s.o.raisedLimit
		env = append(env, fmt.Sprintf("CLOUDFLARE_RPS=%g", s.o.raisedRPS))
		s.emu.SetRateLimit(emulator.RateLimit{Requests: s.o.raisedLimit, Window: cfWindow, Block: s.o.block})
		// Back to Cloudflare's limit (with a fresh window) for what follows.
		defer s.emu.SetRateLimit(emulator.RateLimit{Requests: cfRequests, Window: cfWindow, Block: s.o.block})
	}
	// A bound per command: generous, but a hang cannot stall the run. Phases
	// that make about N requests take N/rps seconds at least, and Terraform
	// itself needs CPU time per resource (allowed 200 ms each, several times
	// what it takes on an idle machine).
	expected := 50.0
	if name == phaseCreate || name == phaseDestroy || mode == cfapi.ReadRecord {
		expected += float64(s.n)
	}
	timeout := 10*time.Minute + time.Duration(s.n)*200*time.Millisecond + time.Duration(3*expected/r.rps*float64(time.Second))

	label := fmt.Sprintf("%s (read_mode=%s", name, mode)
	if raised {
		label += fmt.Sprintf(", raised: %d/5m, rps %g", s.o.raisedLimit, s.o.raisedRPS)
	}
	label += ")"
	fmt.Printf("  %-60s ", label)

	s.emu.ResetCounts()
	s.n429.Store(0)
	logFile := filepath.Join(s.dir, fmt.Sprintf("%02d-%s-%s.log", len(s.res.phases)+1, strings.ReplaceAll(name, " ", "-"), mode))
	full := append(append([]string{args[0]}, "-input=false", "-no-color"), args[1:]...)
	run, err := runTerraform(s.ctx, s.o.terraform, s.dir, env, logFile, timeout, full...)
	r.counts = s.emu.Counts()
	r.total = s.emu.Total()
	r.tooMany = int(s.n429.Load())
	r.wall, r.providerHWM, r.tfHWM, r.providers = run.wall, run.providerHWM, run.tfHWM, run.providers
	r.providerCPU, r.tfCPU = run.providerCPU, run.tfCPU
	r.summary = run.summary
	s.res.phases = append(s.res.phases, r)
	fmt.Printf("%6d requests %9s  provider %s (%d processes), CPU provider %s + Terraform %s  %s\n",
		r.total, round(r.wall), mib(r.providerHWM), r.providers, round(r.providerCPU), round(r.tfCPU), r.summary)
	if err == nil && run.exit != 0 {
		err = fmt.Errorf("exit code %d, want 0", run.exit)
	}
	if err != nil {
		fmt.Print(tail(logFile, 40))
		where := "-keep keeps the logs"
		if s.o.keep {
			where = "log: " + logFile
		}
		return r, fmt.Errorf("size %d, %s (read_mode=%s): terraform %s: %w (%s)", s.n, name, mode, args[0], err, where)
	}
	return r, nil
}

// checkRecords confirms that Cloudflare holds exactly want records and no
// name twice: nothing lost, nothing duplicated.
func (s *sizeRun) checkRecords(want int, when string) error {
	got := 0
	seen := map[string]bool{}
	var dups []string
	for _, id := range s.zoneIDs {
		for _, r := range s.emu.Records(id) {
			got++
			if seen[r.Name] {
				dups = append(dups, r.Name)
			}
			seen[r.Name] = true
		}
	}
	if got != want || len(dups) > 0 {
		sort.Strings(dups)
		return fmt.Errorf("size %d, %s: the zones hold %d records, want %d; duplicated names: %v", s.n, when, got, want, dups)
	}
	return nil
}

// checkChanged confirms the one-record change reached Cloudflare.
func (s *sizeRun) checkChanged(gen int) error {
	want := fmt.Sprintf("198.51.100.%d", gen+1)
	for _, r := range s.emu.Records(s.zoneIDs[0]) {
		if r.Name == "r00000."+benchZones[0] {
			if r.Content != want {
				return fmt.Errorf("size %d, one-record change: r00000 has content %s on Cloudflare, want %s", s.n, r.Content, want)
			}
			return nil
		}
	}
	return errors.New("one-record change: r00000 is not on Cloudflare")
}

func tail(path string, lines int) string {
	data, err := os.ReadFile(path)
	if err != nil {
		return ""
	}
	all := strings.Split(strings.TrimRight(string(data), "\n"), "\n")
	if len(all) > lines {
		all = all[len(all)-lines:]
	}
	return "    | " + strings.Join(all, "\n    | ") + "\n"
}
