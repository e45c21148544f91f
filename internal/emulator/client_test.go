package emulator

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	cloudflare "github.com/cloudflare/cloudflare-go/v7"
	"github.com/cloudflare/cloudflare-go/v7/accounts"
	"github.com/cloudflare/cloudflare-go/v7/dns"
	"github.com/cloudflare/cloudflare-go/v7/option"
	"github.com/cloudflare/cloudflare-go/v7/user"
	"github.com/cloudflare/cloudflare-go/v7/zones"
)

// TestRealClient drives the emulator through cloudflare-go v7, the client the
// provider uses, so encoding details (dotted filters, paging, error decoding)
// are checked end to end.
func TestRealClient(t *testing.T) {
	const acct = "dddddddddddddddddddddddddddddddd"
	f := newFixture(t, func(c *Config) { c.Tokens = append(c.Tokens, Token{Value: "acct-token", AccountID: acct}) })
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	opts := func(token string, retries int) []option.RequestOption {
		return []option.RequestOption{option.WithBaseURL(f.url), option.WithAPIToken(token),
			option.WithHTTPClient(&http.Client{Timeout: 5 * time.Second}), option.WithMaxRetries(retries)}
	}
	records := dns.NewRecordService(opts(testToken, 0)...)
	zoneID := cloudflare.F(f.zone.ID)
	apiCode := func(err error) (int, int64) {
		var cfErr *cloudflare.Error
		if !errors.As(err, &cfErr) || len(cfErr.Errors) == 0 {
			t.Fatalf("want *cloudflare.Error with errors, got %T %v", err, err)
		}
		return cfErr.StatusCode, cfErr.Errors[0].Code
	}

	t.Run("zones", func(t *testing.T) {
		zs := zones.NewZoneService(opts(testToken, 0)...)
		page, err := zs.List(ctx, zones.ZoneListParams{Name: cloudflare.F("example.com"),
			Account: cloudflare.F(zones.ZoneListParamsAccount{ID: cloudflare.F(DefaultAccountID)})})
		if err != nil || len(page.Result) != 1 || page.Result[0].ID != f.zone.ID {
			t.Fatalf("List: %v %+v", err, page)
		}
		z, err := zs.Get(ctx, zones.ZoneGetParams{ZoneID: zoneID})
		if err != nil || z.Name != "example.com" || z.Account.ID != DefaultAccountID || z.Meta.PageRuleQuota != 3 || z.CreatedOn.IsZero() {
			t.Fatalf("Get: %v %+v", err, z)
		}
		_, err = zs.Get(ctx, zones.ZoneGetParams{ZoneID: cloudflare.F("0123456789abcdef0123456789abcdef")})
		if status, code := apiCode(err); status != 400 || code != 7003 {
			t.Errorf("unknown zone: %d %d", status, code)
		}
	})

	t.Run("token verify", func(t *testing.T) {
		res, err := user.NewTokenService(opts(testToken, 0)...).Verify(ctx)
		if err != nil || res.Status != user.TokenVerifyResponseStatusActive || !isID(res.ID) {
			t.Fatalf("Verify: %v %+v", err, res)
		}
		_, err = user.NewTokenService(opts("wrong", 0)...).Verify(ctx)
		if status, code := apiCode(err); status != 401 || code != 1000 {
			t.Errorf("bad token: %d %d", status, code)
		}
		_, err = user.NewTokenService(opts("acct-token", 0)...).Verify(ctx)
		if status, code := apiCode(err); status != 401 || code != 1000 {
			t.Errorf("account token on user verify: %d %d", status, code)
		}
		ares, err := accounts.NewTokenService(opts("acct-token", 0)...).Verify(ctx, accounts.TokenVerifyParams{AccountID: cloudflare.F(acct)})
		if err != nil || ares.Status != "active" {
			t.Fatalf("account Verify: %v %+v", err, ares)
		}
	})

	var www *dns.RecordResponse
	t.Run("create, get, update, edit", func(t *testing.T) {
		var err error
		www, err = records.New(ctx, dns.RecordNewParams{ZoneID: zoneID, Body: dns.ARecordParam{
			Name: cloudflare.F("WWW"), Type: cloudflare.F(dns.ARecordTypeA), Content: cloudflare.F("203.0.113.10"),
			TTL: cloudflare.F(dns.TTL(3600)), Proxied: cloudflare.F(true), Comment: cloudflare.F("web"), Tags: cloudflare.F([]string{"env:prod"}),
		}})
		if err != nil || www.Name != "www.example.com" || www.TTL != 1 || !www.Proxied || www.Comment != "web" || www.CreatedOn.IsZero() {
			t.Fatalf("New: %v %+v", err, www)
		}
		got, err := records.Get(ctx, www.ID, dns.RecordGetParams{ZoneID: zoneID})
		if err != nil || got.Content != "203.0.113.10" || !got.CommentModifiedOn.Equal(www.CommentModifiedOn) {
			t.Fatalf("Get: %v %+v", err, got)
		}
		edited, err := records.Edit(ctx, www.ID, dns.RecordEditParams{ZoneID: zoneID, Body: dns.ARecordParam{Proxied: cloudflare.F(false), TTL: cloudflare.F(dns.TTL(300))}})
		if err != nil || edited.TTL != 300 || edited.Proxied || edited.Comment != "web" {
			t.Fatalf("Edit: %v %+v", err, edited)
		}
		updated, err := records.Update(ctx, www.ID, dns.RecordUpdateParams{ZoneID: zoneID, Body: dns.ARecordParam{
			Name: cloudflare.F("www.example.com"), Type: cloudflare.F(dns.ARecordTypeA), Content: cloudflare.F("203.0.113.11"), TTL: cloudflare.F(dns.TTL(1))}})
		if err != nil || updated.Content != "203.0.113.11" || updated.Comment != "" || updated.ID != www.ID {
			t.Fatalf("Update: %v %+v", err, updated)
		}
	})

	t.Run("errors carry codes", func(t *testing.T) {
		_, err := records.New(ctx, dns.RecordNewParams{ZoneID: zoneID, Body: dns.ARecordParam{
			Name: cloudflare.F("bad"), Type: cloudflare.F(dns.ARecordTypeA), Content: cloudflare.F("1.1"), TTL: cloudflare.F(dns.TTL(1))}})
		if status, code := apiCode(err); status != 400 || code != 9005 {
			t.Errorf("invalid A: %d %d", status, code)
		}
		_, err = records.New(ctx, dns.RecordNewParams{ZoneID: zoneID, Body: dns.CNAMERecordParam{
			Name: cloudflare.F("www"), Type: cloudflare.F(dns.CNAMERecordTypeCNAME), Content: cloudflare.F("t.example.net"), TTL: cloudflare.F(dns.TTL(1))}})
		if status, code := apiCode(err); status != 400 || code != 81053 {
			t.Errorf("conflict: %d %d", status, code)
		}
		_, err = records.Get(ctx, "0123456789abcdef0123456789abcdef", dns.RecordGetParams{ZoneID: zoneID})
		if status, code := apiCode(err); status != 404 || code != 81044 {
			t.Errorf("missing: %d %d", status, code)
		}
	})

	t.Run("list with filters and auto-paging", func(t *testing.T) {
		for i := range 25 {
			if _, err := f.s.CreateRecord(f.zone.ID, Record{Type: "TXT", Name: "bulk", Content: fmt.Sprintf("v%02d", i), TTL: 1}); err != nil {
				t.Fatal(err)
			}
		}
		f.s.ResetCounts()
		iter := records.ListAutoPaging(ctx, dns.RecordListParams{ZoneID: zoneID, PerPage: cloudflare.F(10.0),
			Name: cloudflare.F(dns.RecordListParamsName{Exact: cloudflare.F("BULK.example.com")}), Type: cloudflare.F(dns.RecordListParamsTypeTXT)})
		n := 0
		for iter.Next() {
			n++
		}
		if iter.Err() != nil || n != 25 {
			t.Fatalf("auto-paging: %d records, err %v", n, iter.Err())
		}
		if pages := f.s.Count("GET /zones/{zone_id}/dns_records"); pages != 4 {
			t.Errorf("%d list requests, want 4 (3 pages and an empty one)", pages)
		}
		page, err := records.List(ctx, dns.RecordListParams{ZoneID: zoneID,
			Content: cloudflare.F(dns.RecordListParamsContent{Contains: cloudflare.F("V1")}), Match: cloudflare.F(dns.RecordListParamsMatchAll)})
		if err != nil || len(page.Result) != 10 {
			t.Fatalf("content.contains: %v %d", err, len(page.Result))
		}
	})

	t.Run("batch and delete", func(t *testing.T) {
		res, err := records.Batch(ctx, dns.RecordBatchParams{ZoneID: zoneID,
			Deletes: cloudflare.F([]dns.RecordBatchParamsDelete{{ID: cloudflare.F(www.ID)}}),
			Posts: cloudflare.F([]dns.RecordBatchParamsPostUnion{dns.CNAMERecordParam{Name: cloudflare.F("www"),
				Type: cloudflare.F(dns.CNAMERecordTypeCNAME), Content: cloudflare.F("t.example.net"), TTL: cloudflare.F(dns.TTL(1))}})})
		if err != nil || len(res.Deletes) != 1 || len(res.Posts) != 1 || res.Posts[0].Type != "CNAME" {
			t.Fatalf("Batch: %v %+v", err, res)
		}
		del, err := records.Delete(ctx, res.Posts[0].ID, dns.RecordDeleteParams{ZoneID: zoneID})
		if err != nil || del.ID != res.Posts[0].ID {
			t.Fatalf("Delete: %v %+v", err, del)
		}
	})

	t.Run("client retries honour Retry-After", func(t *testing.T) {
		f.s.InjectFault(Fault{Route: "GET /zones/{zone_id}/dns_records/{dns_record_id}", Kind: FaultStatus, Status: 429, RetryAfter: "0"})
		rec := f.s.FindRecords(f.zone.ID, "bulk", "TXT")[0]
		f.s.ResetCounts()
		retrying := dns.NewRecordService(opts(testToken, 2)...)
		if _, err := retrying.Get(ctx, rec.ID, dns.RecordGetParams{ZoneID: zoneID}); err != nil {
			t.Fatal(err)
		}
		if n := f.s.Total(); n != 2 {
			t.Errorf("%d requests, want 2", n)
		}
	})

	t.Run("a retried create after a dropped answer meets its own record", func(t *testing.T) {
		f.s.InjectFault(Fault{Route: "POST /zones/{zone_id}/dns_records", Kind: FaultDropAfterCommit})
		retrying := dns.NewRecordService(opts(testToken, 1)...)
		_, err := retrying.New(ctx, dns.RecordNewParams{ZoneID: zoneID, Body: dns.TXTRecordParam{
			Name: cloudflare.F("once"), Type: cloudflare.F(dns.TXTRecordTypeTXT), Content: cloudflare.F("x"), TTL: cloudflare.F(dns.TTL(1))}})
		if status, code := apiCode(err); status != 400 || code != 81058 {
			t.Errorf("retry after drop: %d %d", status, code)
		}
		if n := len(f.s.FindRecords(f.zone.ID, "once", "TXT")); n != 1 {
			t.Errorf("%d records", n)
		}
	})
}
