// Package dnsvalue turns the many spellings of a DNS name or record content into
// the one form Cloudflare stores, and validates them, so that the provider can
// compare a user's value with Cloudflare's without showing spurious diffs.
package dnsvalue

import (
	"errors"
	"fmt"
	"net/netip"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/idna"
)

// Record types the provider manages.
const (
	TypeA     = "A"
	TypeAAAA  = "AAAA"
	TypeCNAME = "CNAME"
	TypeTXT   = "TXT"
	TypeMX    = "MX"
	TypeNS    = "NS"
	TypeCAA   = "CAA"
	TypeSRV   = "SRV"
)

// MaxTXTLength is Cloudflare's limit for the content of one TXT record.
const MaxTXTLength = 2048

// ErrRelativeName is returned when a relative name or "@" cannot be resolved
// because the zone is not known.
var ErrRelativeName = errors.New("a relative name or \"@\" needs zone_id, or write the full name (for example app.example.com)")

// hostnameProfile converts Unicode labels to punycode the way Cloudflare does,
// but allows the underscores of service names such as _dmarc, which the strict
// lookup profile would refuse.
var hostnameProfile = idna.New(
	idna.MapForLookup(),
	idna.Transitional(false),
	idna.StrictDomainName(false),
	idna.BidiRule(),
)

// Hostname returns name as Cloudflare stores a host name: lowercase, punycode,
// without a trailing dot. A leading "*" label (wildcard) is kept.
func Hostname(name string) (string, error) {
	name = strings.TrimSpace(name)
	if !utf8.ValidString(name) {
		return "", fmt.Errorf("%q is not valid UTF-8", name)
	}
	trimmed := strings.TrimSuffix(name, ".")
	if trimmed == "" {
		return "", errors.New("the name is empty")
	}
	labels := strings.Split(trimmed, ".")
	for i, label := range labels {
		if label == "" {
			return "", fmt.Errorf("%q has an empty label", name)
		}
		if label == "*" && i == 0 {
			continue
		}
		ascii, err := hostnameProfile.ToASCII(label)
		if err != nil {
			return "", fmt.Errorf("%q is not a valid DNS name: %s", name, err)
		}
		ascii = strings.ToLower(ascii)
		if ascii == "" {
			return "", fmt.Errorf("%q has a label that is empty once converted to punycode", name)
		}
		// A label that is already punycode must decode, or it names nothing.
		if strings.HasPrefix(ascii, "xn--") {
			if _, err := hostnameProfile.ToUnicode(ascii); err != nil {
				return "", fmt.Errorf("%q is not a valid DNS name: %s", name, err)
			}
		}
		if len(ascii) > 63 {
			return "", fmt.Errorf("%q has a label longer than 63 characters", name)
		}
		for _, r := range ascii {
			if (r < 'a' || r > 'z') && (r < '0' || r > '9') && r != '-' && r != '_' {
				return "", fmt.Errorf("%q is not a valid DNS name: %q is not allowed", name, r)
			}
		}
		labels[i] = ascii
	}
	out := strings.Join(labels, ".")
	if len(out) > 253 {
		return "", fmt.Errorf("%q is longer than 253 characters", name)
	}
	return out, nil
}

// FQDN returns the fully qualified name of a record as Cloudflare stores it.
// zone is the zone's name, or "" when it is not known yet. Like the API, it
// accepts "@" for the apex, a name relative to the zone ("www"), and a full name
// that already ends in the zone (not doubled). A trailing dot marks a name as
// absolute.
func FQDN(name, zone string) (string, error) {
	name = strings.TrimSpace(name)
	if zone != "" {
		z, err := Hostname(zone)
		if err != nil {
			return "", err
		}
		if strings.Contains(z, "*") {
			return "", fmt.Errorf("zone %q cannot be a wildcard", zone)
		}
		zone = z
	}
	if name == "@" {
		if zone == "" {
			return "", ErrRelativeName
		}
		return zone, nil
	}
	absolute := strings.HasSuffix(name, ".")
	host, err := Hostname(name)
	if err != nil {
		return "", err
	}
	if zone == "" {
		// Without a zone, a single label is relative whatever its dot: no
		// Cloudflare zone is a top-level domain.
		if !strings.Contains(host, ".") {
			return "", ErrRelativeName
		}
		return host, nil
	}
	if host == zone || strings.HasSuffix(host, "."+zone) {
		return host, nil
	}
	if absolute {
		return "", fmt.Errorf("%q is not inside the zone %s", name, zone)
	}
	return host + "." + zone, nil
}

// InZone reports whether fqdn is the zone's apex or a name below it.
func InZone(fqdn, zone string) bool {
	return fqdn == zone || strings.HasSuffix(fqdn, "."+zone)
}

// SameName reports whether two spellings name the same record in zone.
func SameName(a, b, zone string) bool {
	fa, errA := FQDN(a, zone)
	fb, errB := FQDN(b, zone)
	return errA == nil && errB == nil && fa == fb
}

