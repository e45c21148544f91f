// Package cfapi is the provider's connection to the Cloudflare API: it builds the
// cloudflare-go services with the provider's credentials, request budget,
// retries and User-Agent, and offers the few operations the provider needs in
// terms of plain Go values.
package cfapi

import (
	"bytes"
	"context"
	"crypto/tls"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/cloudflare/cloudflare-go/v7/accounts"
	"github.com/cloudflare/cloudflare-go/v7/dns"
	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/cloudflare/cloudflare-go/v7/user"
	"github.com/cloudflare/cloudflare-go/v7/zones"
	"github.com/hashicorp/terraform-plugin-log/tflog"
	"golang.org/x/time/rate"
)

// DefaultBaseURL is Cloudflare's production API.
const DefaultBaseURL = "https://api.cloudflare.com/client/v4"

// Defaults of the provider settings.
const (
	// DefaultRPS keeps a process at Cloudflare's 1,200 requests per 5 minutes.
	DefaultRPS            = 4.0
	DefaultMaxRetries     = 4
	DefaultRequestTimeout = 60 * time.Second
)

// Config is what the provider block resolves to.
type Config struct {
	BaseURL        string
	APIToken       string
	APIKey         string
	Email          string
	AccountID      string
	RPS            float64
	MaxRetries     int
	RequestTimeout time.Duration
	UserAgent      string
	ReadMode       ReadMode
}

// Client talks to one Cloudflare API with one set of credentials. It is safe for
// concurrent use, and shares its request budget and caches across every
// resource of the provider process.
type Client struct {
	cfg          Config
	records      *dns.RecordService
	zones        *zones.ZoneService
	userTokens   *user.TokenService
	accountToken *accounts.TokenService
	user         *user.UserService
	limiter      *rate.Limiter
	zoneCache    zoneCache
	// autoZoneLimit is AutoZoneLimit; tests lower it.
	autoZoneLimit int
	recordCache   recordCache
}

// New builds a client. It makes no request; Verify confirms the credentials.
func New(cfg Config) (*Client, error) {
	if cfg.BaseURL == "" {
		cfg.BaseURL = DefaultBaseURL
	}
	if err := CheckBaseURL(cfg.BaseURL); err != nil {
		return nil, err
	}
	if cfg.RPS <= 0 {
		cfg.RPS = DefaultRPS
	}
	if cfg.MaxRetries < 0 {
		cfg.MaxRetries = 0
	}
	if cfg.ReadMode == "" {
		cfg.ReadMode = ReadAuto
	}
	if cfg.RequestTimeout <= 0 {
		cfg.RequestTimeout = DefaultRequestTimeout
	}
	c := &Client{cfg: cfg, autoZoneLimit: AutoZoneLimit}
	// A burst of one keeps the rate even: Cloudflare counts requests over a
	// sliding window, so bursts only move the 429 earlier.
	c.limiter = rate.NewLimiter(rate.Limit(cfg.RPS), 1)

	transport := newTransport()
	transport.TLSClientConfig = &tls.Config{MinVersion: tls.VersionTLS12}
	transport.MaxIdleConnsPerHost = 16

	opts := []option.RequestOption{
		option.WithBaseURL(strings.TrimSuffix(cfg.BaseURL, "/") + "/"),
		option.WithHTTPClient(&http.Client{Transport: transport}),
		option.WithMaxRetries(cfg.MaxRetries),
		option.WithHeader("User-Agent", cfg.UserAgent),
		option.WithMiddleware(c.middleware),
	}
	if cfg.APIToken != "" {
		opts = append(opts, option.WithAPIToken(cfg.APIToken))
	} else {
		opts = append(opts, option.WithAPIKey(cfg.APIKey), option.WithAPIEmail(cfg.Email))
	}
	// The services are built one by one rather than with cloudflare.NewClient,
	// which would also read CLOUDFLARE_* variables and mix them into the
	// credentials the provider chose.
	c.records = dns.NewRecordService(opts...)
	c.zones = zones.NewZoneService(opts...)
	c.userTokens = user.NewTokenService(opts...)
	c.accountToken = accounts.NewTokenService(opts...)
	c.user = user.NewUserService(opts...)
	return c, nil
}

// newTransport starts from Go's default transport (proxies from the
// environment, sensible connection timeouts), never skipping TLS verification.
func newTransport() *http.Transport {
	if t, ok := http.DefaultTransport.(*http.Transport); ok {
		return t.Clone()
	}
	return &http.Transport{Proxy: http.ProxyFromEnvironment}
}

