package main

import (
	"fmt"
	"strings"
	"time"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/cfapi"
)

// Route keys of the emulator's counters.
const (
	routeList   = "GET /zones/{zone_id}/dns_records"
	routeGet    = "GET /zones/{zone_id}/dns_records/{dns_record_id}"
	routePost   = "POST /zones/{zone_id}/dns_records"
	routePut    = "PUT /zones/{zone_id}/dns_records/{dns_record_id}"
	routeDelete = "DELETE /zones/{zone_id}/dns_records/{dns_record_id}"
)

// startupRoutes are the checks a provider process makes before records:
// confirming the connector and looking zones up.
var startupRoutes = []string{"GET /user/tokens/verify", "GET /accounts/{account_id}/tokens/verify", "GET /user", "GET /zones", "GET /zones/{zone_id}"}

// Issue targets for the no-change plan at the largest N.
const (
	targetPerZone = 3
	targetRatio   = 100.0
	targetMemory  = 200 << 20
)

type breakdown struct {
	startup, list, get, post, put, del, other int
}

func breakdownOf(counts map[string]int) breakdown {
	var b breakdown
	for route, n := range counts {
		switch route {
		case routeList:
			b.list += n
		case routeGet:
			b.get += n
		case routePost:
			b.post += n
		case routePut:
			b.put += n
		case routeDelete:
			b.del += n
		default:
			startup := false
			for _, s := range startupRoutes {
				startup = startup || s == route
			}
			if startup {
				b.startup += n
			} else {
				b.other += n
			}
		}
	}
	return b
}

var tableHeader = []string{"phase", "read_mode", "limit", "requests", "start-up", "listing", "GET", "POST", "PUT", "DELETE", "other", "429", "wall time", "CPU provider + Terraform", "peak provider RSS", "peak Terraform RSS"}

func tableRows(res sizeResult) [][]string {
	var rows [][]string
	for _, p := range res.phases {
		b := breakdownOf(p.counts)
		limit := fmt.Sprintf("%d/5m, rps %g", p.limit, p.rps)
		if p.raised {
			limit = "raised: " + limit
		}
		rows = append(rows, []string{
			p.phase, string(p.mode), limit, fmt.Sprint(p.total), fmt.Sprint(b.startup), fmt.Sprint(b.list), fmt.Sprint(b.get),
			fmt.Sprint(b.post), fmt.Sprint(b.put), fmt.Sprint(b.del), fmt.Sprint(b.other), fmt.Sprint(p.tooMany),
			round(p.wall).String(), round(p.providerCPU).String() + " + " + round(p.tfCPU).String(), mib(p.providerHWM), mib(p.tfHWM),
		})
	}
	return rows
}

// sizeTable is the plain-text table of one N, columns aligned.
func sizeTable(res sizeResult) string {
	rows := append([][]string{tableHeader}, tableRows(res)...)
	width := make([]int, len(tableHeader))
	for _, row := range rows {
		for i, c := range row {
			width[i] = max(width[i], len([]rune(c)))
		}
	}
	var sb strings.Builder
	fmt.Fprintf(&sb, "N = %d managed records (+ %d unmanaged) over %d zones\n", res.n, res.unmanaged, len(benchZones))
	for r, row := range rows {
		for i, c := range row {
			pad := strings.Repeat(" ", width[i]-len([]rune(c)))
			if i >= 3 && i <= 11 { // numbers right-aligned
				sb.WriteString(pad + c)
			} else {
				sb.WriteString(c + pad)
			}
			if i < len(row)-1 {
				sb.WriteString(" | ")
			}
		}
		sb.WriteString("\n")
		if r == 0 {
			for i := range row {
				sb.WriteString(strings.Repeat("-", width[i]))
				if i < len(row)-1 {
					sb.WriteString("-+-")
				}
			}
			sb.WriteString("\n")
		}
	}
	return sb.String()
}

func markdownTable(res sizeResult) string {
	var sb strings.Builder
	sb.WriteString("| " + strings.Join(tableHeader, " | ") + " |\n|")
	for i := range tableHeader {
		if i >= 3 && i <= 11 {
			sb.WriteString(" ---: |")
		} else {
			sb.WriteString(" --- |")
		}
	}
	sb.WriteString("\n")
	for _, row := range tableRows(res) {
		sb.WriteString("| " + strings.Join(row, " | ") + " |\n")
	}
	return sb.String()
}

// findPlan is the no-change plan of one read mode.
func findPlan(res sizeResult, mode cfapi.ReadMode) (phaseResult, bool) {
	phase := phasePlan
	for _, p := range res.phases {
		if p.phase == phase && p.mode == mode {
			return p, true
		}
	}
	return phaseResult{}, false
}

