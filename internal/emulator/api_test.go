package emulator

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestEnvelopeShapeAndHeaders(t *testing.T) {
	f := newFixture(t)
	f.mustCreate(map[string]any{"type": "A", "name": "www", "content": "192.0.2.1"})
	tests := []struct {
		name, method, path string
		auth               map[string]string
		wantKeys           []string
	}{
		{"single", "GET", "/zones/{zone}", bearerAuth, []string{"result", "success", "errors", "messages"}},
		{"list", "GET", "/zones/{zone}/dns_records", bearerAuth, []string{"result", "success", "errors", "messages", "result_info"}},
		{"error", "GET", "/zones/{zone}/dns_records/0123456789abcdef0123456789abcdef", bearerAuth, []string{"success", "errors", "messages", "result"}},
		{"short auth error", "GET", "/zones", map[string]string{"Authorization": "Bearer nope"}, []string{"success", "errors"}},
	}
	ray := regexp.MustCompile(`^[0-9a-f]{16}-EWR$`)
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.callAs(tc.auth, tc.method, tc.path, nil)
			if got := topLevelKeys(t, res.body); !slices.Equal(got, tc.wantKeys) {
				t.Errorf("keys %v, want %v", got, tc.wantKeys)
			}
			if ct := res.header.Get("Content-Type"); ct != "application/json" {
				t.Errorf("content-type %q", ct)
			}
			if got := res.header.Get("Ratelimit"); got != `"default";r=50;t=30` {
				t.Errorf("Ratelimit %q", got)
			}
			if got := res.header.Get("Ratelimit-Policy"); got != `"burst";q=100;w=60` {
				t.Errorf("Ratelimit-Policy %q", got)
			}
			if !ray.MatchString(res.header.Get("Cf-Ray")) {
				t.Errorf("cf-ray %q", res.header.Get("Cf-Ray"))
			}
			if res.header.Get("Retry-After") != "" {
				t.Error("Retry-After outside 429")
			}
		})
	}
	res := f.call("GET", "/zones/{zone}/dns_records", nil)
	if !strings.HasSuffix(string(res.body), `"result_info":{"page":1,"per_page":100,"count":1,"total_count":1,"total_pages":1}}`) {
		t.Errorf("result_info tail: %s", res.body)
	}
	rec := res.records(t)[0]
	raw, _ := json.Marshal(rec)
	wantOrder := []string{"id", "name", "type", "content", "proxiable", "proxied", "ttl", "settings", "meta", "comment", "tags", "created_on", "modified_on"}
	if got := topLevelKeys(t, raw); !slices.Equal(got, wantOrder) {
		t.Errorf("record keys %v, want %v", got, wantOrder)
	}
	if !regexp.MustCompile(`"created_on":"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{0,5}[1-9])?Z"`).Match(raw) {
		t.Errorf("created_on not RFC 3339 with trimmed microseconds: %s", raw)
	}
}

func TestFormatTime(t *testing.T) {
	base := time.Date(2025, 10, 25, 12, 48, 34, 0, time.UTC)
	for _, tc := range []struct {
		nanos int
		want  string
	}{
		{179770000, "2025-10-25T12:48:34.17977Z"},
		{0, "2025-10-25T12:48:34Z"},
		{123456000, "2025-10-25T12:48:34.123456Z"},
		{500000000, "2025-10-25T12:48:34.5Z"},
	} {
		if got := formatTime(base.Add(time.Duration(tc.nanos))); got != tc.want {
			t.Errorf("formatTime(+%dns) = %s, want %s", tc.nanos, got, tc.want)
		}
	}
}

