package emulator

import (
	"bytes"
	"encoding/json"
	"fmt"
	"maps"
	"net/http"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Record is one DNS record as the API returns it.
type Record struct {
	ID        string         `json:"id"`
	ZoneID    string         `json:"-"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Content   string         `json:"content"`
	Proxiable bool           `json:"proxiable"`
	Proxied   bool           `json:"proxied"`
	TTL       int            `json:"ttl"`
	Priority  *int           `json:"priority,omitempty"`
	Comment   *string        `json:"comment"`
	Tags      []string       `json:"tags"`
	Data      map[string]any `json:"data,omitempty"`
	Settings  map[string]any `json:"settings"`
	Meta      map[string]any `json:"meta"`

	CreatedOn         time.Time  `json:"created_on"`
	ModifiedOn        time.Time  `json:"modified_on"`
	CommentModifiedOn *time.Time `json:"comment_modified_on,omitempty"`
	TagsModifiedOn    *time.Time `json:"tags_modified_on,omitempty"`
}

// Validation and conflict codes. Those marked [U] are guesses (see
// cloudflare-api.md §4); change them here.
const (
	codeBadName        = 9000 // [U] "DNS name is invalid." seen for empty names; also used for names outside the zone
	codeProxyCFIP      = 9003
	codeNotProxiable   = 9004
	codeBadA           = 9005
	codeBadAAAA        = 9006 // [U]
	codeBadContent     = 9007 // CNAME per the facts; [U] reused for every other type's content and data
	codeNeedPriority   = 9010 // [U]
	codeBadType        = 9020 // [U] seen in older error chains
	codeBadTTL         = 9021
	codeCNAMESelf      = 9039
	codeProxyPrivate   = 9041
	codeBadComment     = 9101 // [U]
	codeBadTags        = 9102 // [U]
	codeBadBody        = 9207 // [O] "Failed to parse request body" seen in 2020 output
	codeBatchTooLarge  = 9208 // [U]
	codeRecordMissing  = 81044
	codeCNAMEConflict  = 81053
	codeAddrVsCNAME    = 81054
	codeNSConflict     = 81056
	codeIdentical      = 81058
	maxTXTLength       = 2048
	maxNameLength      = 253
	maxLabelLength     = 63
	batchLimitFree     = 200
	batchLimitPaidPlan = 3500
)

var recordTypes = []string{"A", "AAAA", "CAA", "CERT", "CNAME", "DNSKEY", "DS", "HTTPS", "LOC", "MX",
	"NAPTR", "NS", "OPENPGPKEY", "PTR", "SMIMEA", "SRV", "SSHFP", "SVCB", "TLSA", "TXT", "URI"}

// dataFields lists, per structured type, the data keys in content order.
var dataFields = map[string][]string{
	"CAA":    {"flags", "tag", "value"},
	"CERT":   {"type", "key_tag", "algorithm", "certificate"},
	"DNSKEY": {"flags", "protocol", "algorithm", "public_key"},
	"DS":     {"key_tag", "algorithm", "digest_type", "digest"},
	"HTTPS":  {"priority", "target", "value"},
	"LOC": {"lat_degrees", "lat_minutes", "lat_seconds", "lat_direction", "long_degrees", "long_minutes",
		"long_seconds", "long_direction", "altitude", "size", "precision_horz", "precision_vert"},
	"NAPTR":  {"order", "preference", "flags", "service", "regex", "replacement"},
	"SMIMEA": {"usage", "selector", "matching_type", "certificate"},
	"SRV":    {"weight", "port", "target"}, // priority travels separately, see the facts' SRV example
	"SSHFP":  {"algorithm", "type", "fingerprint"},
	"SVCB":   {"priority", "target", "value"},
	"TLSA":   {"usage", "selector", "matching_type", "certificate"},
	"URI":    {"weight", "target"},
}

// cloudflareIPs cannot be the target of a proxied record (9003).
var cloudflareIPs = map[string]bool{"1.1.1.1": true, "1.0.0.1": true,
	"2606:4700:4700::1111": true, "2606:4700:4700::1001": true}

func (r Record) clone() Record {
	c := r
	c.Priority = clonePtr(r.Priority)
	c.Comment = clonePtr(r.Comment)
	c.CommentModifiedOn = clonePtr(r.CommentModifiedOn)
	c.TagsModifiedOn = clonePtr(r.TagsModifiedOn)
	c.Tags = append([]string{}, r.Tags...)
	c.Data = maps.Clone(r.Data)
	c.Settings = maps.Clone(r.Settings)
	c.Meta = maps.Clone(r.Meta)
	return c
}

func clonePtr[T any](p *T) *T {
	if p == nil {
		return nil
	}
	v := *p
	return &v
}

func hasPriority(typ string) bool { return typ == "MX" || typ == "SRV" || typ == "URI" }

// MarshalJSON writes the record in the field order of real API output.
func (r Record) MarshalJSON() ([]byte, error) {
	var b bytes.Buffer
	field := func(name string, v any) {
		if b.Len() > 1 {
			b.WriteByte(',')
		}
		k, _ := json.Marshal(name)
		val, err := json.Marshal(v)
		if err != nil {
			val = []byte("null")
		}
		b.Write(k)
		b.WriteByte(':')
		b.Write(val)
	}
	b.WriteByte('{')
	field("id", r.ID)
	field("name", r.Name)
	field("type", r.Type)
	field("content", r.Content)
	if hasPriority(r.Type) && r.Priority != nil {
		field("priority", *r.Priority)
	}
	if r.Data != nil {
		field("data", r.Data)
	}
	field("proxiable", r.Proxiable)
	field("proxied", r.Proxied)
	field("ttl", r.TTL)
	field("settings", orEmpty(r.Settings))
	field("meta", orEmpty(r.Meta))
	field("comment", r.Comment)
	field("tags", append([]string{}, r.Tags...))
	field("created_on", formatTime(r.CreatedOn))
	field("modified_on", formatTime(r.ModifiedOn))
	if r.CommentModifiedOn != nil {
		field("comment_modified_on", formatTime(*r.CommentModifiedOn))
	}
	if r.TagsModifiedOn != nil {
		field("tags_modified_on", formatTime(*r.TagsModifiedOn))
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

func orEmpty(m map[string]any) map[string]any {
	if m == nil {
		return map[string]any{}
	}
	return m
}

// UnmarshalJSON reads API output and seed files; seeds name their zone in "zone_id".
func (r *Record) UnmarshalJSON(data []byte) error {
	type plain Record
	var aux struct {
		plain
		ZoneID string `json:"zone_id"`
	}
	if err := json.Unmarshal(data, &aux); err != nil {
		return err
	}
	*r = Record(aux.plain)
	r.ZoneID = aux.ZoneID
	return nil
}

func errRecordMissing() *APIError {
	return apiErr(http.StatusNotFound, codeRecordMissing, "Record does not exist.")
}

func badRequest(code int, format string, args ...any) *APIError {
	return apiErr(http.StatusBadRequest, code, format, args...)
}

// ---- names ----

// lookupProfile maps Unicode labels the way browsers do; ASCII labels are
// checked separately because it would reject the underscores DNS records use.
var lookupProfile = idna.New(idna.MapForLookup(), idna.Transitional(false), idna.BidiRule())

// toASCIIName lowercases, strips one trailing dot and converts Unicode labels
// to Punycode, checking label and name lengths and characters.
func toASCIIName(name string) (string, error) {
	name = strings.TrimSuffix(name, ".")
	if name == "" {
		return "", fmt.Errorf("empty name")
	}
	labels := strings.Split(name, ".")
	for i, l := range labels {
		if l == "" {
			return "", fmt.Errorf("empty label")
		}
		if !isASCII(l) {
			a, err := lookupProfile.ToASCII(l)
			if err != nil {
				return "", err
			}
			l = a
		}
		l = strings.ToLower(l)
		if len(l) > maxLabelLength {
			return "", fmt.Errorf("label too long")
		}
		if (l != "*" || i != 0) && strings.Trim(l, "abcdefghijklmnopqrstuvwxyz0123456789-_") != "" {
			return "", fmt.Errorf("invalid character in %q", l)
		}
		labels[i] = l
	}
	out := strings.Join(labels, ".")
	if len(out) > maxNameLength {
		return "", fmt.Errorf("name too long")
	}
	return out, nil
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= utf8.RuneSelf {
			return false
		}
	}
	return true
}

// normalizeName turns the name as sent into the stored FQDN. Names without a
// trailing dot that do not end in the zone are taken as relative to it (so
// "www" and "www.sub" work, as on Cloudflare). [U] A name with a trailing dot
// is absolute, and one outside the zone is rejected with codeBadName.
func (z *zoneState) normalizeName(name string) (string, *APIError) {
	bad := badRequest(codeBadName, "DNS name is invalid.")
	if name == "@" {
		return z.Name, nil
	}
	absolute := strings.HasSuffix(name, ".")
	n, err := toASCIIName(name)
	if err != nil {
		return "", bad
	}
	if n == z.Name || strings.HasSuffix(n, "."+z.Name) {
		return n, nil
	}
	if absolute {
		return "", bad
	}
	if n, err = toASCIIName(n + "." + z.Name); err != nil {
		return "", bad
	}
	return n, nil
}

// normalizeHost checks a target hostname (CNAME, MX, NS, PTR, SRV target).
func normalizeHost(s string) (string, bool) {
	if _, err := netip.ParseAddr(s); err == nil {
		return "", false
	}
	h, err := toASCIIName(s)
	if err != nil || strings.Contains(h, "*") {
		return "", false
	}
	return h, true
}

// ---- validation ----

// normalize validates r in place, as the API does on every write.
func (z *zoneState) normalize(r *Record) *APIError {
	r.Type = strings.ToUpper(strings.TrimSpace(r.Type))
	if !slices.Contains(recordTypes, r.Type) {
		return badRequest(codeBadType, "Invalid DNS record type")
	}
	name, e := z.normalizeName(r.Name)
	if e != nil {
		return e
	}
	r.Name = name
	if e := z.normalizeContent(r); e != nil {
		return e
	}
	if e := z.checkTTL(r.TTL); e != nil {
		return e
	}
	if e := checkProxy(r); e != nil {
		return e
	}
	if r.Proxied {
		r.TTL = 1 // proxied records always read back as Auto
	}
	if r.Comment != nil && *r.Comment == "" {
		r.Comment = nil // [U] an empty comment reads back as null
	}
	if r.Comment != nil && strings.ContainsAny(*r.Comment, "\r\n") {
		return badRequest(codeBadComment, "Comment cannot contain new lines.")
	}
	if r.Tags == nil {
		r.Tags = []string{}
	}
	for _, t := range r.Tags {
		name, _, ok := strings.Cut(t, ":")
		if !ok || name == "" || strings.Trim(name, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-") != "" {
			return badRequest(codeBadTags, "Invalid tag %q: tags must be of the form name:value, with a name of letters, digits, _ and -.", t)
		}
	}
	r.Settings = normalizeSettings(r.Type, r.Settings)
	if r.Meta == nil {
		r.Meta = map[string]any{}
	}
	if !hasPriority(r.Type) {
		r.Priority = nil
	}
	return nil
}

func (z *zoneState) checkTTL(ttl int) *APIError {
	minTTL := 60
	if z.Plan == "enterprise" {
		minTTL = 30
	}
	if ttl == 1 || ttl >= minTTL && ttl <= 86400 {
		return nil
	}
	return badRequest(codeBadTTL, "TTL must be between %d and 86400 seconds, or 1 for Automatic.", minTTL)
}

func (z *zoneState) normalizeContent(r *Record) *APIError {
	badContent := badRequest(codeBadContent, "Content for %s record is invalid.", r.Type)
	switch r.Type {
	case "A", "AAAA":
		ip, err := netip.ParseAddr(r.Content)
		if r.Type == "A" && (err != nil || !ip.Is4()) {
			return badRequest(codeBadA, "Content for A record must be a valid IPv4 address.")
		}
		if r.Type == "AAAA" && (err != nil || !ip.Is6() || ip.Zone() != "") {
			return badRequest(codeBadAAAA, "Content for AAAA record must be a valid IPv6 address.")
		}
		r.Content = ip.String() // RFC 5952 canonical form
		r.Data = nil
	case "CNAME", "NS", "PTR", "MX":
		if r.Type == "MX" && r.Content == "." {
			break // null MX (RFC 7505)
		}
		h, ok := normalizeHost(r.Content)
		if !ok {
			return badContent
		}
		r.Content = h
		r.Data = nil
		if r.Type == "CNAME" && h == r.Name {
			return badRequest(codeCNAMESelf, "CNAME content cannot reference itself.")
		}
	case "TXT", "OPENPGPKEY":
		if r.Content == "" || len(r.Content) > maxTXTLength {
			return badContent
		}
		r.Data = nil
	default:
		if r.Data == nil {
			r.Data = parseData(r.Type, r.Content)
		}
		if e := normalizeData(r); e != nil {
			return e
		}
	}
	if r.Type == "MX" && r.Priority == nil {
		return badRequest(codeNeedPriority, "Priority is required for MX records.")
	}
	if r.Priority != nil && (*r.Priority < 0 || *r.Priority > 65535) {
		return badRequest(codeBadContent, "Priority must be between 0 and 65535.")
	}
	return nil
}

// parseData splits content into the type's data fields; the last field takes
// the rest of the line. Values that look like integers become numbers.
func parseData(typ, content string) map[string]any {
	keys := dataFields[typ]
	parts := strings.Fields(content)
	if len(keys) == 0 || len(parts) < len(keys) {
		return nil
	}
	if typ == "SRV" && len(parts) == 4 {
		parts = parts[1:] // "priority weight port target"; priority is given separately
	}
	data := map[string]any{}
	for i, k := range keys {
		v := parts[i]
		if i == len(keys)-1 {
			v = strings.Join(parts[i:], " ")
		}
		if n, err := strconv.Atoi(v); err == nil {
			data[k] = n
		} else {
			data[k] = strings.Trim(v, `"`)
		}
	}
	return data
}

