package emulator

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"io"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
)

const (
	apiPrefix     = "/client/v4"
	controlPrefix = "/__emulator/"
	maxBodyBytes  = 8 << 20
)

// Routing, authentication and rate-limit codes (cloudflare-api.md §4).
const (
	codeNoRoute          = 7000
	codeMethodNotAllowed = 7001 // [U]
	codeCouldNotRoute    = 7003
	codeInvalidAPIToken  = 1000
	codeMissingAuthz     = 1001
	codeBadHeaders       = 6003
	codeBadEmailHeader   = 6102
	codeBadKeyHeader     = 6103
	codeBadAuthzHeader   = 6111
	codeUnknownKey       = 9103
	codeMissingAuth      = 9106
	codeInvalidToken     = 9109
	codeAuthentication   = 10000
	codeRateLimited      = 971
	codeFaultDefault     = 10001 // [U] used when an injected fault names no code
)

// shortErrorCodes are answered as {"success":false,"errors":[...]} without
// messages and result, as some real auth errors are. [U] which ones exactly.
var shortErrorCodes = map[int]bool{codeAuthentication: true, codeInvalidToken: true}

// Route patterns, as used in Counts keys.
const (
	routeZones        = "/zones"
	routeZone         = "/zones/{zone_id}"
	routeRecords      = "/zones/{zone_id}/dns_records"
	routeBatch        = "/zones/{zone_id}/dns_records/batch"
	routeRecord       = "/zones/{zone_id}/dns_records/{dns_record_id}"
	routeUserVerify   = "/user/tokens/verify"
	routeAcctVerify   = "/accounts/{account_id}/tokens/verify"
	routeUser         = "/user"
	routeUnrecognized = "(unrouted)"
)

var routeMethods = map[string][]string{
	routeZones: {"GET"}, routeZone: {"GET"}, routeRecords: {"GET", "POST"}, routeBatch: {"POST"},
	routeRecord: {"GET", "PUT", "PATCH", "DELETE"}, routeUserVerify: {"GET"}, routeAcctVerify: {"GET"}, routeUser: {"GET"},
}

// parseRoute maps a path below /client/v4 to its pattern and path ids.
func parseRoute(method, path string) (string, []string) {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	switch {
	case len(seg) == 1 && seg[0] == "zones":
		return routeZones, nil
	case len(seg) == 2 && seg[0] == "zones":
		return routeZone, seg[1:]
	case len(seg) == 3 && seg[0] == "zones" && seg[2] == "dns_records":
		return routeRecords, seg[1:2]
	case len(seg) == 4 && seg[0] == "zones" && seg[2] == "dns_records" && seg[3] == "batch" && method == "POST":
		return routeBatch, seg[1:2]
	case len(seg) == 4 && seg[0] == "zones" && seg[2] == "dns_records":
		return routeRecord, []string{seg[1], seg[3]}
	case len(seg) == 3 && seg[0] == "user" && seg[1] == "tokens" && seg[2] == "verify":
		return routeUserVerify, nil
	case len(seg) == 4 && seg[0] == "accounts" && seg[2] == "tokens" && seg[3] == "verify":
		return routeAcctVerify, seg[1:2]
	case len(seg) == 1 && seg[0] == "user":
		return routeUser, nil
	}
	return routeUnrecognized, nil
}

// ---- envelope ----

type resultInfo struct {
	Page       int `json:"page"`
	PerPage    int `json:"per_page"`
	Count      int `json:"count"`
	TotalCount int `json:"total_count"`
	TotalPages int `json:"total_pages"`
}

type apiMessage struct {
	Code    int     `json:"code"`
	Message string  `json:"message"`
	Type    *string `json:"type"`
}

type errorEntry struct {
	Code       int          `json:"code"`
	Message    string       `json:"message"`
	ErrorChain []errorEntry `json:"error_chain,omitempty"`
}

// The field orders differ on purpose: success envelopes start with result,
// error envelopes with success, as in real output.
type successEnvelope struct {
	Result     any          `json:"result"`
	Success    bool         `json:"success"`
	Errors     []errorEntry `json:"errors"`
	Messages   []apiMessage `json:"messages"`
	ResultInfo *resultInfo  `json:"result_info,omitempty"`
}

