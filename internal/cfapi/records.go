package cfapi

import (
	"context"
	"encoding/json"
	"fmt"

	"github.com/cloudflare/cloudflare-go/v7/dns"
	"github.com/cloudflare/cloudflare-go/v7/option"
)

// Record is a DNS record as the provider sees it.
type Record struct {
	ID        string
	ZoneID    string
	Name      string // fully qualified, lowercase punycode, as Cloudflare stores it
	Type      string
	Content   string
	TTL       int64
	Proxied   bool
	Proxiable bool
	Priority  *int64
	Comment   string
	Tags      []string
	// Data describes structured types (CAA, SRV); Cloudflare derives their
	// content from it. Numbers are float64, as JSON decodes them.
	Data map[string]any
}

// wireRecord decodes the record JSON itself: the client library types content,
// priority and tags through unions that differ per record type.
type wireRecord struct {
	ID        string         `json:"id"`
	Name      string         `json:"name"`
	Type      string         `json:"type"`
	Content   string         `json:"content"`
	TTL       float64        `json:"ttl"`
	Proxied   bool           `json:"proxied"`
	Proxiable bool           `json:"proxiable"`
	Priority  *float64       `json:"priority"`
	Comment   *string        `json:"comment"`
	Tags      []string       `json:"tags"`
	Data      map[string]any `json:"data"`
}

func (w wireRecord) record(zoneID string) Record {
	r := Record{
		ID: w.ID, ZoneID: zoneID, Name: w.Name, Type: w.Type, Content: w.Content,
		TTL: int64(w.TTL), Proxied: w.Proxied, Proxiable: w.Proxiable, Tags: w.Tags, Data: w.Data,
	}
	if w.Priority != nil {
		p := int64(*w.Priority)
		r.Priority = &p
	}
	if w.Comment != nil {
		r.Comment = *w.Comment
	}
	return r
}

// recordFrom decodes the envelope of a single-record answer. The provider
// reads the raw body (option.WithResponseBodyInto) rather than the library's
// decoded types: their reflection-based decoder costs hundreds of kilobytes a
// record, which at thousands of records dominated the provider's memory.
func recordFrom(zoneID string, raw []byte) (Record, error) {
	var env struct {
		Result *wireRecord `json:"result"`
	}
	if err := json.Unmarshal(raw, &env); err != nil || env.Result == nil {
		return Record{}, fmt.Errorf("decoding the record Cloudflare returned: %v (%s)", err, snippet(raw))
	}
	return env.Result.record(zoneID), nil
}

// recordPage is one page of a record listing.
type recordPage struct {
	Result     []wireRecord `json:"result"`
	ResultInfo struct {
		TotalPages *int `json:"total_pages"`
		TotalCount *int `json:"total_count"`
	} `json:"result_info"`
}

// listRecordPages lists records page by page, stopping at result_info's
// total_pages (the library's auto-pager always asks for one page more). With
// limit >= 0 it stops with errZoneTooLarge when the first page says the
// listing holds more records than that.
func (c *Client) listRecordPages(ctx context.Context, p dns.RecordListParams, limit int) ([]Record, error) {
	zoneID := p.ZoneID.Value
	var out []Record
	for page := 1; ; page++ {
		p.Page.Value, p.Page.Present = float64(page), true
		var raw []byte
		if _, err := c.records.List(ctx, p, option.WithResponseBodyInto(&raw)); err != nil {
			return nil, wrapError(err)
		}
		var res recordPage
		if err := json.Unmarshal(raw, &res); err != nil {
			return nil, fmt.Errorf("decoding page %d of the records of zone %s: %w", page, zoneID, err)
		}
		if page == 1 && limit >= 0 && res.ResultInfo.TotalCount != nil && *res.ResultInfo.TotalCount > limit {
			return nil, errZoneTooLarge
		}
		for _, w := range res.Result {
			out = append(out, w.record(zoneID))
		}
		last := len(res.Result) == 0
		if total := res.ResultInfo.TotalPages; total != nil {
			last = last || page >= *total
		} else {
			last = last || len(res.Result) < int(p.PerPage.Value)
		}
		if last {
			return out, nil
		}
	}
}