// normalizeData checks a structured record's data and derives its content.
func normalizeData(r *Record) *APIError {
	bad := badRequest(codeBadContent, "Content for %s record is invalid.", r.Type)
	if r.Data == nil {
		return bad
	}
	data := map[string]any{}
	for k, v := range r.Data {
		if f, ok := v.(float64); ok && f == float64(int(f)) {
			v = int(f) // JSON numbers arrive as float64
		}
		data[k] = v
	}
	if p, ok := data["priority"].(int); ok && (r.Type == "SRV" || r.Type == "URI") {
		r.Priority = &p
	} else if r.Priority != nil && (r.Type == "SRV" || r.Type == "URI") {
		data["priority"] = *r.Priority
	}
	parts := make([]string, 0, len(dataFields[r.Type]))
	for _, k := range dataFields[r.Type] {
		v, ok := data[k]
		if !ok || v == nil || v == "" {
			return bad
		}
		parts = append(parts, fmt.Sprint(v))
	}
	switch r.Type {
	case "CAA":
		tag, _ := data["tag"].(string)
		if strings.Trim(strings.ToLower(tag), "abcdefghijklmnopqrstuvwxyz0123456789") != "" {
			return bad
		}
		data["tag"] = strings.ToLower(tag)
		parts = []string{fmt.Sprint(data["flags"]), strings.ToLower(tag), strconv.Quote(fmt.Sprint(data["value"]))}
	case "SRV":
		target, ok := normalizeHost(fmt.Sprint(data["target"]))
		if !ok && data["target"] != "." {
			return bad
		}
		if ok {
			data["target"], parts[2] = target, target
		}
		if r.Priority == nil {
			return badRequest(codeNeedPriority, "Priority is required for SRV records.")
		}
	case "URI":
		parts[1] = strconv.Quote(fmt.Sprint(data["target"]))
		if r.Priority == nil {
			return badRequest(codeNeedPriority, "Priority is required for URI records.")
		}
	}
	r.Data = data
	r.Content = strings.Join(parts, " ")
	return nil
}

