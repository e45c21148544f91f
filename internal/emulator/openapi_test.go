package emulator

import (
	"encoding/json"
	"fmt"
	"math"
	"os"
	"slices"
	"strings"
	"testing"
	"time"
)

// openAPISubset is the subset of Cloudflare's OpenAPI schema (2024-08-06) for
// zones, DNS records and token verification that the emulator is checked against.
const openAPISubset = "testdata/cloudflare-openapi-dns-zones-subset.json"

// nullableByFacts are fields the 2024 schema types as plain strings but that
// real output (cloudflare-api.md §2) shows as null.
var nullableByFacts = map[string]bool{"comment": true}

type schemaChecker struct {
	schemas map[string]any
	errs    []string
}

func (c *schemaChecker) resolve(s map[string]any) map[string]any {
	for {
		ref, ok := s["$ref"].(string)
		if !ok {
			return s
		}
		s, _ = c.schemas[strings.TrimPrefix(ref, "#/components/schemas/")].(map[string]any)
	}
}

func (c *schemaChecker) fail(path, format string, args ...any) {
	c.errs = append(c.errs, path+": "+fmt.Sprintf(format, args...))
}

// check validates v against s: required fields, types, enums, bounds, formats.
func (c *schemaChecker) check(path string, v any, s map[string]any) {
	s = c.resolve(s)
	for _, part := range asList(s["allOf"]) {
		c.check(path, v, part)
	}
	if variants := asList(s["oneOf"]); len(variants) > 0 {
		c.checkVariant(path, v, variants)
	}
	if variants := asList(s["anyOf"]); len(variants) > 0 {
		ok := slices.ContainsFunc(variants, func(variant map[string]any) bool {
			sub := &schemaChecker{schemas: c.schemas}
			sub.check(path, v, variant)
			return len(sub.errs) == 0
		})
		if !ok {
			c.fail(path, "%v matches no anyOf variant", v)
		}
	}
	if v == nil {
		last := path[strings.LastIndex(path, ".")+1:]
		if s["nullable"] != true && s["type"] != nil && !nullableByFacts[last] {
			c.fail(path, "null but not nullable")
		}
		return
	}
	if enum, ok := s["enum"].([]any); ok && !slices.Contains(enum, v) {
		c.fail(path, "%v not in %v", v, enum)
	}
	switch s["type"] {
	case "string":
		str, ok := v.(string)
		if !ok {
			c.fail(path, "%T, want string", v)
			return
		}
		if maxLen, ok := s["maxLength"].(float64); ok && float64(len(str)) > maxLen {
			c.fail(path, "longer than %v", maxLen)
		}
		if s["format"] == "date-time" {
			if _, err := time.Parse(time.RFC3339Nano, str); err != nil {
				c.fail(path, "not date-time: %v", err)
			}
		}
	case "number", "integer":
		n, ok := v.(float64)
		if !ok || s["type"] == "integer" && n != math.Trunc(n) {
			c.fail(path, "%v, want %s", v, s["type"])
			return
		}
		if lo, ok := s["minimum"].(float64); ok && n < lo {
			c.fail(path, "%v below %v", n, lo)
		}
		if hi, ok := s["maximum"].(float64); ok && n > hi {
			c.fail(path, "%v above %v", n, hi)
		}
	case "boolean":
		if _, ok := v.(bool); !ok {
			c.fail(path, "%T, want boolean", v)
		}
	case "array":
		items, ok := v.([]any)
		if !ok {
			c.fail(path, "%T, want array", v)
			return
		}
		if itemSchema, ok := s["items"].(map[string]any); ok {
			for i, item := range items {
				c.check(fmt.Sprintf("%s[%d]", path, i), item, itemSchema)
			}
		}
	}
	obj, isObj := v.(map[string]any)
	if !isObj {
		if s["type"] == "object" {
			c.fail(path, "%T, want object", v)
		}
		return
	}
	for _, req := range asStrings(s["required"]) {
		if _, ok := obj[req]; !ok {
			c.fail(path, "missing required %q", req)
		}
	}
	props, _ := s["properties"].(map[string]any)
	for name, ps := range props {
		if val, ok := obj[name]; ok {
			sub, _ := ps.(map[string]any)
			c.check(path+"."+name, val, sub)
		}
	}
}