func TestAuthentication(t *testing.T) {
	const acct = "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
	var zoneB Zone
	f := newFixture(t, func(c *Config) {
		zoneB = Zone{ID: "bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb", Name: "other.org"}
		c.Zones = append(c.Zones, zoneB)
		c.Tokens = append(c.Tokens,
			Token{Value: "disabled", Status: "disabled"},
			Token{Value: "expired", Status: "expired"},
			Token{Value: "account", AccountID: acct},
			Token{Value: "scoped", ZoneIDs: []string{zoneB.ID}},
			Token{Value: "readonly", ReadOnly: true})
	})
	bearer := func(tok string) map[string]string { return map[string]string{"Authorization": "Bearer " + tok} }
	key := map[string]string{"X-Auth-Email": testEmail, "X-Auth-Key": testKey}
	aRecord := map[string]any{"type": "A", "name": "ro", "content": "192.0.2.9"}
	tests := []struct {
		name         string
		auth         map[string]string
		method, path string
		body         any
		status, code int
		message      string
		chain        int
	}{
		{"no credentials", nil, "GET", "/zones", nil, 400, 9106, "Missing X-Auth-Key, X-Auth-Email or Authorization headers", 0},
		{"malformed authorization", map[string]string{"Authorization": "Basic dXNlcg=="}, "GET", "/zones", nil, 400, 6003, "Invalid request headers", 6111},
		{"bearer without token", map[string]string{"Authorization": "Bearer"}, "GET", "/zones", nil, 400, 6003, "Invalid request headers", 6111},
		{"unknown token", bearer("nope"), "GET", "/zones", nil, 403, 9109, "Invalid access token", 0},
		{"unknown token verify", bearer("nope"), "GET", "/user/tokens/verify", nil, 401, 1000, "Invalid API Token", 0},
		{"disabled token", bearer("disabled"), "GET", "/zones", nil, 403, 9109, "Invalid access token", 0},
		{"expired token", bearer("expired"), "GET", "/zones/{zone}/dns_records", nil, 403, 9109, "Invalid access token", 0},
		{"account token on user verify", bearer("account"), "GET", "/user/tokens/verify", nil, 401, 1000, "Invalid API Token", 0},
		{"account token on other account", bearer("account"), "GET", "/accounts/" + DefaultAccountID + "/tokens/verify", nil, 401, 1000, "Invalid API Token", 0},
		{"user token on account verify", bearer(testToken), "GET", "/accounts/" + acct + "/tokens/verify", nil, 401, 1000, "Invalid API Token", 0},
		{"key auth on verify", key, "GET", "/user/tokens/verify", nil, 400, 1001, `Missing "Authorization" header`, 0},
		{"bad key", map[string]string{"X-Auth-Email": testEmail, "X-Auth-Key": "wrong"}, "GET", "/zones", nil, 403, 9103, "Unknown X-Auth-Key or X-Auth-Email", 0},
		{"key without email", map[string]string{"X-Auth-Key": testKey}, "GET", "/zones", nil, 400, 6003, "Invalid request headers", 6102},
		{"email without key", map[string]string{"X-Auth-Email": testEmail}, "GET", "/zones", nil, 400, 6003, "Invalid request headers", 6103},
		{"scoped token, other zone", bearer("scoped"), "GET", "/zones/{zone}", nil, 403, 10000, "Authentication error", 0},
		{"scoped token, other zone records", bearer("scoped"), "GET", "/zones/{zone}/dns_records", nil, 403, 10000, "Authentication error", 0},
		{"read-only token writes", bearer("readonly"), "POST", "/zones/{zone}/dns_records", aRecord, 403, 10000, "Authentication error", 0},
		{"read-only token deletes", bearer("readonly"), "DELETE", "/zones/{zone}/dns_records/0123456789abcdef0123456789abcdef", nil, 403, 10000, "Authentication error", 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.callAs(tc.auth, tc.method, tc.path, tc.body)
			expectError(t, res, tc.status, tc.code, tc.message)
			if tc.chain != 0 && (len(res.env.Errors[0].ErrorChain) != 1 || res.env.Errors[0].ErrorChain[0].Code != tc.chain) {
				t.Errorf("error_chain %+v, want code %d", res.env.Errors[0].ErrorChain, tc.chain)
			}
		})
	}

	verifyTests := []struct {
		name, tok, path, status string
		messages                int
	}{
		{"active user token", testToken, "/user/tokens/verify", "active", 1},
		{"disabled token", "disabled", "/user/tokens/verify", "disabled", 0},
		{"expired token", "expired", "/user/tokens/verify", "expired", 0},
		{"account token", "account", "/accounts/" + acct + "/tokens/verify", "active", 1},
	}
	for _, tc := range verifyTests {
		t.Run("verify "+tc.name, func(t *testing.T) {
			res := f.callAs(bearer(tc.tok), "GET", tc.path, nil)
			expectOK(t, res)
			var got struct{ ID, Status string }
			_ = json.Unmarshal(res.env.Result, &got)
			if got.Status != tc.status || !isID(got.ID) || len(res.env.Messages) != tc.messages {
				t.Errorf("verify result %s", res.body)
			}
			if tc.messages == 1 && (res.env.Messages[0].Code != 10000 || res.env.Messages[0].Message != "This API Token is valid and active") {
				t.Errorf("messages %s", res.body)
			}
		})
	}

	t.Run("key auth works", func(t *testing.T) {
		expectOK(t, f.callAs(key, "GET", "/zones", nil))
		res := f.callAs(key, "POST", "/zones/{zone}/dns_records", aRecord)
		expectOK(t, res)
	})
	t.Run("GET /user", func(t *testing.T) {
		for _, auth := range []map[string]string{key, bearer(testToken)} {
			res := f.callAs(auth, "GET", "/user", nil)
			expectOK(t, res)
			var u struct{ ID, Email string }
			_ = json.Unmarshal(res.env.Result, &u)
			if u.Email != testEmail || !isID(u.ID) {
				t.Errorf("user %s", res.body)
			}
		}
	})
	t.Run("scoped token sees only its zones", func(t *testing.T) {
		res := f.callAs(bearer("scoped"), "GET", "/zones", nil)
		expectOK(t, res)
		var zones []struct{ ID string }
		_ = json.Unmarshal(res.env.Result, &zones)
		if len(zones) != 1 || zones[0].ID != zoneB.ID || res.env.ResultInfo.TotalCount != 1 {
			t.Errorf("zones %s", res.body)
		}
		expectOK(t, f.callAs(bearer("scoped"), "GET", "/zones/"+zoneB.ID+"/dns_records", nil))
	})
	t.Run("read-only token reads", func(t *testing.T) {
		expectOK(t, f.callAs(bearer("readonly"), "GET", "/zones/{zone}/dns_records", nil))
	})
}

