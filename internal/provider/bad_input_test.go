package provider

import (
	"fmt"
	"regexp"
	"strings"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
)

// badInputDiagnostic checks the error of one bad input: it matches want, holds
// exactly one error diagnostic, and shows no sign of a crash.
type badInputDiagnostic struct {
	want *regexp.Regexp
	seen bool
}

var (
	errorDiagnostic = regexp.MustCompile(`(?m)^[\s│]*Error: `)
	crashText       = regexp.MustCompile(`(?i)panic|crash|plugin encountered an error|report this issue`)
)

func (d *badInputDiagnostic) check(err error) error {
	d.seen = true
	text := err.Error()
	switch {
	case !d.want.MatchString(text):
		return fmt.Errorf("want an error matching %q, got: %w", d.want, err)
	case crashText.MatchString(text):
		return fmt.Errorf("the error shows a crash (%q): %w", crashText.FindString(text), err)
	case len(errorDiagnostic.FindAllString(text, -1)) != 1:
		return fmt.Errorf("want exactly one error diagnostic, got %d: %w", len(errorDiagnostic.FindAllString(text, -1)), err)
	}
	return nil
}

// runBadInput runs one step that must fail with one clear diagnostic.
func runBadInput(t *testing.T, parallel bool, want string, step resource.TestStep) {
	t.Helper()
	d := &badInputDiagnostic{want: regexp.MustCompile(want)}
	tc := resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		ErrorCheck:               d.check,
		Steps:                    []resource.TestStep{step},
	}
	if parallel {
		resource.ParallelTest(t, tc)
	} else {
		resource.Test(t, tc)
	}
	if !d.seen && !t.Skipped() {
		t.Errorf("the bad input was accepted; want an error matching %q", want)
	}
}

// TestAccBadInput_providerBlock gives the provider block empty, blank,
// malformed and oversized values.
func TestAccBadInput_providerBlock(t *testing.T) {
	env := newTestEnv(t)
	record := appRecord(`
  name    = "app.example.com"
  content = "192.0.2.10"`)
	long := strings.Repeat("x", 5000)
	tests := []struct {
		name string
		// settings of the provider block; {url} and {token} are the
		// emulator's, and are added when the case leaves them out.
		settings string
		want     string
	}{
		{"empty token", `api_token = ""`, `(?s)Empty api_token.*api_token\s+is\s+empty\s+or\s+only\s+white\s+space`},
		{"blank token", `api_token = "  \t "`, `(?s)Empty api_token.*api_token\s+is\s+empty\s+or\s+only\s+white\s+space`},
		{"oversized token", fmt.Sprintf("api_token = %q", long), `(?s)Invalid api_token.*far\s+longer\s+than\s+any\s+Cloudflare\s+credential`},
		// Characters an HTTP header cannot carry are a bad token, not a
		// network failure.
		{"token with a line break", `api_token = "abc\ndef-0123456789"`, `(?s)Invalid api_token.*control\s+character\s+such\s+as\s+a\s+line\s+break`},
		{"token with a space", `api_token = "abc def-0123456789"`, `Invalid Cloudflare API token`},
		{"empty key", `api_key = ""` + "\nemail = \"ops@example.com\"", `(?s)Empty api_key.*api_key\s+is\s+empty\s+or\s+only\s+white\s+space`},
		{"empty email", `api_key = "key-0123456789"` + "\nemail = \"\"", `(?s)email.*must not be empty`},
		{"oversized email", `api_key = "key-0123456789"` + fmt.Sprintf("\nemail = %q", long+"@example.com"), `(?s)email.*at most 254`},
		{"empty base_url", `base_url = ""`, `(?s)base_url.*must not be empty`},
		{"blank base_url", `base_url = "   "`, `(?s)base_url.*must not be empty`},
		{"relative base_url", `base_url = "api.cloudflare.com/client/v4"`, `(?s)base_url.*not\s+an\s+absolute\s+URL`},
		{"base_url with another scheme", `base_url = "ftp://api.cloudflare.com/client/v4"`, `(?s)base_url.*must\s+start\s+with\s+https://`},
		{"base_url with a space", `base_url = "https://api.cloudflare .com/client/v4"`, `(?s)base_url`},
		{"empty account_id", `account_id = ""`, `(?s)account_id.*32\s+lowercase\s+hexadecimal`},
		{"short account_id", `account_id = "0123456789abcdef"`, `(?s)account_id.*32\s+lowercase\s+hexadecimal`},
		{"upper case account_id", `account_id = "0123456789ABCDEF0123456789ABCDEF"`, `(?s)account_id.*32\s+lowercase\s+hexadecimal`},
		{"account_id with a separator", `account_id = "01234567-89ab-cdef-0123-456789abcdef"`, `(?s)account_id.*32\s+lowercase\s+hexadecimal`},
		{"oversized account_id", fmt.Sprintf("account_id = %q", long), `(?s)account_id.*32\s+lowercase\s+hexadecimal`},
		{"zero rps", `rps = 0`, `(?s)rps.*between`},
		{"negative rps", `rps = -5`, `(?s)rps.*between`},
		{"huge rps", `rps = 1e300`, `(?s)rps.*between`},
		{"negative max_retries", `max_retries = -1`, `(?s)max_retries.*between\s+0\s+and\s+20`},
		{"too many max_retries", `max_retries = 21`, `(?s)max_retries.*between\s+0\s+and\s+20`},
		{"empty request_timeout", `request_timeout = ""`, `(?s)request_timeout.*duration`},
		{"request_timeout without a unit", `request_timeout = "30"`, `(?s)request_timeout.*duration`},
		{"request_timeout in words", `request_timeout = "forever"`, `(?s)request_timeout.*duration`},
		{"zero request_timeout", `request_timeout = "0s"`, `(?s)request_timeout.*duration`},
		{"huge request_timeout", `request_timeout = "100000h"`, `(?s)request_timeout.*duration`},
		{"empty read_mode", `read_mode = ""`, `(?s)read_mode.*auto`},
		{"unknown read_mode", `read_mode = "fast"`, `(?s)read_mode.*auto`},
		{"read_mode in capitals", `read_mode = "ZONE"`, `(?s)read_mode.*auto`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			settings := tt.settings
			if !strings.Contains(settings, "base_url") {
				settings += fmt.Sprintf("\nbase_url = %q", env.url)
			}
			if !strings.Contains(settings, "api_token") && !strings.Contains(settings, "api_key") {
				settings += fmt.Sprintf("\napi_token = %q", testToken)
			}
			runBadInput(t, true, tt.want, resource.TestStep{
				Config:   "provider \"cloudflaredns\" {\n" + settings + "\n}\n" + record,
				PlanOnly: true,
			})
		})
	}
}

