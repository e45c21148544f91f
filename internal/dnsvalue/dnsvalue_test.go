package dnsvalue

import "testing"

func TestFQDN(t *testing.T) {
	tests := []struct {
		name, zone, want string
		wantErr          bool
	}{
		{"app.example.com", "", "app.example.com", false},
		{"APP.Example.COM.", "", "app.example.com", false},
		{"www", "example.com", "www.example.com", false},
		{"@", "example.com", "example.com", false},
		{"example.com", "example.com", "example.com", false},
		{"www.example.com", "example.com", "www.example.com", false},
		{"_dmarc", "example.com", "_dmarc.example.com", false},
		{"*.example.com", "", "*.example.com", false},
		{"bücher", "example.com", "xn--bcher-kva.example.com", false},
		{"xn--bcher-kva.example.com", "", "xn--bcher-kva.example.com", false},
		{"a.other.org", "example.com", "a.other.org.example.com", false},
		{"a.other.org.", "example.com", "", true},
		{"www", "", "", true},
		{"@", "", "", true},
		{"", "example.com", "", true},
		{"a..example.com", "", "", true},
		{"bad name.example.com", "", "", true},
	}
	for _, tt := range tests {
		got, err := FQDN(tt.name, tt.zone)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("FQDN(%q, %q) = %q, %v; want %q, error %v", tt.name, tt.zone, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestContent(t *testing.T) {
	tests := []struct {
		typ, content, want string
		wantErr            bool
	}{
		{TypeA, "192.0.2.1", "192.0.2.1", false},
		{TypeA, "1.1", "", true},
		{TypeA, "256.0.0.1", "", true},
		{TypeA, "2001:db8::1", "", true},
		{TypeAAAA, "2001:DB8:0:0::1", "2001:db8::1", false},
		{TypeAAAA, "192.0.2.1", "", true},
		{TypeCNAME, "Target.Example.NET.", "target.example.net", false},
		{TypeCNAME, "not a host", "", true},
		{TypeCNAME, "localhost", "", true},
		{TypeMX, "MX1.example.com", "mx1.example.com", false},
		{TypeTXT, `"v=spf1 -all"`, `"v=spf1 -all"`, false},
	}
	for _, tt := range tests {
		got, err := Content(tt.typ, tt.content)
		if (err != nil) != tt.wantErr || got != tt.want {
			t.Errorf("Content(%s, %q) = %q, %v; want %q, error %v", tt.typ, tt.content, got, err, tt.want, tt.wantErr)
		}
	}
}

func TestSameContent(t *testing.T) {
	if !SameContent(TypeAAAA, "2001:DB8::1", "2001:db8:0::1") {
		t.Error("IPv6 spellings should match")
	}
	if SameContent(TypeTXT, "ABC", "abc") {
		t.Error("TXT content is case-sensitive")
	}
}
