// Command bench measures what the provider costs at scale: API requests, wall
// time and peak memory of create, no-change plan, one-record change and
// destroy, for N records spread over three zones, with real Terraform against
// the bundled Cloudflare API emulator under Cloudflare's rate limit.
//
// It backs the issue "Scale: refresh thousands of records in a handful of
// requests": a no-change plan should cost a few requests per zone (read_mode
// auto), not one GET per record (read_mode record).
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/cfapi"
)

// Cloudflare's budget (cloudflare-api.md §6): 1,200 requests per 5 minutes per
// token. The provider's default rps of 4 is exactly that rate.
const (
	cfRequests = 1200
	cfWindow   = 5 * time.Minute
	cfBlock    = 5 * time.Minute
)

type options struct {
	terraform   string
	provider    string
	sizes       []int
	modes       []cfapi.ReadMode
	latency     time.Duration
	block       time.Duration
	unmanaged   float64
	raiseAbove  int
	raisedLimit int
	raisedRPS   float64
	recordMax   int
	keep        bool
	out         string
	quick       bool
}

func main() {
	var o options
	var sizes, modes string
	flag.StringVar(&o.terraform, "terraform", "terraform", "Terraform (or OpenTofu) binary")
	flag.StringVar(&o.provider, "provider", "bin/terraform-provider-cloudflaredns", "provider binary to run (dev_overrides)")
	flag.StringVar(&sizes, "sizes", "100,1000,5000", "comma-separated numbers of managed records")
	flag.StringVar(&modes, "modes", "auto,record", "comma-separated read modes; the first one also creates, changes and destroys")
	flag.DurationVar(&o.latency, "latency", 50*time.Millisecond, "emulated latency of every API request")
	flag.DurationVar(&o.block, "block", 0, "how long the emulator blocks a token that went over the limit (0: until the window frees a slot; Cloudflare blocks 5m)")
	flag.Float64Var(&o.unmanaged, "unmanaged", 0.2, "records made outside Terraform, as a fraction of N, spread over the zones")
	flag.IntVar(&o.raiseAbove, "raise-above", 1000, "for N above this, phases that make about N requests run with -raised-limit and -raised-rps")
	flag.IntVar(&o.raisedLimit, "raised-limit", 12000, "emulator limit (requests per 5 minutes) of the raised phases")
	flag.Float64Var(&o.raisedRPS, "raised-rps", 40, "provider rps of the raised phases")
	flag.IntVar(&o.recordMax, "record-change-max", 100, "run the one-record change in the other read modes too for N up to this (each costs N GETs)")
	flag.BoolVar(&o.keep, "keep", false, "keep the work directory (configurations, state and Terraform logs)")
	flag.StringVar(&o.out, "out", "", "also write the results as markdown to this file")
	flag.BoolVar(&o.quick, "quick", false, "development run: N=100 only, latency 5ms")
	flag.Parse()

	if o.quick {
		sizes, o.latency = "100", 5*time.Millisecond
	}
	var err error
	if o.sizes, err = parseSizes(sizes); err == nil {
		o.modes, err = parseModes(modes)
	}
	if err != nil {
		fmt.Fprintln(os.Stderr, "bench:", err)
		os.Exit(2)
	}

	// Ctrl-C cancels the context: the running Terraform (and its provider) is
	// killed, and the deferred clean-up of run removes the emulator and the
	// work directory before the process exits.
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	err = run(ctx, o)
	stop()
	if err != nil {
		fmt.Fprintf(os.Stderr, "\nbench failed: %v\n", err)
		os.Exit(1)
	}
}

func parseSizes(s string) ([]int, error) {
	var out []int
	for _, f := range strings.Split(s, ",") {
		n, err := strconv.Atoi(strings.TrimSpace(f))
		if err != nil || n < 1 {
			return nil, fmt.Errorf("-sizes: %q is not a positive number", f)
		}
		out = append(out, n)
	}
	return out, nil
}

func parseModes(s string) ([]cfapi.ReadMode, error) {
	var out []cfapi.ReadMode
	for _, f := range strings.Split(s, ",") {
		m := strings.TrimSpace(f)
		ok := false
		for _, v := range cfapi.ReadModes {
			ok = ok || v == m
		}
		if !ok {
			return nil, fmt.Errorf("-modes: %q is not one of %s", m, strings.Join(cfapi.ReadModes, ", "))
		}
		out = append(out, cfapi.ReadMode(m))
	}
	return out, nil
}

