package emulator

import (
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
)

func TestNameNormalisation(t *testing.T) {
	f := newFixture(t)
	tests := []struct{ in, want string }{
		{"www", "www.example.com"},
		{"@", "example.com"},
		{"example.com", "example.com"},
		{"www.example.com", "www.example.com"},
		{"WWW.Example.COM.", "www.example.com"},
		{"Mixed.Sub", "mixed.sub.example.com"},
		{"bücher", "xn--bcher-kva.example.com"},
		{"ÄÖÜ.example.com", "xn--4ca0bs.example.com"},
		{"_acme-challenge", "_acme-challenge.example.com"},
		{"*.dev", "*.dev.example.com"},
		{"sub.other.org", "sub.other.org.example.com"}, // relative, as on Cloudflare
		{strings.Repeat("a", 63), strings.Repeat("a", 63) + ".example.com"},
	}
	for _, tc := range tests {
		t.Run(tc.in, func(t *testing.T) {
			rec := f.mustCreate(map[string]any{"type": "TXT", "name": tc.in, "content": "n=" + tc.in})
			if rec.Name != tc.want {
				t.Errorf("name %q, want %q", rec.Name, tc.want)
			}
		})
	}
	long := strings.Repeat(strings.Repeat("a", 60)+".", 4) // > 253 with the zone
	for _, bad := range []string{"", "www.other.org.", strings.Repeat("a", 64), long, "bad name", "a..b", "x*y", "www.*"} {
		t.Run("invalid "+bad, func(t *testing.T) {
			res := f.call("POST", "/zones/{zone}/dns_records", map[string]any{"type": "TXT", "name": bad, "content": "x"})
			expectError(t, res, 400, codeBadName, "DNS name is invalid.")
		})
	}
}