func TestRoutingErrors(t *testing.T) {
	f := newFixture(t)
	unknownID := "0123456789abcdef0123456789abcdef"
	tests := []struct {
		name, method, path string
		body               any
		status, code       int
		message            string
	}{
		{"malformed zone id", "GET", "/zones/not-an-id/dns_records", nil, 400, 7003, "Could not route to /client/v4/zones/not-an-id/dns_records, perhaps your object identifier is invalid?"},
		{"upper-case zone id", "GET", "/zones/" + strings.ToUpper(unknownID), nil, 400, 7003, ""},
		{"unknown zone id", "GET", "/zones/" + unknownID + "/dns_records", nil, 400, 7003, "Could not route to /client/v4/zones/" + unknownID + "/dns_records, perhaps your object identifier is invalid?"},
		{"malformed record id", "GET", "/zones/{zone}/dns_records/xyz", nil, 400, 7003, ""},
		{"unknown record GET", "GET", "/zones/{zone}/dns_records/" + unknownID, nil, 404, 81044, "Record does not exist."},
		{"unknown record PUT", "PUT", "/zones/{zone}/dns_records/" + unknownID, map[string]any{"type": "A", "name": "x", "content": "192.0.2.1"}, 404, 81044, "Record does not exist."},
		{"unknown record PATCH", "PATCH", "/zones/{zone}/dns_records/" + unknownID, map[string]any{"ttl": 120}, 404, 81044, "Record does not exist."},
		{"unknown record DELETE", "DELETE", "/zones/{zone}/dns_records/" + unknownID, nil, 404, 81044, "Record does not exist."},
		{"unknown path", "GET", "/nothing/here", nil, 400, 7000, "No route for that URI"},
		{"wrong method", "DELETE", "/zones", nil, 405, 7001, ""},
		{"bad JSON body", "POST", "/zones/{zone}/dns_records", "{not json", 400, 9207, ""},
		{"wrong field type", "POST", "/zones/{zone}/dns_records", `{"type":"A","name":"x","content":"192.0.2.1","ttl":"auto"}`, 400, 9207, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call(tc.method, tc.path, tc.body)
			expectError(t, res, tc.status, tc.code, tc.message)
			if tc.code == 7003 && (len(res.env.Errors) != 2 || res.env.Errors[1].Code != 7000 || res.env.Errors[1].Message != "No route for that URI") {
				t.Errorf("want 7003 followed by 7000: %s", res.body)
			}
		})
	}
}