// verdict lines: the ratio per N, then the targets at the largest N.
func verdicts(results []sizeResult) (ratios []string, targets [][]string) {
	for _, res := range results {
		auto, okA := findPlan(res, cfapi.ReadAuto)
		rec, okR := findPlan(res, cfapi.ReadRecord)
		if okA && okR && auto.total > 0 {
			ratios = append(ratios, fmt.Sprintf("N=%d: no-change plan requests, read_mode record / auto = %d / %d = %.0f×", res.n, rec.total, auto.total, float64(rec.total)/float64(auto.total)))
		}
	}
	if len(results) == 0 {
		return
	}
	res := results[len(results)-1]
	at := fmt.Sprintf("N=%d", res.n)
	if res.n != 5000 {
		at += " (the issue's figures are for N=5,000)"
	}
	pass := func(ok bool) string {
		if ok {
			return "PASS"
		}
		return "MISS"
	}
	if auto, ok := findPlan(res, cfapi.ReadAuto); ok {
		b := breakdownOf(auto.counts)
		perZone := float64(b.list+b.get+b.other) / float64(len(benchZones))
		targets = append(targets, []string{
			"no-change plan (auto), " + at,
			fmt.Sprintf("≤ %d requests per zone plus start-up checks", targetPerZone),
			fmt.Sprintf("%d listing + %d GET + %d other over %d zones = %.1f per zone, plus %d start-up (token verify, zone look-up)", b.list, b.get, b.other, len(benchZones), perZone, b.startup),
			pass(perZone <= targetPerZone),
		})
		if rec, ok := findPlan(res, cfapi.ReadRecord); ok && auto.total > 0 {
			ratio := float64(rec.total) / float64(auto.total)
			targets = append(targets, []string{
				"no-change plan requests, record / auto, " + at,
				fmt.Sprintf("≥ %.0f× fewer in auto", targetRatio),
				fmt.Sprintf("%d / %d = %.0f×", rec.total, auto.total, ratio),
				pass(ratio >= targetRatio),
			})
		}
		var worst phaseResult
		for _, p := range res.phases {
			if p.providerHWM >= worst.providerHWM {
				worst = p
			}
		}
		targets = append(targets, []string{
			"no-change plan (auto) provider memory, " + at,
			"< 200 MiB",
			fmt.Sprintf("%s peak RSS (highest of any phase: %s, %s)", mib(auto.providerHWM), mib(worst.providerHWM), worst.phase+" "+string(worst.mode)),
			pass(auto.providerHWM > 0 && auto.providerHWM < targetMemory),
		})
	}
	return ratios, targets
}

func summaryText(results []sizeResult) string {
	ratios, targets := verdicts(results)
	var sb strings.Builder
	sb.WriteString("Summary\n")
	for _, r := range ratios {
		sb.WriteString("  " + r + "\n")
	}
	if len(targets) > 0 {
		sb.WriteString("Issue targets (reported, not enforced):\n")
		for _, t := range targets {
			fmt.Fprintf(&sb, "  %-4s %s: target %s; measured %s\n", t[3], t[0], t[1], t[2])
		}
	}
	for _, res := range results {
		for _, n := range res.notes {
			sb.WriteString("  " + n + "\n")
		}
	}
	return sb.String()
}

func markdown(o options, version string, results []sizeResult, elapsed time.Duration, machine string) string {
	var sb strings.Builder
	block := "until the window frees a slot"
	if o.block > 0 {
		block = o.block.String()
	}
	fmt.Fprintf(&sb, "%s, the provider built from this tree, the bundled emulator on loopback with %s latency per request and Cloudflare's rate limit of %d requests per 5 minutes per token (a token over it is blocked %s; Cloudflare blocks 5 minutes). "+
		"Records are spread over %d zones that also hold %.0f%% more records made outside Terraform. Provider defaults: rps %g, max_retries %d; Terraform's default -parallelism 10. "+
		"For N > %d, create, destroy and the N-GET phases of other read modes ran with the emulator's limit raised to %d per 5 minutes and rps %g (marked *raised*), so the run stays short; request counts do not depend on the rate, only wall times do. "+
		"The whole run took %s on %s; wall times include Terraform's own work and depend on the machine.\n\n",
		version, o.latency, cfRequests, block, len(benchZones), o.unmanaged*100, cfapi.DefaultRPS, cfapi.DefaultMaxRetries, o.raiseAbove, o.raisedLimit, o.raisedRPS, round(elapsed), machine)
	sb.WriteString("*start-up*: token verification and zone look-ups; *listing*: `GET /zones/{id}/dns_records` pages; *GET/PUT/DELETE*: one record; *429*: answers the emulator refused for the rate limit, which the provider retried; *CPU*: user + system time of the provider processes and of Terraform; *peak RSS*: VmHWM of the provider plugin processes (the highest of those one command started) and of Terraform.\n\n")
	for _, res := range results {
		fmt.Fprintf(&sb, "**N = %d** managed records (+ %d unmanaged)\n\n", res.n, res.unmanaged)
		sb.WriteString(markdownTable(res))
		sb.WriteString("\n")
	}
	ratios, targets := verdicts(results)
	for _, r := range ratios {
		sb.WriteString("- " + r + "\n")
	}
	for _, res := range results {
		for _, n := range res.notes {
			sb.WriteString("- " + n + "\n")
		}
	}
	if len(targets) > 0 {
		sb.WriteString("\n| target | wanted | measured | |\n| --- | --- | --- | --- |\n")
		for _, t := range targets {
			sb.WriteString("| " + strings.Join(t, " | ") + " |\n")
		}
	}
	return sb.String()
}

func mib(b int64) string {
	if b <= 0 {
		return "n/a"
	}
	return fmt.Sprintf("%.0f MiB", float64(b)/(1<<20))
}

func round(d time.Duration) time.Duration {
	if d > time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(100 * time.Millisecond)
}