// TestAccBadInput_environment gives the same kinds of bad values through the
// CLOUDFLARE_* variables. It sets environment variables, so it cannot run in
// parallel.
func TestAccBadInput_environment(t *testing.T) {
	env := newTestEnv(t)
	tests := []struct {
		name, variable, value, want string
	}{
		{"blank token", envAPIToken, "   ", `No Cloudflare credentials`},
		{"rps not a number", envRPS, "fast", `Invalid CLOUDFLARE_RPS`},
		{"rps out of range", envRPS, "0", `Invalid CLOUDFLARE_RPS`},
		{"max_retries not a number", envMaxRetries, "many", `Invalid CLOUDFLARE_MAX_RETRIES`},
		{"max_retries out of range", envMaxRetries, "99", `Invalid CLOUDFLARE_MAX_RETRIES`},
		{"read mode unknown", envReadMode, "fast", `Invalid CLOUDFLARE_READ_MODE`},
		{"account ID malformed", envAccountID, "not-an-account", `Invalid account_id`},
		{"request timeout malformed", envTimeout, "forever", `Invalid request_timeout`},
		{"base URL with another scheme", envBaseURL, "ftp://api.cloudflare.com/client/v4", `must\s+start\s+with\s+https://`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Setenv(tt.variable, tt.value)
			block := fmt.Sprintf("provider \"cloudflaredns\" {\n  base_url = %q\n  api_token = %q\n}\n", env.url, testToken)
			switch tt.variable {
			case envAPIToken:
				block = fmt.Sprintf("provider \"cloudflaredns\" {\n  base_url = %q\n}\n", env.url)
			case envBaseURL:
				block = fmt.Sprintf("provider \"cloudflaredns\" {\n  api_token = %q\n}\n", testToken)
			}
			runBadInput(t, false, tt.want, resource.TestStep{
				Config: block + appRecord(`
  name    = "app.example.com"
  content = "192.0.2.10"`),
				PlanOnly: true,
			})
		})
	}
}

// TestAccBadInput_recordValues gives the resource malformed and oversized
// values: refused at plan time, before any request changes Cloudflare.
func TestAccBadInput_recordValues(t *testing.T) {
	env := newTestEnv(t)
	label := strings.Repeat("a", 60) + "."
	tests := []struct {
		name, body, want string
	}{
		{"empty name", `name = ""
content = "192.0.2.1"`, `(?s)Invalid record name.*the\s+name\s+is\s+empty`},
		{"blank name", `name = "   "
content = "192.0.2.1"`, `(?s)Invalid record name.*the\s+name\s+is\s+empty`},
		{"300-character name", fmt.Sprintf("name = %q\ncontent = \"192.0.2.1\"", strings.Repeat(label, 5)+"example.com"), `(?s)name`},
		{"64-character label", fmt.Sprintf("name = %q\ncontent = \"192.0.2.1\"", strings.Repeat("b", 64)+".example.com"), `Invalid record name`},
		{"empty label", `name = "app..example.com"
content = "192.0.2.1"`, `Invalid record name`},
		{"space in name", `name = "app example.com"
content = "192.0.2.1"`, `Invalid record name`},
		{"slash in name", `name = "app/example.com"
content = "192.0.2.1"`, `Invalid record name`},
		{"unknown type", `name = "app.example.com"
type = "FOO"
content = "192.0.2.1"`, `(?s)type.*value must be one of`},
		{"lower case type", `name = "app.example.com"
type = "a"
content = "192.0.2.1"`, `(?s)type.*value must be one of`},
		{"empty content", `name = "app.example.com"
content = ""`, `Invalid A record content`},
		{"address with a port", `name = "app.example.com"
content = "192.0.2.1:80"`, `Invalid A record content`},
		{"oversized TXT", fmt.Sprintf("name = \"app.example.com\"\ntype = \"TXT\"\ncontent = %q", strings.Repeat("t", 5000)), `Invalid TXT record content`},
		{"oversized comment", fmt.Sprintf("name = \"app.example.com\"\ncontent = \"192.0.2.1\"\ncomment = %q", strings.Repeat("c", 5000)), `(?s)comment.*at most 500`},
		{"malformed zone_id", `zone_id = "example.com"
name = "app"
content = "192.0.2.1"`, `(?s)zone_id.*32\s+lowercase\s+hexadecimal`},
		{"malformed tag", `name = "app.example.com"
content = "192.0.2.1"
tags = ["no value"]`, `(?s)tags.*name:value`},
		{"ttl out of range", `name = "app.example.com"
content = "192.0.2.1"
proxied = false
ttl = 5`, `Invalid TTL`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			runBadInput(t, true, tt.want, resource.TestStep{
				Config:   env.config(appRecord(tt.body)),
				PlanOnly: true,
			})
		})
	}
	if n := env.emu.Writes(); n != 0 {
		t.Errorf("bad values made %d writes on Cloudflare, want none", n)
	}
}

