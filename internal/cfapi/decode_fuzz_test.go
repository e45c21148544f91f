package cfapi

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"mime"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"
	"unicode/utf8"
)

// FuzzDecode feeds the error decoder any answer: status, Content-Type and
// body. Properties:
//
//   - normaliseResponse never panics;
//   - a success answer (status below 400 with a JSON envelope that does not
//     say success:false) reaches the client library untouched: same status,
//     same bytes;
//   - an error answer (status 400 or more, a JSON envelope with
//     success:false, or a body that is not Cloudflare JSON, such as a
//     proxy's page) makes the client return an error whose message names the
//     HTTP status Cloudflare answered with, in valid UTF-8 (Terraform's
//     protocol refuses anything else, and the user would see a plugin
//     failure instead of the message).
//
// Run it with `make fuzz`, or alone:
//
//	go test -run '^$' -fuzz '^FuzzDecode$' -fuzztime 20s ./internal/cfapi
func FuzzDecode(f *testing.F) {
	seeds := []struct {
		status      int
		contentType string
		body        string
	}{
		{200, "application/json", `{"result":{"id":"0123456789abcdef0123456789abcdef","status":"active"},"success":true,"errors":[],"messages":[]}`},
		{200, "application/json; charset=utf-8", `{"result":null,"success":false,"errors":[{"code":1234,"message":"odd"}],"messages":[]}`},
		{200, "application/json", `{"result":null,"success":false,"errors":[],"messages":[]}`},
		{200, "application/json", `{"success":false}`},
		{201, "application/json", `{"result":{},"success":true,"errors":[],"messages":[]}`},
		{301, "application/json", `{"success":false,"errors":[{"code":1,"message":"moved"}]}`},
		{400, "application/json", `{"success":false,"errors":[{"code":1004,"message":"DNS Validation Error","error_chain":[{"code":9005,"message":"Content for A record must be a valid IPv4 address."}]}],"messages":[],"result":null}`},
		{401, "application/json", `{"success":false,"errors":[{"code":1000,"message":"Invalid API Token"}],"messages":[],"result":null}`},
		{403, "application/json", `{"success":false,"errors":[{"code":10000,"message":"Authentication error"}]}`},
		{404, "application/json", `{"success":false,"errors":[{"code":81044,"message":"Record does not exist."}],"messages":[],"result":null}`},
		{429, "application/json", `{"success":false,"errors":[{"code":971,"message":"Please wait and consider throttling your request speed"}],"messages":[],"result":null}`},
		{500, "application/json", `{"success":false,"errors":[],"messages":[],"result":null}`},
		{500, "application/json", `null`},
		{500, "application/json", `[1,2,3]`},
		{500, "application/json", `{"errors":{"code":1}}`},
		{500, "application/problem+json", `{"title":"boom"}`},
		{502, "text/html", "<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body><center><h1>502 Bad Gateway</h1></center><hr><center>cloudflare</center></body></html>"},
		{503, "text/plain", "upstream connect error or disconnect/reset before headers"},
		{504, "", ""},
		{520, "text/html; charset=iso-8859-1", "Erreur \xe9trange \xff\xfe"},
		{500, "text/html", strings.Repeat("é", 200)},
		{418, "application/json", "\xef\xbb\xbf{\"success\":false,\"errors\":[{\"code\":1,\"message\":\"bom\"}]}"},
		{-7, "application/json", `{"success":true}`},
		{204, "", ""},
		{500, "application/json", `{"success":false,"errors":[{"code":1,"message":"a\u0000b"}]}`},
	}
	for _, s := range seeds {
		f.Add(s.status, s.contentType, []byte(s.body))
	}

	// One server per fuzzing process answers whatever the current input says.
	var (
		mu      sync.Mutex
		current answer
	)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, _ *http.Request) {
		mu.Lock()
		a := current
		mu.Unlock()
		if a.contentType == "" {
			w.Header()["Content-Type"] = nil // no sniffing: no header at all
		} else {
			w.Header().Set("Content-Type", a.contentType)
		}
		w.WriteHeader(a.status)
		_, _ = w.Write(a.body)
	}))
	f.Cleanup(srv.Close)
	client, err := New(Config{BaseURL: srv.URL + "/client/v4", APIToken: "fuzz-token", RPS: 1e9, MaxRetries: 0, RequestTimeout: 10 * time.Second})
	if err != nil {
		f.Fatal(err)
	}

	f.Fuzz(func(t *testing.T, status int, contentType string, body []byte) {
		if status < 200 || status > 599 {
			// 1xx are not final answers; everything else maps into 200..599.
			status = 200 + int(uint64(status)%400)
		}
		a := answer{status: status, contentType: contentType, body: body}

		// Direct: what the client library gets from the middleware.
		res := &http.Response{
			StatusCode: status,
			Status:     fmt.Sprintf("%d %s", status, http.StatusText(status)),
			Header:     http.Header{"Content-Type": []string{contentType}},
			Body:       io.NopCloser(bytes.NewReader(body)),
		}
		out, _ := normaliseResponse(res)
		got, err := io.ReadAll(out.Body)
		if err != nil {
			t.Fatalf("reading the normalised body: %v", err)
		}
		if !a.isError() {
			if out.StatusCode != status || !bytes.Equal(got, body) {
				t.Fatalf("a success answer was changed: HTTP %d %q became HTTP %d %q", status, body, out.StatusCode, got)
			}
			if out.Header.Get("X-Should-Retry") != "" {
				t.Fatalf("a success answer was marked X-Should-Retry: %q", out.Header.Get("X-Should-Retry"))
			}
		}

		// Round trip: the client library, the middleware and wrapError, as
		// the provider uses them. Statuses that cannot carry a body are left
		// to the direct check.
		if !a.isError() || status == http.StatusNoContent || status == http.StatusResetContent || status == http.StatusNotModified {
			return
		}
		if !validHeaderValue(contentType) {
			// Not an HTTP answer at all: the transport refuses it before
			// the provider sees it.
			return
		}
		mu.Lock()
		current = a
		mu.Unlock()
		_, err = client.VerifyToken(context.Background())
		if err == nil {
			t.Fatalf("an error answer (HTTP %d, %q, %q) gave no error", status, contentType, body)
		}
		msg := err.Error()
		if want := fmt.Sprintf("HTTP %d", status); !strings.Contains(msg, want) {
			t.Fatalf("the error for HTTP %d (%q, %q) does not name %q: %s", status, contentType, body, want, msg)
		}
		if !utf8.ValidString(msg) {
			t.Fatalf("the error for HTTP %d (%q, %q) is not valid UTF-8: %q", status, contentType, body, msg)
		}
	})
}