func TestContentValidation(t *testing.T) {
	f := newFixture(t)
	tests := []struct {
		name         string
		body         map[string]any
		wantContent  string
		wantPriority *int
		code         int
		message      string
	}{
		{"A", map[string]any{"type": "A", "content": "192.0.2.1"}, "192.0.2.1", nil, 0, ""},
		{"A shorthand", map[string]any{"type": "A", "content": "1.1"}, "", nil, 9005, "Content for A record must be a valid IPv4 address."},
		{"A leading zero", map[string]any{"type": "A", "content": "192.0.2.01"}, "", nil, 9005, ""},
		{"A given IPv6", map[string]any{"type": "A", "content": "2001:db8::1"}, "", nil, 9005, ""},
		{"A missing content", map[string]any{"type": "A"}, "", nil, 9005, ""},
		{"lower-case type", map[string]any{"type": "a", "content": "192.0.2.2"}, "192.0.2.2", nil, 0, ""},
		{"unknown type", map[string]any{"type": "NOPE", "content": "x"}, "", nil, codeBadType, ""},
		{"AAAA canonical", map[string]any{"type": "AAAA", "content": "fe80::0:0:1"}, "fe80::1", nil, 0, ""},
		{"AAAA upper case", map[string]any{"type": "AAAA", "content": "2001:DB8:0:0:0:0:0:1"}, "2001:db8::1", nil, 0, ""},
		{"AAAA given IPv4", map[string]any{"type": "AAAA", "content": "192.0.2.1"}, "", nil, codeBadAAAA, ""},
		{"CNAME lower-cased", map[string]any{"type": "CNAME", "name": "alias", "content": "Target.Example.NET."}, "target.example.net", nil, 0, ""},
		{"CNAME Unicode target", map[string]any{"type": "CNAME", "name": "alias2", "content": "bücher.example"}, "xn--bcher-kva.example", nil, 0, ""},
		{"CNAME invalid", map[string]any{"type": "CNAME", "name": "c1", "content": "not valid!"}, "", nil, 9007, "Content for CNAME record is invalid."},
		{"CNAME to IP", map[string]any{"type": "CNAME", "name": "c2", "content": "192.0.2.1"}, "", nil, 9007, ""},
		{"CNAME to itself", map[string]any{"type": "CNAME", "name": "self", "content": "SELF.example.com"}, "", nil, 9039, "CNAME content cannot reference itself."},
		{"MX", map[string]any{"type": "MX", "content": "MAIL.Example.com.", "priority": 10}, "mail.example.com", ptr(10), 0, ""},
		{"MX priority 0", map[string]any{"type": "MX", "name": "mx0", "content": "mx.example.net", "priority": 0}, "mx.example.net", ptr(0), 0, ""},
		{"MX without priority", map[string]any{"type": "MX", "content": "mail2.example.com"}, "", nil, codeNeedPriority, ""},
		{"NS", map[string]any{"type": "NS", "name": "delegated", "content": "NS1.Example.net"}, "ns1.example.net", nil, 0, ""},
		{"TXT exact", map[string]any{"type": "TXT", "content": `"v=spf1 -all"`}, `"v=spf1 -all"`, nil, 0, ""},
		{"TXT keeps case and spaces", map[string]any{"type": "TXT", "content": " Hello World "}, " Hello World ", nil, 0, ""},
		{"TXT 2048", map[string]any{"type": "TXT", "name": "long", "content": strings.Repeat("x", 2048)}, strings.Repeat("x", 2048), nil, 0, ""},
		{"TXT too long", map[string]any{"type": "TXT", "content": strings.Repeat("x", 2049)}, "", nil, 9007, ""},
		{"CAA from data", map[string]any{"type": "CAA", "data": map[string]any{"flags": 0, "tag": "issue", "value": "letsencrypt.org"}}, `0 issue "letsencrypt.org"`, nil, 0, ""},
		{"CAA from content", map[string]any{"type": "CAA", "name": "caa2", "content": `128 ISSUEWILD "pki.goog"`}, `128 issuewild "pki.goog"`, nil, 0, ""},
		{"SRV from data", map[string]any{"type": "SRV", "name": "_sip._tcp", "data": map[string]any{"priority": 10, "weight": 5, "port": 5060, "target": "SIP.example.com."}}, "5 5060 sip.example.com", ptr(10), 0, ""},
		{"SRV without priority", map[string]any{"type": "SRV", "name": "_x._tcp", "data": map[string]any{"weight": 5, "port": 5060, "target": "sip.example.com"}}, "", nil, codeNeedPriority, ""},
		{"SRV incomplete data", map[string]any{"type": "SRV", "name": "_y._tcp", "data": map[string]any{"priority": 1, "port": 5060}}, "", nil, 9007, ""},
		{"DS from data", map[string]any{"type": "DS", "name": "child", "data": map[string]any{"key_tag": 2371, "algorithm": 13, "digest_type": 2, "digest": "ABCDEF"}}, "2371 13 2 ABCDEF", nil, 0, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			if _, ok := tc.body["name"]; !ok {
				tc.body["name"] = strings.ToLower(strings.ReplaceAll(tc.name, " ", "-"))
			}
			res := f.call("POST", "/zones/{zone}/dns_records", tc.body)
			if tc.code != 0 {
				expectError(t, res, 400, tc.code, tc.message)
				return
			}
			expectOK(t, res)
			rec := res.record(t)
			if rec.Content != tc.wantContent {
				t.Errorf("content %q, want %q", rec.Content, tc.wantContent)
			}
			if (rec.Priority == nil) != (tc.wantPriority == nil) || rec.Priority != nil && *rec.Priority != *tc.wantPriority {
				t.Errorf("priority %v, want %v", rec.Priority, tc.wantPriority)
			}
			hasPriorityKey := strings.Contains(string(res.env.Result), `"priority":`)
			if hasPriorityKey != (tc.wantPriority != nil) {
				t.Errorf("priority key present=%v: %s", hasPriorityKey, res.env.Result)
			}
		})
	}
}

