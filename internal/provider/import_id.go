package provider

import (
	"fmt"
	"strings"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/dnsvalue"
)

// importID is a parsed cloudflaredns_record import ID, in one of its forms:
// <zone_id>/<record_id>, <fqdn>/<type>, or <fqdn>/<type>/<content>.
type importID struct {
	ZoneID   string
	RecordID string
	FQDN     string
	Type     string
	Content  string // may hold "/" (TXT records often do); empty: any
}

const importIDForms = "<zone_id>/<record_id> (two 32-character hexadecimal IDs), <fqdn>/<type>, or <fqdn>/<type>/<content>"

// parseImportID reads an import ID. Only the first two slashes separate parts,
// so the content of the third form may contain slashes.
func parseImportID(raw string) (importID, error) {
	id := strings.TrimSpace(raw)
	if id == "" {
		return importID{}, fmt.Errorf("the import ID is empty; use %s", importIDForms)
	}
	parts := strings.SplitN(id, "/", 3)
	if len(parts) < 2 {
		return importID{}, fmt.Errorf("the import ID %q has no \"/\"; use %s", raw, importIDForms)
	}
	if len(parts) == 2 && hex32.MatchString(parts[0]) && hex32.MatchString(parts[1]) {
		return importID{ZoneID: parts[0], RecordID: parts[1]}, nil
	}
	if len(parts) == 2 && (hex32.MatchString(parts[0]) || hex32.MatchString(parts[1])) {
		return importID{}, fmt.Errorf("the import ID %q looks like <zone_id>/<record_id>, but both parts must be 32-character lowercase hexadecimal IDs", raw)
	}
	fqdn, err := dnsvalue.FQDN(parts[0], "")
	if err != nil {
		return importID{}, fmt.Errorf("the import ID %q does not start with a fully qualified record name (%s); use %s", raw, err, importIDForms)
	}
	typ := strings.ToUpper(strings.TrimSpace(parts[1]))
	known := false
	for _, t := range recordTypes {
		known = known || t == typ
	}
	if !known {
		return importID{}, fmt.Errorf("the import ID %q names the record type %q; cloudflaredns_record manages %s", raw, parts[1], strings.Join(recordTypes, ", "))
	}
	out := importID{FQDN: fqdn, Type: typ}
	if len(parts) == 3 {
		if parts[2] == "" {
			return importID{}, fmt.Errorf("the import ID %q ends with an empty content; leave out the last \"/\" to match any content", raw)
		}
		out.Content = parts[2]
	}
	return out, nil
}

// String is the import ID in its canonical spelling.
func (id importID) String() string {
	switch {
	case id.RecordID != "":
		return id.ZoneID + "/" + id.RecordID
	case id.Content != "":
		return id.FQDN + "/" + id.Type + "/" + id.Content
	default:
		return id.FQDN + "/" + id.Type
	}
}