func TestZones(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Zones = []Zone{
			{Name: "example.com"},
			{Name: "Dev.Example.ORG", Status: "pending"},
			{Name: "bücher.de", Plan: "enterprise", AccountID: "cccccccccccccccccccccccccccccccc", AccountName: "Other"},
			{Name: "2.0.192.in-addr.arpa"},
		}
	})
	names := func(res response) []string {
		var zs []struct{ Name string }
		if err := json.Unmarshal(res.env.Result, &zs); err != nil {
			t.Fatalf("%s: %v", res.body, err)
		}
		var out []string
		for _, z := range zs {
			out = append(out, z.Name)
		}
		return out
	}
	tests := []struct{ query, want string }{
		{"", "2.0.192.in-addr.arpa,dev.example.org,example.com,xn--bcher-kva.de"},
		{"?name=EXAMPLE.com", "example.com"},
		{"?name=bücher.de", "xn--bcher-kva.de"},
		{"?name=contains:example", "dev.example.org,example.com"},
		{"?name=starts_with:dev", "dev.example.org"},
		{"?name=ends_with:arpa", "2.0.192.in-addr.arpa"},
		{"?name=not_equal:example.com", "2.0.192.in-addr.arpa,dev.example.org,xn--bcher-kva.de"},
		{"?status=pending", "dev.example.org"},
		{"?account.id=cccccccccccccccccccccccccccccccc", "xn--bcher-kva.de"},
		{"?name=example.com&status=pending", ""},
		{"?name=example.com&status=pending&match=any", "dev.example.org,example.com"},
		{"?order=name&direction=desc&per_page=5", "xn--bcher-kva.de,example.com,dev.example.org,2.0.192.in-addr.arpa"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res := f.call("GET", "/zones"+tc.query, nil)
			expectOK(t, res)
			if got := strings.Join(names(res), ","); got != tc.want {
				t.Errorf("got %s, want %s", got, tc.want)
			}
		})
	}
	t.Run("zone object", func(t *testing.T) {
		z, _ := f.s.ZoneByName("bücher.de")
		res := f.call("GET", "/zones/"+z.ID, nil)
		expectOK(t, res)
		var got map[string]any
		_ = json.Unmarshal(res.env.Result, &got)
		meta, _ := got["meta"].(map[string]any)
		plan, _ := got["plan"].(map[string]any)
		account, _ := got["account"].(map[string]any)
		if got["id"] != z.ID || got["status"] != "active" || plan["legacy_id"] != "enterprise" || account["name"] != "Other" {
			t.Errorf("zone %s", res.body)
		}
		if !strings.Contains(string(res.env.Result), `"page_rule_quota":125`) || meta["custom_certificate_quota"] != 0.0 {
			t.Errorf("meta quotas must be ints: %s", res.body)
		}
		ns, _ := got["name_servers"].([]any)
		if len(ns) != 2 {
			t.Errorf("name servers %v", ns)
		} else if first, _ := ns[0].(string); !strings.HasSuffix(first, ".ns.cloudflare.com") {
			t.Errorf("name servers %v", ns)
		}
	})
}