func TestTTLProxyAndAnnotations(t *testing.T) {
	f := newFixture(t, func(c *Config) {
		c.Zones = append(c.Zones, Zone{ID: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", Name: "enterprise.example", Plan: "enterprise"})
	})
	ttlMessage := "TTL must be between 60 and 86400 seconds, or 1 for Automatic."
	tests := []struct {
		name      string
		zone      string
		body      map[string]any
		code      int
		message   string
		check     func(t *testing.T, r Record)
		wantProxy bool
	}{
		{name: "ttl default 1", body: map[string]any{"type": "A", "content": "192.0.2.1"}, check: func(t *testing.T, r Record) {
			if r.TTL != 1 || r.Proxied {
				t.Errorf("ttl %d proxied %v", r.TTL, r.Proxied)
			}
		}},
		{name: "ttl 60", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 60}},
		{name: "ttl 86400", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 86400}},
		{name: "ttl 59", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 59}, code: 9021, message: ttlMessage},
		{name: "ttl 86401", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 86401}, code: 9021, message: ttlMessage},
		{name: "ttl 0", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 0}, code: 9021},
		{name: "ttl 30 on free", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 30}, code: 9021},
		{name: "ttl 30 on enterprise", zone: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 30}},
		{name: "ttl 29 on enterprise", zone: "eeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", body: map[string]any{"type": "A", "content": "192.0.2.1", "ttl": 29}, code: 9021,
			message: "TTL must be between 30 and 86400 seconds, or 1 for Automatic."},
		{name: "proxied forces ttl 1", body: map[string]any{"type": "A", "content": "203.0.113.5", "proxied": true, "ttl": 3600}, check: func(t *testing.T, r Record) {
			if r.TTL != 1 || !r.Proxied || !r.Proxiable {
				t.Errorf("ttl %d proxied %v proxiable %v", r.TTL, r.Proxied, r.Proxiable)
			}
		}},
		{name: "proxied CNAME", body: map[string]any{"type": "CNAME", "content": "origin.example.net", "proxied": true}, check: func(t *testing.T, r Record) {
			if !r.Proxied || r.Settings["flatten_cname"] != false || len(r.Settings) != 1 {
				t.Errorf("proxied %v settings %v", r.Proxied, r.Settings)
			}
		}},
		{name: "TXT not proxiable", body: map[string]any{"type": "TXT", "content": "x", "proxied": true}, code: 9004, message: "This record type cannot be proxied."},
		{name: "TXT proxiable false", body: map[string]any{"type": "TXT", "content": "x"}, check: func(t *testing.T, r Record) {
			if r.Proxiable || len(r.Settings) != 0 || r.Meta == nil {
				t.Errorf("proxiable %v settings %v meta %v", r.Proxiable, r.Settings, r.Meta)
			}
		}},
		{name: "private IP proxied", body: map[string]any{"type": "A", "content": "10.0.0.1", "proxied": true}, code: 9041,
			message: "This DNS record cannot be proxied - click the cloud icon to turn it gray to proceed"},
		{name: "private IP proxiable false", body: map[string]any{"type": "A", "content": "192.168.1.1"}, check: func(t *testing.T, r Record) {
			if r.Proxiable {
				t.Error("private IP proxiable")
			}
		}},
		{name: "loopback proxiable false", body: map[string]any{"type": "AAAA", "content": "::1"}, check: func(t *testing.T, r Record) {
			if r.Proxiable {
				t.Error("loopback proxiable")
			}
		}},
		{name: "Cloudflare IP proxied", body: map[string]any{"type": "A", "content": "1.1.1.1", "proxied": true}, code: 9003,
			message: "Target 1.1.1.1 is not allowed for a proxied record."},
		{name: "comment and tags", body: map[string]any{"type": "A", "content": "192.0.2.1", "comment": "hello", "tags": []string{"env:prod", "team:"}},
			check: func(t *testing.T, r Record) {
				if r.Comment == nil || *r.Comment != "hello" || !slices.Equal(r.Tags, []string{"env:prod", "team:"}) ||
					r.CommentModifiedOn == nil || r.TagsModifiedOn == nil {
					t.Errorf("%+v", r)
				}
			}},
		{name: "comment with newline", body: map[string]any{"type": "A", "content": "192.0.2.1", "comment": "a\nb"}, code: codeBadComment},
		{name: "tag without value", body: map[string]any{"type": "A", "content": "192.0.2.1", "tags": []string{"novalue"}}, code: codeBadTags},
		{name: "tag with bad name", body: map[string]any{"type": "A", "content": "192.0.2.1", "tags": []string{"bad name:x"}}, code: codeBadTags},
	}
	for i, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			tc.body["name"] = "r" + string(rune('a'+i))
			zone := f.zone.ID
			if tc.zone != "" {
				zone = tc.zone
			}
			res := f.call("POST", "/zones/"+zone+"/dns_records", tc.body)
			if tc.code != 0 {
				expectError(t, res, 400, tc.code, tc.message)
				return
			}
			expectOK(t, res)
			if tc.check != nil {
				tc.check(t, res.record(t))
			}
			raw := string(res.env.Result)
			if !strings.Contains(raw, `"comment_modified_on"`) == (tc.body["comment"] != nil) {
				t.Errorf("comment_modified_on presence wrong: %s", raw)
			}
		})
	}
}