// CheckBaseURL refuses URLs that would send credentials in clear text: plain
// http is allowed only to loopback hosts (a local emulator or proxy).
func CheckBaseURL(raw string) error {
	u, err := url.Parse(raw)
	if err != nil || u.Host == "" {
		return fmt.Errorf("base_url %q is not an absolute URL such as %s", raw, DefaultBaseURL)
	}
	switch u.Scheme {
	case "https":
		return nil
	case "http":
		host := u.Hostname()
		if host == "localhost" {
			return nil
		}
		if ip := net.ParseIP(host); ip != nil && ip.IsLoopback() {
			return nil
		}
		return fmt.Errorf("base_url %q uses plain http to a host that is not loopback; use https so the credentials are not sent in clear text", raw)
	default:
		return fmt.Errorf("base_url %q must start with https://", raw)
	}
}

// BaseURL is the API address requests go to.
func (c *Client) BaseURL() string { return c.cfg.BaseURL }

// middleware runs around every HTTP attempt, retries included: it spends the
// request budget, logs what happened without credentials, and turns answers the
// client library cannot decode into Cloudflare-shaped errors.
func (c *Client) middleware(req *http.Request, next option.MiddlewareNext) (*http.Response, error) {
	ctx := req.Context()
	if err := c.limiter.Wait(ctx); err != nil {
		return nil, err
	}
	// The per-request timeout lives here rather than in the library, which
	// gives up after a timed-out attempt; here it fails only this attempt, and
	// the library retries it like any network error (a create that timed out
	// after Cloudflare committed it is adopted on retry, never duplicated).
	attemptCtx, cancel := context.WithTimeout(ctx, c.cfg.RequestTimeout)
	defer cancel()
	start := time.Now()
	res, err := next(req.WithContext(attemptCtx))
	if err != nil && ctx.Err() == nil && attemptCtx.Err() != nil {
		err = &RequestTimeoutError{Method: req.Method, Path: req.URL.Path, After: c.cfg.RequestTimeout}
	}
	fields := map[string]any{
		"method":  req.Method,
		"path":    req.URL.Path,
		"attempt": req.Header.Get("X-Stainless-Retry-Count"),
		"elapsed": time.Since(start).String(),
	}
	if err != nil {
		fields["error"] = err.Error()
		tflog.Warn(ctx, "Cloudflare request failed before an answer; it is retried while attempts remain", fields)
		return nil, err
	}
	fields["status"] = res.StatusCode
	fields["ray_id"] = res.Header.Get("Cf-Ray")
	res, codes := normaliseResponse(res)
	if len(codes) > 0 {
		fields["codes"] = codes
	}
	if res.StatusCode == http.StatusTooManyRequests || res.StatusCode >= 500 {
		fields["retry_after"] = res.Header.Get("Retry-After")
		tflog.Warn(ctx, "Cloudflare answered with a retryable error; it is retried while attempts remain", fields)
	} else {
		tflog.Debug(ctx, "Cloudflare request", fields)
	}
	return res, nil
}

// RequestTimeoutError says one request got no answer in time.
type RequestTimeoutError struct {
	Method string
	Path   string
	After  time.Duration
}

func (e *RequestTimeoutError) Error() string {
	return fmt.Sprintf("%s %s: no answer from Cloudflare within %s", e.Method, e.Path, e.After)
}

// Timeout marks it as a network timeout for callers that check net.Error.
func (e *RequestTimeoutError) Timeout() bool { return true }

// Temporary is part of net.Error.
func (e *RequestTimeoutError) Temporary() bool { return true }

// normaliseResponse turns a success answer that is not one (success:false,
// or a body that is not Cloudflare JSON) into an error; these headers carry
// the status Cloudflare really sent, and whether its envelope said
// success:false, to wrapError.
const (
	originalStatusHeader = "X-Cloudflaredns-Original-Status"
	successFalseHeader   = "X-Cloudflaredns-Success-False"
)

// envelopeErrors reads the envelope's success flag and errors leniently: a
// code written as a string, or an errors value that is not a list, must not
// make an error answer pass for a success.
func envelopeErrors(body []byte) (success *bool, details []ErrorDetail, strict, ok bool) {
	// A struct, not a map: encoding/json matches its keys without regard to
	// case, as the client library's decoder does.
	var head struct {
		Success json.RawMessage `json:"success"`
		Errors  json.RawMessage `json:"errors"`
	}
	if json.Unmarshal(body, &head) != nil {
		return nil, nil, false, false
	}
	if raw := head.Success; raw != nil {
		// Only a boolean says anything; another value is as good as none.
		var b *bool // null stays nil
		if json.Unmarshal(raw, &b) == nil {
			success = b
		}
	}
	strict = true
	var list []map[string]any
	if raw := head.Errors; raw != nil && string(raw) != "null" {
		if json.Unmarshal(raw, &list) != nil {
			strict = false
			details = append(details, ErrorDetail{Message: "errors in an unexpected form: " + snippet(raw)})
		}
	}
	for _, e := range list {
		d := ErrorDetail{}
		switch c := e["code"].(type) {
		case float64:
			d.Code = int(c)
		case string:
			d.Code, _ = strconv.Atoi(c)
			strict = false
		default:
			strict = strict && e["code"] == nil
		}
		switch m := e["message"].(type) {
		case string:
			d.Message = m
		case nil:
		default:
			d.Message = fmt.Sprint(m)
			strict = false
		}
		details = append(details, d)
	}
	return success, details, strict, true
}

