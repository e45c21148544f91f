package cfapi

import (
	"context"
	"fmt"
	"sync"
	"testing"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

// TestReadRecordSharesOneListing checks zone-wide reads: concurrent Reads of
// one zone wait for a single listing, writes of the process keep it current,
// and a record missing from it is confirmed with one GET.
func TestReadRecordSharesOneListing(t *testing.T) {
	const (
		listRoute = "GET /zones/{zone_id}/dns_records"
		getRoute  = "GET /zones/{zone_id}/dns_records/{dns_record_id}"
	)
	c, emu, zoneID := newTestClient(t, 0)
	ctx := context.Background()
	var ids []string
	for i := range 40 {
		rec, err := emu.CreateRecord(zoneID, emulator.Record{Name: fmt.Sprintf("r%d.example.com", i), Type: "A", Content: "192.0.2.1", TTL: 300})
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, rec.ID)
	}
	emu.ResetCounts()

	var wg sync.WaitGroup
	errs := make(chan error, len(ids))
	for _, id := range ids {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if rec, err := c.ReadRecord(ctx, zoneID, id); err != nil || rec.ID != id {
				errs <- fmt.Errorf("ReadRecord(%s) = %v, %v", id, rec.ID, err)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if n, g := emu.Count(listRoute), emu.Count(getRoute); n != 1 || g != 0 {
		t.Fatalf("40 concurrent reads made %d listings and %d GETs, want 1 and 0", n, g)
	}

	// A write of this process is in the listing: no request to read it back.
	created, err := c.CreateRecord(ctx, Record{ZoneID: zoneID, Name: "new.example.com", Type: "A", Content: "192.0.2.9", TTL: 300})
	if err != nil {
		t.Fatal(err)
	}
	emu.ResetCounts()
	if rec, err := c.ReadRecord(ctx, zoneID, created.ID); err != nil || rec.Content != "192.0.2.9" {
		t.Fatalf("reading the new record: %+v, %v", rec, err)
	}
	if n := emu.Total(); n != 0 {
		t.Errorf("reading a record this process created made %d requests, want 0", n)
	}

	// A record missing from the listing (here deleted by this process) is
	// confirmed with one GET before it is reported gone.
	if err := c.DeleteRecord(ctx, zoneID, ids[0]); err != nil {
		t.Fatal(err)
	}
	emu.ResetCounts()
	if _, err := c.ReadRecord(ctx, zoneID, ids[0]); !IsNotFound(err) {
		t.Fatalf("reading a deleted record: %v, want not found", err)
	}
	if g := emu.Count(getRoute); g != 1 {
		t.Errorf("confirming a missing record made %d GETs, want 1", g)
	}
}

// TestAutoModeFallsBackForHugeZones checks the auto rule: past the limit
// (AutoZoneLimit, lowered here to keep the test small) a zone is read record
// by record.
func TestAutoModeFallsBackForHugeZones(t *testing.T) {
	c, emu, zoneID := newTestClient(t, 0)
	c.autoZoneLimit = 50
	for i := range c.autoZoneLimit + 1 {
		if _, err := emu.CreateRecord(zoneID, emulator.Record{Name: fmt.Sprintf("r%d.example.com", i), Type: "TXT", Content: "x", TTL: 300}); err != nil {
			t.Fatal(err)
		}
	}
	rec := emu.FindRecords(zoneID, "r7.example.com", "TXT")[0]
	emu.ResetCounts()
	if _, err := c.ReadRecord(context.Background(), zoneID, rec.ID); err != nil {
		t.Fatal(err)
	}
	if n, g := emu.Count("GET /zones/{zone_id}/dns_records"), emu.Count("GET /zones/{zone_id}/dns_records/{dns_record_id}"); n != 1 || g != 1 {
		t.Errorf("auto mode on a huge zone made %d listings and %d GETs, want 1 (the first page, which tells the size) and 1", n, g)
	}
}
