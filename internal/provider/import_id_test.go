package provider

import (
	"strings"
	"testing"
)

func TestParseImportID(t *testing.T) {
	const zone, record = "023e105f4ecef8ad9ca31a8372d0c353", "372e67954025e0ba6aaa6d586b9e0b59"
	tests := []struct {
		in   string
		want importID
		err  string
	}{
		{in: zone + "/" + record, want: importID{ZoneID: zone, RecordID: record}},
		{in: " " + zone + "/" + record + " ", want: importID{ZoneID: zone, RecordID: record}},
		{in: "app.example.com/A", want: importID{FQDN: "app.example.com", Type: "A"}},
		{in: "APP.Example.com./cname", want: importID{FQDN: "app.example.com", Type: "CNAME"}},
		{in: "txt.example.com/TXT/v=spf1 include:a/b -all", want: importID{FQDN: "txt.example.com", Type: "TXT", Content: "v=spf1 include:a/b -all"}},
		{in: "", err: "empty"},
		{in: "   ", err: "empty"},
		{in: "not-an-id", err: "has no \"/\""},
		{in: zone + "/xyz", err: "both parts must be"},
		{in: zone + "|" + record, err: "has no \"/\""},
		{in: "app/A", err: "fully qualified"},
		{in: "app.example.com/PTR", err: "manages A, AAAA"},
		{in: "app.example.com/A/", err: "empty content"},
		{in: "/A", err: "fully qualified"},
		{in: strings.Repeat("a", 300) + ".com/A", err: "fully qualified"},
	}
	for _, tt := range tests {
		t.Run(tt.in, func(t *testing.T) {
			got, err := parseImportID(tt.in)
			if tt.err != "" {
				if err == nil || !strings.Contains(err.Error(), tt.err) {
					t.Fatalf("parseImportID(%q) = %+v, %v; want an error with %q", tt.in, got, err, tt.err)
				}
				return
			}
			if err != nil || got != tt.want {
				t.Fatalf("parseImportID(%q) = %+v, %v; want %+v", tt.in, got, err, tt.want)
			}
		})
	}
}

// FuzzParseImportID checks that the parser never panics and that a parsed ID
// prints back to an ID that parses the same.
func FuzzParseImportID(f *testing.F) {
	for _, seed := range []string{
		"023e105f4ecef8ad9ca31a8372d0c353/372e67954025e0ba6aaa6d586b9e0b59", "app.example.com/A", "app.example.com/TXT/a/b",
		"/", "//", "a/b/c/d", "xn--bcher-kva.example.com/aaaa", "*.example.com/CNAME/x.example.net",
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, raw string) {
		id, err := parseImportID(raw)
		if err != nil {
			return
		}
		again, err := parseImportID(id.String())
		if err != nil || again != id {
			t.Fatalf("%q parsed to %+v, which prints as %q and parses to %+v, %v", raw, id, id.String(), again, err)
		}
	})
}