func TestConflicts(t *testing.T) {
	rec := func(typ, name, content string) map[string]any {
		return map[string]any{"type": typ, "name": name, "content": content}
	}
	tests := []struct {
		name     string
		existing []map[string]any
		add      map[string]any
		code     int
	}{
		{"CNAME over A", []map[string]any{rec("A", "www", "192.0.2.1")}, rec("CNAME", "www", "t.example.net"), 81053},
		{"CNAME over AAAA", []map[string]any{rec("AAAA", "www", "2001:db8::1")}, rec("CNAME", "www", "t.example.net"), 81053},
		{"CNAME over CNAME", []map[string]any{rec("CNAME", "www", "a.example.net")}, rec("CNAME", "www", "b.example.net"), 81053},
		{"identical CNAME", []map[string]any{rec("CNAME", "www", "a.example.net")}, rec("CNAME", "WWW", "A.example.net."), 81053},
		{"A over CNAME", []map[string]any{rec("CNAME", "www", "a.example.net")}, rec("A", "www", "192.0.2.1"), 81054},
		{"AAAA over CNAME", []map[string]any{rec("CNAME", "www", "a.example.net")}, rec("AAAA", "www", "2001:db8::1"), 81054},
		{"A over NS", []map[string]any{rec("NS", "sub", "ns1.example.net")}, rec("A", "sub", "192.0.2.1"), 81056},
		{"CNAME over NS", []map[string]any{rec("NS", "sub", "ns1.example.net")}, rec("CNAME", "sub", "a.example.net"), 81056},
		{"NS over A", []map[string]any{rec("A", "sub", "192.0.2.1")}, rec("NS", "sub", "ns1.example.net"), 81056},
		{"TXT next to CNAME", []map[string]any{rec("CNAME", "www", "a.example.net")}, rec("TXT", "www", "hello"), 0},
		{"CNAME next to TXT", []map[string]any{rec("TXT", "www", "hello")}, rec("CNAME", "www", "a.example.net"), 0},
		{"two A records", []map[string]any{rec("A", "www", "192.0.2.1")}, rec("A", "www", "192.0.2.2"), 0},
		{"identical A", []map[string]any{rec("A", "www", "192.0.2.1")}, rec("A", "WWW.example.com.", "192.0.2.1"), 81058},
		{"identical AAAA after canonicalisation", []map[string]any{rec("AAAA", "v6", "2001:db8::1")}, rec("AAAA", "v6", "2001:DB8:0:0::1"), 81058},
		{"identical TXT", []map[string]any{rec("TXT", "t", "abc")}, rec("TXT", "t", "abc"), 81058},
		{"TXT differing in case", []map[string]any{rec("TXT", "t", "abc")}, rec("TXT", "t", "ABC"), 0},
		{"same content other type", []map[string]any{rec("TXT", "t", "ns1.example.net")}, rec("NS", "t", "ns1.example.net"), 0},
		{"NS at apex next to A", []map[string]any{rec("A", "@", "192.0.2.1")}, rec("NS", "@", "ns1.example.net"), 0},
	}
	messages := map[int]string{
		81053: "An A, AAAA, or CNAME record with that host already exists.",
		81054: "A CNAME record with that host already exists.",
		81056: "NS records with that host already exist.",
		81058: "An identical record already exists.",
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			f := newFixture(t)
			for _, e := range tc.existing {
				f.mustCreate(e)
			}
			res := f.call("POST", "/zones/{zone}/dns_records", tc.add)
			if tc.code == 0 {
				expectOK(t, res)
				return
			}
			expectError(t, res, 400, tc.code, messages[tc.code])
		})
	}

	t.Run("PUT, PATCH and batch check conflicts too", func(t *testing.T) {
		f := newFixture(t)
		www := f.mustCreate(rec("A", "www", "192.0.2.1"))
		api := f.mustCreate(rec("A", "api", "192.0.2.1"))
		f.mustCreate(rec("CNAME", "alias", "t.example.net"))
		expectError(t, f.call("PATCH", "/zones/{zone}/dns_records/"+api.ID, map[string]any{"name": "www.example.com"}), 400, 81058, "")
		expectError(t, f.call("PUT", "/zones/{zone}/dns_records/"+api.ID, rec("A", "alias", "192.0.2.9")), 400, 81054, "")
		expectError(t, f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{"posts": []any{rec("CNAME", "www", "x.example.net")}}), 400, 81053, "")
		// A record never conflicts with itself.
		expectOK(t, f.call("PATCH", "/zones/{zone}/dns_records/"+www.ID, map[string]any{"content": "192.0.2.1", "ttl": 300}))
		expectOK(t, f.call("PUT", "/zones/{zone}/dns_records/"+www.ID, rec("A", "www", "192.0.2.1")))
	})
}