func checkProxy(r *Record) *APIError {
	r.Proxiable = false
	switch r.Type {
	case "A", "AAAA":
		ip, _ := netip.ParseAddr(r.Content)
		r.Proxiable = !(ip.IsPrivate() || ip.IsLoopback() || ip.IsUnspecified() || ip.IsLinkLocalUnicast())
	case "CNAME":
		r.Proxiable = true
	}
	if !r.Proxied {
		return nil
	}
	switch {
	case r.Type != "A" && r.Type != "AAAA" && r.Type != "CNAME":
		return badRequest(codeNotProxiable, "This record type cannot be proxied.")
	case !r.Proxiable:
		return badRequest(codeProxyPrivate, "This DNS record cannot be proxied - click the cloud icon to turn it gray to proceed")
	case cloudflareIPs[r.Content]:
		return badRequest(codeProxyCFIP, "Target %s is not allowed for a proxied record.", r.Content)
	}
	return nil
}

func normalizeSettings(typ string, in map[string]any) map[string]any {
	out := map[string]any{}
	for _, k := range []string{"ipv4_only", "ipv6_only", "flatten_cname"} {
		if v, ok := in[k].(bool); ok && (typ == "A" || typ == "AAAA" || typ == "CNAME") {
			if k != "flatten_cname" || typ == "CNAME" {
				out[k] = v
			}
		}
	}
	if _, ok := out["flatten_cname"]; typ == "CNAME" && !ok {
		out["flatten_cname"] = false
	}
	return out
}