func TestPagination(t *testing.T) {
	f := newFixture(t)
	for i := range 7 {
		f.mustCreate(map[string]any{"type": "A", "name": fmt.Sprintf("h%d", i), "content": "192.0.2.1"})
	}
	tests := []struct {
		name, path string
		want       resultInfo
		status     int
	}{
		{"records page 1", "/zones/{zone}/dns_records?per_page=3", resultInfo{1, 3, 3, 7, 3}, 200},
		{"records page 3", "/zones/{zone}/dns_records?per_page=3&page=3", resultInfo{3, 3, 1, 7, 3}, 200},
		{"records past the end", "/zones/{zone}/dns_records?per_page=3&page=4", resultInfo{4, 3, 0, 7, 3}, 200},
		{"records default", "/zones/{zone}/dns_records", resultInfo{1, 100, 7, 7, 1}, 200},
		{"records empty", "/zones/{zone}/dns_records?type=MX", resultInfo{1, 100, 0, 0, 1}, 200},
		{"records per_page float", "/zones/{zone}/dns_records?per_page=5.0", resultInfo{1, 5, 5, 7, 2}, 200},
		{"records per_page 0", "/zones/{zone}/dns_records?per_page=0", resultInfo{}, 400},
		{"records per_page too big", "/zones/{zone}/dns_records?per_page=5000001", resultInfo{}, 400},
		{"records page 0", "/zones/{zone}/dns_records?page=0", resultInfo{}, 400},
		{"zones default", "/zones", resultInfo{1, 20, 1, 1, 1}, 200},
		{"zones empty", "/zones?name=nothing.test", resultInfo{1, 20, 0, 0, 0}, 200},
		{"zones per_page 5", "/zones?per_page=5", resultInfo{1, 5, 1, 1, 1}, 200},
		{"zones per_page 50", "/zones?per_page=50", resultInfo{1, 50, 1, 1, 1}, 200},
		{"zones per_page 4", "/zones?per_page=4", resultInfo{}, 400},
		{"zones per_page 51", "/zones?per_page=51", resultInfo{}, 400},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			res := f.call("GET", tc.path, nil)
			if tc.status != 200 {
				expectError(t, res, tc.status, codeBadQuery, "")
				return
			}
			expectOK(t, res)
			if *res.env.ResultInfo != tc.want {
				t.Errorf("result_info %+v, want %+v", *res.env.ResultInfo, tc.want)
			}
			if tc.want.Count == 0 && string(res.env.Result) != "[]" {
				t.Errorf("empty result %s, want []", res.env.Result)
			}
		})
	}
	t.Run("pages cover every record once", func(t *testing.T) {
		seen := map[string]bool{}
		for page := 1; page <= 3; page++ {
			for _, r := range f.call("GET", fmt.Sprintf("/zones/{zone}/dns_records?per_page=3&page=%d", page), nil).records(t) {
				seen[r.ID] = true
			}
		}
		if len(seen) != 7 {
			t.Errorf("saw %d records", len(seen))
		}
	})
}