func run(ctx context.Context, o options) error {
	var err error
	if o.provider, err = filepath.Abs(o.provider); err != nil {
		return err
	}
	if _, err := os.Stat(o.provider); err != nil {
		return fmt.Errorf("provider binary: %w (run make build)", err)
	}
	// Terraform runs in the work directory, so a relative path must not stay relative.
	if o.terraform, err = exec.LookPath(o.terraform); err == nil {
		o.terraform, err = filepath.Abs(o.terraform)
	}
	if err != nil {
		return fmt.Errorf("terraform binary: %w", err)
	}
	work, err := os.MkdirTemp("", "cloudflaredns-bench-")
	if err != nil {
		return err
	}
	if o.keep {
		defer fmt.Printf("\nWork directory kept: %s\n", work)
	} else {
		defer os.RemoveAll(work)
	}

	started := time.Now()
	version := terraformVersion(ctx, o.terraform)
	printSettings(o, version)
	loadBefore := loadAverage()
	fmt.Printf("  Machine:    %d CPUs, load average %s at the start\n", runtime.NumCPU(), loadBefore)

	var results []sizeResult
	for _, n := range o.sizes {
		if ctx.Err() != nil {
			break
		}
		res, err := runSize(ctx, o, work, n)
		results = append(results, res)
		if len(res.phases) > 0 {
			fmt.Println()
			fmt.Print(sizeTable(res))
		}
		if err != nil {
			if ctx.Err() != nil {
				err = errors.Join(err, errors.New("interrupted"))
			}
			return err
		}
	}
	if ctx.Err() != nil {
		return errors.New("interrupted")
	}
	elapsed := time.Since(started)
	summary := summaryText(results)
	fmt.Print("\n" + summary)
	machine := fmt.Sprintf("%d CPUs, load average %s at the start and %s at the end", runtime.NumCPU(), loadBefore, loadAverage())
	fmt.Printf("\nThe whole bench took %s (%s).\n", round(elapsed), machine)
	if o.out != "" {
		md := markdown(o, version, results, elapsed, machine)
		if err := os.WriteFile(o.out, []byte(md), 0o644); err != nil {
			return fmt.Errorf("writing %s: %w", o.out, err)
		}
		fmt.Printf("Markdown results written to %s\n", o.out)
	}
	return nil
}

func printSettings(o options, version string) {
	block := "until the window frees a slot"
	if o.block > 0 {
		block = o.block.String()
	}
	fmt.Printf("cloudflaredns bench\n")
	fmt.Printf("  Terraform:  %s (-parallelism left at its default, 10)\n", version)
	fmt.Printf("  Provider:   %s\n", o.provider)
	fmt.Printf("  Sizes:      %s managed records over 3 zones, plus %.0f%% unmanaged records made outside Terraform\n", joinInts(o.sizes), o.unmanaged*100)
	fmt.Printf("  Read modes: %s\n", joinModes(o.modes))
	fmt.Printf("  Emulator:   latency %s per request; rate limit %d requests per %s per token, blocked %s after going over (Cloudflare blocks %s; too slow for a bench)\n",
		o.latency, cfRequests, cfWindow, block, cfBlock)
	fmt.Printf("  Defaults:   rps %g, max_retries %d\n", cfapi.DefaultRPS, cfapi.DefaultMaxRetries)
	fmt.Printf("  Raised:     for N > %d, create, destroy and the N-GET phases of other read modes run with the emulator at %d requests per %s and rps %g,\n"+
		"              so the run stays short; request counts do not depend on the rate, only wall times do\n",
		o.raiseAbove, o.raisedLimit, cfWindow, o.raisedRPS)
}

func terraformVersion(ctx context.Context, bin string) string {
	ctx, cancel := context.WithTimeout(ctx, time.Minute)
	defer cancel()
	out, _ := execOutput(ctx, bin, "version")
	for _, line := range strings.Split(out, "\n") {
		if t := strings.TrimSpace(line); strings.HasPrefix(t, "Terraform v") || strings.HasPrefix(t, "OpenTofu v") {
			return t
		}
	}
	return bin
}

func joinInts(ns []int) string {
	s := make([]string, len(ns))
	for i, n := range ns {
		s[i] = strconv.Itoa(n)
	}
	return strings.Join(s, ", ")
}

func joinModes(ms []cfapi.ReadMode) string {
	s := make([]string, len(ms))
	for i, m := range ms {
		s[i] = string(m)
	}
	return strings.Join(s, ", ")
}

// loadAverage is the 1-minute load average: wall times depend on what else
// the machine runs, so the report says how busy it was.
func loadAverage() string {
	data, err := os.ReadFile("/proc/loadavg")
	if f := strings.Fields(string(data)); err == nil && len(f) > 0 {
		return f[0]
	}
	return "unknown"
}
