// Package emulator is an in-memory emulator of the parts of Cloudflare API v4
// that the provider uses: zones, DNS records and token verification.
//
// The behaviour follows the Cloudflare API facts the project collected from
// Cloudflare's schema, docs and real answers. Choices the facts do
// not settle are marked [U] in comments and collected as named constants so
// they are easy to change once real behaviour is known.
package emulator

import (
	"crypto/rand"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"os"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Defaults for zones added without these fields.
const (
	DefaultAccountID   = "0123456789abcdef0123456789abcdef"
	DefaultAccountName = "Emulator Account"
	DefaultUserEmail   = "user@example.com"
)

var defaultNameServers = []string{"ada.ns.cloudflare.com", "bob.ns.cloudflare.com"}

// Zone is a zone as configured; AddZone fills the defaults.
type Zone struct {
	ID          string   `json:"id"`           // 32 lowercase hex; generated when empty
	Name        string   `json:"name"`         // stored lowercase, in Punycode
	Status      string   `json:"status"`       // default "active"
	AccountID   string   `json:"account_id"`   // default DefaultAccountID
	AccountName string   `json:"account_name"` // default DefaultAccountName
	NameServers []string `json:"name_servers"` // default two *.ns.cloudflare.com names
	Plan        string   `json:"plan"`         // "free" (default) or "enterprise" (ttl 30..59 allowed, 3,500 batch operations)
}

// Token is an API token. Tokens act for the first configured key's user.
type Token struct {
	Value     string   `json:"value"`      // the secret sent as Bearer
	ID        string   `json:"id"`         // 32 hex; generated when empty
	Status    string   `json:"status"`     // active (default) | disabled | expired
	AccountID string   `json:"account_id"` // non-empty: account-owned, verifies only on /accounts/{id}/tokens/verify
	ZoneIDs   []string `json:"zone_ids"`   // empty: all zones; else other zones answer 403 10000 and GET /zones hides them
	ReadOnly  bool     `json:"read_only"`  // writes answer 403 10000
}

// Key is a legacy global API key pair.
type Key struct {
	Email string `json:"email"`
	Key   string `json:"key"`
}

// RateLimit is a sliding window per credential (token, or email for key auth).
type RateLimit struct {
	Requests int           // allowed per Window; 0 = off
	Window   time.Duration // e.g. 5*time.Minute
	Block    time.Duration // how long a client stays blocked after exceeding; 0 = until the window frees up
}

// Config seeds a server; LoadConfig reads it from JSON.
type Config struct {
	Zones     []Zone        `json:"zones"`
	Tokens    []Token       `json:"tokens"`
	Keys      []Key         `json:"keys"`
	Records   []Record      `json:"records"` // seeded; ZoneID ("zone_id" in JSON), or the zone whose name ends the record's FQDN
	Latency   time.Duration `json:"-"`
	RateLimit RateLimit     `json:"-"`
}

// LoadConfig reads a JSON seed file.
func LoadConfig(path string) (Config, error) {
	var cfg Config
	data, err := os.ReadFile(path)
	if err != nil {
		return cfg, err
	}
	dec := json.NewDecoder(strings.NewReader(string(data)))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&cfg); err != nil {
		return cfg, fmt.Errorf("seed %s: %w", path, err)
	}
	return cfg, nil
}

// APIError is a Cloudflare error as the emulator answers it. Also holds further
// entries of the errors array (7003 is followed by 7000); Chain is the
// error_chain of the first entry.
type APIError struct {
	Status  int
	Code    int
	Message string
	Also    []APIError
	Chain   []APIError
}

func (e *APIError) Error() string {
	return fmt.Sprintf("cloudflare emulator: HTTP %d: %d %s", e.Status, e.Code, e.Message)
}

func apiErr(status, code int, format string, args ...any) *APIError {
	return &APIError{Status: status, Code: code, Message: fmt.Sprintf(format, args...)}
}

type zoneState struct {
	Zone
	created time.Time
	records map[string]*Record
}

// Server is the emulator. All methods are safe for concurrent use.
type Server struct {
	mu        sync.Mutex
	zones     map[string]*zoneState
	zoneOrder []string
	tokens    map[string]Token
	keys      []Key
	latency   time.Duration
	limiter   limiter
	faults    []*Fault
	counts    map[string]int
	total     int
	writes    int

	httpSrv   *http.Server
	baseURL   string
	closed    chan struct{}
	closeOnce sync.Once
}

// New builds a server from cfg. It panics when a seeded record is invalid;
// use Build to get the error instead.
func New(cfg Config) *Server {
	s, err := Build(cfg)
	if err != nil {
		panic(err)
	}
	return s
}

