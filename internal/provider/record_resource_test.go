package provider

import (
	"fmt"
	"regexp"
	"testing"

	"github.com/hashicorp/terraform-plugin-testing/helper/resource"
	"github.com/hashicorp/terraform-plugin-testing/knownvalue"
	"github.com/hashicorp/terraform-plugin-testing/plancheck"
	"github.com/hashicorp/terraform-plugin-testing/statecheck"
	"github.com/hashicorp/terraform-plugin-testing/terraform"
	"github.com/hashicorp/terraform-plugin-testing/tfjsonpath"

	"github.com/cloudflaredns/terraform-provider-cloudflaredns/internal/emulator"
)

const appAddr = "cloudflaredns_record.app"

func appRecord(body string) string {
	return "resource \"cloudflaredns_record\" \"app\" {\n" + body + "\n}\n"
}

// emptyPlanAfterApply asserts that an apply converged: the next plan is empty.
var emptyPlanAfterApply = resource.ConfigPlanChecks{
	PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
}

func expectAction(action plancheck.ResourceActionType) resource.ConfigPlanChecks {
	return resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(appAddr, action)}}
}

// checkNoRecords is a CheckDestroy: the zones are empty once Terraform is done.
func (e *testEnv) checkNoRecords(*terraform.State) error {
	for name, z := range e.zones {
		if recs := e.emu.Records(z.ID); len(recs) != 0 {
			return fmt.Errorf("zone %s still holds %d records after destroy: %+v", name, len(recs), recs)
		}
	}
	return nil
}

func TestAccRecord_lifecycleDefaults(t *testing.T) {
	env := newTestEnv(t)
	zoneID := env.zoneID("example.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{
				// Draft → Created, with the seed's defaults: type A, proxied, automatic TTL.
				Config: env.config(appRecord(`
  name    = "app.example.com"
  content = "192.0.2.10"`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply: []plancheck.PlanCheck{
						plancheck.ExpectResourceAction(appAddr, plancheck.ResourceActionCreate),
						plancheck.ExpectKnownValue(appAddr, tfjsonpath.New("zone_id"), knownvalue.StringExact(zoneID)),
						plancheck.ExpectKnownValue(appAddr, tfjsonpath.New("ttl"), knownvalue.Int64Exact(1)),
						plancheck.ExpectKnownValue(appAddr, tfjsonpath.New("proxied"), knownvalue.Bool(true)),
					},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("id"), knownvalue.StringRegexp(regexp.MustCompile(`^[0-9a-f]{32}$`))),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("type"), knownvalue.StringExact("A")),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("proxied"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("ttl"), knownvalue.Int64Exact(1)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("zone_id"), knownvalue.StringExact(zoneID)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("zone_name"), knownvalue.StringExact("example.com")),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("fqdn"), knownvalue.StringExact("app.example.com")),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("adopt_existing"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("proxiable"), knownvalue.Bool(true)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("comment"), knownvalue.Null()),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("tags"), knownvalue.Null()),
				},
			},
			{
				// Not proxied: the TTL defaults to 3600 and reads back so.
				Config: env.config(appRecord(`
  name    = "app.example.com"
  type    = "CNAME"
  content = "origin.example.net"
  proxied = false`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(appAddr, plancheck.ResourceActionDestroyBeforeCreate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("type"), knownvalue.StringExact("CNAME")),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("ttl"), knownvalue.Int64Exact(3600)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("proxied"), knownvalue.Bool(false)),
				},
				Check: func(*terraform.State) error {
					rec := env.onlyRecord()
					if rec.Type != "CNAME" || rec.TTL != 3600 || rec.Proxied {
						return fmt.Errorf("Cloudflare holds %+v, want an unproxied CNAME with ttl 3600", rec)
					}
					return nil
				},
			},
		},
	})
}

