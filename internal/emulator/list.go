package emulator

import (
	"cmp"
	"net/netip"
	"net/url"
	"slices"
	"strconv"
	"strings"
)

const (
	recordsDefaultPerPage = 100
	recordsMaxPerPage     = 5_000_000
)

type pageInfo struct {
	resultInfo
	from, to int
}

// paging reads page and per_page; values outside the schema's bounds are
// refused with codeBadQuery. [U] Cloudflare may clamp instead.
func paging(q url.Values, defPerPage, minPerPage, maxPerPage int) (page, perPage int, e *APIError) {
	read := func(key string, def, lo, hi int) (int, *APIError) {
		v := q.Get(key)
		if v == "" {
			return def, nil
		}
		f, err := strconv.ParseFloat(v, 64)
		if err != nil || f != float64(int(f)) || int(f) < lo || int(f) > hi {
			return 0, badRequest(codeBadQuery, "Invalid %s: must be an integer between %d and %d.", key, lo, hi)
		}
		return int(f), nil
	}
	if page, e = read("page", 1, 1, 1<<31-1); e != nil {
		return
	}
	perPage, e = read("per_page", defPerPage, minPerPage, maxPerPage)
	return
}

func pageOf(total, page, perPage int) pageInfo {
	from := min(total, (page-1)*perPage)
	to := min(total, from+perPage)
	return pageInfo{
		resultInfo: resultInfo{Page: page, PerPage: perPage, Count: to - from, TotalCount: total,
			TotalPages: (total + perPage - 1) / perPage},
		from: from, to: to,
	}
}

// textMatch applies one of the dotted filter operators, case-insensitively.
func textMatch(op, value, arg string) bool {
	value, arg = strings.ToLower(value), strings.ToLower(arg)
	switch op {
	case "contains":
		return strings.Contains(value, arg)
	case "startswith", "starts_with":
		return strings.HasPrefix(value, arg)
	case "endswith", "ends_with":
		return strings.HasSuffix(value, arg)
	}
	return value == arg
}

// deprecatedPrefix splits the pre-2025 "name=contains:x" filter syntax; only
// names are read this way, since contents and tags contain colons.
func deprecatedPrefix(v string) (op, arg string) {
	if before, after, ok := strings.Cut(v, ":"); ok {
		switch before {
		case "contains", "starts_with", "ends_with", "exact":
			return before, after
		}
	}
	return "exact", v
}

func tagMatches(r *Record, op, arg string) bool {
	wantName, wantValue, _ := strings.Cut(arg, ":")
	for _, t := range r.Tags {
		name, value, _ := strings.Cut(t, ":")
		if !strings.EqualFold(name, wantName) {
			continue
		}
		if op == "present" || textMatch(op, value, wantValue) {
			return true
		}
	}
	return false
}

func commentOf(r *Record) string {
	if r.Comment == nil {
		return ""
	}
	return *r.Comment
}

type recordFilter func(*Record) bool

// filters turns the query into conditions: general ones (combined by match),
// tag ones (combined by tag_match) and search (always required).
func (z *zoneState) filters(q url.Values) (general, tags, required []recordFilter) {
	for key, values := range q {
		field, op, dotted := strings.Cut(key, ".")
		for _, v := range values {
			op := op // each condition keeps its own operator
			if !dotted {
				op = "exact"
				if field == "name" {
					op, v = deprecatedPrefix(v)
				}
			}
			switch field {
			case "type":
				general = append(general, func(r *Record) bool { return strings.EqualFold(r.Type, v) })
			case "name":
				if op == "exact" {
					// [U] name and name.exact are normalised like a record name, so
					// "www", "@", "WWW.Example.com." and Unicode all find the record.
					if n, e := z.normalizeName(v); e == nil {
						v = n
					}
				}
				general = append(general, func(r *Record) bool { return textMatch(op, r.Name, v) })
			case "content":
				if ip, err := parseIP(v); err == nil && op == "exact" {
					v = ip
				}
				general = append(general, func(r *Record) bool { return textMatch(op, r.Content, v) })
			case "proxied":
				want, err := strconv.ParseBool(v)
				general = append(general, func(r *Record) bool { return err == nil && r.Proxied == want })
			case "comment":
				switch op {
				case "present", "absent":
					want := op == "present"
					general = append(general, func(r *Record) bool { return (r.Comment != nil) == want })
				default:
					general = append(general, func(r *Record) bool { return r.Comment != nil && textMatch(op, *r.Comment, v) })
				}
			case "tag":
				switch {
				case op == "absent":
					tags = append(tags, func(r *Record) bool { return !tagMatches(r, "present", v) })
				case op == "exact" && !strings.Contains(v, ":"):
					tags = append(tags, func(r *Record) bool { return tagMatches(r, "present", v) })
				default:
					tags = append(tags, func(r *Record) bool { return tagMatches(r, op, v) })
				}
			case "search":
				required = append(required, func(r *Record) bool {
					return textMatch("contains", r.Name, v) || textMatch("contains", r.Content, v) || textMatch("contains", commentOf(r), v)
				})
			}
		}
	}
	return general, tags, required
}

func combine(conds []recordFilter, matchAny bool, r *Record) bool {
	if len(conds) == 0 {
		return true
	}
	for _, c := range conds {
		if c(r) == matchAny {
			return matchAny
		}
	}
	return !matchAny
}

// list answers GET dns_records: filter, order, page.
func (z *zoneState) list(q url.Values) ([]Record, *resultInfo, *APIError) {
	page, perPage, e := paging(q, recordsDefaultPerPage, 1, recordsMaxPerPage)
	if e != nil {
		return nil, nil, e
	}
	general, tags, required := z.filters(q)
	if len(tags) > 0 {
		tagAny := q.Get("tag_match") == "any"
		general = append(general, func(r *Record) bool { return combine(tags, tagAny, r) })
	}
	matchAny := q.Get("match") == "any"
	var matched []*Record
	for _, r := range z.sorted() {
		if combine(general, matchAny, r) && combine(required, false, r) {
			matched = append(matched, r)
		}
	}
	var key func(a, b *Record) int
	switch q.Get("order") {
	case "name":
		key = func(a, b *Record) int { return cmp.Compare(a.Name, b.Name) }
	case "content":
		key = func(a, b *Record) int { return cmp.Compare(a.Content, b.Content) }
	case "ttl":
		key = func(a, b *Record) int { return cmp.Compare(a.TTL, b.TTL) }
	case "proxied":
		key = func(a, b *Record) int { return cmp.Compare(boolInt(a.Proxied), boolInt(b.Proxied)) }
	default: // type
		key = func(a, b *Record) int { return cmp.Compare(a.Type, b.Type) }
	}
	desc := q.Get("direction") == "desc"
	slices.SortStableFunc(matched, func(a, b *Record) int {
		if desc {
			return key(b, a)
		}
		return key(a, b)
	})
	info := pageOf(len(matched), page, perPage)
	if info.TotalPages == 0 {
		info.TotalPages = 1 // dns_records reports one (empty) page; zones report 0
	}
	return cloneAll(matched[info.from:info.to]), &info.resultInfo, nil
}

// parseIP returns the canonical form of an IP address.
func parseIP(v string) (string, error) {
	ip, err := netip.ParseAddr(v)
	if err != nil {
		return "", err
	}
	return ip.String(), nil
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}