// ---- conflicts and storage ----

// conflict reports the error for storing c next to the zone's other records;
// the record being replaced (same ID) does not conflict with itself.
func (z *zoneState) conflict(c *Record) *APIError {
	isAddr := func(t string) bool { return t == "A" || t == "AAAA" }
	var identical bool
	for _, o := range z.records {
		if o.ID == c.ID || o.Name != c.Name {
			continue
		}
		switch {
		case c.Type == "CNAME" && (isAddr(o.Type) || o.Type == "CNAME"):
			return badRequest(codeCNAMEConflict, "An A, AAAA, or CNAME record with that host already exists.")
		case isAddr(c.Type) && o.Type == "CNAME":
			return badRequest(codeAddrVsCNAME, "A CNAME record with that host already exists.")
		// [U] NS at the apex are the zone's own delegation and coexist with anything.
		case c.Name != z.Name && (c.Type == "NS" && (isAddr(o.Type) || o.Type == "CNAME") ||
			o.Type == "NS" && (isAddr(c.Type) || c.Type == "CNAME")):
			return badRequest(codeNSConflict, "NS records with that host already exist.")
		case o.Type == c.Type && o.Content == c.Content:
			identical = true
		}
	}
	if identical {
		return badRequest(codeIdentical, "An identical record already exists.")
	}
	return nil
}