func TestAccRecord_updateInPlace(t *testing.T) {
	env := newTestEnv(t)
	var firstID string
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{
				Config: env.config(appRecord(`
  name    = "app.example.com"
  content = "192.0.2.10"
  proxied = false
  ttl     = 300
  comment = "first"
  tags    = ["team:web"]`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				Check: func(*terraform.State) error {
					firstID = env.onlyRecord().ID
					env.emu.ResetCounts()
					return nil
				},
			},
			{
				Config: env.config(appRecord(`
  name    = "app.example.com"
  content = "192.0.2.20"
  proxied = false
  ttl     = 600`)),
				ConfigPlanChecks: resource.ConfigPlanChecks{
					PreApply:             []plancheck.PlanCheck{plancheck.ExpectResourceAction(appAddr, plancheck.ResourceActionUpdate)},
					PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()},
				},
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("content"), knownvalue.StringExact("192.0.2.20")),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("ttl"), knownvalue.Int64Exact(600)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("comment"), knownvalue.Null()),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("tags"), knownvalue.Null()),
				},
				Check: func(*terraform.State) error {
					rec := env.onlyRecord()
					if rec.ID != firstID {
						return fmt.Errorf("record ID changed from %s to %s: the update replaced the record", firstID, rec.ID)
					}
					if rec.Content != "192.0.2.20" || rec.TTL != 600 || rec.Comment != nil || len(rec.Tags) != 0 {
						return fmt.Errorf("Cloudflare holds %+v after the update; the PUT should have reset comment and tags", rec)
					}
					if n := env.emu.Count("PUT /zones/{zone_id}/dns_records/{dns_record_id}"); n != 1 {
						return fmt.Errorf("the update made %d PUT requests, want 1", n)
					}
					if n := env.emu.Count("PATCH /zones/{zone_id}/dns_records/{dns_record_id}"); n != 0 {
						return fmt.Errorf("the update made %d PATCH requests, want 0", n)
					}
					return nil
				},
			},
		},
	})
}

func TestAccRecord_drift(t *testing.T) {
	base := `
  name    = "app.example.com"
  content = "192.0.2.10"`
	tests := []struct {
		name   string
		change func(*emulator.Record)
		action plancheck.ResourceActionType
		// deleted: the record is removed out of band instead of changed.
		deleted bool
	}{
		{name: "content", change: func(r *emulator.Record) { r.Content = "198.51.100.7" }, action: plancheck.ResourceActionUpdate},
		{name: "proxied", change: func(r *emulator.Record) { r.Proxied = false; r.TTL = 300 }, action: plancheck.ResourceActionUpdate},
		{name: "ttl", change: func(r *emulator.Record) { r.Proxied = false; r.TTL = 120 }, action: plancheck.ResourceActionUpdate},
		{name: "comment", change: func(r *emulator.Record) { c := "edited in the dashboard"; r.Comment = &c }, action: plancheck.ResourceActionUpdate},
		{name: "deleted", deleted: true, action: plancheck.ResourceActionCreate},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			env := newTestEnv(t)
			zoneID := env.zoneID("example.com")
			outOfBand := func() {
				rec := env.onlyRecord()
				if tt.deleted {
					if err := env.emu.DeleteRecord(zoneID, rec.ID); err != nil {
						t.Fatal(err)
					}
					return
				}
				if _, err := env.emu.PatchRecord(zoneID, rec.ID, tt.change); err != nil {
					t.Fatal(err)
				}
			}
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.checkNoRecords,
				Steps: []resource.TestStep{
					{Config: env.config(appRecord(base)), ConfigPlanChecks: emptyPlanAfterApply},
					{
						// Check Status sees the change: plan -detailed-exitcode would exit 2.
						PreConfig:          outOfBand,
						Config:             env.config(appRecord(base)),
						PlanOnly:           true,
						ExpectNonEmptyPlan: true,
					},
					{
						// Applying converges Cloudflare back to the configuration.
						Config:           env.config(appRecord(base)),
						ConfigPlanChecks: resource.ConfigPlanChecks{PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(appAddr, tt.action)}, PostApplyPostRefresh: []plancheck.PlanCheck{plancheck.ExpectEmptyPlan()}},
						Check: func(*terraform.State) error {
							rec := env.onlyRecord()
							if rec.Content != "192.0.2.10" || !rec.Proxied || rec.TTL != 1 || rec.Comment != nil {
								return fmt.Errorf("Cloudflare holds %+v after re-applying", rec)
							}
							return nil
						},
					},
				},
			})
		})
	}
}