type errorEnvelope struct {
	Success  bool          `json:"success"`
	Errors   []errorEntry  `json:"errors"`
	Messages *[]apiMessage `json:"messages,omitempty"`
	Result   *struct{}     `json:"result"`
}

type shortErrorEnvelope struct {
	Success bool         `json:"success"`
	Errors  []errorEntry `json:"errors"`
}

func writeJSON(w http.ResponseWriter, status int, body any) {
	data, err := json.Marshal(body)
	if err != nil {
		status, data = http.StatusInternalServerError, []byte(`{"success":false,"errors":[{"code":10001,"message":"emulator: cannot encode response"}],"messages":[],"result":null}`)
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(data)
}

func writeResult(w http.ResponseWriter, result any, info *resultInfo, messages []apiMessage) {
	if messages == nil {
		messages = []apiMessage{}
	}
	writeJSON(w, http.StatusOK, successEnvelope{Result: result, Success: true, Errors: []errorEntry{}, Messages: messages, ResultInfo: info})
}

func toEntries(errs []APIError) []errorEntry {
	var out []errorEntry
	for _, e := range errs {
		out = append(out, errorEntry{Code: e.Code, Message: e.Message, ErrorChain: toEntries(e.Chain)})
	}
	return out
}

func writeError(w http.ResponseWriter, e *APIError) {
	writeErrorStatus(w, e.Status, e)
}

func writeErrorStatus(w http.ResponseWriter, status int, e *APIError) {
	entries := toEntries(append([]APIError{*e}, e.Also...))
	if shortErrorCodes[e.Code] {
		writeJSON(w, status, shortErrorEnvelope{Errors: entries})
		return
	}
	writeJSON(w, status, errorEnvelope{Errors: entries, Messages: &[]apiMessage{}})
}

// errCouldNotRoute answers malformed or unknown ids in the path.
func errCouldNotRoute(r *http.Request) *APIError {
	return &APIError{Status: http.StatusBadRequest, Code: codeCouldNotRoute,
		Message: "Could not route to " + r.URL.Path + ", perhaps your object identifier is invalid?",
		Also:    []APIError{{Code: codeNoRoute, Message: "No route for that URI"}}}
}

func errAuthentication() *APIError {
	return apiErr(http.StatusForbidden, codeAuthentication, "Authentication error")
}

// ---- request handling ----

func (s *Server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if strings.HasPrefix(r.URL.Path, controlPrefix) {
		s.serveControl(w, r)
		return
	}
	route := routeUnrecognized
	var ids []string
	if rest, ok := strings.CutPrefix(r.URL.Path, apiPrefix); ok {
		route, ids = parseRoute(r.Method, rest)
	}
	routeKey := r.Method + " " + route

	s.mu.Lock()
	s.counts[routeKey]++
	s.total++
	if r.Method != http.MethodGet && r.Method != http.MethodHead && route != routeUnrecognized {
		s.writes++
	}
	fault := s.takeFault(r.Method, routeKey)
	latency := s.latency
	s.mu.Unlock()

	// Reading the body first lets net/http notice a client that gives up
	// during latency or a hang (it only watches the connection after the body).
	body, bodyErr := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	w.Header().Set("cf-ray", randomHex(8)+"-EWR")
	w.Header().Set("Ratelimit", `"default";r=50;t=30`)
	w.Header().Set("Ratelimit-Policy", `"burst";q=100;w=60`)
	if latency > 0 && !s.wait(r.Context(), latency) {
		return
	}
	if fault != nil {
		switch fault.Kind {
		case FaultResetBefore:
			panic(http.ErrAbortHandler) // net/http closes the connection without answering
		case FaultHang:
			if !s.wait(r.Context(), fault.HangFor) {
				return
			}
		case FaultDropAfterCommit:
			s.serveAPI(discardWriter{header: http.Header{}}, r, route, ids, body, bodyErr)
			panic(http.ErrAbortHandler)
		default:
			writeFault(w, fault)
			return
		}
	}
	s.serveAPI(w, r, route, ids, body, bodyErr)
}

// wait sleeps d (forever when d <= 0) and reports false when the client went
// away or the server closed first.
func (s *Server) wait(ctx context.Context, d time.Duration) bool {
	var timeout <-chan time.Time
	if d > 0 {
		t := time.NewTimer(d)
		defer t.Stop()
		timeout = t.C
	}
	select {
	case <-timeout:
		return true
	case <-ctx.Done():
		return false
	case <-s.closed:
		return false
	}
}

type discardWriter struct{ header http.Header }

func (d discardWriter) Header() http.Header         { return d.header }
func (d discardWriter) Write(b []byte) (int, error) { return len(b), nil }
func (d discardWriter) WriteHeader(int)             {}

func (s *Server) serveAPI(w http.ResponseWriter, r *http.Request, route string, ids []string, body []byte, bodyErr error) {
	if !s.admit(w, r) {
		return
	}
	if route == routeUnrecognized {
		writeError(w, apiErr(http.StatusBadRequest, codeNoRoute, "No route for that URI"))
		return
	}
	if !slices.Contains(routeMethods[route], r.Method) {
		writeError(w, apiErr(http.StatusMethodNotAllowed, codeMethodNotAllowed, "Method not allowed for this URI"))
		return
	}
	who, e := s.authenticate(r, route)
	if e != nil {
		writeError(w, e)
		return
	}
	if r.Method != http.MethodGet && !who.canWrite() {
		writeError(w, errAuthentication())
		return
	}
	if bodyErr != nil {
		writeError(w, badRequest(codeBadBody, "Failed to parse request body."))
		return
	}

	s.mu.Lock()
	defer s.mu.Unlock()
	switch route {
	case routeUserVerify, routeAcctVerify:
		s.verifyToken(w, who, route, ids)
	case routeUser:
		writeResult(w, s.userJSON(who), nil, nil)
	case routeZones:
		result, info, e := s.listZones(r.URL.Query(), who)
		respond(w, result, info, e)
	default:
		z, e := s.zoneFor(r, ids[0], who)
		if e != nil {
			writeError(w, e)
			return
		}
		result, info, e := s.serveZone(r, z, route, ids, body)
		respond(w, result, info, e)
	}
}

func respond(w http.ResponseWriter, result any, info *resultInfo, e *APIError) {
	if e != nil {
		writeError(w, e)
		return
	}
	writeResult(w, result, info, nil)
}

// serveZone handles the zone-scoped routes; s.mu is held.
func (s *Server) serveZone(r *http.Request, z *zoneState, route string, ids []string, body []byte) (any, *resultInfo, *APIError) {
	switch route {
	case routeZone:
		return z.toJSON(s.zoneOwner()), nil, nil
	case routeRecords:
		if r.Method == http.MethodGet {
			recs, info, e := z.list(r.URL.Query())
			return recs, info, e
		}
		in, e := decodeRecordInput(body)
		if e == nil {
			e = in.requireFields()
		}
		if e != nil {
			return nil, nil, e
		}
		var rec Record
		in.apply(&rec, true)
		created, e := z.create(rec)
		if e != nil {
			return nil, nil, e
		}
		return created.clone(), nil, nil
	case routeBatch:
		var req batchRequest
		if err := json.Unmarshal(body, &req); err != nil {
			return nil, nil, badRequest(codeBadBody, "Failed to parse request body.")
		}
		res, e := z.batch(req)
		if e != nil {
			return nil, nil, e
		}
		return res, nil, nil
	}
	recordID := ids[1]
	if !isID(recordID) {
		return nil, nil, errCouldNotRoute(r)
	}
	old, ok := z.records[recordID]
	if !ok {
		return nil, nil, errRecordMissing()
	}
	switch r.Method {
	case http.MethodGet:
		return old.clone(), nil, nil
	case http.MethodDelete:
		delete(z.records, recordID)
		return map[string]string{"id": recordID}, nil, nil
	}
	in, e := decodeRecordInput(body)
	full := r.Method == http.MethodPut
	if e == nil && full {
		e = in.requireFields()
	}
	if e != nil {
		return nil, nil, e
	}
	next := old.clone()
	in.apply(&next, full)
	stored, e := z.replace(old, next)
	if e != nil {
		return nil, nil, e
	}
	return stored.clone(), nil, nil
}

// ---- authentication ----

type caller struct {
	token *Token // nil when authenticated with an email and global API key
	email string
}

func (c *caller) canSeeZone(zoneID string) bool {
	return c.token == nil || len(c.token.ZoneIDs) == 0 || slices.Contains(c.token.ZoneIDs, zoneID)
}

func (c *caller) canWrite() bool { return c.token == nil || !c.token.ReadOnly }

func bearer(r *http.Request) (token string, sent, wellFormed bool) {
	h, sent := r.Header["Authorization"]
	if !sent {
		return "", false, false
	}
	scheme, token, ok := strings.Cut(strings.Join(h, ","), " ")
	return token, true, ok && strings.EqualFold(scheme, "Bearer") && token != "" && !strings.ContainsAny(token, " \t,")
}

func (s *Server) authenticate(r *http.Request, route string) (*caller, *APIError) {
	verify := route == routeUserVerify || route == routeAcctVerify
	token, sent, wellFormed := bearer(r)
	if sent {
		if !wellFormed {
			return nil, &APIError{Status: http.StatusBadRequest, Code: codeBadHeaders, Message: "Invalid request headers",
				Chain: []APIError{{Code: codeBadAuthzHeader, Message: "Invalid format for Authorization header"}}}
		}
		s.mu.Lock()
		t, ok := s.tokens[token]
		s.mu.Unlock()
		switch {
		case verify && !ok:
			return nil, apiErr(http.StatusUnauthorized, codeInvalidAPIToken, "Invalid API Token")
		case !verify && (!ok || t.Status != "active"):
			return nil, apiErr(http.StatusForbidden, codeInvalidToken, "Invalid access token")
		}
		return &caller{token: &t}, nil
	}
	email, key := r.Header.Get("X-Auth-Email"), r.Header.Get("X-Auth-Key")
	switch {
	case email == "" && key == "":
		return nil, apiErr(http.StatusBadRequest, codeMissingAuth, "Missing X-Auth-Key, X-Auth-Email or Authorization headers")
	case verify:
		return nil, apiErr(http.StatusBadRequest, codeMissingAuthz, `Missing "Authorization" header`)
	case email == "" || !strings.Contains(email, "@"):
		return nil, &APIError{Status: http.StatusBadRequest, Code: codeBadHeaders, Message: "Invalid request headers",
			Chain: []APIError{{Code: codeBadEmailHeader, Message: "Invalid format for X-Auth-Email header"}}}
	case key == "":
		return nil, &APIError{Status: http.StatusBadRequest, Code: codeBadHeaders, Message: "Invalid request headers",
			Chain: []APIError{{Code: codeBadKeyHeader, Message: "Invalid format for X-Auth-Key header"}}}
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	for _, k := range s.keys {
		if strings.EqualFold(k.Email, email) && k.Key == key {
			return &caller{email: k.Email}, nil
		}
	}
	return nil, apiErr(http.StatusForbidden, codeUnknownKey, "Unknown X-Auth-Key or X-Auth-Email")
}

// verifyToken answers both verify endpoints. A user token verifies only on
// /user/tokens/verify, an account token only on its own account's endpoint.
// [U] The other mismatches answer like an unknown token.
func (s *Server) verifyToken(w http.ResponseWriter, who *caller, route string, ids []string) {
	t := who.token
	if route == routeUserVerify && t.AccountID != "" || route == routeAcctVerify && t.AccountID != ids[0] {
		writeError(w, apiErr(http.StatusUnauthorized, codeInvalidAPIToken, "Invalid API Token"))
		return
	}
	var messages []apiMessage
	if t.Status == "active" {
		messages = []apiMessage{{Code: codeAuthentication, Message: "This API Token is valid and active"}}
	}
	writeResult(w, map[string]string{"id": t.ID, "status": t.Status}, nil, messages)
}

type userJSON struct {
	ID                string   `json:"id"`
	Email             string   `json:"email"`
	Username          string   `json:"username"`
	FirstName         *string  `json:"first_name"`
	LastName          *string  `json:"last_name"`
	Telephone         *string  `json:"telephone"`
	Country           *string  `json:"country"`
	Zipcode           *string  `json:"zipcode"`
	TwoFactorEnabled  bool     `json:"two_factor_authentication_enabled"`
	TwoFactorLocked   bool     `json:"two_factor_authentication_locked"`
	HasProZones       bool     `json:"has_pro_zones"`
	HasBusinessZones  bool     `json:"has_business_zones"`
	HasEnterpriseZone bool     `json:"has_enterprise_zones"`
	Suspended         bool     `json:"suspended"`
	Betas             []string `json:"betas"`
	Organizations     []string `json:"organizations"`
	CreatedOn         string   `json:"created_on"`
	ModifiedOn        string   `json:"modified_on"`
}

// userEmail is the user that tokens act for: the first key's, or a default.
func (s *Server) userEmail() string {
	if len(s.keys) > 0 {
		return s.keys[0].Email
	}
	return DefaultUserEmail
}

// userID derives a stable 32-hex user id from the email.
func userID(email string) string {
	sum := sha256.Sum256([]byte(strings.ToLower(email)))
	return hex.EncodeToString(sum[:16])
}

// userJSON describes the caller; token callers act as the first key's user.
func (s *Server) userJSON(who *caller) userJSON {
	email := who.email
	if email == "" {
		email = s.userEmail()
	}
	u := userJSON{ID: userID(email), Email: email, Username: strings.SplitN(email, "@", 2)[0],
		Betas: []string{}, Organizations: []string{}, CreatedOn: "2020-01-01T00:00:00Z", ModifiedOn: "2020-01-01T00:00:00Z"}
	for _, z := range s.zones {
		u.HasEnterpriseZone = u.HasEnterpriseZone || z.Plan == "enterprise"
	}
	return u
}

// ---- rate limiting ----

// limiter is a sliding window per credential.
type limiter struct {
	cfg     RateLimit
	hits    map[string][]time.Time
	blocked map[string]time.Time
}

func (l *limiter) init(rl RateLimit) {
	*l = limiter{cfg: rl, hits: map[string][]time.Time{}, blocked: map[string]time.Time{}}
}

// take records one request; when refused it says how long to wait.
func (l *limiter) take(key string, t time.Time) (ok bool, wait time.Duration, remaining int, reset time.Duration) {
	if l.cfg.Requests <= 0 || l.cfg.Window <= 0 {
		return true, 0, 0, 0
	}
	if until, ok := l.blocked[key]; ok {
		if t.Before(until) {
			return false, until.Sub(t), 0, until.Sub(t)
		}
		delete(l.blocked, key)
	}
	hits := l.hits[key]
	for len(hits) > 0 && !hits[0].After(t.Add(-l.cfg.Window)) {
		hits = hits[1:]
	}
	if len(hits) >= l.cfg.Requests {
		l.hits[key] = hits
		wait = hits[0].Add(l.cfg.Window).Sub(t)
		if l.cfg.Block > 0 {
			wait = l.cfg.Block
			l.blocked[key] = t.Add(wait)
		}
		return false, wait, 0, wait
	}
	hits = append(hits, t)
	l.hits[key] = hits
	return true, 0, l.cfg.Requests - len(hits), hits[0].Add(l.cfg.Window).Sub(t)
}

// admit applies the rate limit and sets the Ratelimit headers.
func (s *Server) admit(w http.ResponseWriter, r *http.Request) bool {
	key := "ip:" + r.RemoteAddr
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		key = "ip:" + host
	}
	if token, sent, _ := bearer(r); sent {
		key = "token:" + token
	} else if email := r.Header.Get("X-Auth-Email"); email != "" {
		key = "key:" + strings.ToLower(email)
	}
	s.mu.Lock()
	cfg := s.limiter.cfg
	ok, wait, remaining, reset := s.limiter.take(key, time.Now())
	s.mu.Unlock()
	if cfg.Requests <= 0 || cfg.Window <= 0 {
		return true
	}
	w.Header().Set("Ratelimit", `"default";r=`+strconv.Itoa(remaining)+`;t=`+strconv.Itoa(ceilSeconds(reset)))
	w.Header().Set("Ratelimit-Policy", `"default";q=`+strconv.Itoa(cfg.Requests)+`;w=`+strconv.Itoa(ceilSeconds(cfg.Window)))
	if ok {
		return true
	}
	w.Header().Set("Retry-After", strconv.Itoa(max(1, ceilSeconds(wait))))
	writeError(w, apiErr(http.StatusTooManyRequests, codeRateLimited, "Please wait and consider throttling your request speed"))
	return false
}

func ceilSeconds(d time.Duration) int { return int((d + time.Second - 1) / time.Second) }