func (z *zoneState) create(r Record) (*Record, *APIError) {
	r.ID = newID()
	r.ZoneID = z.ID
	if r.CreatedOn.IsZero() {
		r.CreatedOn = now()
	}
	if r.ModifiedOn.Before(r.CreatedOn) {
		r.ModifiedOn = r.CreatedOn
	}
	if e := z.normalize(&r); e != nil {
		return nil, e
	}
	if e := z.conflict(&r); e != nil {
		return nil, e
	}
	stampAnnotations(nil, &r, r.CreatedOn)
	z.records[r.ID] = &r
	return &r, nil
}

// replace validates next as the new state of old and stores it.
func (z *zoneState) replace(old *Record, next Record) (*Record, *APIError) {
	if e := z.normalize(&next); e != nil {
		return nil, e
	}
	if e := z.conflict(&next); e != nil {
		return nil, e
	}
	t := now()
	next.ModifiedOn = t
	stampAnnotations(old, &next, t)
	z.records[next.ID] = &next
	return &next, nil
}

// stampAnnotations keeps comment_modified_on and tags_modified_on, which
// appear only while a comment or tags exist.
func stampAnnotations(old, r *Record, t time.Time) {
	var oldComment *string
	var oldTags []string
	if old != nil {
		oldComment, oldTags = old.Comment, old.Tags
	}
	switch {
	case r.Comment == nil:
		r.CommentModifiedOn = nil
	case oldComment == nil || *oldComment != *r.Comment || r.CommentModifiedOn == nil:
		r.CommentModifiedOn = &t
	}
	switch {
	case len(r.Tags) == 0:
		r.TagsModifiedOn = nil
	case !slices.Equal(oldTags, r.Tags) || r.TagsModifiedOn == nil:
		r.TagsModifiedOn = &t
	}
}

