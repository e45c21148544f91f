package cfapi

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/cloudflare/cloudflare-go/v7/packages/pagination"
	"github.com/cloudflare/cloudflare-go/v7/zones"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/dnsvalue"
)

// Zone is the part of a Cloudflare zone the provider uses.
type Zone struct {
	ID          string
	Name        string
	Status      string
	AccountID   string
	NameServers []string
}

// zoneCache remembers zones for the life of the provider process, so that
// thousands of records in a zone cost one look-up, and concurrent callers wait
// for the one request in flight instead of sending their own.
type zoneCache struct {
	mu   sync.Mutex
	all  map[string]*call[[]Zone] // one key: the account scope of the listing
	byID map[string]*call[Zone]
}

// call is a result that is computed once and shared by everyone who asks.
type call[T any] struct {
	done chan struct{}
	val  T
	err  error
}

// shared runs fn the first time key is asked for; later and concurrent callers
// get the same result. A failed call is forgotten so that the next caller tries
// again rather than inheriting a passing fault.
func shared[T any](mu *sync.Mutex, calls *map[string]*call[T], key string, ctx context.Context, fn func(context.Context) (T, error)) (T, error) {
	mu.Lock()
	if *calls == nil {
		*calls = map[string]*call[T]{}
	}
	c, found := (*calls)[key]
	if !found {
		c = &call[T]{done: make(chan struct{})}
		(*calls)[key] = c
	}
	mu.Unlock()
	if !found {
		c.val, c.err = fn(ctx)
		if c.err != nil {
			mu.Lock()
			delete(*calls, key)
			mu.Unlock()
		}
		close(c.done)
		return c.val, c.err
	}
	select {
	case <-c.done:
		return c.val, c.err
	case <-ctx.Done():
		var zero T
		return zero, ctx.Err()
	}
}

// Zones lists every zone the credentials can see (within the account, when one
// is set), once per process.
func (c *Client) Zones(ctx context.Context) ([]Zone, error) {
	return shared(&c.zoneCache.mu, &c.zoneCache.all, c.cfg.AccountID, ctx, func(ctx context.Context) ([]Zone, error) {
		var p zones.ZoneListParams
		p.PerPage.Value, p.PerPage.Present = 50, true
		if c.cfg.AccountID != "" {
			p.Account.Present = true
			p.Account.Value.ID.Value, p.Account.Value.ID.Present = c.cfg.AccountID, true
		}
		var out []Zone
		err := listAll(func(page int) (*pagination.V4PagePaginationArray[zones.Zone], error) {
			p.Page.Value, p.Page.Present = float64(page), true
			return c.zones.List(ctx, p)
		}, func(z zones.Zone) error {
			out = append(out, zoneFrom(z))
			return nil
		})
		if err != nil {
			return nil, err
		}
		return out, nil
	})
}

// Zone returns the zone with this ID, once per process per zone, and without a
// request when the zone list has already been fetched.
func (c *Client) Zone(ctx context.Context, id string) (Zone, error) {
	c.zoneCache.mu.Lock()
	listed := c.zoneCache.all[c.cfg.AccountID]
	c.zoneCache.mu.Unlock()
	if listed != nil {
		select {
		case <-listed.done:
			for _, z := range listed.val {
				if z.ID == id {
					return z, nil
				}
			}
		default:
		}
	}
	return shared(&c.zoneCache.mu, &c.zoneCache.byID, id, ctx, func(ctx context.Context) (Zone, error) {
		var p zones.ZoneGetParams
		p.ZoneID.Value, p.ZoneID.Present = id, true
		z, err := c.zones.Get(ctx, p)
		if err != nil {
			return Zone{}, wrapError(err)
		}
		return zoneFrom(*z), nil
	})
}

func zoneFrom(z zones.Zone) Zone {
	return Zone{ID: z.ID, Name: z.Name, Status: string(z.Status), AccountID: z.Account.ID, NameServers: z.NameServers}
}

// NoZoneError says that no zone the credentials see contains a name.
type NoZoneError struct {
	Name  string
	Zones []string
}

func (e *NoZoneError) Error() string {
	seen := "the credentials see no zones"
	if len(e.Zones) > 0 {
		seen = "the credentials see: " + strings.Join(e.Zones, ", ")
	}
	return fmt.Sprintf("no zone contains %q (%s); check the name, or the token's zone permissions (Zone:Zone:Read), or set zone_id", e.Name, seen)
}

// AmbiguousZoneError says that several zones match a name equally well.
type AmbiguousZoneError struct {
	Name       string
	Candidates []Zone
}

func (e *AmbiguousZoneError) Error() string {
	var parts []string
	for _, z := range e.Candidates {
		parts = append(parts, fmt.Sprintf("%s (id %s, status %s, account %s)", z.Name, z.ID, z.Status, z.AccountID))
	}
	return fmt.Sprintf("several zones match %q equally: %s; set zone_id, or account_id in the provider block", e.Name, strings.Join(parts, "; "))
}

// ZoneFor finds the zone of a fully qualified name: the zone whose name is the
// longest suffix of it, so a.sub.example.com finds sub.example.com before
// example.com and a.example.co.uk finds example.co.uk.
func (c *Client) ZoneFor(ctx context.Context, fqdn string) (Zone, error) {
	all, err := c.Zones(ctx)
	if err != nil {
		return Zone{}, err
	}
	return LongestMatch(fqdn, all)
}

// LongestMatch picks the zone for fqdn among zones (see ZoneFor).
func LongestMatch(fqdn string, all []Zone) (Zone, error) {
	var best []Zone
	for _, z := range all {
		name := strings.ToLower(z.Name)
		if !dnsvalue.InZone(fqdn, name) {
			continue
		}
		switch {
		case len(best) == 0 || len(name) > len(best[0].Name):
			best = []Zone{z}
		case len(name) == len(best[0].Name):
			best = append(best, z)
		}
	}
	switch len(best) {
	case 0:
		names := make([]string, 0, len(all))
		for _, z := range all {
			names = append(names, z.Name)
		}
		sort.Strings(names)
		return Zone{}, &NoZoneError{Name: fqdn, Zones: names}
	case 1:
		return best[0], nil
	default:
		return Zone{}, &AmbiguousZoneError{Name: fqdn, Candidates: best}
	}
}