// answer is one fuzzed HTTP answer.
type answer struct {
	status      int
	contentType string
	body        []byte
}

// isError says whether the answer is an error to the provider: an error
// status, a body that is not a JSON object (nothing Cloudflare sends as a
// success), or a JSON envelope that says success:false whatever its status.
func (a answer) isError() bool {
	if a.status >= 400 {
		return true
	}
	// A media type with a bad parameter is still that media type.
	mediaType, _, err := mime.ParseMediaType(a.contentType)
	if err != nil && err != mime.ErrInvalidMediaParameter || !strings.Contains(mediaType, "json") {
		return true
	}
	// Only success is read: an envelope that says success:false is an error
	// whatever the shape of the rest, and a success that is not a boolean
	// says nothing.
	var env struct {
		Success json.RawMessage `json:"success"`
	}
	if json.Unmarshal(a.body, &env) != nil {
		return true
	}
	var success *bool
	if env.Success == nil || json.Unmarshal(env.Success, &success) != nil {
		return false
	}
	return success != nil && !*success
}

// validHeaderValue reports whether v can be sent as an HTTP header value
// (RFC 9110: visible characters, spaces, tabs and obs-text).
func validHeaderValue(v string) bool {
	for i := 0; i < len(v); i++ {
		if c := v[i]; c < ' ' && c != '\t' || c == 0x7f {
			return false
		}
	}
	return true
}