func TestAccRecord_adoption(t *testing.T) {
	t.Run("identical record adopted and converged", func(t *testing.T) {
		env := newTestEnv(t)
		zoneID := env.zoneID("example.com")
		existing, err := env.emu.CreateRecord(zoneID, emulator.Record{Name: "app.example.com", Type: "A", Content: "192.0.2.10", TTL: 300})
		if err != nil {
			t.Fatal(err)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.checkNoRecords,
			Steps: []resource.TestStep{{
				Config: env.config(appRecord(`
  name    = "APP.example.com."
  content = "192.0.2.10"
  proxied = false
  comment = "adopted"`)),
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("id"), knownvalue.StringExact(existing.ID)),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("name"), knownvalue.StringExact("APP.example.com.")),
					statecheck.ExpectKnownValue(appAddr, tfjsonpath.New("ttl"), knownvalue.Int64Exact(3600)),
				},
				Check: func(*terraform.State) error {
					rec := env.onlyRecord()
					if rec.ID != existing.ID || rec.TTL != 3600 || rec.Comment == nil || *rec.Comment != "adopted" {
						return fmt.Errorf("Cloudflare holds %+v, want the adopted record %s converged to ttl 3600 and the comment", rec, existing.ID)
					}
					return nil
				},
			}},
		})
	})
	t.Run("adopt_existing false names the record and the import command", func(t *testing.T) {
		env := newTestEnv(t)
		zoneID := env.zoneID("example.com")
		existing, err := env.emu.CreateRecord(zoneID, emulator.Record{Name: "app.example.com", Type: "A", Content: "192.0.2.10", TTL: 300})
		if err != nil {
			t.Fatal(err)
		}
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			Steps: []resource.TestStep{{
				Config: env.config(appRecord(`
  name           = "app.example.com"
  content        = "192.0.2.10"
  adopt_existing = false`)),
				ExpectError: regexp.MustCompile(`(?s)already exists.*` + existing.ID + `.*terraform import.*` + zoneID + `/` + existing.ID),
			}},
		})
		if recs := env.emu.Records(zoneID); len(recs) != 1 || recs[0].TTL != 300 {
			t.Errorf("the refused adoption changed Cloudflare: %+v", recs)
		}
	})
	// The retried POST of an A record is answered 81058; that of a CNAME
	// 81053, because Cloudflare checks CNAME conflicts before duplicates.
	// Both must end with the one record adopted.
	for _, tc := range []struct{ name, body string }{
		{"lost create answer ends with one adopted record", `
  name    = "app.example.com"
  content = "192.0.2.10"`},
		{"lost create answer of a CNAME, a conflict on retry, ends with one adopted record", `
  name    = "app.example.com"
  type    = "CNAME"
  content = "origin.example.net"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			env := newTestEnv(t)
			env.emu.InjectFault(emulator.Fault{Route: "POST /zones/{zone_id}/dns_records", Kind: emulator.FaultDropAfterCommit})
			resource.ParallelTest(t, resource.TestCase{
				ProtoV6ProviderFactories: testAccProviders,
				CheckDestroy:             env.checkNoRecords,
				Steps: []resource.TestStep{{
					Config:           env.config(appRecord(tc.body)),
					ConfigPlanChecks: emptyPlanAfterApply,
					Check: func(s *terraform.State) error {
						rec := env.onlyRecord()
						if got := s.RootModule().Resources[appAddr].Primary.ID; got != rec.ID {
							return fmt.Errorf("state holds record %s, Cloudflare holds %s", got, rec.ID)
						}
						return nil
					},
				}},
			})
		})
	}
}

func TestAccRecord_deleteSafety(t *testing.T) {
	config := appRecord(`
  name    = "app.example.com"
  content = "192.0.2.10"`)
	t.Run("failed delete keeps the record in state", func(t *testing.T) {
		env := newTestEnv(t)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.checkNoRecords,
			Steps: []resource.TestStep{
				{Config: env.provider("max_retries = 0") + config},
				{
					PreConfig: func() {
						env.emu.InjectFault(emulator.Fault{Route: "DELETE /zones/{zone_id}/dns_records/{dns_record_id}", Kind: emulator.FaultStatus, Status: 500, Code: 10001, Message: "Internal server error"})
					},
					Config:      env.provider("max_retries = 0"),
					ExpectError: regexp.MustCompile(`(?s)Could not delete DNS record.*stays in the state`),
				},
				{
					// Still in state and on Cloudflare: the configuration with the
					// record plans clean.
					Config:             env.provider("max_retries = 0") + config,
					PlanOnly:           true,
					ExpectNonEmptyPlan: false,
					Check: func(*terraform.State) error {
						env.onlyRecord()
						return nil
					},
				},
			},
		})
	})
	t.Run("lost delete answer ends with the record gone", func(t *testing.T) {
		env := newTestEnv(t)
		resource.ParallelTest(t, resource.TestCase{
			ProtoV6ProviderFactories: testAccProviders,
			CheckDestroy:             env.checkNoRecords,
			Steps: []resource.TestStep{
				{Config: env.config(config)},
				{
					// The DELETE is done but its answer lost; the retry gets 81044,
					// which confirms the record is gone.
					PreConfig: func() {
						env.emu.InjectFault(emulator.Fault{Route: "DELETE /zones/{zone_id}/dns_records/{dns_record_id}", Kind: emulator.FaultDropAfterCommit})
					},
					Config: env.provider(),
					ConfigPlanChecks: resource.ConfigPlanChecks{
						PreApply: []plancheck.PlanCheck{plancheck.ExpectResourceAction(appAddr, plancheck.ResourceActionDestroy)},
					},
					Check: env.checkNoRecords,
				},
			},
		})
	})
}

func TestAccRecord_zoneResolution(t *testing.T) {
	env := newTestEnv(t, "example.com", "sub.example.com", "example.co.uk")
	config := env.config(`
resource "cloudflaredns_record" "uk" {
  name    = "a.example.co.uk"
  content = "192.0.2.1"
}
resource "cloudflaredns_record" "sub" {
  name    = "a.sub.example.com"
  content = "192.0.2.2"
}
resource "cloudflaredns_record" "parent" {
  name    = "b.example.com"
  content = "192.0.2.3"
}
resource "cloudflaredns_record" "relative" {
  zone_id = "` + env.zoneID("example.com") + `"
  name    = "rel"
  content = "192.0.2.4"
}`)
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{
				Config:           config,
				ConfigPlanChecks: emptyPlanAfterApply,
				ConfigStateChecks: []statecheck.StateCheck{
					statecheck.ExpectKnownValue("cloudflaredns_record.uk", tfjsonpath.New("zone_id"), knownvalue.StringExact(env.zoneID("example.co.uk"))),
					statecheck.ExpectKnownValue("cloudflaredns_record.sub", tfjsonpath.New("zone_id"), knownvalue.StringExact(env.zoneID("sub.example.com"))),
					statecheck.ExpectKnownValue("cloudflaredns_record.parent", tfjsonpath.New("zone_id"), knownvalue.StringExact(env.zoneID("example.com"))),
					statecheck.ExpectKnownValue("cloudflaredns_record.relative", tfjsonpath.New("fqdn"), knownvalue.StringExact("rel.example.com")),
					statecheck.ExpectKnownValue("cloudflaredns_record.relative", tfjsonpath.New("name"), knownvalue.StringExact("rel")),
				},
				Check: func(*terraform.State) error {
					// Zones are listed once per provider process, however many records use them.
					if n := env.emu.Count("GET /zones"); n > 4 {
						return fmt.Errorf("zone listing requested %d times", n)
					}
					return nil
				},
			},
			{
				Config: env.provider() + `
resource "cloudflaredns_record" "nowhere" {
  name    = "a.example.org"
  content = "192.0.2.9"
}`,
				PlanOnly:    true,
				ExpectError: regexp.MustCompile(`(?s)no zone contains "a.example.org".*example.co.uk,\s+example.com,\s+sub.example.com`),
			},
		},
	})
}

func TestAccRecord_import(t *testing.T) {
	env := newTestEnv(t)
	zoneID := env.zoneID("example.com")
	resource.ParallelTest(t, resource.TestCase{
		ProtoV6ProviderFactories: testAccProviders,
		CheckDestroy:             env.checkNoRecords,
		Steps: []resource.TestStep{
			{
				Config: env.config(appRecord(`
  name    = "app.example.com"
  type    = "CNAME"
  content = "origin.example.net"
  proxied = false
  ttl     = 300
  comment = "imported"
  tags    = ["team:web", "env:prod"]`)),
			},
			{
				ResourceName:      appAddr,
				ImportState:       true,
				ImportStateVerify: true,
				ImportStateIdFunc: func(s *terraform.State) (string, error) {
					return zoneID + "/" + s.RootModule().Resources[appAddr].Primary.ID, nil
				},
			},
		},
	})
}
