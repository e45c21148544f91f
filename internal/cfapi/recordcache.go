package cfapi

import (
	"context"
	"errors"
	"sort"
	"sync"

	"github.com/cloudflare/cloudflare-go/v7/dns"
)

// ReadMode says how Read (Check Status) fetches records.
type ReadMode string

const (
	// ReadAuto lists a zone once when it is small enough (see AutoZoneLimit),
	// and reads records one by one in bigger zones.
	ReadAuto ReadMode = "auto"
	// ReadZone lists every zone once per provider process.
	ReadZone ReadMode = "zone"
	// ReadRecord reads every record with its own GET.
	ReadRecord ReadMode = "record"
)

// ReadModes are the valid read_mode values.
var ReadModes = []string{string(ReadAuto), string(ReadZone), string(ReadRecord)}

const (
	// maxRecordsPerPage is the largest page size the API allows for DNS records.
	maxRecordsPerPage = 5_000_000
	// autoPageSize is the page auto mode reads first: zones up to this size cost
	// one request, with answers of a few megabytes at most.
	autoPageSize = 5_000
	// AutoZoneLimit is the largest zone auto mode lists (20 pages of autoPageSize).
	// Past it, listing a whole zone to check a few records costs more than a GET
	// per record, so auto reads those records one by one.
	AutoZoneLimit = 100_000
)

// zoneListing is one zone's records as listed once in this process, kept
// current by the process's own writes.
type zoneListing struct {
	records map[string]Record // by record ID
	// complete is false when auto mode found the zone too large to list.
	complete bool
}

type recordCache struct {
	mu       sync.Mutex
	listings map[string]*call[*zoneListing]
}

// ReadRecord is Check Status for one record. In zone and auto modes the record
// comes from the zone's listing, fetched once and shared by every record of the
// zone; a record missing from it is confirmed with a GET before it is
// reported as gone, so a stale or partial listing never drops a record.
func (c *Client) ReadRecord(ctx context.Context, zoneID, id string) (Record, error) {
	if c.cfg.ReadMode == ReadRecord {
		return c.GetRecord(ctx, zoneID, id)
	}
	listing, err := c.zoneListing(ctx, zoneID)
	if err != nil {
		return Record{}, err
	}
	if listing.complete {
		c.recordCache.mu.Lock()
		rec, ok := listing.records[id]
		c.recordCache.mu.Unlock()
		if ok {
			return rec, nil
		}
	}
	return c.GetRecord(ctx, zoneID, id)
}

// ZoneRecords returns every record of a zone, from the shared listing when the
// process has one, sorted by name, type and content.
func (c *Client) ZoneRecords(ctx context.Context, zoneID string) ([]Record, error) {
	var out []Record
	if c.cfg.ReadMode != ReadRecord {
		listing, err := c.zoneListing(ctx, zoneID)
		if err != nil {
			return nil, err
		}
		if listing.complete {
			c.recordCache.mu.Lock()
			for _, r := range listing.records {
				out = append(out, r)
			}
			c.recordCache.mu.Unlock()
			sortRecords(out)
			return out, nil
		}
	}
	out, err := c.listRecords(ctx, zoneID, autoPageSize, -1)
	sortRecords(out)
	return out, err
}

func sortRecords(rs []Record) {
	sort.Slice(rs, func(i, j int) bool {
		a, b := rs[i], rs[j]
		if a.Name != b.Name {
			return a.Name < b.Name
		}
		if a.Type != b.Type {
			return a.Type < b.Type
		}
		if a.Content != b.Content {
			return a.Content < b.Content
		}
		return a.ID < b.ID
	})
}

func (c *Client) zoneListing(ctx context.Context, zoneID string) (*zoneListing, error) {
	return shared(&c.recordCache.mu, &c.recordCache.listings, zoneID, ctx, func(ctx context.Context) (*zoneListing, error) {
		pageSize, limit := maxRecordsPerPage, -1
		if c.cfg.ReadMode == ReadAuto {
			pageSize, limit = autoPageSize, c.autoZoneLimit
		}
		recs, err := c.listRecords(ctx, zoneID, pageSize, limit)
		if errors.Is(err, errZoneTooLarge) {
			return &zoneListing{}, nil
		}
		if err != nil {
			return nil, err
		}
		l := &zoneListing{records: make(map[string]Record, len(recs)), complete: true}
		for _, r := range recs {
			l.records[r.ID] = r
		}
		return l, nil
	})
}

var errZoneTooLarge = errors.New("zone has more records than auto mode lists")

// listRecords lists a whole zone. With limit >= 0 it stops with
// errZoneTooLarge as soon as the first page says the zone holds more.
func (c *Client) listRecords(ctx context.Context, zoneID string, pageSize, limit int) ([]Record, error) {
	var p dns.RecordListParams
	p.ZoneID.Value, p.ZoneID.Present = zoneID, true
	p.PerPage.Value, p.PerPage.Present = float64(pageSize), true
	return c.listRecordPages(ctx, p, limit)
}

// remember keeps a listed zone current after this process wrote a record.
func (c *Client) remember(r Record) {
	c.withListing(r.ZoneID, func(l *zoneListing) { l.records[r.ID] = r })
}

// forget keeps a listed zone current after this process deleted a record.
func (c *Client) forget(zoneID, id string) {
	c.withListing(zoneID, func(l *zoneListing) { delete(l.records, id) })
}

func (c *Client) withListing(zoneID string, fn func(*zoneListing)) {
	c.recordCache.mu.Lock()
	defer c.recordCache.mu.Unlock()
	slot := c.recordCache.listings[zoneID]
	if slot == nil {
		return
	}
	select {
	case <-slot.done:
		if slot.err == nil && slot.val.complete {
			fn(slot.val)
		}
	default:
		// A listing in flight may or may not include this write; drop it so
		// the next reader lists again rather than trust it.
		delete(c.recordCache.listings, zoneID)
	}
}