// newBody is the request body of a create. The library's param fields are set
// one by one; every field the provider manages is sent, since a PUT resets what
// it leaves out.
func newBody(r Record) dns.RecordNewParamsBody {
	var b dns.RecordNewParamsBody
	b.Name.Value, b.Name.Present = r.Name, true
	b.Type.Value, b.Type.Present = dns.RecordNewParamsBodyType(r.Type), true
	if r.Data != nil {
		b.Data.Value, b.Data.Present = r.Data, true
	} else {
		b.Content.Value, b.Content.Present = r.Content, true
	}
	b.TTL.Value, b.TTL.Present = dns.TTL(r.TTL), true
	b.Proxied.Value, b.Proxied.Present = r.Proxied, true
	if r.Priority != nil {
		b.Priority.Value, b.Priority.Present = float64(*r.Priority), true
	}
	if r.Comment != "" {
		b.Comment.Value, b.Comment.Present = r.Comment, true
	}
	b.Tags.Value, b.Tags.Present = tagsOf(r), true
	return b
}

// updateBody is the request body of a full update (PUT): the same fields as a create.
func updateBody(r Record) dns.RecordUpdateParamsBody {
	n := newBody(r)
	var b dns.RecordUpdateParamsBody
	b.Name, b.Content, b.Data, b.TTL, b.Proxied, b.Priority, b.Comment, b.Tags = n.Name, n.Content, n.Data, n.TTL, n.Proxied, n.Priority, n.Comment, n.Tags
	b.Type.Value, b.Type.Present = dns.RecordUpdateParamsBodyType(r.Type), true
	return b
}

func tagsOf(r Record) []string {
	if r.Tags == nil {
		return []string{}
	}
	return r.Tags
}

func (c *Client) rememberRaw(zoneID string, raw []byte) (Record, error) {
	rec, err := recordFrom(zoneID, raw)
	if err == nil {
		c.remember(rec)
	}
	return rec, err
}

// CreateRecord creates r in its zone (POST).
func (c *Client) CreateRecord(ctx context.Context, r Record) (Record, error) {
	var p dns.RecordNewParams
	p.ZoneID.Value, p.ZoneID.Present = r.ZoneID, true
	p.Body = newBody(r)
	var raw []byte
	if _, err := c.records.New(ctx, p, option.WithResponseBodyInto(&raw)); err != nil {
		return Record{}, wrapError(err)
	}
	return c.rememberRaw(r.ZoneID, raw)
}

// UpdateRecord replaces the record r.ID with r (PUT).
func (c *Client) UpdateRecord(ctx context.Context, r Record) (Record, error) {
	var p dns.RecordUpdateParams
	p.ZoneID.Value, p.ZoneID.Present = r.ZoneID, true
	p.Body = updateBody(r)
	var raw []byte
	if _, err := c.records.Update(ctx, r.ID, p, option.WithResponseBodyInto(&raw)); err != nil {
		return Record{}, wrapError(err)
	}
	return c.rememberRaw(r.ZoneID, raw)
}

// GetRecord reads one record (GET).
func (c *Client) GetRecord(ctx context.Context, zoneID, id string) (Record, error) {
	var p dns.RecordGetParams
	p.ZoneID.Value, p.ZoneID.Present = zoneID, true
	var raw []byte
	if _, err := c.records.Get(ctx, id, p, option.WithResponseBodyInto(&raw)); err != nil {
		return Record{}, wrapError(err)
	}
	return recordFrom(zoneID, raw)
}

// DeleteRecord deletes one record (DELETE).
func (c *Client) DeleteRecord(ctx context.Context, zoneID, id string) error {
	var p dns.RecordDeleteParams
	p.ZoneID.Value, p.ZoneID.Present = zoneID, true
	_, err := c.records.Delete(ctx, id, p)
	err = wrapError(err)
	if err == nil || IsNotFound(err) {
		c.forget(zoneID, id)
	}
	return err
}

// FindRecords lists the records of a zone with this fully qualified name and
// type (Cloudflare matches the name exactly, ignoring case).
func (c *Client) FindRecords(ctx context.Context, zoneID, fqdn, typ string) ([]Record, error) {
	var p dns.RecordListParams
	p.ZoneID.Value, p.ZoneID.Present = zoneID, true
	p.Name.Present = true
	p.Name.Value.Exact.Value, p.Name.Value.Exact.Present = fqdn, true
	if typ != "" {
		p.Type.Value, p.Type.Present = dns.RecordListParamsType(typ), true
	}
	p.PerPage.Value, p.PerPage.Present = 5000, true
	return c.listRecordPages(ctx, p, -1)
}