func TestPutResetsPatchKeeps(t *testing.T) {
	f := newFixture(t)
	orig := f.mustCreate(map[string]any{"type": "A", "name": "www", "content": "203.0.113.1", "proxied": true,
		"comment": "keep me", "tags": []string{"env:prod"}, "settings": map[string]any{"ipv4_only": true}})
	time.Sleep(2 * time.Millisecond)

	res := f.call("PATCH", "/zones/{zone}/dns_records/"+orig.ID, map[string]any{"content": "203.0.113.2"})
	expectOK(t, res)
	patched := res.record(t)
	if patched.Content != "203.0.113.2" || !patched.Proxied || patched.Comment == nil || *patched.Comment != "keep me" ||
		!slices.Equal(patched.Tags, []string{"env:prod"}) || patched.Settings["ipv4_only"] != true || patched.TTL != 1 {
		t.Errorf("PATCH lost fields: %s", res.env.Result)
	}
	if !patched.CreatedOn.Equal(orig.CreatedOn) || !patched.ModifiedOn.After(orig.ModifiedOn) {
		t.Errorf("timestamps created %v→%v modified %v→%v", orig.CreatedOn, patched.CreatedOn, orig.ModifiedOn, patched.ModifiedOn)
	}
	if !patched.CommentModifiedOn.Equal(*orig.CommentModifiedOn) {
		t.Error("comment_modified_on changed without a comment change")
	}

	res = f.call("PATCH", "/zones/{zone}/dns_records/"+orig.ID, map[string]any{"proxied": false, "ttl": 300})
	expectOK(t, res)
	if r := res.record(t); r.TTL != 300 || r.Proxied {
		t.Errorf("PATCH proxied off: %s", res.env.Result)
	}

	res = f.call("PUT", "/zones/{zone}/dns_records/"+orig.ID, map[string]any{"type": "A", "name": "www", "content": "203.0.113.3"})
	expectOK(t, res)
	put := res.record(t)
	if put.Proxied || put.TTL != 1 || put.Comment != nil || len(put.Tags) != 0 || len(put.Settings) != 0 || put.ID != orig.ID ||
		put.CommentModifiedOn != nil || put.TagsModifiedOn != nil {
		t.Errorf("PUT kept omitted fields: %s", res.env.Result)
	}
	if !strings.Contains(string(res.env.Result), `"comment":null,"tags":[]`) {
		t.Errorf("PUT result %s", res.env.Result)
	}

	expectError(t, f.call("PUT", "/zones/{zone}/dns_records/"+orig.ID, map[string]any{"content": "203.0.113.4"}), 400, codeBadType, "")

	res = f.call("PATCH", "/zones/{zone}/dns_records/"+orig.ID, map[string]any{"comment": "c", "tags": []string{"a:b"}})
	expectOK(t, res)
	res = f.call("PATCH", "/zones/{zone}/dns_records/"+orig.ID, map[string]any{"comment": nil, "tags": nil})
	expectOK(t, res)
	if r := res.record(t); r.Comment != nil || len(r.Tags) != 0 {
		t.Errorf("PATCH null did not clear: %s", res.env.Result)
	}

	res = f.call("DELETE", "/zones/{zone}/dns_records/"+orig.ID, nil)
	expectOK(t, res)
	if string(res.env.Result) != `{"id":"`+orig.ID+`"}` {
		t.Errorf("DELETE result %s", res.env.Result)
	}
	expectError(t, f.call("GET", "/zones/{zone}/dns_records/"+orig.ID, nil), 404, 81044, "Record does not exist.")
}