func TestRateLimit(t *testing.T) {
	f := newFixture(t, func(c *Config) { c.Tokens = append(c.Tokens, Token{Value: "other"}) })
	f.s.SetRateLimit(RateLimit{Requests: 3, Window: time.Minute, Block: 2 * time.Minute})
	for i := range 3 {
		res := f.call("GET", "/zones", nil)
		expectOK(t, res)
		if want := fmt.Sprintf(`"default";r=%d;t=60`, 2-i); res.header.Get("Ratelimit") != want {
			t.Errorf("Ratelimit %q, want %q", res.header.Get("Ratelimit"), want)
		}
		if got := res.header.Get("Ratelimit-Policy"); got != `"default";q=3;w=60` {
			t.Errorf("Ratelimit-Policy %q", got)
		}
	}
	for range 2 {
		res := f.call("GET", "/zones", nil)
		expectError(t, res, 429, 971, "Please wait and consider throttling your request speed")
		if got := res.header.Get("Retry-After"); got != "120" {
			t.Errorf("Retry-After %q, want 120", got)
		}
	}
	expectOK(t, f.callAs(map[string]string{"Authorization": "Bearer other"}, "GET", "/zones", nil))
	if got := f.s.Count("GET /zones"); got != 6 {
		t.Errorf("count %d, want 6 (rejected requests count too)", got)
	}

	t.Run("no block: wait for the window", func(t *testing.T) {
		f.s.SetRateLimit(RateLimit{Requests: 2, Window: 10 * time.Second})
		f.call("GET", "/zones", nil)
		f.call("GET", "/zones", nil)
		res := f.call("GET", "/zones", nil)
		expectError(t, res, 429, 971, "")
		if ra := res.header.Get("Retry-After"); ra != "10" && ra != "9" {
			t.Errorf("Retry-After %q, want about 10", ra)
		}
	})
	t.Run("window slides", func(t *testing.T) {
		f.s.SetRateLimit(RateLimit{Requests: 1, Window: 150 * time.Millisecond})
		expectOK(t, f.call("GET", "/zones", nil))
		expectError(t, f.call("GET", "/zones", nil), 429, 971, "")
		time.Sleep(200 * time.Millisecond)
		expectOK(t, f.call("GET", "/zones", nil))
	})
	t.Run("off", func(t *testing.T) {
		f.s.SetRateLimit(RateLimit{})
		for range 5 {
			expectOK(t, f.call("GET", "/zones", nil))
		}
	})
}

