package cfapi

import (
	"context"
	"strings"
	"testing"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

const testToken = "cfapi-test-token"

func newTestClient(t *testing.T, maxRetries int) (*Client, *emulator.Server, string) {
	t.Helper()
	emu := emulator.New(emulator.Config{
		Zones:  []emulator.Zone{{Name: "example.com"}},
		Tokens: []emulator.Token{{Value: testToken}},
	})
	url, err := emu.Start()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(emu.Close)
	c, err := New(Config{BaseURL: url, APIToken: testToken, RPS: 1000, MaxRetries: maxRetries, UserAgent: "test"})
	if err != nil {
		t.Fatal(err)
	}
	zone, _ := emu.ZoneByName("example.com")
	return c, emu, zone.ID
}

// TestErrorClassification checks how API answers become errors the provider
// acts on: codes, not-found, unreachable, and answers the library cannot decode.
func TestErrorClassification(t *testing.T) {
	const recordRoute = "GET /zones/{zone_id}/dns_records/{dns_record_id}"
	tests := []struct {
		name        string
		fault       *emulator.Fault
		recordID    string
		notFound    bool
		unreachable bool
		codes       []int
		message     string
	}{
		{name: "unknown record", recordID: "0123456789abcdef0123456789abcdef", notFound: true, codes: []int{CodeRecordDoesNotExist}},
		{name: "server error", fault: &emulator.Fault{Route: recordRoute, Kind: emulator.FaultStatus, Status: 500, Code: 10001, Message: "boom"}, codes: []int{10001}, message: "HTTP 500"},
		{name: "permission", fault: &emulator.Fault{Route: recordRoute, Kind: emulator.FaultStatus, Status: 403, Code: 10000, Message: "Authentication error"}, codes: []int{CodeAuthentication}},
		{name: "non-JSON body", fault: &emulator.Fault{Route: recordRoute, Kind: emulator.FaultNonJSON, Status: 502}, codes: []int{0}, message: "not Cloudflare JSON"},
		{name: "success false on 200", fault: &emulator.Fault{Route: recordRoute, Kind: emulator.FaultSuccessFalse, Code: 1234, Message: "odd"}, codes: []int{1234}, message: "HTTP 200 and success: false: 1234 odd"},
		{name: "non-JSON body on 200", fault: &emulator.Fault{Route: recordRoute, Kind: emulator.FaultNonJSON, Status: 200}, codes: []int{0}, message: "HTTP 200: a body that is not Cloudflare JSON: <html>"},
		{name: "empty errors", fault: &emulator.Fault{Route: recordRoute, Kind: emulator.FaultEmptyErrors, Status: 500}, message: "no error details"},
		{name: "connection reset", fault: &emulator.Fault{Route: recordRoute, Kind: emulator.FaultResetBefore}, unreachable: true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c, emu, zoneID := newTestClient(t, 0)
			id := tt.recordID
			if id == "" {
				rec, err := emu.CreateRecord(zoneID, emulator.Record{Name: "a.example.com", Type: "A", Content: "192.0.2.1", TTL: 300})
				if err != nil {
					t.Fatal(err)
				}
				id = rec.ID
			}
			if tt.fault != nil {
				emu.InjectFault(*tt.fault)
			}
			_, err := c.GetRecord(context.Background(), zoneID, id)
			if err == nil {
				t.Fatal("want an error")
			}
			if IsNotFound(err) != tt.notFound {
				t.Errorf("IsNotFound = %v, want %v (%v)", !tt.notFound, tt.notFound, err)
			}
			if IsUnreachable(err) != tt.unreachable {
				t.Errorf("IsUnreachable = %v, want %v (%v)", !tt.unreachable, tt.unreachable, err)
			}
			if len(tt.codes) > 0 && !HasCode(err, tt.codes...) {
				t.Errorf("error %v lacks codes %v", err, tt.codes)
			}
			if tt.message != "" && !strings.Contains(err.Error(), tt.message) {
				t.Errorf("error %q lacks %q", err, tt.message)
			}
			if strings.Contains(err.Error(), testToken) {
				t.Errorf("error %q contains the token", err)
			}
		})
	}
}

func TestRetriesHonourRetryAfter(t *testing.T) {
	c, emu, zoneID := newTestClient(t, 2)
	rec, err := emu.CreateRecord(zoneID, emulator.Record{Name: "a.example.com", Type: "A", Content: "192.0.2.1", TTL: 300})
	if err != nil {
		t.Fatal(err)
	}
	emu.InjectFault(emulator.Fault{Route: "GET /zones/{zone_id}/dns_records/{dns_record_id}", Kind: emulator.FaultStatus, Status: 429, Code: CodeRateLimited, Message: "Please wait and consider throttling your request speed", RetryAfter: "0", Times: 2})
	got, err := c.GetRecord(context.Background(), zoneID, rec.ID)
	if err != nil || got.ID != rec.ID {
		t.Fatalf("after two 429s: %v, %v", got, err)
	}
	if n := emu.Count("GET /zones/{zone_id}/dns_records/{dns_record_id}"); n != 3 {
		t.Errorf("made %d attempts, want 3", n)
	}
}

func TestZonesListedOnce(t *testing.T) {
	c, emu, zoneID := newTestClient(t, 0)
	ctx := context.Background()
	done := make(chan error, 20)
	for range 20 {
		go func() {
			z, err := c.ZoneFor(ctx, "www.example.com")
			if err == nil && z.ID != zoneID {
				err = &NoZoneError{Name: "www.example.com"}
			}
			done <- err
		}()
	}
	for range 20 {
		if err := <-done; err != nil {
			t.Fatal(err)
		}
	}
	if _, err := c.Zone(ctx, zoneID); err != nil {
		t.Fatal(err)
	}
	if n := emu.Total(); n != 1 {
		t.Errorf("20 concurrent look-ups and a get made %d requests, want 1: %v", n, emu.Counts())
	}
}