// Build is New returning seed errors instead of panicking.
func Build(cfg Config) (*Server, error) {
	s := &Server{
		zones:   map[string]*zoneState{},
		tokens:  map[string]Token{},
		counts:  map[string]int{},
		latency: cfg.Latency,
		closed:  make(chan struct{}),
	}
	s.limiter.init(cfg.RateLimit)
	for _, z := range cfg.Zones {
		s.AddZone(z)
	}
	for _, t := range cfg.Tokens {
		s.AddToken(t)
	}
	for _, k := range cfg.Keys {
		s.AddKey(k)
	}
	for i, r := range cfg.Records {
		if r.ZoneID == "" {
			r.ZoneID = s.zoneIDForName(r.Name)
		}
		if _, err := s.CreateRecord(r.ZoneID, r); err != nil {
			return nil, fmt.Errorf("seed record %d (%s %s): %w", i, r.Type, r.Name, err)
		}
	}
	return s, nil
}

// Start listens on a free loopback port.
func (s *Server) Start() (string, error) { return s.StartOn("127.0.0.1:0") }

// StartOn listens on addr and serves in the background.
func (s *Server) StartOn(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", err
	}
	srv := &http.Server{Handler: s, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.httpSrv = srv
	s.baseURL = "http://" + ln.Addr().String() + apiPrefix
	url := s.baseURL
	s.mu.Unlock()
	go func() { _ = srv.Serve(ln) }()
	return url, nil
}

// URL is the base URL returned by Start, e.g. http://127.0.0.1:PORT/client/v4.
func (s *Server) URL() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.baseURL
}

// Close stops serving and releases requests held by latency or hang faults.
func (s *Server) Close() {
	s.closeOnce.Do(func() { close(s.closed) })
	s.mu.Lock()
	srv := s.httpSrv
	s.mu.Unlock()
	if srv != nil {
		_ = srv.Close()
	}
}

func (s *Server) SetLatency(d time.Duration) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.latency = d
}

func (s *Server) SetRateLimit(rl RateLimit) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.limiter.init(rl)
}

// AddToken registers a token; ID and Status get defaults when empty.
func (s *Server) AddToken(t Token) Token {
	if t.ID == "" {
		t.ID = newID()
	}
	if t.Status == "" {
		t.Status = "active"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.tokens[t.Value] = t
	return t
}

// AddKey registers a legacy email + global API key pair.
func (s *Server) AddKey(k Key) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.keys = append(s.keys, k)
}

// AddZone registers a zone, filling defaults, and returns it as stored.
func (s *Server) AddZone(z Zone) Zone {
	if z.ID == "" {
		z.ID = newID()
	}
	z.ID = strings.ToLower(z.ID) // must be 32 hex to be routable, as on Cloudflare
	z.NameServers = slices.Clone(z.NameServers)
	if ascii, err := toASCIIName(z.Name); err == nil {
		z.Name = ascii
	}
	if z.Status == "" {
		z.Status = "active"
	}
	if z.AccountID == "" {
		z.AccountID = DefaultAccountID
	}
	if z.AccountName == "" {
		z.AccountName = DefaultAccountName
	}
	if len(z.NameServers) == 0 {
		z.NameServers = append([]string(nil), defaultNameServers...)
	}
	if z.Plan == "" {
		z.Plan = "free"
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if old, ok := s.zones[z.ID]; ok {
		old.Zone = z
		return old.public()
	}
	zs := &zoneState{Zone: z, created: now(), records: map[string]*Record{}}
	s.zones[z.ID] = zs
	s.zoneOrder = append(s.zoneOrder, z.ID)
	return zs.public()
}

// public copies the zone so callers cannot share its slices.
func (z *zoneState) public() Zone {
	out := z.Zone
	out.NameServers = slices.Clone(z.NameServers)
	return out
}

// Zones returns all zones in the order they were added.
func (s *Server) Zones() []Zone {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Zone, 0, len(s.zoneOrder))
	for _, id := range s.zoneOrder {
		out = append(out, s.zones[id].public())
	}
	return out
}

// ZoneByName finds a zone by its name (case-insensitive, Unicode or Punycode).
func (s *Server) ZoneByName(name string) (Zone, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ascii, err := toASCIIName(name); err == nil {
		name = ascii
	}
	for _, id := range s.zoneOrder {
		if s.zones[id].Name == name {
			return s.zones[id].public(), true
		}
	}
	return Zone{}, false
}

// Counts returns requests served per route ("GET /zones", ...).
func (s *Server) Counts() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.counts))
	for k, v := range s.counts {
		out[k] = v
	}
	return out
}

func (s *Server) Count(route string) int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.counts[route]
}

func (s *Server) Total() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.total
}

// Writes counts POST, PUT, PATCH and DELETE requests (batch included).
func (s *Server) Writes() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.writes
}

func (s *Server) ResetCounts() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.counts = map[string]int{}
	s.total, s.writes = 0, 0
}

// InjectFault queues a fault; each request consumes the first matching one.
func (s *Server) InjectFault(f Fault) {
	if f.Times <= 0 {
		f.Times = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = append(s.faults, &f)
}

func (s *Server) ClearFaults() {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.faults = nil
}

// PendingFaults reports how many queued faults still have uses left.
func (s *Server) PendingFaults() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return len(s.faults)
}