// checkVariant picks the oneOf variant whose "type" enum names the record's
// type (the DNS record union), or else wants exactly one variant to match.
func (c *schemaChecker) checkVariant(path string, v any, variants []map[string]any) {
	obj, _ := v.(map[string]any)
	for _, variant := range variants {
		if c.typeEnumContains(variant, obj["type"]) {
			c.check(path+"<"+fmt.Sprint(obj["type"])+">", v, variant)
			return
		}
	}
	c.fail(path, "no oneOf variant for %v", obj["type"])
}

func (c *schemaChecker) typeEnumContains(s map[string]any, typ any) bool {
	s = c.resolve(s)
	for _, part := range append(asList(s["allOf"]), s) {
		if props, ok := c.resolve(part)["properties"].(map[string]any); ok {
			if t, ok := props["type"].(map[string]any); ok && slices.Contains(asAnyList(t["enum"]), typ) {
				return true
			}
		}
	}
	return false
}

func asList(v any) []map[string]any {
	var out []map[string]any
	for _, x := range asAnyList(v) {
		if m, ok := x.(map[string]any); ok {
			out = append(out, m)
		}
	}
	return out
}

func asAnyList(v any) []any { l, _ := v.([]any); return l }

func asStrings(v any) []string {
	var out []string
	for _, x := range asAnyList(v) {
		s, _ := x.(string)
		out = append(out, s)
	}
	return out
}

// TestOpenAPIConformance checks whole responses (envelope and result) against
// the 200 response schemas of the OpenAPI subset.
func TestOpenAPIConformance(t *testing.T) {
	data, err := os.ReadFile(openAPISubset)
	if err != nil {
		t.Fatalf("reading the OpenAPI subset: %v", err)
	}
	var spec struct {
		Components struct{ Schemas map[string]any }
		Paths      map[string]map[string]struct {
			Responses map[string]struct {
				Content map[string]struct{ Schema map[string]any }
			}
		}
	}
	if err := json.Unmarshal(data, &spec); err != nil {
		t.Fatal(err)
	}

	f := newFixture(t)
	records := []map[string]any{
		{"type": "A", "name": "www", "content": "192.0.2.1", "proxied": true, "comment": "c", "tags": []string{"a:b"}},
		{"type": "AAAA", "name": "www", "content": "2001:db8::1", "ttl": 300},
		{"type": "CNAME", "name": "docs", "content": "pages.example.net"},
		{"type": "MX", "name": "@", "content": "mail.example.com", "priority": 10},
		{"type": "TXT", "name": "@", "content": "v=spf1 -all"},
		{"type": "NS", "name": "sub", "content": "ns1.example.net"},
		{"type": "CAA", "name": "@", "data": map[string]any{"flags": 0, "tag": "issue", "value": "letsencrypt.org"}},
		{"type": "SRV", "name": "_sip._tcp", "data": map[string]any{"priority": 10, "weight": 5, "port": 5060, "target": "sip.example.com"}},
	}
	var ids []string
	for _, r := range records {
		ids = append(ids, f.mustCreate(r).ID)
	}
	calls := []struct{ specPath, path string }{
		{"/zones", "/zones"},
		{"/zones/{zone_id}", "/zones/{zone}"},
		{"/zones/{zone_id}/dns_records", "/zones/{zone}/dns_records"},
		{"/user/tokens/verify", "/user/tokens/verify"},
	}
	for _, id := range ids {
		calls = append(calls, struct{ specPath, path string }{"/zones/{zone_id}/dns_records/{dns_record_id}", "/zones/{zone}/dns_records/" + id})
	}
	for _, call := range calls {
		t.Run(call.path, func(t *testing.T) {
			op, ok := spec.Paths[call.specPath]["get"]
			if !ok {
				t.Skipf("no GET %s in the subset", call.specPath)
			}
			schema := op.Responses["200"].Content["application/json"].Schema
			res := f.call("GET", call.path, nil)
			expectOK(t, res)
			var body any
			if err := json.Unmarshal(res.body, &body); err != nil {
				t.Fatal(err)
			}
			c := &schemaChecker{schemas: spec.Components.Schemas}
			c.check("response", body, schema)
			for _, e := range c.errs {
				t.Error(e)
			}
		})
	}
}
