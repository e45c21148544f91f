package emulator

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"
)

const (
	testToken = "test-token"
	testEmail = "admin@example.com"
	testKey   = "0123456789abcdef0123456789abcdef01234"
)

type fixture struct {
	t      *testing.T
	s      *Server
	url    string
	zone   Zone
	client *http.Client
}

// newFixture starts an emulator with one zone (example.com), one token and
// one key; mods adjust the config first.
func newFixture(t *testing.T, mods ...func(*Config)) *fixture {
	t.Helper()
	cfg := Config{
		Zones:  []Zone{{Name: "example.com"}},
		Tokens: []Token{{Value: testToken}},
		Keys:   []Key{{Email: testEmail, Key: testKey}},
	}
	for _, m := range mods {
		m(&cfg)
	}
	s := New(cfg)
	url, err := s.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(s.Close)
	f := &fixture{t: t, s: s, url: url,
		// No keep-alive: a dropped reused connection would make Go's transport
		// retry idempotent requests behind the test's back.
		client: &http.Client{Transport: &http.Transport{DisableKeepAlives: true}, Timeout: 10 * time.Second}}
	if zs := s.Zones(); len(zs) > 0 {
		f.zone = zs[0]
	}
	return f
}

type errorJSON struct {
	Code       int         `json:"code"`
	Message    string      `json:"message"`
	ErrorChain []errorJSON `json:"error_chain"`
}

type envelopeJSON struct {
	Result     json.RawMessage `json:"result"`
	Success    bool            `json:"success"`
	Errors     []errorJSON     `json:"errors"`
	Messages   []errorJSON     `json:"messages"`
	ResultInfo *resultInfo     `json:"result_info"`
}

type response struct {
	status int
	header http.Header
	body   []byte
	env    envelopeJSON
	err    error // transport error
}

func (r response) code() int {
	if len(r.env.Errors) == 0 {
		return 0
	}
	return r.env.Errors[0].Code
}

func (r response) record(t *testing.T) Record {
	t.Helper()
	var rec Record
	if err := json.Unmarshal(r.env.Result, &rec); err != nil {
		t.Fatalf("decode record from %s: %v", r.body, err)
	}
	return rec
}

func (r response) records(t *testing.T) []Record {
	t.Helper()
	var recs []Record
	if err := json.Unmarshal(r.env.Result, &recs); err != nil {
		t.Fatalf("decode records from %s: %v", r.body, err)
	}
	return recs
}

var bearerAuth = map[string]string{"Authorization": "Bearer " + testToken}

// call sends a request with the test token; path is relative to /client/v4
// and "{zone}" is replaced by the fixture zone's id.
func (f *fixture) call(method, path string, body any) response {
	return f.callAs(bearerAuth, method, path, body)
}

func (f *fixture) callAs(headers map[string]string, method, path string, body any) response {
	f.t.Helper()
	var rd io.Reader
	switch b := body.(type) {
	case nil:
	case string:
		rd = strings.NewReader(b)
	default:
		data, err := json.Marshal(b)
		if err != nil {
			f.t.Fatal(err)
		}
		rd = bytes.NewReader(data)
	}
	req, err := http.NewRequest(method, f.url+strings.ReplaceAll(path, "{zone}", f.zone.ID), rd)
	if err != nil {
		f.t.Fatal(err)
	}
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	res, err := f.client.Do(req)
	if err != nil {
		return response{err: err}
	}
	defer res.Body.Close()
	out := response{status: res.StatusCode, header: res.Header}
	out.body, _ = io.ReadAll(res.Body)
	if strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
		if err := json.Unmarshal(out.body, &out.env); err != nil {
			f.t.Fatalf("%s %s: bad JSON %q: %v", method, path, out.body, err)
		}
	}
	return out
}

// mustCreate adds a record through the API and fails the test on error.
func (f *fixture) mustCreate(body map[string]any) Record {
	f.t.Helper()
	res := f.call("POST", "/zones/{zone}/dns_records", body)
	if res.status != 200 {
		f.t.Fatalf("create %v: %d %s", body, res.status, res.body)
	}
	return res.record(f.t)
}

func expectError(t *testing.T, res response, status, code int, message string) {
	t.Helper()
	if res.err != nil {
		t.Fatalf("transport error: %v", res.err)
	}
	if res.status != status || res.code() != code || res.env.Success {
		t.Fatalf("got HTTP %d code %d (success %v), want HTTP %d code %d; body %s", res.status, res.code(), res.env.Success, status, code, res.body)
	}
	if message != "" && res.env.Errors[0].Message != message {
		t.Fatalf("message %q, want %q", res.env.Errors[0].Message, message)
	}
}

func expectOK(t *testing.T, res response) {
	t.Helper()
	if res.err != nil {
		t.Fatalf("transport error: %v", res.err)
	}
	if res.status != 200 || !res.env.Success {
		t.Fatalf("got HTTP %d, body %s", res.status, res.body)
	}
}

// topLevelKeys lists a JSON object's keys in order.
func topLevelKeys(t *testing.T, data []byte) []string {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(data))
	if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
		t.Fatalf("not an object: %s", data)
	}
	var keys []string
	for dec.More() {
		tok, err := dec.Token()
		if err != nil {
			t.Fatal(err)
		}
		key, _ := tok.(string)
		keys = append(keys, key)
		var skip json.RawMessage
		if err := dec.Decode(&skip); err != nil {
			t.Fatal(err)
		}
	}
	return keys
}

func ptr[T any](v T) *T { return &v }