// CreateRecord adds a record out of band, with the API's validation. A zero
// TTL means "not given" and becomes 1 (automatic), as when the API body omits it.
func (s *Server) CreateRecord(zoneID string, r Record) (Record, error) {
	if r.TTL == 0 {
		r.TTL = 1
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	z, e := s.zoneForGo(zoneID)
	if e != nil {
		return Record{}, e
	}
	r.ID = ""
	created, e := z.create(r)
	if e != nil {
		return Record{}, e
	}
	return created.clone(), nil
}

// PatchRecord applies fn to a copy of the record, then validates and
// normalises it as the API would (proxied forces ttl 1, and so on).
func (s *Server) PatchRecord(zoneID, recordID string, fn func(*Record)) (Record, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	z, e := s.zoneForGo(zoneID)
	if e != nil {
		return Record{}, e
	}
	old, ok := z.records[recordID]
	if !ok {
		return Record{}, errRecordMissing()
	}
	next := old.clone()
	fn(&next)
	next.ID, next.ZoneID, next.CreatedOn = old.ID, old.ZoneID, old.CreatedOn
	stored, e := z.replace(old, next)
	if e != nil {
		return Record{}, e
	}
	return stored.clone(), nil
}

func (s *Server) DeleteRecord(zoneID, recordID string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	z, e := s.zoneForGo(zoneID)
	if e != nil {
		return e
	}
	if _, ok := z.records[recordID]; !ok {
		return errRecordMissing()
	}
	delete(z.records, recordID)
	return nil
}

// Records returns the zone's records sorted by type, name, content.
func (s *Server) Records(zoneID string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	z, ok := s.zones[zoneID]
	if !ok {
		return nil
	}
	return cloneAll(z.sorted())
}

func (s *Server) Record(zoneID, recordID string) (Record, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	z, ok := s.zones[zoneID]
	if !ok {
		return Record{}, false
	}
	r, ok := z.records[recordID]
	if !ok {
		return Record{}, false
	}
	return r.clone(), true
}

// FindRecords matches name as an FQDN, case-insensitively (relative names and
// "@" are resolved against the zone); typ "" matches any type.
func (s *Server) FindRecords(zoneID, name, typ string) []Record {
	s.mu.Lock()
	defer s.mu.Unlock()
	z, ok := s.zones[zoneID]
	if !ok {
		return nil
	}
	fqdn, e := z.normalizeName(name)
	if e != nil {
		fqdn = strings.TrimSuffix(strings.ToLower(name), ".")
	}
	var out []Record
	for _, r := range z.sorted() {
		if r.Name == fqdn && (typ == "" || strings.EqualFold(r.Type, typ)) {
			out = append(out, r.clone())
		}
	}
	return out
}

// zoneIDForName picks the zone a seed record's FQDN belongs to (the longest
// matching zone name), so seeds may leave out zone_id.
func (s *Server) zoneIDForName(name string) string {
	s.mu.Lock()
	defer s.mu.Unlock()
	name = strings.TrimSuffix(strings.ToLower(name), ".")
	best := ""
	for _, id := range s.zoneOrder {
		z := s.zones[id]
		if (name == z.Name || strings.HasSuffix(name, "."+z.Name)) && (best == "" || len(z.Name) > len(s.zones[best].Name)) {
			best = id
		}
	}
	return best
}

func (s *Server) zoneForGo(zoneID string) (*zoneState, *APIError) {
	z, ok := s.zones[zoneID]
	if !ok {
		return nil, apiErr(http.StatusNotFound, codeNoRoute, "No route for that URI")
	}
	return z, nil
}

func (z *zoneState) sorted() []*Record {
	out := make([]*Record, 0, len(z.records))
	for _, r := range z.records {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return lessByTypeNameContent(out[i], out[j]) })
	return out
}

func lessByTypeNameContent(a, b *Record) bool {
	if a.Type != b.Type {
		return a.Type < b.Type
	}
	if a.Name != b.Name {
		return a.Name < b.Name
	}
	if a.Content != b.Content {
		return a.Content < b.Content
	}
	return a.ID < b.ID
}

func cloneAll(rs []*Record) []Record {
	out := make([]Record, len(rs))
	for i, r := range rs {
		out[i] = r.clone()
	}
	return out
}

// newID returns 32 lowercase hex characters, like Cloudflare identifiers.
func newID() string { return randomHex(16) }

func randomHex(n int) string {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		panic(err)
	}
	return hex.EncodeToString(b)
}

func isID(s string) bool {
	if len(s) != 32 {
		return false
	}
	for _, c := range s {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

// now is truncated to microseconds because that is what the API prints, so a
// record read back from JSON equals the stored one.
func now() time.Time { return time.Now().UTC().Truncate(time.Microsecond) }

// formatTime prints RFC 3339 with microseconds, trailing zeros trimmed, and Z.
func formatTime(t time.Time) string {
	return t.UTC().Format("2006-01-02T15:04:05.999999Z07:00")
}