// ---- request bodies ----

// recordInput is a decoded record body that remembers which fields were sent,
// because PUT resets omitted fields while PATCH keeps them.
type recordInput struct {
	ID                              string
	Name, Type, Content             *string
	Proxied                         *bool
	TTL, Priority                   *int
	Comment                         *string
	HasComment, HasTags             bool
	Tags                            []string
	Data, Settings                  map[string]any
	HasData, HasSettings, HasFields bool
}

func decodeRecordInput(raw json.RawMessage) (recordInput, *APIError) {
	var in recordInput
	var fields map[string]json.RawMessage
	bad := badRequest(codeBadBody, "Failed to parse request body.")
	if err := json.Unmarshal(raw, &fields); err != nil || fields == nil {
		return in, bad
	}
	in.HasFields = len(fields) > 0
	var err error
	decode := func(key string, dst any) bool {
		v, ok := fields[key]
		if !ok || string(v) == "null" {
			return false
		}
		if e := json.Unmarshal(v, dst); e != nil {
			err = e
			return false
		}
		return true
	}
	var id, name, typ, content, comment string
	var proxied bool
	var ttl, priority float64
	decode("id", &id)
	in.ID = id
	if decode("name", &name) {
		in.Name = &name
	}
	if decode("type", &typ) {
		in.Type = &typ
	}
	if decode("content", &content) {
		in.Content = &content
	}
	if decode("proxied", &proxied) {
		in.Proxied = &proxied
	}
	if decode("ttl", &ttl) {
		t := int(ttl)
		if float64(t) != ttl {
			t = 0 // not an integer: let the TTL check reject it
		}
		in.TTL = &t
	}
	if decode("priority", &priority) {
		p := int(priority)
		in.Priority = &p
	}
	_, in.HasComment = fields["comment"]
	if decode("comment", &comment) {
		in.Comment = &comment
	}
	_, in.HasTags = fields["tags"]
	decode("tags", &in.Tags)
	_, in.HasData = fields["data"]
	decode("data", &in.Data)
	_, in.HasSettings = fields["settings"]
	decode("settings", &in.Settings)
	if err != nil {
		return in, bad
	}
	return in, nil
}

// apply sets the sent fields on r. With full (POST, PUT) omitted fields fall
// back to their defaults: proxied false, ttl 1, no comment, no tags.
func (in recordInput) apply(r *Record, full bool) {
	if full {
		*r = Record{ID: r.ID, ZoneID: r.ZoneID, CreatedOn: r.CreatedOn, TTL: 1,
			CommentModifiedOn: r.CommentModifiedOn, TagsModifiedOn: r.TagsModifiedOn}
	}
	set := func(dst *string, v *string) {
		if v != nil {
			*dst = *v
		}
	}
	set(&r.Name, in.Name)
	set(&r.Type, in.Type)
	if in.Content != nil {
		r.Content = *in.Content
		if !in.HasData {
			r.Data = nil // new content replaces the old data; it is parsed again
		}
	}
	if in.Proxied != nil {
		r.Proxied = *in.Proxied
	}
	if in.TTL != nil {
		r.TTL = *in.TTL
	}
	if in.Priority != nil {
		r.Priority = in.Priority
		if r.Data != nil {
			r.Data["priority"] = *in.Priority
		}
	}
	if in.HasComment {
		r.Comment = in.Comment
	}
	if in.HasTags {
		r.Tags = in.Tags
	}
	if in.HasData {
		r.Data = in.Data
	}
	if in.HasSettings {
		r.Settings = in.Settings
	}
}