func TestBatch(t *testing.T) {
	setup := func(t *testing.T) (*fixture, Record, Record, Record) {
		f := newFixture(t)
		a := f.mustCreate(map[string]any{"type": "A", "name": "www", "content": "192.0.2.1"})
		b := f.mustCreate(map[string]any{"type": "A", "name": "api", "content": "192.0.2.2", "comment": "old"})
		c := f.mustCreate(map[string]any{"type": "TXT", "name": "txt", "content": "hello"})
		return f, a, b, c
	}
	t.Run("order and results", func(t *testing.T) {
		f, a, b, c := setup(t)
		res := f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{
			// The post reuses www, which only works because deletes run first.
			"posts":   []any{map[string]any{"type": "CNAME", "name": "www", "content": "target.example.net"}},
			"puts":    []any{map[string]any{"id": b.ID, "type": "A", "name": "api", "content": "192.0.2.3"}},
			"patches": []any{map[string]any{"id": b.ID, "ttl": 300}, map[string]any{"id": c.ID, "content": "bye"}},
			"deletes": []any{map[string]any{"id": a.ID}},
		})
		expectOK(t, res)
		var out struct{ Deletes, Patches, Puts, Posts []Record }
		if err := json.Unmarshal(res.env.Result, &out); err != nil {
			t.Fatal(err)
		}
		if len(out.Deletes) != 1 || out.Deletes[0].ID != a.ID || out.Deletes[0].Content != "192.0.2.1" {
			t.Errorf("deletes %+v", out.Deletes)
		}
		if len(out.Patches) != 2 || out.Patches[0].TTL != 300 || out.Patches[1].Content != "bye" {
			t.Errorf("patches %+v", out.Patches)
		}
		// The put ran after the patch and reset ttl and comment.
		if len(out.Puts) != 1 || out.Puts[0].TTL != 1 || out.Puts[0].Comment != nil || out.Puts[0].Content != "192.0.2.3" {
			t.Errorf("puts %+v", out.Puts)
		}
		if len(out.Posts) != 1 || out.Posts[0].Type != "CNAME" || !isID(out.Posts[0].ID) {
			t.Errorf("posts %+v", out.Posts)
		}
		if got := f.s.FindRecords(f.zone.ID, "www", ""); len(got) != 1 || got[0].Type != "CNAME" {
			t.Errorf("www now %+v", got)
		}
		if !strings.HasPrefix(string(res.env.Result), `{"deletes":`) {
			t.Errorf("result %s", res.env.Result)
		}
	})
	t.Run("all or nothing", func(t *testing.T) {
		f, a, b, _ := setup(t)
		before := f.s.Records(f.zone.ID)
		res := f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{
			"deletes": []any{map[string]any{"id": a.ID}},
			"patches": []any{map[string]any{"id": b.ID, "ttl": 300}},
			"posts":   []any{map[string]any{"type": "A", "name": "new", "content": "192.0.2.9"}, map[string]any{"type": "A", "name": "bad", "content": "1.1"}},
		})
		expectError(t, res, 400, 9005, "")
		if after := f.s.Records(f.zone.ID); len(after) != len(before) || after[0].TTL != before[0].TTL {
			t.Errorf("batch partly applied: %d records before, %d after", len(before), len(after))
		}
		if _, ok := f.s.Record(f.zone.ID, a.ID); !ok {
			t.Error("delete applied despite failure")
		}
	})
	t.Run("first error wins", func(t *testing.T) {
		f, _, _, _ := setup(t)
		res := f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{
			"deletes": []any{map[string]any{"id": "0123456789abcdef0123456789abcdef"}},
			"posts":   []any{map[string]any{"type": "A", "name": "bad", "content": "1.1"}},
		})
		expectError(t, res, 404, 81044, "Record does not exist.")
	})
	t.Run("put needs full record", func(t *testing.T) {
		f, a, _, _ := setup(t)
		expectError(t, f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{"puts": []any{map[string]any{"id": a.ID, "ttl": 120}}}), 400, codeBadType, "")
	})
	t.Run("limit", func(t *testing.T) {
		f, _, _, _ := setup(t)
		posts := make([]any, batchLimitFree+1)
		for i := range posts {
			posts[i] = map[string]any{"type": "TXT", "name": "bulk", "content": strings.Repeat("x", i+1)}
		}
		expectError(t, f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{"posts": posts}), 400, codeBatchTooLarge, "")
		expectOK(t, f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{"posts": posts[:batchLimitFree]}))
		if n := len(f.s.FindRecords(f.zone.ID, "bulk", "TXT")); n != batchLimitFree {
			t.Errorf("%d records", n)
		}
	})
	t.Run("empty batch", func(t *testing.T) {
		f, _, _, _ := setup(t)
		res := f.call("POST", "/zones/{zone}/dns_records/batch", map[string]any{})
		expectOK(t, res)
		if string(res.env.Result) != `{"deletes":[],"patches":[],"puts":[],"posts":[]}` {
			t.Errorf("result %s", res.env.Result)
		}
	})
}

