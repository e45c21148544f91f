// Command cloudflare-emulator serves the in-memory Cloudflare API emulator on
// loopback for local runs and demos. It prints CLOUDFLARE_BASE_URL=<url> on
// stdout once it accepts requests, and serves until SIGINT or SIGTERM.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"log"
	"net"
	"net/http"
	"os"
	"os/signal"
	"strconv"
	"strings"
	"syscall"
	"time"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

func main() {
	if err := run(os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "cloudflare-emulator:", err)
		os.Exit(1)
	}
}

func run(args []string) error {
	fs := flag.NewFlagSet("cloudflare-emulator", flag.ContinueOnError)
	addr := fs.String("addr", "127.0.0.1:0", "listen address (loopback only)")
	seed := fs.String("seed", "", "JSON seed file (emulator.Config)")
	latency := fs.Duration("latency", 0, "delay before each answer, e.g. 50ms")
	rateLimit := fs.String("rate-limit", "", "requests per window, e.g. 1200/5m (optional block time: 1200/5m/5m)")
	verbose := fs.Bool("v", false, "log requests on stderr")
	var zones, tokens listFlag
	fs.Var(&zones, "zone", "add a zone by name (repeatable)")
	fs.Var(&tokens, "token", `add an active token (repeatable; "emulator-token" when no token is configured)`)
	if err := fs.Parse(args); err != nil {
		return err
	}
	if err := requireLoopback(*addr); err != nil {
		return err
	}

	var cfg emulator.Config
	if *seed != "" {
		var err error
		if cfg, err = emulator.LoadConfig(*seed); err != nil {
			return err
		}
	}
	for _, t := range tokens {
		cfg.Tokens = append(cfg.Tokens, emulator.Token{Value: t})
	}
	if len(cfg.Tokens) == 0 && len(cfg.Keys) == 0 {
		cfg.Tokens = append(cfg.Tokens, emulator.Token{Value: "emulator-token"})
	}
	for _, name := range zones {
		cfg.Zones = append(cfg.Zones, emulator.Zone{Name: name})
	}
	cfg.Latency = *latency
	if *rateLimit != "" {
		rl, err := parseRateLimit(*rateLimit)
		if err != nil {
			return err
		}
		cfg.RateLimit = rl
	}
	srv, err := emulator.Build(cfg)
	if err != nil {
		return err
	}
	defer srv.Close()

	var handler http.Handler = srv
	if *verbose {
		handler = logRequests(srv)
	}
	ln, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	httpSrv := &http.Server{Handler: handler, ReadHeaderTimeout: 10 * time.Second}
	for _, z := range srv.Zones() {
		fmt.Fprintf(os.Stderr, "zone %s id=%s plan=%s\n", z.Name, z.ID, z.Plan)
	}
	fmt.Printf("CLOUDFLARE_BASE_URL=http://%s/client/v4\n", ln.Addr())

	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	served := make(chan error, 1)
	go func() { served <- httpSrv.Serve(ln) }()
	select {
	case err := <-served:
		return err
	case <-ctx.Done():
	}
	srv.Close() // releases requests held by latency or hang faults
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	if err := httpSrv.Shutdown(shutdownCtx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// requireLoopback refuses addresses other machines could reach: the emulator
// accepts any configured token and has no TLS.
func requireLoopback(addr string) error {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return fmt.Errorf("-addr %q: %w", addr, err)
	}
	if host == "localhost" {
		return nil
	}
	if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
		return nil
	}
	return fmt.Errorf("-addr %q: only loopback addresses are allowed", addr)
}

// parseRateLimit reads "N/window[/block]"; the block time defaults to the window.
func parseRateLimit(v string) (emulator.RateLimit, error) {
	parts := strings.Split(v, "/")
	if len(parts) < 2 || len(parts) > 3 {
		return emulator.RateLimit{}, fmt.Errorf("-rate-limit %q: want N/window, e.g. 1200/5m", v)
	}
	n, err := strconv.Atoi(parts[0])
	if err != nil || n < 0 {
		return emulator.RateLimit{}, fmt.Errorf("-rate-limit %q: bad request count", v)
	}
	window, err := time.ParseDuration(parts[1])
	if err != nil || window <= 0 {
		return emulator.RateLimit{}, fmt.Errorf("-rate-limit %q: bad window", v)
	}
	block := window
	if len(parts) == 3 {
		if block, err = time.ParseDuration(parts[2]); err != nil || block < 0 {
			return emulator.RateLimit{}, fmt.Errorf("-rate-limit %q: bad block time", v)
		}
	}
	return emulator.RateLimit{Requests: n, Window: window, Block: block}, nil
}

type statusRecorder struct {
	http.ResponseWriter
	status int
}

func (r *statusRecorder) WriteHeader(status int) {
	r.status = status
	r.ResponseWriter.WriteHeader(status)
}

func logRequests(next http.Handler) http.Handler {
	logger := log.New(os.Stderr, "", log.LstdFlags|log.Lmicroseconds)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &statusRecorder{ResponseWriter: w}
		defer func() {
			status := strconv.Itoa(rec.status)
			if rec.status == 0 {
				status = "dropped"
			}
			logger.Printf("%s %s -> %s (%s)", r.Method, r.URL.RequestURI(), status, time.Since(start).Round(time.Microsecond))
		}()
		next.ServeHTTP(rec, r)
	})
}