// normaliseResponse reads the envelope so that every error carries codes the
// client library can decode: a non-JSON error body becomes an envelope naming
// the HTTP status, errors in an unexpected form are rewritten, and a success
// status with success:false or with a body that is not Cloudflare JSON (a
// proxy's page, say) becomes an error (never retried: its outcome is unknown)
// that still names the status Cloudflare sent.
func normaliseResponse(res *http.Response) (*http.Response, []int) {
	body, err := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if err != nil {
		res.Body = io.NopCloser(bytes.NewReader(body))
		return res, nil
	}
	mediaType, _, _ := mime.ParseMediaType(res.Header.Get("Content-Type"))
	var (
		success *bool
		details []ErrorDetail
		strict  = true
		isJSON  bool
	)
	if strings.Contains(mediaType, "json") {
		success, details, strict, isJSON = envelopeErrors(body)
	}
	var codes []int
	for _, d := range details {
		codes = append(codes, d.Code)
	}
	saidFalse := success != nil && !*success
	failed := res.StatusCode >= 400 || !isJSON || saidFalse
	switch {
	case !isJSON:
		body = syntheticError([]ErrorDetail{{Message: fmt.Sprintf("a body that is not Cloudflare JSON: %s", snippet(body))}})
		res.Header.Set("Content-Type", "application/json")
	case failed && !strict:
		body = syntheticError(details)
	case res.StatusCode < 400 && failed && len(details) == 0:
		body = syntheticError([]ErrorDetail{{Message: "success: false and no error details"}})
	}
	if res.StatusCode < 400 && failed {
		res.Header.Set(originalStatusHeader, strconv.Itoa(res.StatusCode))
		if saidFalse {
			res.Header.Set(successFalseHeader, "true")
		}
		res.Header.Set("X-Should-Retry", "false")
		res.StatusCode = http.StatusBadGateway
		res.Status = "502 Bad Gateway"
	}
	res.ContentLength = int64(len(body))
	res.Header.Set("Content-Length", strconv.Itoa(len(body)))
	res.Body = io.NopCloser(bytes.NewReader(body))
	return res, codes
}

func syntheticError(details []ErrorDetail) []byte {
	errs := make([]map[string]any, 0, len(details))
	for _, d := range details {
		errs = append(errs, map[string]any{"code": d.Code, "message": d.Message})
	}
	b, _ := json.Marshal(map[string]any{"success": false, "errors": errs, "messages": []any{}, "result": nil})
	return b
}

func snippet[T ~[]byte | ~string](body T) string {
	s := strings.Join(strings.Fields(string(body)), " ")
	if len(s) > 120 {
		s = s[:120] + "…"
	}
	if s == "" {
		s = "(empty)"
	}
	return s
}

// TokenStatus is what token verification says.
type TokenStatus struct {
	ID     string
	Status string // active, disabled or expired
}

// VerifyToken confirms an API token with Cloudflare (user tokens, or
// account-owned tokens when an account ID is set).
func (c *Client) VerifyToken(ctx context.Context) (TokenStatus, error) {
	if c.cfg.AccountID != "" {
		var p accounts.TokenVerifyParams
		p.AccountID.Value, p.AccountID.Present = c.cfg.AccountID, true
		res, err := c.accountToken.Verify(ctx, p)
		if err != nil {
			return TokenStatus{}, wrapError(err)
		}
		return TokenStatus{ID: res.ID, Status: string(res.Status)}, nil
	}
	res, err := c.userTokens.Verify(ctx)
	if err != nil {
		return TokenStatus{}, wrapError(err)
	}
	return TokenStatus{ID: res.ID, Status: string(res.Status)}, nil
}

// VerifyKey confirms a global API key and email by reading the user they belong to.
func (c *Client) VerifyKey(ctx context.Context) error {
	_, err := c.user.Get(ctx)
	return wrapError(err)
}
