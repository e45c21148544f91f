package dnsvalue

import (
	"strings"
	"testing"
)

// FuzzFQDN checks that any name either fails or normalises to a stable,
// lowercase, dot-free fully qualified form inside its zone.
func FuzzFQDN(f *testing.F) {
	for _, seed := range [][2]string{
		{"www", "example.com"}, {"@", "example.com"}, {"WWW.Example.COM.", ""}, {"bücher", "example.com"},
		{"*.example.com", ""}, {"_dmarc", "example.com"}, {"a..b", ""}, {"xn--bcher-kva.example.com", "example.com"},
		{strings.Repeat("a", 64) + ".example.com", ""}, {"a.other.org.", "example.com"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, name, zone string) {
		got, err := FQDN(name, zone)
		if err != nil {
			return
		}
		if got != strings.ToLower(got) || strings.HasSuffix(got, ".") || len(got) > 253 {
			t.Fatalf("FQDN(%q, %q) = %q is not canonical", name, zone, got)
		}
		again, err := FQDN(got, zone)
		if err != nil || again != got {
			t.Fatalf("FQDN is not stable: %q → %q → %q, %v", name, got, again, err)
		}
		if z, zerr := Hostname(zone); zone != "" && zerr == nil && !InZone(got, z) {
			t.Fatalf("FQDN(%q, %q) = %q is outside the zone", name, zone, got)
		}
	})
}

// FuzzContent checks that content normalisation is stable and that two
// spellings Cloudflare stores alike compare equal.
func FuzzContent(f *testing.F) {
	for _, seed := range [][2]string{
		{TypeA, "192.0.2.1"}, {TypeA, "1.1"}, {TypeAAAA, "2001:DB8:0:0::1"}, {TypeAAAA, "::ffff:192.0.2.1"},
		{TypeCNAME, "Origin.Example.NET."}, {TypeMX, "mx1.example.com"}, {TypeNS, "ns1"}, {TypeTXT, `"v=spf1 -all"`},
		{TypeCAA, `0 issue "letsencrypt.org"`}, {TypeSRV, "10 5 5060 SIP.example.com."}, {TypeSRV, "5 5060 sip.example.com"},
	} {
		f.Add(seed[0], seed[1])
	}
	f.Fuzz(func(t *testing.T, typ, content string) {
		got, err := Content(typ, content)
		if err != nil {
			return
		}
		again, err := Content(typ, got)
		if err != nil || again != got {
			t.Fatalf("Content(%s) is not stable: %q → %q → %q, %v", typ, content, got, again, err)
		}
		if !SameContent(typ, content, got) {
			t.Fatalf("SameContent(%s, %q, %q) is false for its own normal form", typ, content, got)
		}
	})
}