// requireFields checks the fields POST and PUT need.
func (in recordInput) requireFields() *APIError {
	if in.Type == nil {
		return badRequest(codeBadType, "Invalid DNS record type")
	}
	if in.Name == nil {
		return badRequest(codeBadName, "DNS name is invalid.")
	}
	if in.Content == nil && in.Data == nil {
		switch strings.ToUpper(*in.Type) {
		case "A":
			return badRequest(codeBadA, "Content for A record must be a valid IPv4 address.")
		case "AAAA":
			return badRequest(codeBadAAAA, "Content for AAAA record must be a valid IPv6 address.")
		}
		return badRequest(codeBadContent, "Content for %s record is invalid.", strings.ToUpper(*in.Type))
	}
	return nil
}

// ---- batch ----

type batchRequest struct {
	Deletes []json.RawMessage `json:"deletes"`
	Patches []json.RawMessage `json:"patches"`
	Puts    []json.RawMessage `json:"puts"`
	Posts   []json.RawMessage `json:"posts"`
}

type batchResult struct {
	Deletes []Record `json:"deletes"`
	Patches []Record `json:"patches"`
	Puts    []Record `json:"puts"`
	Posts   []Record `json:"posts"`
}

// batch runs deletes, patches, puts and posts in that order on a copy of the
// zone's records and keeps the copy only if every operation succeeds.
func (z *zoneState) batch(req batchRequest) (batchResult, *APIError) {
	res := batchResult{Deletes: []Record{}, Patches: []Record{}, Puts: []Record{}, Posts: []Record{}}
	limit := batchLimitFree
	if z.Plan != "free" {
		limit = batchLimitPaidPlan
	}
	if n := len(req.Deletes) + len(req.Patches) + len(req.Puts) + len(req.Posts); n > limit {
		return res, badRequest(codeBatchTooLarge, "Too many operations in batch: %d (limit %d).", n, limit)
	}
	work := *z
	work.records = make(map[string]*Record, len(z.records))
	for id, r := range z.records {
		c := r.clone()
		work.records[id] = &c
	}
	lookup := func(raw json.RawMessage) (recordInput, *Record, *APIError) {
		in, e := decodeRecordInput(raw)
		if e != nil {
			return in, nil, e
		}
		old, ok := work.records[in.ID]
		if !ok {
			return in, nil, errRecordMissing()
		}
		return in, old, nil
	}
	for _, raw := range req.Deletes {
		_, old, e := lookup(raw)
		if e != nil {
			return res, e
		}
		delete(work.records, old.ID)
		res.Deletes = append(res.Deletes, old.clone())
	}
	for i, list := range [][]json.RawMessage{req.Patches, req.Puts} {
		full := i == 1
		for _, raw := range list {
			in, old, e := lookup(raw)
			if e == nil && full {
				e = in.requireFields()
			}
			if e != nil {
				return res, e
			}
			next := old.clone()
			in.apply(&next, full)
			stored, e := work.replace(old, next)
			if e != nil {
				return res, e
			}
			if full {
				res.Puts = append(res.Puts, stored.clone())
			} else {
				res.Patches = append(res.Patches, stored.clone())
			}
		}
	}
	for _, raw := range req.Posts {
		in, e := decodeRecordInput(raw)
		if e == nil {
			e = in.requireFields()
		}
		if e != nil {
			return res, e
		}
		var r Record
		in.apply(&r, true)
		stored, e := work.create(r)
		if e != nil {
			return res, e
		}
		res.Posts = append(res.Posts, stored.clone())
	}
	z.records = work.records
	return res, nil
}