func TestFaults(t *testing.T) {
	post := "POST /zones/{zone_id}/dns_records"
	body := map[string]any{"type": "A", "name": "www", "content": "192.0.2.1"}
	tests := []struct {
		name      string
		fault     Fault
		timeout   time.Duration
		transport bool // want a transport error
		status    int
		code      int
		created   bool
		check     func(t *testing.T, res response)
	}{
		{name: "status", fault: Fault{Route: post, Kind: FaultStatus, Status: 503, Code: 10001, Message: "busy"}, status: 503, code: 10001},
		{name: "status 429 with Retry-After", fault: Fault{Kind: FaultStatus, Status: 429, RetryAfter: "7"}, status: 429, code: 971,
			check: func(t *testing.T, res response) {
				if res.header.Get("Retry-After") != "7" {
					t.Errorf("Retry-After %q", res.header.Get("Retry-After"))
				}
			}},
		{name: "non-JSON", fault: Fault{Method: "POST", Kind: FaultNonJSON}, status: 502,
			check: func(t *testing.T, res response) {
				if res.header.Get("Content-Type") != "text/html" || !strings.HasPrefix(string(res.body), "<html>") {
					t.Errorf("got %q %s", res.header.Get("Content-Type"), res.body)
				}
			}},
		{name: "success false", fault: Fault{Route: post, Kind: FaultSuccessFalse, Code: 1234, Message: "nope"}, status: 200, code: 1234},
		{name: "empty errors", fault: Fault{Route: post, Kind: FaultEmptyErrors}, status: 500,
			check: func(t *testing.T, res response) {
				if res.env.Success || res.env.Errors == nil || len(res.env.Errors) != 0 {
					t.Errorf("body %s", res.body)
				}
			}},
		{name: "reset before", fault: Fault{Route: post, Kind: FaultResetBefore}, transport: true},
		{name: "drop after commit", fault: Fault{Route: post, Kind: FaultDropAfterCommit}, transport: true, created: true},
		{name: "hang until client gives up", fault: Fault{Route: post, Kind: FaultHang}, timeout: 100 * time.Millisecond, transport: true},
		{name: "hang for a while", fault: Fault{Route: post, Kind: FaultHang, HangFor: 50 * time.Millisecond}, status: 200, created: true},
		{name: "other route unaffected", fault: Fault{Route: "GET /zones", Kind: FaultStatus, Status: 500}, status: 200, created: true},
		{name: "bare pattern route", fault: Fault{Route: "/zones/{zone_id}/dns_records", Method: "POST", Kind: FaultStatus, Status: 502}, status: 502, code: codeFaultDefault},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			f.s.InjectFault(tc.fault)
			if tc.timeout > 0 {
				f.client.Timeout = tc.timeout
			}
			start := time.Now()
			res := f.call("POST", "/zones/{zone}/dns_records", body)
			if tc.transport != (res.err != nil) {
				t.Fatalf("transport error %v, want error %v (HTTP %d %s)", res.err, tc.transport, res.status, res.body)
			}
			if !tc.transport && (res.status != tc.status || res.code() != tc.code) {
				t.Fatalf("got %d/%d, want %d/%d: %s", res.status, res.code(), tc.status, tc.code, res.body)
			}
			if tc.check != nil {
				tc.check(t, res)
			}
			if tc.fault.HangFor > 0 && time.Since(start) < tc.fault.HangFor {
				t.Errorf("answered after %v, before HangFor", time.Since(start))
			}
			time.Sleep(20 * time.Millisecond) // let an abandoned handler finish
			if got := len(f.s.Records(f.zone.ID)); (got == 1) != tc.created {
				t.Errorf("records %d, want created=%v", got, tc.created)
			}
			if f.s.Count(post) != 1 {
				t.Errorf("count %d, want 1", f.s.Count(post))
			}
			if tc.name != "other route unaffected" && f.s.PendingFaults() != 0 {
				t.Errorf("fault not consumed")
			}
		})
	}

	t.Run("times and FIFO", func(t *testing.T) {
		f := newFixture(t)
		f.s.InjectFault(Fault{Kind: FaultStatus, Status: 500, Times: 2})
		f.s.InjectFault(Fault{Kind: FaultStatus, Status: 503})
		var got []int
		for range 4 {
			got = append(got, f.call("GET", "/zones", nil).status)
		}
		if !slices.Equal(got, []int{500, 500, 503, 200}) {
			t.Errorf("statuses %v", got)
		}
	})
	t.Run("clear", func(t *testing.T) {
		f := newFixture(t)
		f.s.InjectFault(Fault{Kind: FaultStatus, Status: 500, Times: 5})
		f.s.ClearFaults()
		expectOK(t, f.call("GET", "/zones", nil))
	})
	t.Run("control endpoint", func(t *testing.T) {
		f := newFixture(t)
		base := strings.TrimSuffix(f.url, apiPrefix)
		res, err := f.client.Post(base+"/__emulator/faults", "application/json", strings.NewReader(`{"kind":"status","status":418,"code":4180}`))
		if err != nil || res.StatusCode != 200 {
			t.Fatalf("inject: %v %v", err, res)
		}
		res.Body.Close()
		expectError(t, f.call("GET", "/zones", nil), 418, 4180, "")
	})
}