func TestListFilters(t *testing.T) {
	f := newFixture(t)
	seed := []map[string]any{
		{"type": "A", "name": "www", "content": "192.0.2.1", "ttl": 300, "comment": "Hello World", "tags": []string{"env:prod", "team:web"}},
		{"type": "A", "name": "api", "content": "192.0.2.2", "proxied": true, "tags": []string{"env:staging"}},
		{"type": "AAAA", "name": "www", "content": "2001:db8::1", "ttl": 600},
		{"type": "CNAME", "name": "docs", "content": "Pages.Example.NET", "comment": "docs site"},
		{"type": "MX", "name": "@", "content": "mail.example.com", "priority": 10, "ttl": 3600},
		{"type": "TXT", "name": "@", "content": "v=spf1 -all", "ttl": 120},
		{"type": "TXT", "name": "bücher", "content": "unicode"},
	}
	for _, r := range seed {
		f.mustCreate(r)
	}
	key := func(r Record) string {
		return r.Type + " " + strings.TrimSuffix(strings.TrimSuffix(r.Name, "example.com"), ".")
	}
	tests := []struct{ query, want string }{
		{"", "A api,A www,AAAA www,CNAME docs,MX ,TXT ,TXT xn--bcher-kva"},
		{"type=A", "A api,A www"},
		{"type=txt", "TXT ,TXT xn--bcher-kva"},
		{"name=www.example.com", "A www,AAAA www"},
		{"name=WWW.EXAMPLE.COM.", "A www,AAAA www"},
		{"name=www", "A www,AAAA www"},
		{"name=@&type=MX", "MX "},
		{"name=b%C3%BCcher.example.com", "TXT xn--bcher-kva"},
		{"name.exact=Docs.example.com", "CNAME docs"},
		{"name.contains=PI", "A api"},
		{"name.startswith=WW", "A www,AAAA www"},
		{"name.endswith=s.example.com", "CNAME docs"},
		{"name=contains:api", "A api"},
		{"content=192.0.2.1", "A www"},
		{"content=2001:DB8:0::1", "AAAA www"},
		{"content.exact=PAGES.example.net", "CNAME docs"},
		{"content.contains=spf1", "TXT "},
		{"content.startswith=192.0.2", "A api,A www"},
		{"content.endswith=.2", "A api"},
		{"proxied=true", "A api"},
		{"proxied=false&type=A", "A www"},
		{"comment=hello%20world", "A www"},
		{"comment.exact=DOCS%20SITE", "CNAME docs"},
		{"comment.contains=world", "A www"},
		{"comment.startswith=docs", "CNAME docs"},
		{"comment.endswith=site", "CNAME docs"},
		{"comment.present=", "A www,CNAME docs"},
		{"comment.absent=&type=A", "A api"},
		{"tag=env:prod", "A www"},
		{"tag=ENV", "A api,A www"},
		{"tag.exact=team:WEB", "A www"},
		{"tag.present=team", "A www"},
		{"tag.absent=env&type=A", ""},
		{"tag.absent=team&type=A", "A api"},
		{"tag.contains=env:stag", "A api"},
		{"tag.startswith=env:pro", "A www"},
		{"tag.endswith=env:ing", "A api"},
		{"tag=env:prod&tag=env:staging", ""},
		{"tag=env:prod&tag=env:staging&tag_match=any", "A api,A www"},
		{"type=MX&name=docs.example.com", ""},
		{"type=MX&name=docs.example.com&match=any", "CNAME docs,MX "},
		{"type=A&type=CNAME&match=any", "A api,A www,CNAME docs"},
		{"search=hello", "A www"},
		{"order=name&type=A", "A api,A www"},
		{"order=name&direction=desc&type=A", "A www,A api"},
		{"order=ttl&name=www", "A www,AAAA www"},
		{"order=ttl&direction=desc&name=www", "AAAA www,A www"},
		{"order=content&type=A&direction=desc", "A api,A www"},
		{"order=proxied&type=A&direction=desc", "A api,A www"},
		{"order=type&direction=desc&name=www", "AAAA www,A www"},
	}
	for _, tc := range tests {
		t.Run(tc.query, func(t *testing.T) {
			res := f.call("GET", "/zones/{zone}/dns_records?"+tc.query, nil)
			expectOK(t, res)
			var got []string
			for _, r := range res.records(t) {
				got = append(got, key(r))
			}
			if g := strings.Join(got, ","); g != tc.want {
				t.Errorf("got %q, want %q", g, tc.want)
			}
		})
	}
}