// Content returns content in the form Cloudflare stores for a record of type
// typ, or an error that says why Cloudflare would refuse it.
func Content(typ, content string) (string, error) {
	switch typ {
	case TypeA:
		addr, err := netip.ParseAddr(content)
		if err != nil || !addr.Is4() {
			return "", fmt.Errorf("%q is not an IPv4 address (write four decimal numbers, such as 192.0.2.1)", content)
		}
		return addr.String(), nil
	case TypeAAAA:
		addr, err := netip.ParseAddr(content)
		if err != nil || !addr.Is6() || addr.Is4In6() || addr.Zone() != "" {
			return "", fmt.Errorf("%q is not an IPv6 address (such as 2001:db8::1)", content)
		}
		return addr.String(), nil
	case TypeCNAME, TypeMX, TypeNS:
		if strings.HasPrefix(content, "*") {
			return "", fmt.Errorf("%q is not a host name: a %s target cannot be a wildcard", content, typ)
		}
		host, err := Hostname(content)
		if err != nil {
			return "", fmt.Errorf("%s target is not a host name: %s", typ, err)
		}
		if !strings.Contains(host, ".") {
			return "", fmt.Errorf("%s target %q is not a fully qualified host name", typ, content)
		}
		return host, nil
	case TypeCAA:
		flags, tag, value, err := ParseCAA(content)
		if err != nil {
			return "", err
		}
		return CAAContent(flags, tag, value), nil
	case TypeSRV:
		priority, weight, port, target, err := ParseSRV(content, nil)
		if err != nil {
			return "", err
		}
		return SRVContent(priority, weight, port, target), nil
	case TypeTXT:
		// Cloudflare stores TXT content exactly as sent.
		if len(content) > MaxTXTLength {
			return "", fmt.Errorf("TXT content is %d characters long; Cloudflare allows at most %d", len(content), MaxTXTLength)
		}
		return content, nil
	default:
		return content, nil
	}
}

// SameContent reports whether two contents of a record of type typ are the same
// once normalised the way Cloudflare stores them.
func SameContent(typ, a, b string) bool {
	if a == b {
		return true
	}
	ca, errA := Content(typ, a)
	cb, errB := Content(typ, b)
	return errA == nil && errB == nil && ca == cb
}

// IsStructured reports whether records of type typ are described by a data
// block, from which Cloudflare derives their content.
func IsStructured(typ string) bool {
	return typ == TypeCAA || typ == TypeSRV
}

// CAATags are the property tags Cloudflare accepts in CAA records.
var CAATags = []string{"issue", "issuewild", "iodef"}

// SRVTarget returns an SRV target as Cloudflare stores it; "." means that the
// service is not available at this name.
func SRVTarget(target string) (string, error) {
	if target == "." {
		return target, nil
	}
	host, err := Hostname(target)
	if err != nil {
		return "", fmt.Errorf("SRV target is not a host name: %s", err)
	}
	return host, nil
}

// CAAContent is the content of a CAA record in the form Cloudflare derives
// it: flags, lowercase tag and quoted value.
func CAAContent(flags int64, tag, value string) string {
	return fmt.Sprintf("%d %s %s", flags, strings.ToLower(tag), strconv.Quote(value))
}

// ParseCAA reads CAA content such as `0 issue "letsencrypt.org"`.
func ParseCAA(content string) (flags int64, tag, value string, err error) {
	fields := strings.Fields(content)
	if len(fields) < 3 {
		return 0, "", "", fmt.Errorf("CAA content %q must be <flags> <tag> <value>, such as 0 issue \"letsencrypt.org\"", content)
	}
	flags, err = strconv.ParseInt(fields[0], 10, 64)
	if err != nil || flags < 0 || flags > 255 {
		return 0, "", "", fmt.Errorf("CAA flags %q must be a number from 0 to 255", fields[0])
	}
	tag = strings.ToLower(fields[1])
	if !slices.Contains(CAATags, tag) {
		return 0, "", "", fmt.Errorf("CAA tag %q must be one of %s", fields[1], strings.Join(CAATags, ", "))
	}
	rest := strings.TrimSpace(content)
	for range 2 {
		rest = strings.TrimSpace(rest[len(strings.Fields(rest)[0]):])
	}
	if unquoted, err := strconv.Unquote(rest); err == nil {
		rest = unquoted
	}
	if rest == "" {
		return 0, "", "", fmt.Errorf("CAA content %q has an empty value", content)
	}
	return flags, tag, rest, nil
}

// SRVContent is the content of an SRV record with its priority in front:
// <priority> <weight> <port> <target>. (Cloudflare's own content leaves the
// priority out; see ParseSRV.)
func SRVContent(priority, weight, port int64, target string) string {
	return fmt.Sprintf("%d %d %d %s", priority, weight, port, target)
}

// ParseSRV reads SRV content: <priority> <weight> <port> <target>, or, as
// Cloudflare writes it, <weight> <port> <target> with the priority given apart.
func ParseSRV(content string, priority *int64) (prio, weight, port int64, target string, err error) {
	fields := strings.Fields(content)
	switch {
	case len(fields) == 3 && priority != nil:
		fields = append([]string{strconv.FormatInt(*priority, 10)}, fields...)
	case len(fields) != 4:
		return 0, 0, 0, "", fmt.Errorf("SRV content %q must be <priority> <weight> <port> <target>, such as 10 5 5060 sip.example.com", content)
	}
	nums := make([]int64, 3)
	for i, name := range []string{"priority", "weight", "port"} {
		n, err := strconv.ParseInt(fields[i], 10, 64)
		if err != nil || n < 0 || n > 65535 {
			return 0, 0, 0, "", fmt.Errorf("SRV %s %q must be a number from 0 to 65535", name, fields[i])
		}
		nums[i] = n
	}
	target, err = SRVTarget(fields[3])
	if err != nil {
		return 0, 0, 0, "", err
	}
	return nums[0], nums[1], nums[2], target, nil
}

// Proxiable reports whether Cloudflare can proxy records of type typ.
func Proxiable(typ string) bool {
	return typ == TypeA || typ == TypeAAAA || typ == TypeCNAME
}