func TestCounters(t *testing.T) {
	f := newFixture(t)
	rec := f.mustCreate(map[string]any{"type": "A", "name": "www", "content": "192.0.2.1"})
	f.call("GET", "/zones", nil)
	f.call("GET", "/zones/{zone}", nil)
	f.call("GET", "/zones/{zone}/dns_records", nil)
	f.call("GET", "/zones/{zone}/dns_records/"+rec.ID, nil)
	f.call("PUT", "/zones/{zone}/dns_records/"+rec.ID, map[string]any{"type": "A", "name": "www", "content": "192.0.2.2"})
	f.call("PATCH", "/zones/{zone}/dns_records/"+rec.ID, map[string]any{"ttl": 300})
	f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{})
	f.call("DELETE", "/zones/{zone}/dns_records/"+rec.ID, nil)
	f.call("DELETE", "/zones/{zone}/dns_records/"+rec.ID, nil) // 404 still counts
	f.call("GET", "/user/tokens/verify", nil)
	f.call("GET", "/accounts/"+DefaultAccountID+"/tokens/verify", nil)
	f.callAs(nil, "GET", "/user", nil) // 400 still counts
	want := map[string]int{
		"POST /zones/{zone_id}/dns_records":                   1,
		"GET /zones":                                          1,
		"GET /zones/{zone_id}":                                1,
		"GET /zones/{zone_id}/dns_records":                    1,
		"GET /zones/{zone_id}/dns_records/{dns_record_id}":    1,
		"PUT /zones/{zone_id}/dns_records/{dns_record_id}":    1,
		"PATCH /zones/{zone_id}/dns_records/{dns_record_id}":  1,
		"POST /zones/{zone_id}/dns_records/batch":             1,
		"DELETE /zones/{zone_id}/dns_records/{dns_record_id}": 2,
		"GET /user/tokens/verify":                             1,
		"GET /accounts/{account_id}/tokens/verify":            1,
		"GET /user": 1,
	}
	got := f.s.Counts()
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("counts\n got %v\nwant %v", got, want)
	}
	if f.s.Total() != 13 || f.s.Writes() != 6 {
		t.Errorf("total %d writes %d, want 13 and 6", f.s.Total(), f.s.Writes())
	}
	if f.s.Count("GET /zones") != 1 {
		t.Error("Count")
	}

	base := strings.TrimSuffix(f.url, apiPrefix)
	res, err := f.client.Get(base + "/__emulator/counts")
	if err != nil {
		t.Fatal(err)
	}
	var control map[string]int
	_ = json.NewDecoder(res.Body).Decode(&control)
	res.Body.Close()
	if control["total"] != 13 || control["GET /zones"] != 1 {
		t.Errorf("control counts %v", control)
	}
	if f.s.Total() != 13 {
		t.Error("control requests must not count")
	}
	res, err = f.client.Post(base+"/__emulator/reset-counts", "", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if f.s.Total() != 0 || f.s.Writes() != 0 || len(f.s.Counts()) != 0 {
		t.Error("reset-counts did not reset")
	}
	f.call("GET", "/zones", nil)
	f.s.ResetCounts()
	if f.s.Total() != 0 {
		t.Error("ResetCounts")
	}
}

func TestLatency(t *testing.T) {
	f := newFixture(t)
	f.s.SetLatency(80 * time.Millisecond)
	start := time.Now()
	expectOK(t, f.call("GET", "/zones", nil))
	if d := time.Since(start); d < 80*time.Millisecond {
		t.Errorf("answered after %v", d)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ := http.NewRequestWithContext(ctx, "POST", f.url+"/zones/"+f.zone.ID+"/dns_records",
		strings.NewReader(`{"type":"A","name":"www","content":"192.0.2.1"}`))
	req.Header.Set("Authorization", "Bearer "+testToken)
	if _, err := f.client.Do(req); err == nil {
		t.Fatal("want a timeout")
	}
	time.Sleep(120 * time.Millisecond)
	if n := len(f.s.Records(f.zone.ID)); n != 0 {
		t.Errorf("a cancelled request was processed (%d records)", n)
	}

	f.s.SetLatency(time.Hour)
	done := make(chan struct{})
	go func() { f.call("GET", "/zones", nil); close(done) }()
	time.Sleep(20 * time.Millisecond)
	f.s.Close()
	select {
	case <-done:
	case <-time.After(5 * time.Second):
		t.Fatal("Close did not release a waiting request")
	}
}