func TestGoAPI(t *testing.T) {
	f := newFixture(t)
	z := f.zone.ID
	rec, err := f.s.CreateRecord(z, Record{Type: "a", Name: "WWW", Content: "203.0.113.7", TTL: 3600})
	if err != nil || rec.Name != "www.example.com" || rec.Type != "A" || !isID(rec.ID) || rec.ZoneID != z {
		t.Fatalf("CreateRecord: %+v, %v", rec, err)
	}
	_, err = f.s.CreateRecord(z, Record{Type: "CNAME", Name: "www", Content: "x.example.net", TTL: 1})
	var apiErr *APIError
	if !errors.As(err, &apiErr) || apiErr.Code != 81053 || apiErr.Status != 400 {
		t.Errorf("conflict error %v", err)
	}
	if _, err := f.s.CreateRecord(z, Record{Type: "A", Name: "x", Content: "1.1", TTL: 1}); !errors.As(err, &apiErr) || apiErr.Code != 9005 {
		t.Errorf("invalid content error %v", err)
	}
	if _, err := f.s.CreateRecord("0123456789abcdef0123456789abcdef", Record{Type: "A", Name: "x", Content: "192.0.2.1", TTL: 1}); err == nil {
		t.Error("unknown zone accepted")
	}

	patched, err := f.s.PatchRecord(z, rec.ID, func(r *Record) { r.Proxied = true; r.Content = "203.0.113.8" })
	if err != nil || patched.TTL != 1 || !patched.Proxied || patched.Content != "203.0.113.8" || !patched.CreatedOn.Equal(rec.CreatedOn) {
		t.Errorf("PatchRecord: %+v %v", patched, err)
	}
	if _, err := f.s.PatchRecord(z, rec.ID, func(r *Record) { r.TTL = 5; r.Proxied = false }); !errors.As(err, &apiErr) || apiErr.Code != 9021 {
		t.Errorf("PatchRecord invalid ttl: %v", err)
	}
	if got, _ := f.s.Record(z, rec.ID); got.Content != "203.0.113.8" || got.TTL != 1 {
		t.Errorf("failed patch changed the record: %+v", got)
	}
	if _, err := f.s.PatchRecord(z, "0123456789abcdef0123456789abcdef", func(*Record) {}); !errors.As(err, &apiErr) || apiErr.Code != 81044 || apiErr.Status != 404 {
		t.Errorf("PatchRecord missing: %v", err)
	}

	// The API sees out-of-band changes.
	res := f.call("GET", "/zones/{zone}/dns_records/"+rec.ID, nil)
	if r := res.record(t); r.Content != "203.0.113.8" {
		t.Errorf("API sees %s", r.Content)
	}

	if _, err := f.s.CreateRecord(z, Record{Type: "TXT", Name: "@", Content: "b", TTL: 1}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.s.CreateRecord(z, Record{Type: "TXT", Name: "@", Content: "a", TTL: 1}); err != nil {
		t.Fatal(err)
	}
	var order []string
	for _, r := range f.s.Records(z) {
		order = append(order, r.Type+":"+r.Content)
	}
	if strings.Join(order, ",") != "A:203.0.113.8,TXT:a,TXT:b" {
		t.Errorf("Records order %v", order)
	}
	if got := f.s.FindRecords(z, "EXAMPLE.com.", "txt"); len(got) != 2 {
		t.Errorf("FindRecords apex: %d", len(got))
	}
	if got := f.s.FindRecords(z, "www.example.com", ""); len(got) != 1 {
		t.Errorf("FindRecords www: %d", len(got))
	}
	// Returned records are copies.
	got := f.s.Records(z)
	got[0].Content = "mutated"
	if r, _ := f.s.Record(z, got[0].ID); r.Content == "mutated" {
		t.Error("Records returned shared state")
	}

	if err := f.s.DeleteRecord(z, rec.ID); err != nil {
		t.Fatal(err)
	}
	if err := f.s.DeleteRecord(z, rec.ID); !errors.As(err, &apiErr) || apiErr.Code != 81044 {
		t.Errorf("second delete: %v", err)
	}
	if _, ok := f.s.Record(z, rec.ID); ok {
		t.Error("record still there")
	}

	added := f.s.AddZone(Zone{Name: "New.Example."})
	if !isID(added.ID) || added.Name != "new.example" || added.Status != "active" || added.Plan != "free" ||
		added.AccountID != DefaultAccountID || len(added.NameServers) != 2 {
		t.Errorf("AddZone defaults: %+v", added)
	}
	expectOK(t, f.call("GET", "/zones/"+added.ID, nil))
}

func TestSeedConfig(t *testing.T) {
	dir := t.TempDir()
	seed := `{
	  "zones": [{"id": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "name": "seed.example", "plan": "enterprise"}],
	  "tokens": [{"value": "seed-token", "zone_ids": ["aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"]}],
	  "keys": [{"email": "a@b.c", "key": "k"}],
	  "records": [
	    {"zone_id": "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", "type": "A", "name": "www", "content": "192.0.2.1", "ttl": 30},
	    {"type": "TXT", "name": "txt.seed.example", "content": "zone found by name", "ttl": 1}
	  ]
	}`
	path := filepath.Join(dir, "seed.json")
	if err := os.WriteFile(path, []byte(seed), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := LoadConfig(path)
	if err != nil {
		t.Fatal(err)
	}
	s, err := Build(cfg)
	if err != nil {
		t.Fatal(err)
	}
	recs := s.Records("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa")
	if len(recs) != 2 || recs[0].Name != "www.seed.example" || recs[0].TTL != 30 {
		t.Errorf("seeded records %+v", recs)
	}

	cfg.Records = append(cfg.Records, Record{ZoneID: "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa", Type: "A", Name: "bad", Content: "nope", TTL: 1})
	if _, err := Build(cfg); err == nil {
		t.Error("Build accepted an invalid seed record")
	}
	defer func() {
		if recover() == nil {
			t.Error("New did not panic on an invalid seed record")
		}
	}()
	New(cfg)
}

func TestConcurrentUse(t *testing.T) {
	f := newFixture(t)
	done := make(chan struct{})
	for i := range 8 {
		go func() {
			defer func() { done <- struct{}{} }()
			for j := range 10 {
				f.call("POST", "/zones/{zone}/dns_records", map[string]any{"type": "TXT", "name": "c", "content": string(rune('a'+i)) + strings.Repeat("x", j)})
				f.call("GET", "/zones/{zone}/dns_records?name=c", nil)
				f.s.Records(f.zone.ID)
			}
		}()
	}
	for range 8 {
		<-done
	}
	if n := len(f.s.FindRecords(f.zone.ID, "c", "TXT")); n != 80 {
		t.Errorf("%d records, want 80", n)
	}
}