// TestAccBadInput_importIDs imports with empty, blank, malformed and oversized
// IDs, wrong separators and unknown types.
func TestAccBadInput_importIDs(t *testing.T) {
	env := newTestEnv(t)
	zoneID := env.zoneID("example.com")
	recordID := strings.Repeat("ab", 16)
	label := strings.Repeat("a", 60) + "."
	config := env.config(appRecord(`
  name    = "app.example.com"
  content = "192.0.2.10"`))
	const forms = `<zone_id>/<record_id>`
	tests := []struct {
		name, id, want string
		// block imports with an import block instead of terraform import.
		block bool
	}{
		{"empty", "", `(?s)Invalid import ID.*empty.*` + forms, false},
		// Terraform itself refuses this one.
		{"empty in an import block", "", `(?s)Invalid import id argument.*empty string`, true},
		{"blank", "   ", `(?s)Invalid import ID.*empty.*` + forms, false},
		{"tab", "\t", `(?s)Invalid import ID.*empty`, false},
		{"no separator", "app.example.com", `(?s)Invalid import ID.*no\s+"/".*` + forms, false},
		{"colon separator", zoneID + ":" + recordID, `(?s)Invalid import ID.*no\s+"/"`, false},
		{"backslash separator", zoneID + `\` + recordID, `(?s)Invalid import ID.*no\s+"/"`, false},
		{"comma separator", "app.example.com,A", `(?s)Invalid import ID.*no\s+"/"`, false},
		{"slash only", "/", `(?s)Invalid import ID`, false},
		{"zone ID only", zoneID + "/", `(?s)Invalid import ID.*32-character`, false},
		{"short record ID", zoneID + "/abc123", `(?s)Invalid import ID.*32-character`, false},
		{"upper case IDs", strings.ToUpper(zoneID) + "/" + recordID, `(?s)Invalid import ID.*lowercase\s+hexadecimal`, false},
		{"IDs the wrong way round", "app.example.com/" + recordID, `(?s)Invalid import ID.*32-character`, false},
		{"single label", "app/A", `(?s)Invalid import ID.*fully\s+qualified`, false},
		{"unknown type", "app.example.com/FOO", `(?s)Invalid import ID.*record\s+type\s+"FOO"`, false},
		{"empty type", "app.example.com//192.0.2.10", `(?s)Invalid import ID.*record\s+type\s+""`, false},
		{"empty content", "app.example.com/A/", `(?s)Invalid import ID.*empty\s+content`, false},
		{"300-character name", strings.Repeat(label, 5) + "example.com/A", `(?s)Invalid import ID`, false},
		{"5000-character ID", strings.Repeat("x", 5000), `(?s)Invalid import ID`, false},
		{"name in no zone", "app.example.org/A", `(?s)Cannot import.*no\s+zone\s+contains`, false},
		{"record that does not exist", zoneID + "/" + recordID, `(?s)Cannot import non-existent remote object`, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.block && underOpenTofu() {
				// OpenTofu drops an import block whose id is empty and plans a
				// create; the provider never sees the ID.
				t.Skip("OpenTofu does not pass an empty import block ID to the provider")
			}
			step := resource.TestStep{
				Config:       config,
				ResourceName: appAddr,
				ImportState:  true,
				// A function, so that an empty ID is passed as it is rather
				// than replaced by the ID in state.
				ImportStateIdFunc: func(*terraform.State) (string, error) { return tt.id, nil },
			}
			if tt.block {
				step.ImportStateKind = resource.ImportBlockWithID
			}
			runBadInput(t, true, tt.want, step)
		})
	}
	if n := env.emu.Writes(); n != 0 {
		t.Errorf("bad import IDs made %d writes on Cloudflare, want none", n)
	}
}
